import { invalidParameter } from './errors.js';

/** Minimum and maximum `Limit` of a rate-based statement (WAFv2 API reference). */
export const RATE_LIMIT_RANGE = { min: 10, max: 2_000_000_000 } as const;
/** Allowed `EvaluationWindowSec` values. */
export const EVALUATION_WINDOWS = [60, 120, 300, 600] as const;
/** CAPTCHA immunity time range, seconds. */
export const CAPTCHA_IMMUNITY_RANGE = { min: 60, max: 259_200 } as const;
/** Challenge immunity time range, seconds. */
export const CHALLENGE_IMMUNITY_RANGE = { min: 300, max: 259_200 } as const;

/** A WAFv2 text transformation. */
export interface TextTransformation {
  Priority: number;
  Type: 'NONE' | 'LOWERCASE' | 'URL_DECODE' | 'COMPRESS_WHITE_SPACE' | 'HTML_ENTITY_DECODE' | (string & {});
}

/** WAFv2 `FieldToMatch` (the subset the builders emit). */
export type FieldToMatch =
  | { UriPath: Record<string, never> }
  | { QueryString: Record<string, never> }
  | { Method: Record<string, never> }
  | { SingleHeader: { Name: string } };

/** A WAFv2 statement (the subset the builders emit and {@link replayRule} evaluates). */
export type WafStatement =
  | {
      ByteMatchStatement: {
        SearchString: string;
        FieldToMatch: FieldToMatch;
        TextTransformations: TextTransformation[];
        PositionalConstraint: 'EXACTLY' | 'STARTS_WITH' | 'ENDS_WITH' | 'CONTAINS' | 'CONTAINS_WORD';
      };
    }
  | { LabelMatchStatement: { Scope: 'LABEL' | 'NAMESPACE'; Key: string } }
  | { GeoMatchStatement: { CountryCodes: string[] } }
  | { AndStatement: { Statements: WafStatement[] } }
  | { OrStatement: { Statements: WafStatement[] } }
  | { NotStatement: { Statement: WafStatement } };

/** A rate-based custom aggregation key. */
export type CustomKey =
  | { IP: Record<string, never> }
  | { ForwardedIP: Record<string, never> }
  | { HTTPMethod: Record<string, never> }
  | { QueryString: { TextTransformations: TextTransformation[] } }
  | { UriPath: { TextTransformations: TextTransformation[] } }
  | { Header: { Name: string; TextTransformations: TextTransformation[] } }
  | { Cookie: { Name: string; TextTransformations: TextTransformation[] } }
  | { QueryArgument: { Name: string; TextTransformations: TextTransformation[] } }
  | { LabelNamespace: { Namespace: string } }
  | { JA4Fingerprint: { FallbackBehavior: 'MATCH' | 'NO_MATCH' } }
  | { JA3Fingerprint: { FallbackBehavior: 'MATCH' | 'NO_MATCH' } };

/** The rule action. */
export type RuleAction = 'BLOCK' | 'COUNT' | 'CAPTCHA' | 'CHALLENGE';

/** A WAFv2 rule as the API, SDK and CloudFormation take it (PascalCase JSON). */
export interface WafRule {
  Name: string;
  Priority: number;
  Statement: WafStatement | { RateBasedStatement: RateBasedStatement };
  Action:
    | { Block: Record<string, never> }
    | { Count: Record<string, never> }
    | { Captcha: Record<string, never> }
    | { Challenge: Record<string, never> };
  CaptchaConfig?: { ImmunityTimeProperty: { ImmunityTime: number } };
  ChallengeConfig?: { ImmunityTimeProperty: { ImmunityTime: number } };
  VisibilityConfig: {
    SampledRequestsEnabled: boolean;
    CloudWatchMetricsEnabled: boolean;
    MetricName: string;
  };
}

/** WAFv2 `RateBasedStatement`. */
export interface RateBasedStatement {
  Limit: number;
  EvaluationWindowSec: number;
  AggregateKeyType: 'IP' | 'FORWARDED_IP' | 'CUSTOM_KEYS' | 'CONSTANT';
  ForwardedIPConfig?: { HeaderName: string; FallbackBehavior: 'MATCH' | 'NO_MATCH' };
  CustomKeys?: CustomKey[];
  ScopeDownStatement?: WafStatement;
}

/** How a rate-based rule aggregates requests. */
export type AggregateKey =
  | 'IP'
  | 'CONSTANT'
  | { forwardedIp: { headerName?: string; fallbackBehavior?: 'MATCH' | 'NO_MATCH' } }
  | { customKeys: CustomKey[] };

/** Options of {@link buildRateBasedRule}. */
export interface RateBasedRuleOptions {
  /** Rule name: 1-128 letters, digits, `_` and `-`. */
  name: string;
  /** Rule priority (0 evaluates first). @defaultValue `0` */
  priority?: number;
  /** Requests allowed per key per window (10 - 2,000,000,000). */
  limit: number;
  /** Window in seconds: 60, 120, 300 or 600. @defaultValue `300` */
  evaluationWindowSec?: number;
  /** Aggregation key. @defaultValue `'IP'` */
  aggregateKey?: AggregateKey;
  /** Only requests matching this statement are counted. */
  scopeDown?: WafStatement;
  /** Action on requests over the limit. @defaultValue `'BLOCK'` */
  action?: RuleAction;
  /** Seconds a solved CAPTCHA or challenge stays valid (CAPTCHA 60-259,200; Challenge 300-259,200). Only with those actions. @defaultValue WAF's 300 */
  immunityTime?: number;
  /** CloudWatch metric name. @defaultValue the rule name */
  metricName?: string;
  /** Keep sampled requests. @defaultValue `true` */
  sampledRequests?: boolean;
  /** Publish CloudWatch metrics. @defaultValue `true` */
  cloudWatchMetrics?: boolean;
}

const NAME = /^[\w-]{1,128}$/;
const METRIC = /^[\w#:.\-/]{1,255}$/;
const HEADER = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;

/**
 * A `ByteMatchStatement` on the URI path (`CONTAINS` by default, no transformation), the scope-down the
 * CAPTCHA blog post uses for `/store`.
 *
 * @param searchString - Text to look for (plain text; SDKs base64-encode it for the wire).
 * @param constraint - Positional constraint. @defaultValue `'CONTAINS'`
 * @throws {@link WafInsightsError} `INVALID_PARAMETER` naming `searchString` when empty or over 200 bytes.
 * @example
 * ```ts
 * uriPathMatch('/store'); // { ByteMatchStatement: { SearchString: '/store', FieldToMatch: { UriPath: {} }, ... } }
 * ```
 */
export function uriPathMatch(
  searchString: string,
  constraint: 'EXACTLY' | 'STARTS_WITH' | 'ENDS_WITH' | 'CONTAINS' = 'CONTAINS',
): WafStatement {
  if (typeof searchString !== 'string' || searchString.length < 1 || Buffer.byteLength(searchString) > 200)
    throw invalidParameter('searchString', '1 to 200 bytes');
  if (!['EXACTLY', 'STARTS_WITH', 'ENDS_WITH', 'CONTAINS'].includes(constraint))
    throw invalidParameter('positionalConstraint', 'EXACTLY, STARTS_WITH, ENDS_WITH or CONTAINS');
  return {
    ByteMatchStatement: {
      SearchString: searchString,
      FieldToMatch: { UriPath: {} },
      TextTransformations: [{ Priority: 0, Type: 'NONE' }],
      PositionalConstraint: constraint,
    },
  };
}

/**
 * Builds a WAFv2 rate-based rule (JSON for the SDK, the console's JSON editor or CloudFormation), validating
 * every parameter first.
 *
 * @param options - Name, limit, window, key, scope-down, action, immunity time.
 * @returns The rule.
 * @throws {@link WafInsightsError} `INVALID_PARAMETER` naming the parameter (`limit`, `evaluationWindowSec`, `immunityTime`, `aggregateKey`, ...).
 * @see https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html
 * @example
 * ```ts
 * const rule = buildRateBasedRule({ name: 'CaptchaOnRBR', limit: 100, scopeDown: uriPathMatch('/store'), action: 'CAPTCHA', immunityTime: 300 });
 * ```
 */
export function buildRateBasedRule(options: RateBasedRuleOptions): WafRule {
  const o = options;
  if (typeof o.name !== 'string' || !NAME.test(o.name))
    throw invalidParameter('name', '1-128 letters, digits, _ and -');
  const priority = o.priority ?? 0;
  if (!Number.isInteger(priority) || priority < 0)
    throw invalidParameter('priority', 'a non-negative integer');
  if (!Number.isInteger(o.limit) || o.limit < RATE_LIMIT_RANGE.min || o.limit > RATE_LIMIT_RANGE.max)
    throw invalidParameter('limit', `an integer from ${RATE_LIMIT_RANGE.min} to ${RATE_LIMIT_RANGE.max}`);
  const window = o.evaluationWindowSec ?? 300;
  if (!(EVALUATION_WINDOWS as readonly number[]).includes(window))
    throw invalidParameter('evaluationWindowSec', '60, 120, 300 or 600');
  const action = o.action ?? 'BLOCK';
  if (!['BLOCK', 'COUNT', 'CAPTCHA', 'CHALLENGE'].includes(action))
    throw invalidParameter('action', 'BLOCK, COUNT, CAPTCHA or CHALLENGE');
  if (o.immunityTime !== undefined) {
    if (action !== 'CAPTCHA' && action !== 'CHALLENGE')
      throw invalidParameter('immunityTime', 'only with the CAPTCHA or CHALLENGE action');
    const range = action === 'CAPTCHA' ? CAPTCHA_IMMUNITY_RANGE : CHALLENGE_IMMUNITY_RANGE;
    if (!Number.isInteger(o.immunityTime) || o.immunityTime < range.min || o.immunityTime > range.max)
      throw invalidParameter('immunityTime', `an integer from ${range.min} to ${range.max} seconds`);
  }
  const metricName = o.metricName ?? o.name;
  if (!METRIC.test(metricName)) throw invalidParameter('metricName', '1-255 characters without spaces');
  const statement: RateBasedStatement = {
    Limit: o.limit,
    EvaluationWindowSec: window,
    AggregateKeyType: 'IP',
  };
  const key = o.aggregateKey ?? 'IP';
  if (key === 'IP' || key === 'CONSTANT') {
    statement.AggregateKeyType = key;
    if (key === 'CONSTANT' && !o.scopeDown)
      throw invalidParameter('scopeDown', 'a scope-down statement when aggregateKey is CONSTANT');
  } else if (typeof key === 'object' && key !== null && 'forwardedIp' in key) {
    const headerName = key.forwardedIp.headerName ?? 'X-Forwarded-For';
    if (!HEADER.test(headerName))
      throw invalidParameter('aggregateKey.forwardedIp.headerName', 'an HTTP header name');
    const fallback = key.forwardedIp.fallbackBehavior ?? 'MATCH';
    if (fallback !== 'MATCH' && fallback !== 'NO_MATCH')
      throw invalidParameter('aggregateKey.forwardedIp.fallbackBehavior', 'MATCH or NO_MATCH');
    statement.AggregateKeyType = 'FORWARDED_IP';
    statement.ForwardedIPConfig = { HeaderName: headerName, FallbackBehavior: fallback };
  } else if (typeof key === 'object' && key !== null && 'customKeys' in key) {
    const keys = key.customKeys;
    if (!Array.isArray(keys) || keys.length < 1 || keys.length > 5)
      throw invalidParameter('aggregateKey.customKeys', '1 to 5 custom keys');
    for (const k of keys) validateCustomKey(k);
    statement.AggregateKeyType = 'CUSTOM_KEYS';
    statement.CustomKeys = keys;
  } else throw invalidParameter('aggregateKey', "'IP', 'CONSTANT', { forwardedIp } or { customKeys }");
  if (o.scopeDown) statement.ScopeDownStatement = o.scopeDown;
  const rule: WafRule = {
    Name: o.name,
    Priority: priority,
    Statement: { RateBasedStatement: statement },
    Action:
      action === 'BLOCK'
        ? { Block: {} }
        : action === 'COUNT'
          ? { Count: {} }
          : action === 'CAPTCHA'
            ? { Captcha: {} }
            : { Challenge: {} },
    VisibilityConfig: {
      SampledRequestsEnabled: o.sampledRequests ?? true,
      CloudWatchMetricsEnabled: o.cloudWatchMetrics ?? true,
      MetricName: metricName,
    },
  };
  if (o.immunityTime !== undefined) {
    const cfg = { ImmunityTimeProperty: { ImmunityTime: o.immunityTime } };
    if (action === 'CAPTCHA') rule.CaptchaConfig = cfg;
    else rule.ChallengeConfig = cfg;
  }
  // Key order matches the console's JSON view: Name, Priority, Statement, Action, CaptchaConfig, VisibilityConfig.
  const { VisibilityConfig, ...head } = rule;
  return { ...head, VisibilityConfig } as WafRule;
}

const CUSTOM_KEY_TYPES = [
  'IP',
  'ForwardedIP',
  'HTTPMethod',
  'QueryString',
  'UriPath',
  'Header',
  'Cookie',
  'QueryArgument',
  'LabelNamespace',
  'JA4Fingerprint',
  'JA3Fingerprint',
];

function validateCustomKey(k: CustomKey): void {
  const type = typeof k === 'object' && k !== null ? Object.keys(k) : [];
  if (type.length !== 1 || !CUSTOM_KEY_TYPES.includes(type[0] as string))
    throw invalidParameter('aggregateKey.customKeys', `each key one of ${CUSTOM_KEY_TYPES.join(', ')}`);
  const v = (k as Record<string, Record<string, unknown>>)[type[0] as string] ?? {};
  if ('Name' in v && (typeof v.Name !== 'string' || !HEADER.test(v.Name)))
    throw invalidParameter('aggregateKey.customKeys.Name', 'a header, cookie or argument name');
  if ('Namespace' in v && (typeof v.Namespace !== 'string' || !/^[\w:-]{1,1024}:$/.test(v.Namespace)))
    throw invalidParameter('aggregateKey.customKeys.Namespace', "a label namespace ending in ':'");
}

/**
 * The rate-based CAPTCHA rule of the AWS blog post "Use AWS WAF CAPTCHA to protect your application against
 * common bot traffic": more than 100 requests per IP in 5 minutes to a URI containing `/store` get a CAPTCHA,
 * and a solved CAPTCHA is honoured for the immunity time.
 *
 * @param options - Overrides (limit, immunity time, priority) — validated like {@link buildRateBasedRule}.
 * @throws {@link WafInsightsError} `INVALID_PARAMETER` naming the parameter.
 * @see https://aws.amazon.com/blogs/security/use-aws-waf-captcha-to-protect-your-application-against-common-bot-traffic/
 * @example
 * ```ts
 * JSON.stringify(captchaOnRbrRule(), null, 2);
 * ```
 */
export function captchaOnRbrRule(
  options: {
    limit?: number;
    immunityTime?: number;
    priority?: number;
    uriContains?: string;
    name?: string;
  } = {},
): WafRule {
  return buildRateBasedRule({
    name: options.name ?? 'CaptchaOnRBR',
    priority: options.priority ?? 0,
    limit: options.limit ?? 100,
    evaluationWindowSec: 300,
    aggregateKey: 'IP',
    scopeDown: uriPathMatch(options.uriContains ?? '/store', 'CONTAINS'),
    action: 'CAPTCHA',
    immunityTime: options.immunityTime ?? 300,
  });
}
