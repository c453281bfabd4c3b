import { invalidParameter, WafInsightsError, WafInsightsErrorCode } from './errors.js';
import { ALWAYS_PRESENT_FIELDS, type Question, SCALAR_FIELD_PATHS } from './question.js';

/** Contributor Insights limits enforced by {@link compileContributorInsightsRule}. */
export const CONTRIBUTOR_INSIGHTS_LIMITS = {
  maxKeys: 4,
  maxFilters: 4,
  maxValuesPerFilter: 10,
  maxRuleBodyLength: 8192,
  maxRuleNameLength: 128,
} as const;

/** A Contributor Insights rule body (`CloudWatchLogRule` v1). */
export interface ContributorInsightsRuleBody {
  Schema: { Name: 'CloudWatchLogRule'; Version: 1 };
  LogGroupNames: string[];
  LogFormat: 'JSON';
  Contribution: {
    Keys: string[];
    Filters: Array<Record<string, unknown> & { Match: string }>;
  };
  AggregateOn: 'Count';
}

/** A compiled rule, or the reason why the question has no exact Contributor Insights rule. */
export type ContributorInsightsCompileResult =
  | { exact: true; ruleName: string; body: ContributorInsightsRuleBody; json: string }
  | { exact: false; ruleName: string; reason: string };

/** Options of {@link compileContributorInsightsRule}. */
export interface ContributorInsightsOptions {
  /** Log group names (1-n; a trailing `*` is a prefix wildcard). WAF log groups start with `aws-waf-logs-`. */
  logGroupNames: string[];
  /**
   * Rule name.
   * @defaultValue the question's `contributorInsightsRuleName`, else `WAF_<id>`
   */
  ruleName?: string;
}

const RULE_NAME = /^[\x20-\x7e]{1,128}$/;

/**
 * Compiles a question to a Contributor Insights rule body, or refuses with the reason when the rule could
 * only be approximate: Contributor Insights keys array members by fixed position only (`$.labels[0].name`),
 * so user agents, referrer hosts, labels and counted rules (all in arrays at variable positions) are
 * refused rather than silently miscounted; so are time buckets, distinct counts, minimum thresholds, and
 * keys on fields WAF does not always log (events missing a key are not counted, unlike the `-` group the
 * other engines report) unless the question filters on their presence. Contributor Insights returns the top
 * contributors only, so its answer equals the other engines' for the head of the distribution.
 *
 * @param question - The question.
 * @param options - Log groups and rule name.
 * @throws {@link WafInsightsError} `INVALID_PARAMETER` for a bad rule name or log group; `LIMIT_EXCEEDED` when the body exceeds 8,192 characters.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContributorInsights-RuleSyntax.html
 * @example
 * ```ts
 * const r = compileContributorInsightsRule(getQuestion('top-ips'), { logGroupNames: ['aws-waf-logs-prod'] });
 * if (r.exact) console.log(r.json); else console.log(r.reason);
 * ```
 */
export function compileContributorInsightsRule(
  question: Question,
  options: ContributorInsightsOptions,
): ContributorInsightsCompileResult {
  const ruleName =
    options.ruleName ?? question.contributorInsightsRuleName ?? `WAF_${question.id.replace(/-/g, '_')}`;
  if (!RULE_NAME.test(ruleName)) throw invalidParameter('ruleName', '1-128 printable ASCII characters');
  if (!Array.isArray(options.logGroupNames) || options.logGroupNames.length < 1)
    throw invalidParameter('logGroupNames', 'at least one log group name');
  for (const g of options.logGroupNames) {
    if (typeof g !== 'string' || !/^[\w\-./#*]{1,512}$/.test(g))
      throw invalidParameter('logGroupNames', 'valid log group names');
  }
  const refuse = (reason: string): ContributorInsightsCompileResult => ({ exact: false, ruleName, reason });
  const keys: string[] = [];
  const present = new Set(
    question.where
      .filter((p) => p.kind === 'present' || p.kind === 'in')
      .map((p) => (p as { field: string }).field),
  );
  for (const g of question.groupBy) {
    const d = g.dimension;
    if (d.kind === 'timeBin')
      return refuse(
        'Contributor Insights reports over time by itself; a time-bucket key has no rule equivalent (use the dashboard metric widgets).',
      );
    if (d.kind !== 'field')
      return refuse(
        `"${g.as}" comes from an array (${d.kind}) whose members sit at variable positions; Contributor Insights can only key array members by fixed index (e.g. $.labels[0].name), which would silently count only one position.`,
      );
    if (!ALWAYS_PRESENT_FIELDS.has(d.field) && !present.has(d.field))
      return refuse(
        `"${d.field}" is not always logged; Contributor Insights skips events without a key while the question groups them under "-".`,
      );
    keys.push(`$.${SCALAR_FIELD_PATHS[d.field].join('.')}`);
  }
  if (question.measure.kind !== 'count')
    return refuse('Contributor Insights aggregates Count or Sum, not distinct counts.');
  if (question.minimum !== undefined)
    return refuse('Contributor Insights has no minimum-threshold (HAVING) clause.');
  const filters: ContributorInsightsRuleBody['Contribution']['Filters'] = [];
  for (const p of question.where) {
    if (p.kind === 'hasLabel')
      return refuse(
        'Label filters need array membership; Contributor Insights only matches array members by fixed index.',
      );
    const match = `$.${SCALAR_FIELD_PATHS[p.field].join('.')}`;
    if (p.kind === 'in') filters.push({ Match: match, In: [...p.values] });
    else if (p.kind === 'startsWith') filters.push({ Match: match, StartsWith: [p.prefix] });
    else filters.push({ Match: match, IsPresent: true });
  }
  if (keys.length > CONTRIBUTOR_INSIGHTS_LIMITS.maxKeys) return refuse('More than 4 keys.');
  if (filters.length > CONTRIBUTOR_INSIGHTS_LIMITS.maxFilters) return refuse('More than 4 filters.');
  const body: ContributorInsightsRuleBody = {
    Schema: { Name: 'CloudWatchLogRule', Version: 1 },
    LogGroupNames: [...options.logGroupNames],
    LogFormat: 'JSON',
    Contribution: { Keys: keys, Filters: filters },
    AggregateOn: 'Count',
  };
  // Rule definitions must be ASCII: escape anything else the JSON way.
  const json = JSON.stringify(body).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  if (json.length > CONTRIBUTOR_INSIGHTS_LIMITS.maxRuleBodyLength)
    throw new WafInsightsError(
      WafInsightsErrorCode.LIMIT_EXCEEDED,
      `Contributor Insights rule "${ruleName}" body must be at most 8,192 ASCII characters`,
      { parameter: 'logGroupNames' },
    );
  return { exact: true, ruleName, body, json };
}
