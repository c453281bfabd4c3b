/**
 * Version of the WAF log schema these types, the JSON Schema, the Athena DDL and the DuckDB `columns`
 * struct describe. Bumped whenever AWS adds a field we model (2026-11: JA3/JA4, challengeResponse,
 * oversizeFields, body sizes, httpRequest.fragment/scheme/host, clientAsn, cfDistributionTenantId,
 * rate-based evaluationWindowSec/customValues).
 */
export const WAF_LOG_SCHEMA_VERSION = '2026-11' as const;

/** A header as WAF logs it; names keep the client's casing (`User-Agent` or `user-agent`). */
export interface WafHeader {
  name: string;
  value: string;
}

/** `terminatingRuleMatchDetails[]` / `ruleMatchDetails[]` entry: only SQL injection and XSS matches. */
export interface WafRuleMatchDetail {
  conditionType: string;
  sensitivityLevel?: string;
  location: string;
  matchedData: string[];
}

/** `captchaResponse` / `challengeResponse`. A non-empty `failureReason` means the CAPTCHA or challenge terminated the request. */
export interface WafTokenResponse {
  responseCode: number;
  /** Epoch **seconds** (unlike `timestamp`, which is milliseconds). */
  solveTimestamp: number;
  failureReason?:
    | 'TOKEN_MISSING'
    | 'TOKEN_EXPIRED'
    | 'TOKEN_INVALID'
    | 'TOKEN_DOMAIN_MISMATCH'
    | (string & {});
}

/** A rule that matched without terminating (COUNT, or CAPTCHA/Challenge with a valid token). */
export interface WafNonTerminatingRule {
  ruleId: string;
  action: 'COUNT' | 'CAPTCHA' | 'CHALLENGE' | (string & {});
  overriddenAction?: string;
  ruleMatchDetails?: WafRuleMatchDetail[];
  captchaResponse?: WafTokenResponse;
  challengeResponse?: WafTokenResponse;
}

/** One rule group evaluated for the request. */
export interface WafRuleGroup {
  /** Managed groups look like `AWS#AWSManagedRulesCommonRuleSet`. */
  ruleGroupId: string;
  terminatingRule: {
    ruleId: string;
    action: string;
    overriddenAction?: string;
    ruleMatchDetails?: WafRuleMatchDetail[];
  } | null;
  nonTerminatingMatchingRules: WafNonTerminatingRule[];
  /** Legacy (before Oct 2022): `[{exclusionType: "EXCLUDED_AS_COUNT", ruleId}]`, else null. */
  excludedRules: Array<{ exclusionType: string; ruleId: string }> | null;
  customerConfig?: unknown;
}

/** One rate-based rule that tracked the request. */
export interface WafRateBasedRule {
  rateBasedRuleId?: string;
  rateBasedRuleName?: string;
  limitKey: 'IP' | 'FORWARDED_IP' | 'CUSTOMKEYS' | 'CONSTANT' | (string & {});
  limitValue?: string;
  maxRateAllowed: number;
  evaluationWindowSec?: string | number;
  customValues?: Array<{ key: string; name?: string; value: string }>;
}

/** `httpRequest`: the request as WAF saw it. */
export interface WafHttpRequest {
  clientIp: string;
  /** ISO 3166 alpha-2 code, or `-` when unknown. */
  country: string;
  headers: WafHeader[];
  uri: string;
  args: string;
  httpVersion: string;
  httpMethod: string;
  requestId: string;
  fragment?: string;
  scheme?: string;
  host?: string;
}

/**
 * One AWS WAF (v2) log record, schema {@link WAF_LOG_SCHEMA_VERSION}.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/logging-fields.html
 */
export interface WafLogRecord {
  /** Epoch milliseconds. */
  timestamp: number;
  formatVersion: number;
  webaclId: string;
  /** Rule name, or `Default_Action` when no rule terminated the request. */
  terminatingRuleId: string;
  terminatingRuleType: 'REGULAR' | 'RATE_BASED' | 'GROUP' | 'MANAGED_RULE_GROUP' | (string & {});
  /** The terminating action. `COUNT` never appears here: counted matches live in the non-terminating lists. */
  action: 'ALLOW' | 'BLOCK' | 'CAPTCHA' | 'CHALLENGE' | (string & {});
  terminatingRuleMatchDetails: WafRuleMatchDetail[];
  httpSourceName: string;
  httpSourceId: string;
  ruleGroupList: WafRuleGroup[];
  rateBasedRuleList: WafRateBasedRule[];
  nonTerminatingMatchingRules: WafNonTerminatingRule[];
  requestHeadersInserted?: WafHeader[] | null;
  responseCodeSent?: number | null;
  httpRequest: WafHttpRequest;
  /** Only the first 100 labels are logged. */
  labels?: Array<{ name: string }>;
  captchaResponse?: WafTokenResponse;
  challengeResponse?: WafTokenResponse;
  ja3Fingerprint?: string;
  ja4Fingerprint?: string;
  oversizeFields?: Array<
    'REQUEST_BODY' | 'REQUEST_JSON_BODY' | 'REQUEST_HEADERS' | 'REQUEST_COOKIES' | (string & {})
  >;
  requestBodySize?: number;
  requestBodySizeInspectedByWAF?: number;
  clientAsn?: number;
  cfDistributionTenantId?: string;
}

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const strArray = { type: 'array', items: str } as const;
const matchDetail = {
  type: 'object',
  required: ['conditionType', 'location'],
  properties: { conditionType: str, sensitivityLevel: str, location: str, matchedData: strArray },
} as const;
const tokenResponse = {
  type: 'object',
  required: ['responseCode', 'solveTimestamp'],
  properties: { responseCode: int, solveTimestamp: int, failureReason: str },
} as const;
const header = {
  type: 'object',
  required: ['name', 'value'],
  properties: { name: str, value: str },
} as const;
const nonTerminating = {
  type: 'object',
  required: ['ruleId', 'action'],
  properties: {
    ruleId: str,
    action: str,
    overriddenAction: str,
    ruleMatchDetails: { type: 'array', items: matchDetail },
    captchaResponse: tokenResponse,
    challengeResponse: tokenResponse,
  },
} as const;

/**
 * JSON Schema (draft 2020-12) of {@link WafLogRecord}. Unknown properties are allowed (AWS adds fields);
 * {@link detectSchemaDrift} reports them.
 *
 * @example
 * ```ts
 * import Ajv from 'ajv/dist/2020';
 * const validate = new Ajv().compile(WAF_LOG_JSON_SCHEMA);
 * ```
 */
export const WAF_LOG_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `https://secblocks.dev/schemas/waf-log-record/${WAF_LOG_SCHEMA_VERSION}.json`,
  title: 'AWS WAF log record',
  type: 'object',
  required: ['timestamp', 'action', 'terminatingRuleId', 'httpRequest'],
  properties: {
    timestamp: int,
    formatVersion: int,
    webaclId: str,
    terminatingRuleId: str,
    terminatingRuleType: str,
    action: { type: 'string', enum: ['ALLOW', 'BLOCK', 'CAPTCHA', 'CHALLENGE'] },
    terminatingRuleMatchDetails: { type: 'array', items: matchDetail },
    httpSourceName: str,
    httpSourceId: str,
    ruleGroupList: {
      type: 'array',
      items: {
        type: 'object',
        required: ['ruleGroupId'],
        properties: {
          ruleGroupId: str,
          terminatingRule: {
            type: ['object', 'null'],
            properties: {
              ruleId: str,
              action: str,
              overriddenAction: str,
              ruleMatchDetails: { type: 'array', items: matchDetail },
            },
          },
          nonTerminatingMatchingRules: { type: 'array', items: nonTerminating },
          excludedRules: {
            type: ['array', 'null'],
            items: { type: 'object', properties: { exclusionType: str, ruleId: str } },
          },
          customerConfig: {},
        },
      },
    },
    rateBasedRuleList: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          rateBasedRuleId: str,
          rateBasedRuleName: str,
          limitKey: str,
          limitValue: str,
          maxRateAllowed: int,
          evaluationWindowSec: { type: ['string', 'integer'] },
          customValues: {
            type: 'array',
            items: { type: 'object', properties: { key: str, name: str, value: str } },
          },
        },
      },
    },
    nonTerminatingMatchingRules: { type: 'array', items: nonTerminating },
    requestHeadersInserted: { type: ['array', 'null'], items: header },
    responseCodeSent: { type: ['integer', 'null'] },
    httpRequest: {
      type: 'object',
      required: ['clientIp', 'uri'],
      properties: {
        clientIp: str,
        country: str,
        headers: { type: 'array', items: header },
        uri: str,
        args: str,
        httpVersion: str,
        httpMethod: str,
        requestId: str,
        fragment: str,
        scheme: str,
        host: str,
      },
    },
    labels: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: str } } },
    captchaResponse: tokenResponse,
    challengeResponse: tokenResponse,
    ja3Fingerprint: str,
    ja4Fingerprint: str,
    oversizeFields: strArray,
    requestBodySize: int,
    requestBodySizeInspectedByWAF: int,
    clientAsn: int,
    cfDistributionTenantId: str,
  },
} as const;

/**
 * Every field path the schema knows, arrays written `[]` (e.g. `labels[].name`). Used by
 * {@link detectSchemaDrift}.
 */
export const KNOWN_FIELD_PATHS: ReadonlySet<string> = (() => {
  const out = new Set<string>();
  const walk = (node: Record<string, unknown>, prefix: string): void => {
    const props = node.properties as Record<string, Record<string, unknown>> | undefined;
    if (props) {
      for (const [k, v] of Object.entries(props)) {
        const path = prefix ? `${prefix}.${k}` : k;
        out.add(path);
        walk(v, path);
      }
    }
    const items = node.items as Record<string, unknown> | undefined;
    if (items) walk(items, `${prefix}[]`);
  };
  walk(WAF_LOG_JSON_SCHEMA as unknown as Record<string, unknown>, '');
  return out;
})();

/** Result of {@link detectSchemaDrift}. */
export interface SchemaDriftReport {
  /** Schema version compared against. */
  schemaVersion: string;
  /** Field paths seen in the data but absent from the schema, with how many records carried them; sorted by path. */
  unknownFields: Array<{ path: string; records: number }>;
  /** Records inspected. */
  records: number;
}

function collectPaths(value: unknown, prefix: string, into: Set<string>, depth: number): void {
  if (depth > 12 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) collectPaths(item, `${prefix}[]`, into, depth + 1);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${k}` : k;
    into.add(path);
    // customerConfig is free-form by design.
    if (path.endsWith('.customerConfig')) continue;
    collectPaths(v, path, into, depth + 1);
  }
}

/**
 * Reports fields present in log records but absent from the versioned schema (new AWS fields, or
 * malformed producers), so the DDL and types can be updated before a query silently misses data.
 *
 * @param records - Parsed records (any JSON objects; unknown keys are the point).
 * @returns The unknown field paths with record counts.
 * @example
 * ```ts
 * const drift = detectSchemaDrift(records);
 * if (drift.unknownFields.length) console.warn(drift.unknownFields);
 * ```
 */
export function detectSchemaDrift(records: Iterable<unknown>): SchemaDriftReport {
  const counts = new Map<string, number>();
  let n = 0;
  for (const record of records) {
    n++;
    const paths = new Set<string>();
    collectPaths(record, '', paths, 0);
    for (const p of paths) {
      if (!KNOWN_FIELD_PATHS.has(p)) counts.set(p, (counts.get(p) ?? 0) + 1);
    }
  }
  const unknownFields = [...counts.entries()]
    .map(([path, records]) => ({ path, records }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { schemaVersion: WAF_LOG_SCHEMA_VERSION, unknownFields, records: n };
}
