// Type-only: the runtime import of @secblocks/query-runner (which loads the Athena SDK) stays with the caller.
import type { QueryRunner, QueryStatistics } from '@secblocks/query-runner';
import { compileSql, type SqlCompileOptions } from './compile-sql.js';
import { invalidOption } from './errors.js';
import { sqlString } from './escape.js';
import type { Question } from './question.js';
import { type QuestionResult, toQuestionResult } from './question-result.js';
import { duckDbColumns } from './schema-ddl.js';

/** Options of {@link runQuestionSql}. */
export interface RunQuestionSqlOptions extends SqlCompileOptions {
  /** Cancels the run (Athena: StopQueryExecution). */
  signal?: AbortSignal;
}

/**
 * Answers a question with an Athena or DuckDB runner from `@secblocks/query-runner`: compiles the question for
 * the runner's engine (`athena` or `duckdb`), runs it, and returns rows in the question's order with the
 * engine's statistics (Athena bytes scanned and cost).
 *
 * @param runner - From `createAthenaRunner` or `createDuckDbRunner`.
 * @param question - The question.
 * @param options - Table, time range (prunes the Athena `log_time` partition), signal.
 * @throws {@link WafInsightsError} `INVALID_OPTION` / `INVALID_PARAMETER`; query-runner errors pass through.
 * @example
 * ```ts
 * const athena = createAthenaRunner({ database: 'security', workgroup: 'primary' });
 * const top = await runQuestionSql(athena, getQuestion('top-ips'), { timeRange: { start, end } });
 * ```
 */
export async function runQuestionSql(
  runner: QueryRunner,
  question: Question,
  options: RunQuestionSqlOptions = {},
): Promise<QuestionResult & { statistics: QueryStatistics }> {
  if (!runner || (runner.engine !== 'athena' && runner.engine !== 'duckdb'))
    throw invalidOption('runner', 'an Athena or DuckDB QueryRunner');
  const { signal, ...compile } = options;
  const sql = compileSql(question, runner.engine, compile);
  const result = await runner.run(sql, { ...(signal ? { signal } : {}), maxRows: question.limit });
  return {
    ...toQuestionResult(question, result.rows as Array<Record<string, unknown>>),
    statistics: result.statistics,
  };
}

/** Options of {@link wafLogsDuckDbSource}. */
export interface DuckDbSourceOptions {
  /**
   * Rows whose URI is longer than this are dropped, like the TypeScript parser's `uri_too_long`.
   * @defaultValue `16384`
   */
  maxUriLength?: number;
}

/**
 * SQL for a DuckDB subquery over WAF log files (plain or gzip NDJSON, globs allowed) with the explicit
 * {@link DUCKDB_COLUMNS} schema (paths quoted with {@link sqlString}). Malformed lines are skipped (`ignore_errors`) and rows without
 * `timestamp`, `action` or `httpRequest.clientIp`, or with a huge URI, are filtered out, so the rows are the
 * records the TypeScript parser keeps (lines with invalid UTF-8 are skipped by both; tested on the sample
 * generator's malformed lines).
 *
 * @param files - Paths or globs.
 * @param options - URI length limit.
 * @throws {@link WafInsightsError} `INVALID_OPTION` / `INVALID_PARAMETER` for bad paths.
 * @example
 * ```ts
 * await duck.run(`CREATE VIEW waf_logs AS ${wafLogsDuckDbSource(['logs/*.gz'])}`);
 * ```
 */
export function wafLogsDuckDbSource(
  files: string | readonly string[],
  options: DuckDbSourceOptions = {},
): string {
  const maxUri = options.maxUriLength ?? 16_384;
  if (!Number.isInteger(maxUri) || maxUri < 1) throw invalidOption('maxUriLength', 'a positive integer');
  const list = typeof files === 'string' ? [files] : [...files];
  if (list.length === 0 || list.some((f) => typeof f !== 'string' || f === ''))
    throw invalidOption('files', 'one or more paths');
  const from = `read_json([${list.map((f) => sqlString(f)).join(', ')}], format = 'newline_delimited', columns = ${duckDbColumns()}, ignore_errors = true, maximum_object_size = 16777216)`;
  return `SELECT * FROM ${from} WHERE "timestamp" IS NOT NULL AND "action" IS NOT NULL AND "httpRequest"."clientIp" IS NOT NULL AND length(coalesce("httpRequest"."uri", '')) <= ${maxUri}`;
}

/**
 * Makes WAF log files queryable as `table` in a DuckDB runner: a view over the files (cold: every query
 * re-reads them), or, with `parquetCache`, a Parquet file written once and a view over it (warm: later
 * queries read columnar data).
 *
 * @param runner - A DuckDB runner.
 * @param files - Paths or globs.
 * @param options - Table name and optional Parquet cache path.
 * @throws {@link WafInsightsError} `INVALID_OPTION` naming `runner` or `table`.
 * @example
 * ```ts
 * const duck = createDuckDbRunner();
 * await attachWafLogs(duck, ['logs/*.gz'], { parquetCache: '/tmp/waf.parquet' });
 * const top = await runQuestionSql(duck, getQuestion('top-ips'));
 * ```
 */
export async function attachWafLogs(
  runner: QueryRunner,
  files: string | readonly string[],
  options: { table?: string; parquetCache?: string } & DuckDbSourceOptions = {},
): Promise<void> {
  if (!runner || runner.engine !== 'duckdb') throw invalidOption('runner', 'a DuckDB QueryRunner');
  const table = options.table ?? 'waf_logs';
  if (!/^[A-Za-z_]\w{0,63}$/.test(table)) throw invalidOption('table', 'an identifier');
  const source = wafLogsDuckDbSource(files, options);
  if (options.parquetCache === undefined) {
    await runner.run(`CREATE OR REPLACE VIEW "${table}" AS ${source}`);
    return;
  }
  const path = options.parquetCache;
  if (typeof path !== 'string' || path === '' || path.includes('\u0000') || path.includes("'"))
    throw invalidOption('parquetCache', 'a file path without quotes');
  await runner.run(`COPY (${source}) TO '${path}' (FORMAT parquet)`);
  await runner.run(`CREATE OR REPLACE VIEW "${table}" AS SELECT * FROM read_parquet('${path}')`);
}
