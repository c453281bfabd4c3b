import { invalidOption } from './errors.js';
import { sqlIdentifier, sqlString } from './escape.js';
import {
  type Dimension,
  type Predicate,
  type Question,
  SCALAR_FIELD_PATHS,
  type ScalarField,
} from './question.js';
import { REFERER_HOST_PATTERN } from './reference-evaluator.js';

/** SQL dialects {@link compileSql} targets. */
export type SqlDialect = 'athena' | 'duckdb';

/** Options of {@link compileSql}. */
export interface SqlCompileOptions {
  /**
   * Table (or view) name, optionally `schema.table`; each part is quoted.
   * @defaultValue `'waf_logs'`
   */
  table?: string;
  /**
   * Only records with `start <= timestamp < end` (epoch ms). For Athena, also prunes the partition-projection
   * column `log_time` (`yyyy/MM/dd/HH/mm`) so the scan stays inside the range.
   */
  timeRange?: { start: number; end: number };
  /**
   * Athena partition column name (current AWS DDL: `log_time`); `null` to skip partition pruning.
   * @defaultValue `'log_time'`
   */
  partitionColumn?: string | null;
}

interface Dialect {
  /** Column path of a scalar field. */
  path(f: ScalarField): string;
  col(name: string): string;
  lambda(param: string, body: string): string;
  filter: string;
  cardinality: string;
  transform: string;
  flatten: string;
  bucket(minutes: number): string;
  regexExtract(expr: string): string;
}

const duck: Dialect = {
  path: (f) => SCALAR_FIELD_PATHS[f].map((p) => sqlIdentifier(p)).join('.'),
  col: (n) => sqlIdentifier(n),
  lambda: (p, body) => `lambda ${p}: ${body}`,
  filter: 'list_filter',
  cardinality: 'len',
  transform: 'list_transform',
  flatten: 'flatten',
  bucket: (m) =>
    `strftime(epoch_ms(("timestamp" // ${m * 60_000}) * ${m * 60_000}), '%Y-%m-%d %H:%M:%S.000')`,
  regexExtract: (e) => `nullif(regexp_extract(${e}, ${sqlString(REFERER_HOST_PATTERN)}, 1), '')`,
};

// Athena tables built from the AWS DDL have lower-cased (Hive) column and struct field names.
const athena: Dialect = {
  path: (f) =>
    SCALAR_FIELD_PATHS[f]
      .map((p, i) => (i === 0 ? sqlIdentifier(p.toLowerCase()) : p.toLowerCase()))
      .join('.'),
  col: (n) => sqlIdentifier(n.toLowerCase()),
  lambda: (p, body) => `${p} -> ${body}`,
  filter: 'filter',
  cardinality: 'cardinality',
  transform: 'transform',
  flatten: 'flatten',
  bucket: (m) =>
    `format_datetime(from_unixtime(("timestamp" / ${m * 60_000}) * ${m * 60}) AT TIME ZONE 'UTC', 'yyyy-MM-dd HH:mm:ss.SSS')`,
  regexExtract: (e) => `regexp_extract(${e}, ${sqlString(REFERER_HOST_PATTERN)}, 1)`,
};

const NUMERIC = new Set<ScalarField>(['captchaResponseCode', 'challengeResponseCode']);
const text = (d: Dialect, f: ScalarField): string =>
  NUMERIC.has(f) ? `CAST(${d.path(f)} AS VARCHAR)` : d.path(f);

const lc = (d: Dialect, name: string): string => (d === athena ? name.toLowerCase() : name);

function predicate(d: Dialect, p: Predicate): string {
  switch (p.kind) {
    case 'in':
      return p.values.length === 1
        ? `${text(d, p.field)} = ${sqlString(p.values[0] as string)}`
        : `${text(d, p.field)} IN (${p.values.map(sqlString).join(', ')})`;
    case 'startsWith':
      return `starts_with(${text(d, p.field)}, ${sqlString(p.prefix)})`;
    case 'present':
      return `${d.path(p.field)} IS NOT NULL`;
    case 'hasLabel':
      return `${d.cardinality}(${d.filter}(${d.col('labels')}, ${d.lambda('l', `l.${lc(d, 'name')} = ${sqlString(p.name)}`)})) > 0`;
  }
}

/** The array expression a multi-valued dimension unnests (empty or NULL arrays yield no row). */
function listExpr(d: Dialect, dim: Dimension): string {
  const headers = `${d.col('httpRequest')}.${lc(d, 'headers')}`;
  const name = lc(d, 'name');
  const value = lc(d, 'value');
  switch (dim.kind) {
    case 'header':
      return `${d.transform}(${d.filter}(${headers}, ${d.lambda('h', `lower(h.${name}) = ${sqlString(dim.name.toLowerCase())}`)}), ${d.lambda('h', `h.${value}`)})`;
    case 'refererHost':
      return `${d.filter}(${d.transform}(${d.filter}(${headers}, ${d.lambda('h', `lower(h.${name}) = 'referer'`)}), ${d.lambda('h', `lower(${d.regexExtract(`h.${value}`)})`)}), ${d.lambda('x', 'x IS NOT NULL')})`;
    case 'label':
      return `${d.transform}(${d.filter}(${d.col('labels')}, ${d.lambda('l', dim.prefix === undefined ? `l.${name} IS NOT NULL` : `starts_with(l.${name}, ${sqlString(dim.prefix)})`)}), ${d.lambda('l', `l.${name}`)})`;
    case 'countedRule':
      return `${d.transform}(${d.filter}(${d.col('nonTerminatingMatchingRules')}, ${d.lambda('r', `r.${lc(d, 'action')} = 'COUNT'`)}), ${d.lambda('r', `r.${lc(d, 'ruleId')}`)})`;
    case 'countedGroupRule':
      return `${d.flatten}(${d.transform}(${d.col('ruleGroupList')}, ${d.lambda('g', `${d.transform}(${d.filter}(g.${lc(d, 'nonTerminatingMatchingRules')}, ${d.lambda('r', `r.${lc(d, 'action')} = 'COUNT'`)}), ${d.lambda('r', `concat(g.${lc(d, 'ruleGroupId')}, ':', r.${lc(d, 'ruleId')})`)})`)}))`;
    default:
      throw new Error('not a multi-valued dimension');
  }
}

const yyyymmddhhmm = (ms: number): string => {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${p(d.getUTCHours())}/${p(d.getUTCMinutes())}`;
};

/**
 * Compiles a question to SQL for Amazon Athena (Trino engine v3, table from {@link athenaTableDdl}) or
 * DuckDB (table with the {@link duckDbColumns} struct). Multi-valued dimensions use `CROSS JOIN UNNEST`,
 * which drops records whose list is empty or NULL, the same rule the other engines follow; header names
 * compare with `lower()`; time buckets are epoch-aligned UTC; ordering is measure desc then keys asc.
 * Parameters are quoted with {@link sqlString}.
 *
 * @param question - The question.
 * @param dialect - `athena` or `duckdb`.
 * @param options - Table name, time range.
 * @returns One SQL statement without a trailing semicolon.
 * @throws {@link WafInsightsError} `INVALID_OPTION` / `INVALID_PARAMETER`.
 * @example
 * ```ts
 * compileSql(getQuestion('top-ips'), 'athena', { timeRange: { start, end } });
 * ```
 */
export function compileSql(question: Question, dialect: SqlDialect, options: SqlCompileOptions = {}): string {
  if (dialect !== 'athena' && dialect !== 'duckdb') throw invalidOption('dialect', "'athena' or 'duckdb'");
  const d = dialect === 'athena' ? athena : duck;
  const table = options.table ?? 'waf_logs';
  if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)?$/.test(table))
    throw invalidOption('table', 'a table name [schema.]table');
  const where = question.where.map((p) => predicate(d, p));
  if (options.timeRange) {
    const { start, end } = options.timeRange;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end <= start)
      throw invalidOption('timeRange', 'integer epoch milliseconds with start < end');
    where.unshift(`"timestamp" >= ${start} AND "timestamp" < ${end}`);
    const partition = options.partitionColumn === undefined ? 'log_time' : options.partitionColumn;
    if (dialect === 'athena' && partition !== null) {
      where.unshift(
        `${sqlIdentifier(partition)} >= ${sqlString(yyyymmddhhmm(start - 300_000))} AND ${sqlIdentifier(partition)} <= ${sqlString(yyyymmddhhmm(end + 300_000))}`,
      );
    }
  }
  const select: string[] = [];
  let join = '';
  for (const g of question.groupBy) {
    const dim = g.dimension;
    if (dim.kind === 'field') select.push(`coalesce(${text(d, dim.field)}, '-') AS ${sqlIdentifier(g.as)}`);
    else if (dim.kind === 'timeBin') select.push(`${d.bucket(dim.minutes)} AS ${sqlIdentifier(g.as)}`);
    else {
      join = ` CROSS JOIN UNNEST(${listExpr(d, dim)}) AS u(v)`;
      select.push(`u.v AS ${sqlIdentifier(g.as)}`);
    }
  }
  const m = question.measure;
  const agg = m.kind === 'count' ? 'count(*)' : `count(DISTINCT ${d.path(m.field)})`;
  const keys = question.groupBy.map((g) => sqlIdentifier(g.as));
  const order =
    question.order === 'top'
      ? [`${sqlIdentifier(m.as)} DESC`, ...keys.map((k) => `${k} ASC`)]
      : keys.map((k) => `${k} ASC`);
  const tableSql = table
    .split('.')
    .map((p) => sqlIdentifier(p))
    .join('.');
  return [
    `SELECT ${[...select, `${agg} AS ${sqlIdentifier(m.as)}`].join(', ')}`,
    `FROM ${tableSql}${join}`,
    ...(where.length > 0 ? [`WHERE ${where.join(' AND ')}`] : []),
    `GROUP BY ${question.groupBy.map((_, i) => String(i + 1)).join(', ')}`,
    ...(question.minimum !== undefined ? [`HAVING ${agg} >= ${question.minimum}`] : []),
    `ORDER BY ${order.join(', ')}`,
    `LIMIT ${question.limit}`,
  ].join('\n');
}
