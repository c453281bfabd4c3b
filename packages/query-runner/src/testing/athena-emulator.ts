import { randomUUID } from 'node:crypto';
import { type AwsJsonEmulator, AwsServiceError, startAwsJsonEmulator } from '@secblocks/core/testing';

/** A value of a scripted result row; `null` is sent as SQL NULL (no `VarCharValue`). */
export type ScriptedValue = string | number | bigint | boolean | null;

/** What the emulator should do with one query; see {@link AthenaEmulatorOptions.respond}. */
export interface ScriptedQuery {
  /**
   * States reported by successive `GetQueryExecution` calls before the final state.
   * @defaultValue `['QUEUED', 'RUNNING']`
   */
  states?: ('QUEUED' | 'RUNNING')[];
  /** @defaultValue `'SUCCEEDED'` */
  final?: 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  /** Result columns with Athena type names (`varchar`, `bigint`, `double`, `boolean`, `date`, …). */
  columns?: { name: string; type: string }[];
  /** Result rows, in column order. */
  rows?: ScriptedValue[][];
  /** `Statistics.DataScannedInBytes` (reported while running too). @defaultValue `0` */
  dataScannedBytes?: number;
  /** `StatementType`. @defaultValue `'DML'` (header row included in results) */
  statementType?: 'DML' | 'DDL' | 'UTILITY';
  /** For `FAILED`/`CANCELLED`: `StateChangeReason`. */
  reason?: string;
  /** For `FAILED`: `AthenaError` fields. */
  error?: { category: 1 | 2 | 3; type?: number; retryable?: boolean; message?: string };
  /** Reports `ResultReuseInformation.ReusedPreviousResult: true`. */
  reused?: boolean;
}

/** A query the emulator received. */
export interface ReceivedQuery {
  queryExecutionId: string;
  queryString: string;
  executionParameters: string[];
  workGroup: string | undefined;
  database: string | undefined;
  catalog: string | undefined;
  outputLocation: string | undefined;
  resultReuseMaxAgeMinutes: number | undefined;
  clientRequestToken: string | undefined;
}

/** Options of {@link startAthenaEmulator}. */
export interface AthenaEmulatorOptions {
  /**
   * Decides the fate of each started query (may be async, e.g. to compute rows by running the SQL on
   * DuckDB). Throw an `AwsServiceError` (from `@secblocks/core/testing`) to reject `StartQueryExecution`.
   * @defaultValue every query succeeds with no rows
   */
  respond?: (query: ReceivedQuery) => ScriptedQuery | Promise<ScriptedQuery>;
}

/** A running Athena emulator; see {@link startAthenaEmulator}. */
export interface AthenaEmulator {
  /** Pass as `AthenaClient`'s `endpoint`. */
  readonly endpoint: string;
  /** The underlying JSON-protocol emulator: `calls`, `count(op)`, `failNext(op, fault, times)`. */
  readonly aws: AwsJsonEmulator;
  /** Every query started, in order. */
  readonly queries: ReceivedQuery[];
  /** IDs of queries that received `StopQueryExecution`. */
  readonly stopped: string[];
  /** Stops the server. */
  close(): Promise<void>;
}

interface Execution {
  query: ReceivedQuery;
  script: ScriptedQuery;
  polls: number;
  cancelled: boolean;
}

const toText = (v: ScriptedValue): string | undefined => (v === null ? undefined : String(v));

/**
 * Starts a loopback Amazon Athena emulator speaking the real JSON protocol (`X-Amz-Target: AmazonAthena.*`)
 * for `StartQueryExecution`, `GetQueryExecution`, `GetQueryResults` (paging with `MaxResults`/`NextToken`,
 * header row first, every value as `VarCharValue`) and `StopQueryExecution`. Point a real `AthenaClient` at
 * `endpoint`. Script each query's states, rows, scan bytes, `FAILED`/`CANCELLED` outcome and errors with
 * `respond`; inject throttling with `aws.failNext('GetQueryExecution', { type: 'ThrottlingException' })`.
 *
 * @param options - How to answer each query.
 * @example
 * ```ts
 * const emu = await startAthenaEmulator({
 *   respond: () => ({ columns: [{ name: 'n', type: 'bigint' }], rows: [[42]], dataScannedBytes: 1024 }),
 * });
 * const client = new AthenaClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials: testCredentials() });
 * const runner = createAthenaRunner({ client, database: 'db', poll: { baseDelayMs: 1, maxDelayMs: 2 } });
 * ```
 */
export async function startAthenaEmulator(options: AthenaEmulatorOptions = {}): Promise<AthenaEmulator> {
  const executions = new Map<string, Execution>();
  const byToken = new Map<string, string>();
  const queries: ReceivedQuery[] = [];
  const stopped: string[] = [];
  const respond = options.respond ?? (() => ({}));
  const find = (input: Record<string, unknown>): Execution => {
    const id = String(input.QueryExecutionId ?? '');
    const e = executions.get(id);
    if (!e) throw new AwsServiceError('InvalidRequestException', `QueryExecution ${id} was not found`);
    return e;
  };
  const stateOf = (e: Execution): string => {
    if (e.cancelled) return 'CANCELLED';
    const states = e.script.states ?? ['QUEUED', 'RUNNING'];
    return e.polls <= states.length ? (states[e.polls - 1] ?? 'QUEUED') : (e.script.final ?? 'SUCCEEDED');
  };
  const aws = await startAwsJsonEmulator({
    targetPrefix: 'AmazonAthena',
    handlers: {
      StartQueryExecution: async (input) => {
        const token = input.ClientRequestToken as string | undefined;
        const existing = token ? byToken.get(token) : undefined;
        if (existing) return { QueryExecutionId: existing };
        const ctx = (input.QueryExecutionContext ?? {}) as { Database?: string; Catalog?: string };
        const reuse = (
          input.ResultReuseConfiguration as { ResultReuseByAgeConfiguration?: { MaxAgeInMinutes?: number } }
        )?.ResultReuseByAgeConfiguration?.MaxAgeInMinutes;
        const query: ReceivedQuery = {
          queryExecutionId: randomUUID(),
          queryString: String(input.QueryString ?? ''),
          executionParameters: (input.ExecutionParameters as string[] | undefined) ?? [],
          workGroup: input.WorkGroup as string | undefined,
          database: ctx.Database,
          catalog: ctx.Catalog,
          outputLocation: (input.ResultConfiguration as { OutputLocation?: string } | undefined)
            ?.OutputLocation,
          resultReuseMaxAgeMinutes: reuse,
          clientRequestToken: token,
        };
        const script = await respond(query);
        queries.push(query);
        executions.set(query.queryExecutionId, { query, script, polls: 0, cancelled: false });
        if (token) byToken.set(token, query.queryExecutionId);
        return { QueryExecutionId: query.queryExecutionId };
      },
      GetQueryExecution: (input) => {
        const e = find(input);
        e.polls++;
        const state = stateOf(e);
        const s = e.script;
        const status: Record<string, unknown> = { State: state, SubmissionDateTime: Date.now() / 1000 };
        if (state === 'FAILED' || state === 'CANCELLED') {
          if (s.reason !== undefined) status.StateChangeReason = s.reason;
          if (state === 'FAILED' && s.error) {
            status.AthenaError = {
              ErrorCategory: s.error.category,
              ErrorType: s.error.type,
              Retryable: s.error.retryable,
              ErrorMessage: s.error.message ?? s.reason,
            };
          }
        }
        const statistics: Record<string, unknown> = {
          DataScannedInBytes: state === 'QUEUED' ? 0 : (s.dataScannedBytes ?? 0),
          EngineExecutionTimeInMillis: 10 * e.polls,
          TotalExecutionTimeInMillis: 12 * e.polls,
        };
        if (s.reused !== undefined) statistics.ResultReuseInformation = { ReusedPreviousResult: s.reused };
        return {
          QueryExecution: {
            QueryExecutionId: e.query.queryExecutionId,
            Query: e.query.queryString,
            StatementType: s.statementType ?? 'DML',
            WorkGroup: e.query.workGroup,
            Status: status,
            Statistics: statistics,
            ExecutionParameters: e.query.executionParameters.length ? e.query.executionParameters : undefined,
          },
        };
      },
      GetQueryResults: (input) => {
        const e = find(input);
        const state = stateOf(e);
        if (state !== 'SUCCEEDED') {
          throw new AwsServiceError(
            'InvalidRequestException',
            `Query has not yet finished. Current state: ${state}`,
          );
        }
        const max = Number(input.MaxResults ?? 1000);
        if (!Number.isInteger(max) || max < 1 || max > 1000) {
          throw new AwsServiceError('InvalidRequestException', 'MaxResults must be between 1 and 1000');
        }
        const columns = e.script.columns ?? [];
        const header = (e.script.statementType ?? 'DML') === 'DML' && columns.length > 0;
        const all = [
          ...(header ? [columns.map((c) => ({ VarCharValue: c.name }))] : []),
          ...(e.script.rows ?? []).map((r) => r.map((v) => (v === null ? {} : { VarCharValue: toText(v) }))),
        ];
        const start = input.NextToken ? Number(String(input.NextToken).replace(/^page-/, '')) : 0;
        if (!Number.isInteger(start) || start < 0 || start > all.length) {
          throw new AwsServiceError('InvalidRequestException', 'Invalid NextToken');
        }
        const end = start + max;
        return {
          UpdateCount: 0,
          ResultSet: {
            Rows: all.slice(start, end).map((Data) => ({ Data })),
            ResultSetMetadata: {
              ColumnInfo: columns.map((c) => ({
                CatalogName: 'hive',
                SchemaName: '',
                TableName: '',
                Name: c.name,
                Label: c.name,
                Type: c.type,
                Precision: 0,
                Scale: 0,
                Nullable: 'UNKNOWN',
                CaseSensitive: c.type === 'varchar',
              })),
            },
          },
          NextToken: end < all.length ? `page-${end}` : undefined,
        };
      },
      StopQueryExecution: (input) => {
        const e = find(input);
        const state = stateOf(e);
        if (state !== 'SUCCEEDED' && state !== 'FAILED') e.cancelled = true;
        stopped.push(e.query.queryExecutionId);
        return {};
      },
    },
  });
  return { endpoint: aws.endpoint, aws, queries, stopped, close: () => aws.close() };
}
