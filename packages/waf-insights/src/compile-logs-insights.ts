import { invalidParameter } from './errors.js';
import { logsInsightsRegexLiteral, logsInsightsString } from './escape.js';
import {
  type Dimension,
  type Predicate,
  type Question,
  SCALAR_FIELD_PATHS,
  type ScalarField,
} from './question.js';

/** Maximum Logs Insights query string length accepted by StartQuery. */
export const LOGS_INSIGHTS_MAX_QUERY_LENGTH = 10_000;

const fieldName = (f: ScalarField): string => SCALAR_FIELD_PATHS[f].join('.');

/** The Logs Insights regex for the referer host (the `/` delimiters escaped). */
const REFERER_REGEX = '^[A-Za-z][A-Za-z0-9+.\\-]*:\\/\\/(?<refererHostRaw>[^\\/:?#]+)';

function predicate(p: Exclude<Predicate, { kind: 'hasLabel' }>): string {
  switch (p.kind) {
    case 'in':
      return p.values.length === 1
        ? `${fieldName(p.field)} = ${logsInsightsString(p.values[0] as string)}`
        : `${fieldName(p.field)} in [${p.values.map(logsInsightsString).join(', ')}]`;
    case 'startsWith':
      return `${fieldName(p.field)} like /^${logsInsightsRegexLiteral(p.prefix)}/`;
    case 'present':
      return `ispresent(${fieldName(p.field)})`;
  }
}

/** Returns the commands producing the dimension's column `as`, and its value expression. */
function dimension(d: Dimension, as: string, stages: string[]): string {
  switch (d.kind) {
    case 'field':
      return `coalesce(${fieldName(d.field)}, "-")`;
    case 'timeBin':
      return `bin(${d.minutes}m)`;
    case 'header':
      stages.push(`unnest js.httpRequest.headers into hdr`);
      stages.push(`filter tolower(hdr.name) = ${logsInsightsString(d.name.toLowerCase())}`);
      return 'hdr.value';
    case 'refererHost':
      stages.push(`unnest js.httpRequest.headers into hdr`);
      stages.push(`filter tolower(hdr.name) = "referer"`);
      stages.push(`parse hdr.value /${REFERER_REGEX}/`);
      stages.push(`filter ispresent(refererHostRaw)`);
      return 'tolower(refererHostRaw)';
    case 'label':
      stages.push(`unnest js.labels into lbl`);
      stages.push(
        d.prefix === undefined
          ? 'filter ispresent(lbl.name)'
          : `filter lbl.name like /^${logsInsightsRegexLiteral(d.prefix)}/`,
      );
      return 'lbl.name';
    case 'countedRule':
      stages.push('unnest js.nonTerminatingMatchingRules into ntr');
      stages.push('filter ntr.action = "COUNT"');
      return 'ntr.ruleId';
    case 'countedGroupRule':
      stages.push('unnest js.ruleGroupList into rg');
      stages.push('unnest rg.nonTerminatingMatchingRules into grr');
      stages.push('filter grr.action = "COUNT"');
      return 'concat(rg.ruleGroupId, ":", grr.ruleId)';
  }
  return as;
}

/**
 * Compiles a question to a CloudWatch Logs Insights query (`CWLI` language). Lists are expanded with
 * `jsonParse` + `unnest` (exact, unlike positional `headers.1.value` fields); header names are matched
 * with `tolower`; parameters are quoted with {@link logsInsightsString} or {@link logsInsightsRegexLiteral}.
 * Run it with {@link createLogsInsightsRunner} or dry-run it locally with {@link runLogsInsightsQuery}.
 *
 * Caveat: Logs Insights `count_distinct` is approximate at high cardinality.
 *
 * @param question - The question.
 * @returns The query string (no `SOURCE` clause; log groups go to StartQuery).
 * @throws {@link WafInsightsError} `INVALID_PARAMETER` for unsafe parameters or a query over 10,000 characters.
 * @example
 * ```ts
 * compileLogsInsights(getQuestion('top-ips'));
 * // fields coalesce(httpRequest.clientIp, "-") as clientIp | stats count(*) as requests by clientIp | ...
 * ```
 */
export function compileLogsInsights(question: Question): string {
  const stages: string[] = [];
  const needsJson =
    question.where.some((p) => p.kind === 'hasLabel') ||
    question.groupBy.some((g) => g.dimension.kind !== 'field' && g.dimension.kind !== 'timeBin');
  if (needsJson) stages.push('fields jsonParse(@message) as js');
  const scalar = question.where.filter(
    (p): p is Exclude<Predicate, { kind: 'hasLabel' }> => p.kind !== 'hasLabel',
  );
  if (scalar.length > 0) stages.push(`filter ${scalar.map(predicate).join(' and ')}`);
  question.where.forEach((p, i) => {
    if (p.kind !== 'hasLabel') return;
    stages.push(`unnest js.labels into has${i}`);
    stages.push(`filter has${i}.name = ${logsInsightsString(p.name)}`);
  });
  const computed: string[] = [];
  const byKeys: string[] = [];
  for (const g of question.groupBy) {
    const expr = dimension(g.dimension, g.as, stages);
    if (g.dimension.kind === 'timeBin') byKeys.push(`${expr} as ${g.as}`);
    else {
      computed.push(`${expr} as ${g.as}`);
      byKeys.push(g.as);
    }
  }
  if (computed.length > 0) stages.push(`fields ${computed.join(', ')}`);
  const m = question.measure;
  const agg = m.kind === 'count' ? 'count(*)' : `count_distinct(${fieldName(m.field)})`;
  stages.push(`stats ${agg} as ${m.as} by ${byKeys.join(', ')}`);
  if (question.minimum !== undefined) stages.push(`filter ${m.as} >= ${question.minimum}`);
  const keyOrder = question.groupBy.map((g) => `${g.as} asc`);
  stages.push(
    `sort ${question.order === 'top' ? [`${m.as} desc`, ...keyOrder].join(', ') : keyOrder.join(', ')}`,
  );
  stages.push(`limit ${question.limit}`);
  const query = stages.join('\n| ');
  if (query.length > LOGS_INSIGHTS_MAX_QUERY_LENGTH)
    throw invalidParameter('question', `a query of at most ${LOGS_INSIGHTS_MAX_QUERY_LENGTH} characters`);
  return query;
}
