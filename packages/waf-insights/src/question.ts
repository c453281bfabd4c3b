import { invalidParameter, WafInsightsError, WafInsightsErrorCode } from './errors.js';
import { assertSafeParameter } from './escape.js';
import {
  BOT_CATEGORY_LABEL_PREFIX,
  NON_BROWSER_USER_AGENT_LABEL,
  TOKEN_ID_LABEL_PREFIX,
} from './sample-generator.js';

/** Single-valued record fields a question can filter or group on. */
export type ScalarField =
  | 'clientIp'
  | 'country'
  | 'uri'
  | 'httpMethod'
  | 'httpVersion'
  | 'host'
  | 'terminatingRuleId'
  | 'terminatingRuleType'
  | 'action'
  | 'ja3Fingerprint'
  | 'ja4Fingerprint'
  | 'httpSourceName'
  | 'webaclId'
  | 'captchaFailureReason'
  | 'challengeFailureReason'
  | 'captchaResponseCode'
  | 'challengeResponseCode';

/** Every {@link ScalarField} with its path in the log record (also the Logs Insights field name). */
export const SCALAR_FIELD_PATHS: Readonly<Record<ScalarField, readonly string[]>> = {
  clientIp: ['httpRequest', 'clientIp'],
  country: ['httpRequest', 'country'],
  uri: ['httpRequest', 'uri'],
  httpMethod: ['httpRequest', 'httpMethod'],
  httpVersion: ['httpRequest', 'httpVersion'],
  host: ['httpRequest', 'host'],
  terminatingRuleId: ['terminatingRuleId'],
  terminatingRuleType: ['terminatingRuleType'],
  action: ['action'],
  ja3Fingerprint: ['ja3Fingerprint'],
  ja4Fingerprint: ['ja4Fingerprint'],
  httpSourceName: ['httpSourceName'],
  webaclId: ['webaclId'],
  captchaFailureReason: ['captchaResponse', 'failureReason'],
  challengeFailureReason: ['challengeResponse', 'failureReason'],
  captchaResponseCode: ['captchaResponse', 'responseCode'],
  challengeResponseCode: ['challengeResponse', 'responseCode'],
};

/** Fields WAF always logs (so a Contributor Insights key on them sees every event). */
export const ALWAYS_PRESENT_FIELDS: ReadonlySet<ScalarField> = new Set<ScalarField>([
  'clientIp',
  'country',
  'uri',
  'httpMethod',
  'httpVersion',
  'terminatingRuleId',
  'terminatingRuleType',
  'action',
  'httpSourceName',
  'webaclId',
]);

/**
 * What a question groups by. Multi-valued dimensions (`header`, `refererHost`, `label`, `countedRule`,
 * `countedGroupRule`) yield one row per matching list element; **a record whose list is empty, absent,
 * or has no matching element contributes no row** (the semantics of `unnest` in Logs Insights, Athena and
 * DuckDB alike, compiled explicitly for each). A missing scalar field groups under `-`.
 */
export type Dimension =
  | { kind: 'field'; field: ScalarField }
  /** Values of headers whose name equals `name` case-insensitively (`User-Agent`, `user-agent`, ...). */
  | { kind: 'header'; name: string }
  /** Lower-cased host of each `Referer` header (`scheme://host...`); values that are not URLs are skipped. */
  | { kind: 'refererHost' }
  /** `labels[].name`, optionally only those starting with `prefix`. */
  | { kind: 'label'; prefix?: string }
  /** `ruleId` of web-ACL-level `nonTerminatingMatchingRules` whose action is `COUNT`. */
  | { kind: 'countedRule' }
  /** `ruleGroupId:ruleId` of rule-group `nonTerminatingMatchingRules` whose action is `COUNT` (rules overridden to Count). */
  | { kind: 'countedGroupRule' }
  /** UTC, epoch-aligned time bucket of `timestamp`, rendered `YYYY-MM-DD HH:MM:SS.000` as Logs Insights `bin()` shows it. */
  | { kind: 'timeBin'; minutes: number };

/** A filter; a question's `where` list is ANDed. */
export type Predicate =
  /** Field equals one of `values` (case-sensitive). */
  | { kind: 'in'; field: ScalarField; values: string[] }
  /** Field starts with `prefix`. */
  | { kind: 'startsWith'; field: ScalarField; prefix: string }
  /** Field is present. */
  | { kind: 'present'; field: ScalarField }
  /** `labels[].name` contains exactly `name`. */
  | { kind: 'hasLabel'; name: string };

/** What a question measures per group. */
export type Measure = { kind: 'count' } | { kind: 'countDistinct'; field: ScalarField };

/** A group-by column: a dimension and the output column name. */
export interface GroupKey {
  /** Output column name: letters, digits, `_`, starting with a letter. */
  as: string;
  dimension: Dimension;
}

/**
 * One question about WAF logs, compiled to every engine. Results are sorted by the measure descending,
 * ties broken by the keys ascending (code-point order); time series (`order: 'time'`) by keys ascending.
 */
export interface Question {
  /** Stable id, kebab-case, e.g. `top-ips`. */
  id: string;
  /** Short title for dashboards and reports. */
  title: string;
  /** What the question answers and any caveat. */
  description: string;
  /** Filters (ANDed). */
  where: Predicate[];
  /** Group-by keys (1-4); at most one multi-valued dimension. */
  groupBy: GroupKey[];
  /** The measure and its column name. */
  measure: Measure & { as: string };
  /** Drop groups whose measure is below this. */
  minimum?: number;
  /** `top`: measure desc then keys asc; `time`: keys asc. */
  order: 'top' | 'time';
  /** Maximum rows (1-10,000). */
  limit: number;
  /** Contributor Insights rule name from the dashboard post, when the question is one of the nine. */
  contributorInsightsRuleName?: string;
}

const MULTI = new Set(['header', 'refererHost', 'label', 'countedRule', 'countedGroupRule']);

/** True for dimensions with one row per list element. */
export function isMultiValued(d: Dimension): boolean {
  return MULTI.has(d.kind);
}

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Headers that carry credentials or session tokens; questions may not group by them. */
export const SECRET_HEADERS: ReadonlySet<string> = new Set([
  'cookie',
  'set-cookie',
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'x-amz-security-token',
  'x-csrf-token',
]);

/**
 * Checks a question (from the catalog or your own) and returns it. Every parameter string is checked
 * for control characters; structure limits are enforced.
 *
 * @param q - The question.
 * @returns The same question.
 * @throws {@link WafInsightsError} `INVALID_PARAMETER` naming the offending part.
 * @example
 * ```ts
 * const q = defineQuestion({ id: 'top-hosts', title: 'Top hosts', description: '', where: [],
 *   groupBy: [{ as: 'host', dimension: { kind: 'field', field: 'host' } }],
 *   measure: { kind: 'count', as: 'requests' }, order: 'top', limit: 20 });
 * ```
 */
export function defineQuestion(q: Question): Question {
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(q.id))
    throw invalidParameter('id', 'kebab-case, at most 64 characters');
  if (q.groupBy.length < 1 || q.groupBy.length > 4) throw invalidParameter('groupBy', '1 to 4 keys');
  if (q.groupBy.filter((g) => isMultiValued(g.dimension)).length > 1)
    throw invalidParameter('groupBy', 'at most one multi-valued dimension');
  const names = new Set<string>();
  for (const g of [...q.groupBy, q.measure]) {
    if (!NAME.test(g.as)) throw invalidParameter('as', 'a column name of letters, digits and _');
    if (names.has(g.as)) throw invalidParameter('as', 'unique column names');
    names.add(g.as);
  }
  for (const g of q.groupBy) {
    const d = g.dimension;
    if (d.kind === 'field' && !(d.field in SCALAR_FIELD_PATHS))
      throw invalidParameter('field', 'a known field');
    if (d.kind === 'header') {
      assertSafeParameter('header', d.name);
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(d.name))
        throw invalidParameter('header', 'an HTTP header name');
      // Credentials never become a group key (so they never reach a report, dashboard or CLI output).
      if (SECRET_HEADERS.has(d.name.toLowerCase()))
        throw invalidParameter(
          'header',
          'a header that does not carry credentials (cookie, authorization, x-api-key are refused)',
        );
    }
    if (d.kind === 'label' && d.prefix !== undefined) assertSafeParameter('labelPrefix', d.prefix);
    if (d.kind === 'timeBin' && ![1, 5, 10, 15, 30, 60].includes(d.minutes))
      throw invalidParameter('minutes', 'one of 1, 5, 10, 15, 30, 60');
  }
  for (const p of q.where) {
    if (p.kind !== 'hasLabel' && !(p.field in SCALAR_FIELD_PATHS))
      throw invalidParameter('field', 'a known field');
    if (p.kind === 'in') {
      if (p.values.length < 1 || p.values.length > 10) throw invalidParameter('values', '1 to 10 values');
      for (const v of p.values) assertSafeParameter(p.field, v);
    }
    if (p.kind === 'startsWith') assertSafeParameter(p.field, p.prefix);
    if (p.kind === 'hasLabel') assertSafeParameter('label', p.name);
  }
  if (q.measure.kind === 'countDistinct' && !(q.measure.field in SCALAR_FIELD_PATHS))
    throw invalidParameter('measure.field', 'a known field');
  if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > 10_000)
    throw invalidParameter('limit', '1 to 10,000');
  if (q.minimum !== undefined && (!Number.isInteger(q.minimum) || q.minimum < 1))
    throw invalidParameter('minimum', 'a positive integer');
  return q;
}

const f = (field: ScalarField, as: string = field): GroupKey => ({ as, dimension: { kind: 'field', field } });
const count = { kind: 'count', as: 'requests' } as const;

/** The built-in questions, in catalog order. */
export const QUESTION_CATALOG: readonly Question[] = [
  {
    id: 'top-terminating-rules',
    title: 'Top terminating rules',
    description: 'Requests by the rule that terminated them (Default_Action when none) and the action taken.',
    where: [],
    groupBy: [f('terminatingRuleId'), f('action')],
    measure: count,
    order: 'top',
    limit: 100,
    contributorInsightsRuleName: 'WAF_top_terminating_rules',
  },
  {
    id: 'top-ips',
    title: 'Top client IPs',
    description: 'Requests by client IP address.',
    where: [],
    groupBy: [f('clientIp')],
    measure: count,
    order: 'top',
    limit: 100,
    contributorInsightsRuleName: 'WAF_top_ips',
  },
  {
    id: 'top-countries',
    title: 'Top countries',
    description: 'Requests by country of the client IP (`-` when unknown).',
    where: [],
    groupBy: [f('country')],
    measure: count,
    order: 'top',
    limit: 100,
    contributorInsightsRuleName: 'WAF_top_countries',
  },
  {
    id: 'top-user-agents',
    title: 'Top user agents',
    description:
      'Requests by User-Agent header value, header name matched case-insensitively; requests without one are not counted.',
    where: [],
    groupBy: [{ as: 'userAgent', dimension: { kind: 'header', name: 'user-agent' } }],
    measure: count,
    order: 'top',
    limit: 100,
    contributorInsightsRuleName: 'WAF_top_user_agents',
  },
  {
    id: 'top-uris',
    title: 'Top URIs',
    description: 'Requests by URI path.',
    where: [],
    groupBy: [f('uri')],
    measure: count,
    order: 'top',
    limit: 100,
    contributorInsightsRuleName: 'WAF_top_uri',
  },
  {
    id: 'top-http',
    title: 'Top HTTP methods and versions',
    description: 'Requests by HTTP method and version.',
    where: [],
    groupBy: [f('httpMethod'), f('httpVersion')],
    measure: count,
    order: 'top',
    limit: 100,
    contributorInsightsRuleName: 'WAF_top_http',
  },
  {
    id: 'top-referrer-hosts',
    title: 'Top referrer hosts',
    description:
      'Requests by the lower-cased host of the Referer header; requests without a URL referer are not counted.',
    where: [],
    groupBy: [{ as: 'refererHost', dimension: { kind: 'refererHost' } }],
    measure: count,
    order: 'top',
    limit: 100,
    contributorInsightsRuleName: 'WAF_top_referrer_hosts',
  },
  {
    id: 'top-rate-rules',
    title: 'Top rate-based rules',
    description: 'Requests terminated by a rate-based rule, by rule and client IP.',
    where: [{ kind: 'in', field: 'terminatingRuleType', values: ['RATE_BASED'] }],
    groupBy: [f('terminatingRuleId'), f('clientIp')],
    measure: count,
    order: 'top',
    limit: 100,
    contributorInsightsRuleName: 'WAF_top_rate_rules',
  },
  {
    id: 'top-labels',
    title: 'Top labels',
    description:
      'Requests by label (each label of a request counts once); requests without labels are not counted.',
    where: [],
    groupBy: [{ as: 'label', dimension: { kind: 'label' } }],
    measure: count,
    order: 'top',
    limit: 100,
    contributorInsightsRuleName: 'WAF_top_labels',
  },
  {
    id: 'bot-control-non-browser',
    title: 'Bot Control: non-browser user agents',
    description: `Requests labelled ${NON_BROWSER_USER_AGENT_LABEL} by IP and country, to review Bot Control false positives (the real label has the hyphen in bot-control).`,
    where: [{ kind: 'hasLabel', name: NON_BROWSER_USER_AGENT_LABEL }],
    groupBy: [f('clientIp'), f('country')],
    measure: count,
    order: 'top',
    limit: 100,
  },
  {
    id: 'captcha-token-missing',
    title: 'CAPTCHA without token',
    description:
      'Requests answered with a CAPTCHA because no token was sent (failureReason TOKEN_MISSING), by IP and URI.',
    where: [{ kind: 'in', field: 'captchaFailureReason', values: ['TOKEN_MISSING'] }],
    groupBy: [f('clientIp'), f('uri')],
    measure: count,
    order: 'top',
    limit: 100,
  },
  {
    id: 'blocked-by-rule',
    title: 'Blocked requests by rule',
    description: 'Blocked requests by terminating rule.',
    where: [{ kind: 'in', field: 'action', values: ['BLOCK'] }],
    groupBy: [f('terminatingRuleId')],
    measure: count,
    order: 'top',
    limit: 100,
  },
  {
    id: 'counted-by-rule',
    title: 'Counted requests by web ACL rule',
    description:
      'Matches of web-ACL rules in Count mode, from nonTerminatingMatchingRules (never a text match on "COUNT").',
    where: [],
    groupBy: [{ as: 'rule', dimension: { kind: 'countedRule' } }],
    measure: count,
    order: 'top',
    limit: 100,
  },
  {
    id: 'counted-by-managed-rule',
    title: 'Counted requests by rule-group rule',
    description:
      'Matches of rule-group rules overridden to Count, as ruleGroupId:ruleId, from ruleGroupList[].nonTerminatingMatchingRules.',
    where: [],
    groupBy: [{ as: 'rule', dimension: { kind: 'countedGroupRule' } }],
    measure: count,
    order: 'top',
    limit: 100,
  },
  {
    id: 'rate-based-offenders',
    title: 'Rate-based offenders',
    description: 'Client IPs with requests terminated by a rate-based rule.',
    where: [{ kind: 'in', field: 'terminatingRuleType', values: ['RATE_BASED'] }],
    groupBy: [f('clientIp')],
    measure: count,
    order: 'top',
    limit: 100,
  },
  {
    id: 'captcha-funnel',
    title: 'CAPTCHA funnel',
    description:
      'Requests that met a CAPTCHA, by final action and failure reason (`-` = valid token, request went on).',
    where: [{ kind: 'present', field: 'captchaResponseCode' }],
    groupBy: [f('action'), f('captchaFailureReason', 'failureReason')],
    measure: count,
    order: 'top',
    limit: 100,
  },
  {
    id: 'challenge-funnel',
    title: 'Challenge funnel',
    description: 'Requests that met a silent challenge, by final action and failure reason.',
    where: [{ kind: 'present', field: 'challengeResponseCode' }],
    groupBy: [f('action'), f('challengeFailureReason', 'failureReason')],
    measure: count,
    order: 'top',
    limit: 100,
  },
  {
    id: 'top-ja4',
    title: 'Top JA4 fingerprints',
    description:
      'Requests by JA4 TLS fingerprint (CloudFront and ALB only; requests without one are not counted).',
    where: [{ kind: 'present', field: 'ja4Fingerprint' }],
    groupBy: [f('ja4Fingerprint')],
    measure: count,
    order: 'top',
    limit: 100,
  },
  {
    id: 'token-reuse',
    title: 'Token reuse across IPs',
    description: 'WAF token ids (awswaf:managed:token:id:* labels) seen from two or more client IPs.',
    where: [],
    groupBy: [{ as: 'token', dimension: { kind: 'label', prefix: TOKEN_ID_LABEL_PREFIX } }],
    measure: { kind: 'countDistinct', field: 'clientIp', as: 'distinctIps' },
    minimum: 2,
    order: 'top',
    limit: 100,
  },
  {
    id: 'bot-categories',
    title: 'Bot categories',
    description: 'Requests by Bot Control category label.',
    where: [],
    groupBy: [{ as: 'category', dimension: { kind: 'label', prefix: BOT_CATEGORY_LABEL_PREFIX } }],
    measure: count,
    order: 'top',
    limit: 100,
  },
  {
    id: 'requests-over-time',
    title: 'Requests over time',
    description: 'Requests per 5-minute UTC bucket and action.',
    where: [],
    groupBy: [{ as: 'bucket', dimension: { kind: 'timeBin', minutes: 5 } }, f('action')],
    measure: count,
    order: 'time',
    limit: 10_000,
  },
];

/**
 * Looks a catalog question up by id.
 *
 * @param id - e.g. `top-ips`.
 * @throws {@link WafInsightsError} `UNKNOWN_QUESTION` when no question has that id.
 * @example
 * ```ts
 * const q = getQuestion('top-ips');
 * ```
 */
export function getQuestion(id: string): Question {
  const q = QUESTION_CATALOG.find((x) => x.id === id);
  if (!q)
    throw new WafInsightsError(WafInsightsErrorCode.UNKNOWN_QUESTION, `No question with id "${id}"`, {
      parameter: 'question',
    });
  return q;
}

/**
 * Narrows a question to requests matching extra filters (a client IP, a label, a URI prefix, a country),
 * returning a new question. Values are checked, then escaped or bound by each compiler, never concatenated raw.
 *
 * @param question - Base question.
 * @param filters - Extra filters; each string is a parameter.
 * @throws {@link WafInsightsError} `INVALID_PARAMETER` naming the filter.
 * @example
 * ```ts
 * const q = narrowQuestion(getQuestion('top-uris'), { clientIp: '198.51.100.7' });
 * ```
 */
export function narrowQuestion(
  question: Question,
  filters: { clientIp?: string; country?: string; label?: string; uriPrefix?: string; action?: string },
): Question {
  const where: Predicate[] = [...question.where];
  if (filters.clientIp !== undefined) {
    assertSafeParameter('clientIp', filters.clientIp);
    where.push({ kind: 'in', field: 'clientIp', values: [filters.clientIp] });
  }
  if (filters.country !== undefined) {
    assertSafeParameter('country', filters.country);
    where.push({ kind: 'in', field: 'country', values: [filters.country] });
  }
  if (filters.action !== undefined) {
    assertSafeParameter('action', filters.action);
    where.push({ kind: 'in', field: 'action', values: [filters.action] });
  }
  if (filters.label !== undefined) {
    assertSafeParameter('label', filters.label);
    where.push({ kind: 'hasLabel', name: filters.label });
  }
  if (filters.uriPrefix !== undefined) {
    assertSafeParameter('uriPrefix', filters.uriPrefix);
    where.push({ kind: 'startsWith', field: 'uri', prefix: filters.uriPrefix });
  }
  return defineQuestion({ ...question, where });
}
