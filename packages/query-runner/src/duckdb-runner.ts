import { type Logger, silentLogger } from '@secblocks/core';
import { invalidOption, QueryRunnerError, QueryRunnerErrorCode } from './errors.js';
import type {
  QueryColumn,
  QueryParam,
  QueryResult,
  QueryRow,
  QueryRunner,
  QueryValue,
  RunOptions,
} from './query-result.js';
import { checkParams } from './sql-params.js';

/** Options of {@link createDuckDbRunner}. */
export interface DuckDbRunnerOptions {
  /**
   * Database file, or `:memory:`.
   * @defaultValue `':memory:'`
   */
  database?: string;
  /**
   * DuckDB `memory_limit`, e.g. `512MB`, `2GB`. Above it DuckDB spills to `tempDirectory` or fails cleanly
   * instead of growing without bound.
   * @defaultValue `'1GB'`
   */
  memoryLimit?: string;
  /**
   * Worker threads.
   * @defaultValue DuckDB's default (the number of cores)
   */
  threads?: number;
  /** Where DuckDB spills when a query exceeds `memoryLimit`. @defaultValue DuckDB's default */
  tempDirectory?: string;
  /**
   * Diagnostics (row counts, timings); never SQL text or parameter values.
   * @defaultValue silent
   */
  logger?: Logger;
  /**
   * How to load `@duckdb/node-api` (for bundlers, or to test the missing-engine path).
   * @defaultValue `() => import('@duckdb/node-api')`
   */
  loadEngine?: () => Promise<unknown>;
}

/** A runner over an embedded DuckDB; see {@link createDuckDbRunner}. */
export interface DuckDbRunner extends QueryRunner {
  readonly engine: 'duckdb';
}

// The subset of @duckdb/node-api this runner uses; typed locally so that the optional peer's types never
// leak into this package's public declarations.
interface DuckDbResultReader {
  columnNames(): string[];
  columnTypes(): { toString(): string }[];
  currentRowCount: number;
  getRowObjectsJS(): Promise<Record<string, unknown>[]>;
}
interface DuckDbPrepared {
  bindVarchar(i: number, v: string): void;
  bindBigInt(i: number, v: bigint): void;
  bindHugeInt(i: number, v: bigint): void;
  bindDouble(i: number, v: number): void;
  bindBoolean(i: number, v: boolean): void;
  bindNull(i: number): void;
  runAndReadUntil(rows: number): Promise<DuckDbResultReader>;
  destroySync?(): void;
}
interface DuckDbConnection {
  prepare(sql: string): Promise<DuckDbPrepared>;
  interrupt(): void;
  disconnectSync?(): void;
  closeSync?(): void;
}
interface DuckDbInstance {
  connect(): Promise<DuckDbConnection>;
  closeSync?(): void;
}
interface DuckDbModule {
  DuckDBInstance: { create(path?: string, options?: Record<string, string>): Promise<DuckDbInstance> };
}

const SIZE = /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** @internal Normalizes one value from DuckDB's JS conversion to a {@link QueryValue}. */
export function normalizeDuckDbValue(value: unknown, type = ''): QueryValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  if (value instanceof Date) {
    const iso = value.toISOString();
    return type === 'DATE' ? iso.slice(0, 10) : iso;
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map((v) => normalizeDuckDbValue(v));
  if (typeof value === 'object') {
    const out: Record<string, QueryValue> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = normalizeDuckDbValue(v);
    return out;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

function bind(prepared: DuckDbPrepared, params: readonly QueryParam[]): void {
  params.forEach((p, i) => {
    const at = i + 1;
    if (p === null) prepared.bindNull(at);
    else if (typeof p === 'string') prepared.bindVarchar(at, p);
    else if (typeof p === 'boolean') prepared.bindBoolean(at, p);
    else if (typeof p === 'bigint') {
      if (p >= INT64_MIN && p <= INT64_MAX) prepared.bindBigInt(at, p);
      else prepared.bindHugeInt(at, p);
    } else if (Number.isSafeInteger(p)) prepared.bindBigInt(at, BigInt(p));
    else prepared.bindDouble(at, p);
  });
}

class DuckDbRunnerImpl implements DuckDbRunner {
  readonly engine = 'duckdb' as const;
  readonly #options: DuckDbRunnerOptions;
  readonly #logger: Logger;
  #instance: Promise<DuckDbInstance> | undefined;
  #closed = false;

  constructor(options: DuckDbRunnerOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
  }

  async #load(): Promise<DuckDbModule> {
    const load = this.#options.loadEngine ?? (() => import('@duckdb/node-api'));
    let mod: unknown;
    try {
      mod = await load();
    } catch (error) {
      throw new QueryRunnerError(
        QueryRunnerErrorCode.ENGINE_MISSING,
        'The local engine needs the optional peer dependency "@duckdb/node-api": run `npm i @duckdb/node-api@1.5.6-r.1`',
        { cause: error },
      );
    }
    const m = (
      (mod as { DuckDBInstance?: unknown }).DuckDBInstance ? mod : (mod as { default?: unknown }).default
    ) as DuckDbModule | undefined;
    if (!m || typeof m.DuckDBInstance?.create !== 'function') {
      throw new QueryRunnerError(
        QueryRunnerErrorCode.ENGINE_MISSING,
        'The module loaded for "@duckdb/node-api" has no DuckDBInstance: install @duckdb/node-api@1.5.6-r.1',
      );
    }
    return m;
  }

  #instanceOnce(): Promise<DuckDbInstance> {
    this.#instance ??= (async () => {
      const m = await this.#load();
      const config: Record<string, string> = {
        memory_limit: this.#options.memoryLimit ?? '1GB',
        // Offline and predictable: never download or auto-load extensions (json and parquet are built in).
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
      };
      if (this.#options.threads !== undefined) config.threads = String(this.#options.threads);
      if (this.#options.tempDirectory !== undefined) config.temp_directory = this.#options.tempDirectory;
      try {
        return await m.DuckDBInstance.create(this.#options.database ?? ':memory:', config);
      } catch (error) {
        throw new QueryRunnerError(
          QueryRunnerErrorCode.ENGINE_FAILED,
          'DuckDB could not open the database; if this happened while replaying a WAL, exit the process before retrying',
          { cause: error },
        );
      }
    })();
    this.#instance.catch(() => {
      this.#instance = undefined;
    });
    return this.#instance;
  }

  async run<Row extends QueryRow = QueryRow>(
    sql: string,
    options: RunOptions = {},
  ): Promise<QueryResult<Row>> {
    if (this.#closed) throw new QueryRunnerError(QueryRunnerErrorCode.CLOSED, 'The DuckDB runner is closed');
    if (typeof sql !== 'string' || sql.trim() === '') throw invalidOption('sql', 'a non-empty string');
    const params = options.params ?? [];
    checkParams(sql, params);
    const maxRows = options.maxRows ?? 100_000;
    if (!Number.isInteger(maxRows) || maxRows < 0) throw invalidOption('maxRows', 'an integer ≥ 0');
    const { signal } = options;
    const aborted = (cause: unknown) =>
      new QueryRunnerError(QueryRunnerErrorCode.ABORTED, 'The DuckDB query was aborted', { cause });
    if (signal?.aborted) throw aborted(signal.reason);
    const instance = await this.#instanceOnce();
    // One connection per run: concurrent queries on one connection have crashed older bindings.
    const connection = await instance.connect();
    const onAbort = () => connection.interrupt();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let reader: DuckDbResultReader;
      try {
        const prepared = await connection.prepare(sql);
        bind(prepared, params);
        reader = await prepared.runAndReadUntil(maxRows + 1);
        prepared.destroySync?.();
      } catch (error) {
        if (signal?.aborted) throw aborted(signal.reason);
        // DuckDB quotes offending values in its messages (e.g. a failed cast of a bound string), so bound
        // strings are masked and the original error, which still carries them, is not kept as the cause.
        let message = String((error as Error)?.message ?? 'unknown error');
        for (const p of params) {
          if (typeof p === 'string' && p.length > 0) message = message.split(p).join('[REDACTED]');
        }
        throw new QueryRunnerError(
          QueryRunnerErrorCode.ENGINE_FAILED,
          `DuckDB failed: ${message.split('\n')[0]}`,
          {
            cause: new Error(message),
          },
        );
      }
      if (signal?.aborted) throw aborted(signal.reason);
      const names = reader.columnNames();
      const types = reader.columnTypes().map((t) => t.toString());
      const columns: QueryColumn[] = names.map((name, i) => ({ name, type: (types[i] ?? '').toLowerCase() }));
      const raw = await reader.getRowObjectsJS();
      const truncated = raw.length > maxRows;
      const rows = raw.slice(0, maxRows).map((r) => {
        const row: QueryRow = {};
        names.forEach((n, i) => {
          row[n] = normalizeDuckDbValue(r[n], types[i]);
        });
        return row as Row;
      });
      this.#logger.debug('duckdb query finished', { rows: rows.length, truncated });
      return { engine: 'duckdb', columns, rows, truncated, statistics: {} };
    } finally {
      signal?.removeEventListener('abort', onAbort);
      connection.disconnectSync?.();
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const pending = this.#instance;
    this.#instance = undefined;
    if (pending) {
      const instance = await pending.catch(() => undefined);
      instance?.closeSync?.();
    }
  }
}

/**
 * Creates a runner over an embedded DuckDB (`@duckdb/node-api`, an optional peer dependency loaded on
 * first use). Parameters are bound natively (`?`), counts come back as numbers (BIGINT and HUGEINT become
 * `number` when they fit in 2^53, `bigint` otherwise), and the memory limit is set up front. Extensions are
 * never downloaded or auto-loaded; JSON and Parquet are built in. Use {@link duckDbReadJson} to read local
 * files with an explicit schema.
 *
 * @param options - Database path, memory limit, threads.
 * @returns The runner; call `close()` when done.
 * @throws {@link QueryRunnerError} `INVALID_OPTION` naming a bad option. `run` throws `ENGINE_MISSING` when
 *   `@duckdb/node-api` is not installed and `ENGINE_FAILED` for SQL errors.
 * @see https://duckdb.org/docs/stable/clients/node_neo/overview
 * @example
 * ```ts
 * const duck = createDuckDbRunner({ memoryLimit: '2GB', threads: 2 });
 * const from = duckDbReadJson('results/*.jsonl.gz', { columns: { accountId: 'VARCHAR' } });
 * const { rows } = await duck.run(`SELECT accountId AS account, count(*) AS n FROM ${from} WHERE accountId = ? GROUP BY 1`, {
 *   params: ['111122223333'],
 * });
 * await duck.close();
 * ```
 */
export function createDuckDbRunner(options: DuckDbRunnerOptions = {}): DuckDbRunner {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'an object');
  const o = options;
  if (
    o.database !== undefined &&
    (typeof o.database !== 'string' || o.database === '' || o.database.includes('\u0000'))
  ) {
    throw invalidOption('database', "a file path or ':memory:'");
  }
  if (o.memoryLimit !== undefined && (typeof o.memoryLimit !== 'string' || !SIZE.test(o.memoryLimit))) {
    throw invalidOption('memoryLimit', "a size such as '512MB' or '2GB'");
  }
  if (o.threads !== undefined && !(Number.isInteger(o.threads) && o.threads >= 1 && o.threads <= 1024)) {
    throw invalidOption('threads', 'an integer from 1 to 1024');
  }
  if (o.tempDirectory !== undefined && (typeof o.tempDirectory !== 'string' || o.tempDirectory === '')) {
    throw invalidOption('tempDirectory', 'a directory path');
  }
  if (o.loadEngine !== undefined && typeof o.loadEngine !== 'function') {
    throw invalidOption('loadEngine', 'a function returning the @duckdb/node-api module');
  }
  return new DuckDbRunnerImpl(o);
}
