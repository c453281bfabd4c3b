import { abortError, requireOption } from './errors.js';

/** Options shared by {@link backoffDelay} and {@link retry}. */
export interface BackoffOptions {
  /**
   * The first retry's delay cap, in milliseconds; each later attempt doubles it.
   * @defaultValue `100`
   */
  baseDelayMs?: number;
  /**
   * The largest delay, in milliseconds.
   * @defaultValue `20000` (the AWS SDK's default cap)
   */
  maxDelayMs?: number;
}

/**
 * Exponential backoff with full jitter: a delay drawn uniformly from `[0, min(maxDelayMs, baseDelayMs × 2^attempt))`.
 * Full jitter spreads retrying clients apart, which matters when many Lambdas hit the same throttled API.
 *
 * @param attempt - 0 for the first retry, 1 for the second, …
 * @param options - Base and cap.
 * @param random - Source of randomness in `[0, 1)`.
 * @returns The delay in whole milliseconds.
 * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 * @example
 * ```ts
 * backoffDelay(3, { baseDelayMs: 100, maxDelayMs: 5000 }); // somewhere in [0, 800)
 * ```
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const base = options.baseDelayMs ?? 100;
  const cap = options.maxDelayMs ?? 20_000;
  const ceiling = Math.min(cap, base * 2 ** Math.min(Math.max(attempt, 0), 52));
  const r = random();
  const unit = r >= 0 && r < 1 ? r : 0;
  return Math.floor(unit * ceiling);
}

/**
 * Error names AWS services use for throttling and transient server faults; retried by
 * {@link isRetryableAwsError}.
 */
export const RETRYABLE_AWS_ERROR_NAMES: ReadonlySet<string> = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'RequestThrottled',
  'TooManyRequestsException',
  'TooManyRequests',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestTimeout',
  'RequestTimeoutException',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
  'InternalFailure',
  'InternalError',
  'InternalServerError',
  'InternalServiceError',
  'InternalServiceErrorException',
  'InternalServerException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

/**
 * Tells whether an error from an AWS SDK v3 client (or a plain network error) is worth retrying:
 * throttling and transient names from {@link RETRYABLE_AWS_ERROR_NAMES}, HTTP 429 and 5xx, and errors the
 * SDK marked `$retryable`.
 *
 * @param error - What the call threw.
 * @example
 * ```ts
 * await retry(() => sm.send(cmd), { isRetryable: isRetryableAwsError });
 * ```
 */
export function isRetryableAwsError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as {
    name?: unknown;
    code?: unknown;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: unknown };
    response?: { status?: unknown; statusCode?: unknown };
    statusCode?: unknown;
  };
  if (typeof e.name === 'string' && RETRYABLE_AWS_ERROR_NAMES.has(e.name)) return true;
  if (typeof e.code === 'string' && RETRYABLE_AWS_ERROR_NAMES.has(e.code)) return true;
  if (e.$retryable !== undefined && e.$retryable !== null && e.$retryable !== false) return true;
  const status = e.$metadata?.httpStatusCode ?? e.response?.status ?? e.response?.statusCode ?? e.statusCode;
  return typeof status === 'number' && (status === 429 || (status >= 500 && status <= 599));
}

/**
 * Waits `ms` milliseconds, or rejects with a `CoreError` `ABORTED` as soon as `signal` fires.
 *
 * @example
 * ```ts
 * await sleep(250, controller.signal);
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** What {@link RetryOptions.onRetry} is told before each wait. */
export interface RetryEvent {
  /** The attempt that just failed, starting at 1. */
  attempt: number;
  /** How long the next wait is, in milliseconds. */
  delayMs: number;
  /** What the failed attempt threw. */
  error: unknown;
}

/** Options of {@link retry}. */
export interface RetryOptions extends BackoffOptions {
  /**
   * Total attempts, the first included.
   * @defaultValue `3`
   */
  maxAttempts?: number;
  /**
   * Decides whether an error is worth another attempt.
   * @defaultValue {@link isRetryableAwsError}
   */
  isRetryable?: (error: unknown, attempt: number) => boolean;
  /** Cancels waiting and further attempts; the promise rejects with `CoreError` `ABORTED`. */
  signal?: AbortSignal;
  /** Called before each wait, e.g. to log `{ attempt, delayMs }`. */
  onRetry?: (event: RetryEvent) => void;
  /**
   * Randomness for the jitter, in `[0, 1)`.
   * @defaultValue `Math.random`
   */
  random?: () => number;
  /**
   * How to wait (inject a fake in tests).
   * @defaultValue {@link sleep}
   */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Calls `fn` until it succeeds, it throws a non-retryable error, or `maxAttempts` is reached; between
 * attempts it waits {@link backoffDelay} (full jitter). The last error is rethrown unchanged, so callers
 * still see the typed error.
 *
 * @param fn - The operation; receives the 1-based attempt number.
 * @param options - Attempts, backoff, predicate, signal.
 * @throws Whatever `fn` last threw, or `CoreError` `ABORTED`.
 * @example
 * ```ts
 * const page = await retry(() => client.send(new ListSecretsCommand({ NextToken })), { maxAttempts: 5 });
 * ```
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 3;
  requireOption(Number.isInteger(maxAttempts) && maxAttempts >= 1, 'maxAttempts', 'an integer ≥ 1');
  requireOption((options.baseDelayMs ?? 100) >= 0, 'baseDelayMs', 'a number ≥ 0');
  requireOption((options.maxDelayMs ?? 20_000) >= 0, 'maxDelayMs', 'a number ≥ 0');
  const isRetryable = options.isRetryable ?? isRetryableAwsError;
  const wait = options.sleep ?? sleep;
  const { signal } = options;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortError(signal);
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= maxAttempts || !isRetryable(error, attempt)) throw error;
      const delayMs = backoffDelay(attempt - 1, options, options.random);
      options.onRetry?.({ attempt, delayMs, error });
      await wait(delayMs, signal);
    }
  }
}
