import { createErrorGuard, SecblocksError, type SecblocksErrorOptions } from '@secblocks/core';

/** Codes of the errors `@secblocks/query-runner` throws. */
export const QueryRunnerErrorCode = {
  /** A factory or run option is missing or out of range; the message names the option. */
  INVALID_OPTION: 'INVALID_OPTION',
  /** A bound parameter has an unsupported type or value, or the SQL has a different number of `?` placeholders. */
  INVALID_PARAMETER: 'INVALID_PARAMETER',
  /** The run was refused before it started: the caller's scan estimate is above `maxScanBytes`. */
  SCAN_BUDGET_EXCEEDED: 'SCAN_BUDGET_EXCEEDED',
  /** Athena reported state `FAILED`. See {@link AthenaQueryError}. */
  QUERY_FAILED: 'QUERY_FAILED',
  /** Athena reported state `CANCELLED` (someone else stopped the query, or the workgroup's scan cutoff did). */
  QUERY_CANCELLED: 'QUERY_CANCELLED',
  /** The caller's `AbortSignal` fired; a started Athena query was stopped with `StopQueryExecution`. */
  ABORTED: 'ABORTED',
  /** The query did not finish within `maxWaitMs`; it was stopped. */
  TIMEOUT: 'TIMEOUT',
  /** An AWS API call failed (after retries for throttling and 5xx); `cause` is the SDK error. */
  AWS_ERROR: 'AWS_ERROR',
  /** The optional peer `@duckdb/node-api` is not installed. */
  ENGINE_MISSING: 'ENGINE_MISSING',
  /** DuckDB rejected or failed the statement; `cause` is DuckDB's error. */
  ENGINE_FAILED: 'ENGINE_FAILED',
  /** The runner was used after `close()`. */
  CLOSED: 'CLOSED',
} as const;

/** One of {@link QueryRunnerErrorCode}. */
export type QueryRunnerErrorCode = (typeof QueryRunnerErrorCode)[keyof typeof QueryRunnerErrorCode];

/**
 * Error thrown by `@secblocks/query-runner`. Messages name options, states and query execution IDs; they
 * never carry the SQL text or a bound parameter value.
 *
 * @example
 * ```ts
 * try { await runner.run(sql); } catch (e) { if (isQueryRunnerError(e) && e.code === 'SCAN_BUDGET_EXCEEDED') … }
 * ```
 */
export class QueryRunnerError extends SecblocksError<QueryRunnerErrorCode> {
  /** The Athena query execution ID, when a query had been started. */
  readonly queryExecutionId: string | undefined;

  constructor(
    code: QueryRunnerErrorCode,
    message: string,
    options: SecblocksErrorOptions & { queryExecutionId?: string } = {},
  ) {
    super('query-runner', code, message, options);
    this.queryExecutionId = options.queryExecutionId;
  }
}

/** Athena's `AthenaError.ErrorCategory`: 1 system, 2 user, 3 other. */
export type AthenaErrorCategory = 'system' | 'user' | 'other' | 'unknown';

/** Final Athena states that are not `SUCCEEDED`. */
export type AthenaFailureState = 'FAILED' | 'CANCELLED';

/** Details of an {@link AthenaQueryError}. */
export interface AthenaQueryErrorDetails {
  /** `FAILED` or `CANCELLED`. */
  state: AthenaFailureState;
  /** `Status.StateChangeReason`, e.g. `SYNTAX_ERROR: line 1:8: Column 'x' cannot be resolved`. */
  reason: string | undefined;
  /** Decoded `Status.AthenaError.ErrorCategory`. */
  errorCategory: AthenaErrorCategory;
  /** `Status.AthenaError.ErrorType` (a numeric Athena error type), when given. */
  errorType: number | undefined;
  /** Whether running the same query again may succeed (`AthenaError.Retryable`, else true for system errors). */
  retryable: boolean;
  /** The query execution ID. */
  queryExecutionId: string;
}

/**
 * Thrown when an Athena query ends `FAILED` (code `QUERY_FAILED`) or `CANCELLED` (code `QUERY_CANCELLED`).
 *
 * @example
 * ```ts
 * catch (e) { if (isAthenaQueryError(e) && e.retryable) await runner.run(sql, options); }
 * ```
 */
export class AthenaQueryError extends QueryRunnerError {
  /** `FAILED` or `CANCELLED`. */
  readonly state: AthenaFailureState;
  /** Athena's `StateChangeReason`. */
  readonly reason: string | undefined;
  /** `system`, `user`, `other` or `unknown`. */
  readonly errorCategory: AthenaErrorCategory;
  /** Athena's numeric error type, when given. */
  readonly errorType: number | undefined;
  /** Whether a new attempt may succeed. */
  readonly retryable: boolean;

  constructor(details: AthenaQueryErrorDetails) {
    const code =
      details.state === 'FAILED' ? QueryRunnerErrorCode.QUERY_FAILED : QueryRunnerErrorCode.QUERY_CANCELLED;
    super(
      code,
      `Athena query ${details.queryExecutionId} ended ${details.state}${details.reason ? `: ${details.reason}` : ''}`,
      { queryExecutionId: details.queryExecutionId },
    );
    this.state = details.state;
    this.reason = details.reason;
    this.errorCategory = details.errorCategory;
    this.errorType = details.errorType;
    this.retryable = details.retryable;
  }
}

/**
 * Type guard for every error of this package (including {@link AthenaQueryError}), safe across duplicate
 * ESM/CJS copies.
 *
 * @example
 * ```ts
 * if (isQueryRunnerError(e) && e.code === QueryRunnerErrorCode.ENGINE_MISSING) printInstallHint();
 * ```
 */
export const isQueryRunnerError: (value: unknown) => value is QueryRunnerError =
  createErrorGuard<QueryRunnerError>('query-runner');

/**
 * Type guard for {@link AthenaQueryError}.
 *
 * @example
 * ```ts
 * if (isAthenaQueryError(e)) console.log(e.state, e.errorCategory, e.retryable);
 * ```
 */
export function isAthenaQueryError(value: unknown): value is AthenaQueryError {
  return (
    isQueryRunnerError(value) &&
    (value.code === QueryRunnerErrorCode.QUERY_FAILED ||
      value.code === QueryRunnerErrorCode.QUERY_CANCELLED) &&
    'state' in value
  );
}

/** @internal */
export function invalidOption(option: string, expectation: string): QueryRunnerError {
  return new QueryRunnerError(
    QueryRunnerErrorCode.INVALID_OPTION,
    `Invalid option "${option}": expected ${expectation}`,
  );
}
