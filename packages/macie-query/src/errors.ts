import { createErrorGuard, SecblocksError, type SecblocksErrorOptions } from '@secblocks/core';

/** Codes of the errors `@secblocks/macie-query` throws. */
export const MacieQueryErrorCode = {
  /** A factory or function option is invalid; the message names it. */
  INVALID_OPTION: 'INVALID_OPTION',
  /** A filter value is not a valid account ID, Region, job ID, bucket, date, category or type; the message names the filter and the value. */
  INVALID_FILTER: 'INVALID_FILTER',
  /** No catalog question has this ID. */
  UNKNOWN_QUESTION: 'UNKNOWN_QUESTION',
  /** A question needs a parameter that was not given (e.g. `jobIds`, `since`, `accountLabels`). */
  MISSING_PARAMETER: 'MISSING_PARAMETER',
  /** The projected Athena table needs job and account filters (its partitions are `injected`). */
  PROJECTION_FILTER_REQUIRED: 'PROJECTION_FILTER_REQUIRED',
  /** The local path or glob matched no result files. */
  NO_RESULT_FILES: 'NO_RESULT_FILES',
  /** Syncing from S3 failed; `cause` is the SDK error. */
  SYNC_FAILED: 'SYNC_FAILED',
} as const;

/** One of {@link MacieQueryErrorCode}. */
export type MacieQueryErrorCode = (typeof MacieQueryErrorCode)[keyof typeof MacieQueryErrorCode];

/**
 * Error thrown by `@secblocks/macie-query`. Query failures from the engines are `QueryRunnerError`s from
 * `@secblocks/query-runner` and pass through unchanged.
 *
 * @example
 * ```ts
 * try { emitQuestion('jobs-status-reason', 'athena', { filters: { accounts: ['nope'] } }); }
 * catch (e) { if (isMacieQueryError(e) && e.code === 'INVALID_FILTER') console.error(e.message); }
 * ```
 */
export class MacieQueryError extends SecblocksError<MacieQueryErrorCode> {
  constructor(code: MacieQueryErrorCode, message: string, options?: SecblocksErrorOptions) {
    super('macie-query', code, message, options);
  }
}

/**
 * Type guard for {@link MacieQueryError}, safe across duplicate ESM/CJS copies.
 *
 * @example
 * ```ts
 * if (isMacieQueryError(e)) process.exitCode = 2;
 * ```
 */
export const isMacieQueryError: (value: unknown) => value is MacieQueryError =
  createErrorGuard<MacieQueryError>('macie-query');

/** @internal */
export function invalidOption(option: string, expectation: string): MacieQueryError {
  return new MacieQueryError(
    MacieQueryErrorCode.INVALID_OPTION,
    `Invalid option "${option}": expected ${expectation}`,
  );
}
