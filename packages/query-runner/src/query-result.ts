/** Which engine produced a result. */
export type QueryEngine = 'athena' | 'duckdb';

/**
 * A value in a result row. Integers are numbers when they fit in `Number.MAX_SAFE_INTEGER` and
 * `bigint` otherwise; dates and timestamps are strings as the engine prints them; arrays and structs
 * are plain arrays and objects (Athena returns them as text, see {@link castAthenaValue}).
 */
export type QueryValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | QueryValue[]
  | { [key: string]: QueryValue };

/** One result row, keyed by column name. */
export type QueryRow = Record<string, QueryValue>;

/**
 * A value bound to a `?` placeholder. Strings are never spliced into SQL: DuckDB binds them natively,
 * and Athena receives them through `ExecutionParameters` as quoted literals (see {@link formatAthenaParameter}).
 */
export type QueryParam = string | number | bigint | boolean | null;

/** A result column. */
export interface QueryColumn {
  /** The column name (Athena's `ColumnInfo.Name`, DuckDB's column name). */
  name: string;
  /** The engine's type name in lower case, e.g. `bigint`, `varchar`, `double`, `array(varchar)`. */
  type: string;
}

/** Execution statistics; fields an engine cannot report are absent. */
export interface QueryStatistics {
  /** Athena's query execution ID. */
  queryExecutionId?: string;
  /** Bytes Athena scanned (`Statistics.DataScannedInBytes`). */
  dataScannedBytes?: number;
  /** Estimated cost in US dollars, see {@link athenaQueryCostUsd}. */
  costUsd?: number;
  /** Athena's `EngineExecutionTimeInMillis`. */
  engineExecutionMs?: number;
  /** Athena's `TotalExecutionTimeInMillis`. */
  totalExecutionMs?: number;
  /** True when Athena answered from a previous query's results (result reuse). */
  reusedPreviousResult?: boolean;
}

/** What every runner returns: the same shape from Athena and from DuckDB. */
export interface QueryResult<Row extends QueryRow = QueryRow> {
  /** The engine that ran the query. */
  engine: QueryEngine;
  /** Result columns, in order. */
  columns: QueryColumn[];
  /** Result rows (at most `maxRows`). */
  rows: Row[];
  /** True when more rows existed than `maxRows` allowed. */
  truncated: boolean;
  /** Statistics. */
  statistics: QueryStatistics;
}

/** One page of rows, as yielded by {@link AthenaRunner.pages}. */
export interface QueryPage<Row extends QueryRow = QueryRow> {
  /** Result columns, in order (the same on every page). */
  columns: QueryColumn[];
  /** This page's rows, header row excluded. */
  rows: Row[];
}

/** Options of one run, shared by both engines. */
export interface RunOptions {
  /** Values for the `?` placeholders, in order. Their count must match the placeholders in the SQL. */
  params?: readonly QueryParam[];
  /** Cancels the run; a started Athena query is stopped with `StopQueryExecution`. */
  signal?: AbortSignal;
  /**
   * Largest number of rows collected; further rows set `truncated`.
   * @defaultValue `100000`
   */
  maxRows?: number;
}

/** The interface both runners implement. */
export interface QueryRunner {
  /** `athena` or `duckdb`. */
  readonly engine: QueryEngine;
  /**
   * Runs one SQL statement with bound parameters and collects its rows.
   *
   * @param sql - One statement with `?` placeholders.
   * @param options - Parameters, signal, row limit.
   */
  run<Row extends QueryRow = QueryRow>(sql: string, options?: RunOptions): Promise<QueryResult<Row>>;
  /** Releases the engine (DuckDB instance); idempotent. */
  close(): Promise<void>;
}
