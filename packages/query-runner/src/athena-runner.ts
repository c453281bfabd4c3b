import { randomUUID } from 'node:crypto';
import {
  AthenaClient,
  type AthenaClientConfig,
  GetQueryExecutionCommand,
  type GetQueryExecutionCommandOutput,
  GetQueryResultsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
  type StartQueryExecutionCommandInput,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import {
  backoffDelay,
  sleep as coreSleep,
  isCoreError,
  isRetryableAwsError,
  type Logger,
  retry,
  silentLogger,
} from '@secblocks/core';
import { athenaQueryCostUsd, castAthenaValue } from './athena-values.js';
import {
  type AthenaErrorCategory,
  AthenaQueryError,
  invalidOption,
  QueryRunnerError,
  QueryRunnerErrorCode,
} from './errors.js';
import type {
  QueryColumn,
  QueryPage,
  QueryResult,
  QueryRow,
  QueryRunner,
  QueryStatistics,
  RunOptions,
} from './query-result.js';
import { checkParams, formatAthenaParameter } from './sql-params.js';

/** Polling schedule of {@link createAthenaRunner}. */
export interface AthenaPollOptions {
  /**
   * Ceiling of the first wait between `GetQueryExecution` calls, in milliseconds; it doubles per poll.
   * @defaultValue `250`
   */
  baseDelayMs?: number;
  /**
   * Largest wait between polls, in milliseconds.
   * @defaultValue `5000`
   */
  maxDelayMs?: number;
}

/** Options of {@link createAthenaRunner}. */
export interface AthenaRunnerOptions {
  /**
   * The Athena client to use (inject one configured with your Region, credentials and retry policy).
   * @defaultValue a client built on first use from `clientConfig`
   */
  client?: AthenaClient;
  /** Configuration for the default client, when `client` is not given. */
  clientConfig?: AthenaClientConfig;
  /** The Glue database queries run in (`QueryExecutionContext.Database`). Required. */
  database: string;
  /**
   * The data catalog (`QueryExecutionContext.Catalog`).
   * @defaultValue `'AwsDataCatalog'`
   */
  catalog?: string;
  /**
   * The workgroup. Its `BytesScannedCutoffPerQuery` is the server-side guard against runaway scans.
   * @defaultValue `'primary'`
   */
  workgroup?: string;
  /**
   * `s3://bucket/prefix/` for query results.
   * @defaultValue the workgroup's output location
   */
  outputLocation?: string;
  /**
   * Scan budget in bytes. A run whose `estimatedScanBytes` is above it is refused before it starts, and a
   * running query whose `DataScannedInBytes` passes it is stopped.
   * @defaultValue no budget
   */
  maxScanBytes?: number;
  /**
   * Reuse the results of an identical query run within this many minutes (Athena result reuse, engine v3),
   * which scans nothing and costs nothing. Off by default, because reused results can be stale.
   * @defaultValue off
   */
  reuseResultsMaxAgeMinutes?: number;
  /**
   * Rows per `GetQueryResults` call (1–1000).
   * @defaultValue `1000`
   */
  pageSize?: number;
  /** Polling schedule: exponential backoff with jitter. */
  poll?: AthenaPollOptions;
  /**
   * Give up (and stop the query) after this many milliseconds.
   * @defaultValue `1800000` (30 minutes)
   */
  maxWaitMs?: number;
  /**
   * Attempts per Athena API call for throttling and 5xx errors (on top of the SDK's own retries).
   * @defaultValue `5`
   */
  maxAttempts?: number;
  /**
   * Price per TiB scanned, for {@link QueryStatistics.costUsd}.
   * @defaultValue `5`
   */
  pricePerTerabyteUsd?: number;
  /**
   * Diagnostics: query execution IDs, states and byte counts; never SQL text or parameter values.
   * @defaultValue silent
   */
  logger?: Logger;
  /** Waits between polls; inject a fake clock's `sleep` in tests. @defaultValue core `sleep` */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Randomness for jitter in `[0, 1)`. @defaultValue `Math.random` */
  random?: () => number;
  /** Clock for `maxWaitMs`. @defaultValue `Date.now` */
  now?: () => number;
}

/** Options of one Athena run. */
export interface AthenaRunOptions extends RunOptions {
  /**
   * The caller's estimate of the bytes the query will scan (for example the size of the S3 prefixes it
   * reads). Above `maxScanBytes`, the run is refused with `SCAN_BUDGET_EXCEEDED` before it starts.
   */
  estimatedScanBytes?: number;
  /** Overrides the runner's `reuseResultsMaxAgeMinutes` for this run (`0` turns reuse off). */
  reuseResultsMaxAgeMinutes?: number;
}

/** A finished (`SUCCEEDED`) Athena query; see {@link AthenaRunner.execute}. */
export interface AthenaExecution {
  /** The query execution ID. */
  queryExecutionId: string;
  /** Always `SUCCEEDED`: other final states throw. */
  state: 'SUCCEEDED';
  /** `DML`, `DDL` or `UTILITY`. */
  statementType: string | undefined;
  /** Scan, cost, timing and reuse. */
  statistics: QueryStatistics;
}

/** Options of {@link AthenaRunner.pages}. */
export interface AthenaPagesOptions {
  /** Stops paging. */
  signal?: AbortSignal;
  /** Overrides the runner's `pageSize`. */
  pageSize?: number;
  /** Statement type from {@link AthenaExecution}; header rows are only skipped for `DML`. @defaultValue `'DML'` */
  statementType?: string;
}

/** A runner over Amazon Athena; see {@link createAthenaRunner}. */
export interface AthenaRunner extends QueryRunner {
  readonly engine: 'athena';
  /** Starts the query, polls until it finishes, and collects every page (see {@link QueryRunner.run}). */
  run<Row extends QueryRow = QueryRow>(sql: string, options?: AthenaRunOptions): Promise<QueryResult<Row>>;
  /**
   * Starts the query and waits until it finishes, without reading results.
   *
   * @throws {@link AthenaQueryError} on `FAILED` or `CANCELLED`; {@link QueryRunnerError} `ABORTED`, `TIMEOUT`,
   *   `SCAN_BUDGET_EXCEEDED`, `INVALID_PARAMETER` or `AWS_ERROR`.
   */
  execute(sql: string, options?: AthenaRunOptions): Promise<AthenaExecution>;
  /**
   * Iterates over every result page of a finished query: header row skipped, values cast by column type.
   *
   * @param queryExecutionId - From {@link AthenaRunner.execute}.
   */
  pages<Row extends QueryRow = QueryRow>(
    queryExecutionId: string,
    options?: AthenaPagesOptions,
  ): AsyncIterableIterator<QueryPage<Row>>;
  /** Runs the query and iterates over its result pages as they are fetched. */
  iterate<Row extends QueryRow = QueryRow>(
    sql: string,
    options?: AthenaRunOptions,
  ): AsyncIterableIterator<QueryPage<Row>>;
}

const NAME = /^[A-Za-z0-9_.@-]{1,128}$/;
const DATABASE = /^[A-Za-z0-9_-]{1,255}$/;
const S3_URL = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/;
const isPositiveInteger = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0;

const CATEGORY: Record<number, AthenaErrorCategory> = { 1: 'system', 2: 'user', 3: 'other' };

class AthenaRunnerImpl implements AthenaRunner {
  readonly engine = 'athena' as const;
  #client: AthenaClient | undefined;
  readonly #clientConfig: AthenaClientConfig | undefined;
  readonly #options: AthenaRunnerOptions;
  readonly #logger: Logger;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #ownsClient: boolean;

  constructor(options: AthenaRunnerOptions) {
    this.#client = options.client;
    this.#ownsClient = options.client === undefined;
    this.#clientConfig = options.clientConfig;
    this.#options = { ...options, client: undefined, clientConfig: undefined };
    this.#logger = options.logger ?? silentLogger;
    this.#sleep = options.sleep ?? coreSleep;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
  }

  get #athena(): AthenaClient {
    this.#client ??= new AthenaClient(this.#clientConfig ?? {});
    return this.#client;
  }

  async #send<T>(operation: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    try {
      return await retry(fn, {
        maxAttempts: this.#options.maxAttempts ?? 5,
        baseDelayMs: 200,
        maxDelayMs: 5000,
        signal,
        sleep: this.#sleep,
        random: this.#random,
        onRetry: ({ attempt, delayMs, error }) =>
          this.#logger.debug('athena call retried', {
            operation,
            attempt,
            delayMs,
            error: (error as { name?: string }).name,
          }),
      });
    } catch (error) {
      if (isCoreError(error) && error.code === 'ABORTED') throw error;
      throw new QueryRunnerError(
        QueryRunnerErrorCode.AWS_ERROR,
        `Athena ${operation} failed: ${(error as { name?: string }).name ?? 'Error'}${
          isRetryableAwsError(error) ? ' (retryable)' : ''
        }`,
        { cause: error },
      );
    }
  }

  async #stop(queryExecutionId: string): Promise<void> {
    try {
      await this.#send('StopQueryExecution', () =>
        this.#athena.send(new StopQueryExecutionCommand({ QueryExecutionId: queryExecutionId })),
      );
      this.#logger.info('athena query stopped', { queryExecutionId });
    } catch (error) {
      this.#logger.warn('athena query could not be stopped', {
        queryExecutionId,
        error: (error as { code?: string }).code,
      });
    }
  }

  async execute(sql: string, options: AthenaRunOptions = {}): Promise<AthenaExecution> {
    if (typeof sql !== 'string' || sql.trim() === '') throw invalidOption('sql', 'a non-empty string');
    const params = options.params ?? [];
    checkParams(sql, params);
    const { signal } = options;
    const budget = this.#options.maxScanBytes;
    if (
      budget !== undefined &&
      options.estimatedScanBytes !== undefined &&
      options.estimatedScanBytes > budget
    ) {
      throw new QueryRunnerError(
        QueryRunnerErrorCode.SCAN_BUDGET_EXCEEDED,
        `Refused to start: the query would scan about ${options.estimatedScanBytes} bytes, above maxScanBytes ${budget}`,
      );
    }
    if (signal?.aborted) {
      throw new QueryRunnerError(QueryRunnerErrorCode.ABORTED, 'The query was aborted before it started', {
        cause: signal.reason,
      });
    }
    const reuse = options.reuseResultsMaxAgeMinutes ?? this.#options.reuseResultsMaxAgeMinutes;
    const input: StartQueryExecutionCommandInput = {
      QueryString: sql,
      // The same token on every retry makes StartQueryExecution idempotent: a throttled-then-retried
      // start cannot launch (and bill) the query twice.
      ClientRequestToken: randomUUID(),
      QueryExecutionContext: {
        Database: this.#options.database,
        Catalog: this.#options.catalog ?? 'AwsDataCatalog',
      },
      WorkGroup: this.#options.workgroup ?? 'primary',
    };
    if (params.length > 0) input.ExecutionParameters = params.map((p, i) => formatAthenaParameter(p, i));
    if (this.#options.outputLocation)
      input.ResultConfiguration = { OutputLocation: this.#options.outputLocation };
    if (reuse !== undefined && reuse > 0) {
      input.ResultReuseConfiguration = {
        ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: reuse },
      };
    }
    const started = await this.#send(
      'StartQueryExecution',
      () => this.#athena.send(new StartQueryExecutionCommand(input)),
      signal,
    ).catch((error: unknown) => {
      if (isCoreError(error) && error.code === 'ABORTED') {
        throw new QueryRunnerError(QueryRunnerErrorCode.ABORTED, 'The query was aborted before it started', {
          cause: error,
        });
      }
      throw error;
    });
    const queryExecutionId = started.QueryExecutionId;
    if (!queryExecutionId) {
      throw new QueryRunnerError(
        QueryRunnerErrorCode.AWS_ERROR,
        'StartQueryExecution returned no QueryExecutionId',
      );
    }
    this.#logger.info('athena query started', { queryExecutionId, params: params.length });
    return this.#wait(queryExecutionId, signal);
  }

  #statistics(queryExecutionId: string, qe: QueryExecution | undefined): QueryStatistics {
    const s = qe?.Statistics;
    const stats: QueryStatistics = { queryExecutionId };
    if (s?.DataScannedInBytes !== undefined) {
      stats.dataScannedBytes = s.DataScannedInBytes;
      stats.costUsd = athenaQueryCostUsd(s.DataScannedInBytes, this.#options.pricePerTerabyteUsd ?? 5);
    }
    if (s?.EngineExecutionTimeInMillis !== undefined) stats.engineExecutionMs = s.EngineExecutionTimeInMillis;
    if (s?.TotalExecutionTimeInMillis !== undefined) stats.totalExecutionMs = s.TotalExecutionTimeInMillis;
    const reused = s?.ResultReuseInformation?.ReusedPreviousResult;
    if (reused !== undefined) stats.reusedPreviousResult = reused;
    if (reused) stats.costUsd = 0;
    return stats;
  }

  async #wait(queryExecutionId: string, signal: AbortSignal | undefined): Promise<AthenaExecution> {
    const poll = this.#options.poll ?? {};
    const base = poll.baseDelayMs ?? 250;
    const cap = poll.maxDelayMs ?? 5000;
    const deadline = this.#now() + (this.#options.maxWaitMs ?? 1_800_000);
    const budget = this.#options.maxScanBytes;
    const abort = async (cause: unknown): Promise<never> => {
      await this.#stop(queryExecutionId);
      throw new QueryRunnerError(
        QueryRunnerErrorCode.ABORTED,
        `Athena query ${queryExecutionId} was aborted`,
        {
          cause,
          queryExecutionId,
        },
      );
    };
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) await abort(signal.reason);
      let out: GetQueryExecutionCommandOutput;
      try {
        out = await this.#send(
          'GetQueryExecution',
          () => this.#athena.send(new GetQueryExecutionCommand({ QueryExecutionId: queryExecutionId })),
          signal,
        );
      } catch (error) {
        if (isCoreError(error) && error.code === 'ABORTED') return abort(error);
        throw error;
      }
      const qe = out.QueryExecution;
      const status = qe?.Status;
      const state = status?.State ?? 'QUEUED';
      const statistics = this.#statistics(queryExecutionId, qe);
      this.#logger.debug('athena query state', {
        queryExecutionId,
        state,
        dataScannedBytes: statistics.dataScannedBytes,
      });
      if (state === 'SUCCEEDED') {
        return { queryExecutionId, state, statementType: qe?.StatementType, statistics };
      }
      if (state === 'FAILED' || state === 'CANCELLED') {
        const err = status?.AthenaError;
        const errorCategory = CATEGORY[err?.ErrorCategory ?? 0] ?? 'unknown';
        throw new AthenaQueryError({
          state,
          reason: status?.StateChangeReason ?? err?.ErrorMessage,
          errorCategory,
          errorType: err?.ErrorType,
          retryable: err?.Retryable ?? (state === 'FAILED' && errorCategory === 'system'),
          queryExecutionId,
        });
      }
      if (budget !== undefined && (statistics.dataScannedBytes ?? 0) > budget) {
        await this.#stop(queryExecutionId);
        throw new QueryRunnerError(
          QueryRunnerErrorCode.SCAN_BUDGET_EXCEEDED,
          `Athena query ${queryExecutionId} was stopped: it scanned ${statistics.dataScannedBytes} bytes, above maxScanBytes ${budget}`,
          { queryExecutionId },
        );
      }
      if (this.#now() >= deadline) {
        await this.#stop(queryExecutionId);
        throw new QueryRunnerError(
          QueryRunnerErrorCode.TIMEOUT,
          `Athena query ${queryExecutionId} did not finish within maxWaitMs; it was stopped`,
          { queryExecutionId },
        );
      }
      // "Equal jitter" on top of core's full-jitter backoff: never poll in a tight loop (at least half the
      // ceiling), but still spread many concurrent pollers apart.
      const ceiling = Math.min(cap, base * 2 ** Math.min(attempt, 30));
      const delay =
        Math.floor(ceiling / 2) +
        backoffDelay(attempt, { baseDelayMs: base / 2, maxDelayMs: cap / 2 }, this.#random);
      try {
        await this.#sleep(delay, signal);
      } catch (error) {
        await abort(error);
      }
    }
  }

  async *pages<Row extends QueryRow = QueryRow>(
    queryExecutionId: string,
    options: AthenaPagesOptions = {},
  ): AsyncIterableIterator<QueryPage<Row>> {
    const pageSize = options.pageSize ?? this.#options.pageSize ?? 1000;
    if (!isPositiveInteger(pageSize) || pageSize > 1000)
      throw invalidOption('pageSize', 'an integer from 1 to 1000');
    const skipHeader = (options.statementType ?? 'DML') === 'DML';
    let nextToken: string | undefined;
    let first = true;
    let columns: QueryColumn[] = [];
    do {
      if (options.signal?.aborted) {
        throw new QueryRunnerError(QueryRunnerErrorCode.ABORTED, 'Reading results was aborted', {
          cause: options.signal.reason,
          queryExecutionId,
        });
      }
      const token = nextToken;
      const out = await this.#send('GetQueryResults', () =>
        this.#athena.send(
          new GetQueryResultsCommand({
            QueryExecutionId: queryExecutionId,
            MaxResults: pageSize,
            NextToken: token,
          }),
        ),
      );
      const info = out.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
      if (first || columns.length === 0) {
        columns = info.map((c, i) => ({
          name: c.Name ?? c.Label ?? `_col${i}`,
          type: (c.Type ?? 'varchar').toLowerCase(),
        }));
      }
      let raw = out.ResultSet?.Rows ?? [];
      // For SELECT statements Athena returns the column labels as the first row of the first page.
      if (first && skipHeader && raw.length > 0) {
        const head = raw[0]?.Data ?? [];
        const labels = info.map((c) => c.Label ?? c.Name);
        if (head.length === labels.length && head.every((d, i) => d.VarCharValue === labels[i]))
          raw = raw.slice(1);
      }
      first = false;
      const rows = raw.map((r) => {
        const row: QueryRow = {};
        columns.forEach((c, i) => {
          row[c.name] = castAthenaValue(c.type, r.Data?.[i]?.VarCharValue);
        });
        return row as Row;
      });
      yield { columns, rows };
      nextToken = out.NextToken;
    } while (nextToken);
  }

  async *iterate<Row extends QueryRow = QueryRow>(
    sql: string,
    options: AthenaRunOptions = {},
  ): AsyncIterableIterator<QueryPage<Row>> {
    const execution = await this.execute(sql, options);
    const pageOptions: AthenaPagesOptions = {};
    if (options.signal) pageOptions.signal = options.signal;
    if (execution.statementType) pageOptions.statementType = execution.statementType;
    yield* this.pages<Row>(execution.queryExecutionId, pageOptions);
  }

  async run<Row extends QueryRow = QueryRow>(
    sql: string,
    options: AthenaRunOptions = {},
  ): Promise<QueryResult<Row>> {
    const maxRows = options.maxRows ?? 100_000;
    if (!Number.isInteger(maxRows) || maxRows < 0) throw invalidOption('maxRows', 'an integer ≥ 0');
    const execution = await this.execute(sql, options);
    const rows: Row[] = [];
    let columns: QueryColumn[] = [];
    let truncated = false;
    const pageOptions: AthenaPagesOptions = {};
    if (options.signal) pageOptions.signal = options.signal;
    if (execution.statementType) pageOptions.statementType = execution.statementType;
    for await (const page of this.pages<Row>(execution.queryExecutionId, pageOptions)) {
      columns = page.columns;
      for (const row of page.rows) {
        if (rows.length >= maxRows) {
          truncated = true;
          break;
        }
        rows.push(row);
      }
      if (truncated) break;
    }
    return { engine: 'athena', columns, rows, truncated, statistics: execution.statistics };
  }

  async close(): Promise<void> {
    // The injected client belongs to the caller; a client we built is ours to destroy.
    if (this.#ownsClient && this.#client) {
      this.#client.destroy();
      this.#client = undefined;
    }
  }
}

/**
 * Creates a runner for Amazon Athena: `StartQueryExecution` with `ExecutionParameters` (never string
 * concatenation), polling `GetQueryExecution` with exponential backoff and jitter, `AbortSignal` →
 * `StopQueryExecution`, typed errors for `FAILED`/`CANCELLED`, paged results with the header row skipped and
 * values cast by column type, and `DataScannedInBytes` with an estimated cost on every result.
 *
 * IAM: `athena:StartQueryExecution`, `GetQueryExecution`, `GetQueryResults`, `StopQueryExecution`,
 * `glue:GetTable`/`GetDatabase`, S3 read on the data and read/write on the output location.
 *
 * @param options - Database, workgroup, output location, scan budget, polling.
 * @returns The runner.
 * @throws {@link QueryRunnerError} `INVALID_OPTION` naming the first invalid option.
 * @see https://docs.aws.amazon.com/athena/latest/APIReference/API_StartQueryExecution.html
 * @example
 * ```ts
 * const athena = createAthenaRunner({ database: 'macie', workgroup: 'security', maxScanBytes: 10 * 1024 ** 3 });
 * const { rows, statistics } = await athena.run('SELECT accountid, count(*) AS n FROM results WHERE accountid = ? GROUP BY 1', {
 *   params: ['111122223333'],
 * });
 * console.log(rows, statistics.dataScannedBytes, statistics.costUsd);
 * ```
 */
export function createAthenaRunner(options: AthenaRunnerOptions): AthenaRunner {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'an object');
  const o = options;
  if (typeof o.database !== 'string' || !DATABASE.test(o.database)) {
    throw invalidOption('database', 'a Glue database name (letters, digits, _ or -)');
  }
  if (o.catalog !== undefined && (typeof o.catalog !== 'string' || !NAME.test(o.catalog))) {
    throw invalidOption('catalog', 'a data catalog name');
  }
  if (o.workgroup !== undefined && (typeof o.workgroup !== 'string' || !NAME.test(o.workgroup))) {
    throw invalidOption('workgroup', 'a workgroup name (1–128 of letters, digits, . _ -)');
  }
  if (
    o.outputLocation !== undefined &&
    (typeof o.outputLocation !== 'string' || !S3_URL.test(o.outputLocation))
  ) {
    throw invalidOption('outputLocation', 'an s3://bucket/prefix/ URL');
  }
  if (o.maxScanBytes !== undefined && !isPositiveInteger(o.maxScanBytes)) {
    throw invalidOption('maxScanBytes', 'a positive integer number of bytes');
  }
  if (
    o.reuseResultsMaxAgeMinutes !== undefined &&
    !(
      Number.isInteger(o.reuseResultsMaxAgeMinutes) &&
      o.reuseResultsMaxAgeMinutes >= 0 &&
      o.reuseResultsMaxAgeMinutes <= 10080
    )
  ) {
    throw invalidOption('reuseResultsMaxAgeMinutes', 'an integer from 0 to 10080 (7 days)');
  }
  if (o.pageSize !== undefined && !(isPositiveInteger(o.pageSize) && o.pageSize <= 1000)) {
    throw invalidOption('pageSize', 'an integer from 1 to 1000');
  }
  if (o.poll?.baseDelayMs !== undefined && !(o.poll.baseDelayMs >= 1))
    throw invalidOption('poll.baseDelayMs', 'a number ≥ 1');
  if (o.poll?.maxDelayMs !== undefined && !(o.poll.maxDelayMs >= (o.poll.baseDelayMs ?? 250))) {
    throw invalidOption('poll.maxDelayMs', 'a number ≥ poll.baseDelayMs');
  }
  if (o.maxWaitMs !== undefined && !isPositiveInteger(o.maxWaitMs))
    throw invalidOption('maxWaitMs', 'a positive integer');
  if (o.maxAttempts !== undefined && !isPositiveInteger(o.maxAttempts))
    throw invalidOption('maxAttempts', 'an integer ≥ 1');
  if (o.pricePerTerabyteUsd !== undefined && !(o.pricePerTerabyteUsd >= 0)) {
    throw invalidOption('pricePerTerabyteUsd', 'a number ≥ 0');
  }
  if (o.client !== undefined && (typeof o.client !== 'object' || typeof o.client.send !== 'function')) {
    throw invalidOption('client', 'an AthenaClient');
  }
  return new AthenaRunnerImpl(o);
}
