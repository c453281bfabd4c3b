import { abortError, requireOption } from './errors.js';
import { sleep as defaultSleep } from './retry.js';

/** Options of {@link createTokenBucket}. */
export interface TokenBucketOptions {
  /** Most tokens the bucket holds: the largest burst. A positive number. */
  capacity: number;
  /** Tokens added per second: the sustained rate. A positive number. */
  refillPerSecond: number;
  /**
   * Tokens in the bucket at creation.
   * @defaultValue `capacity`
   */
  initialTokens?: number;
  /**
   * Monotonic clock in milliseconds (inject a fake in tests).
   * @defaultValue `performance.now`
   */
  now?: () => number;
  /**
   * How to wait (inject a fake in tests).
   * @defaultValue `sleep` from this package
   */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** A token-bucket rate limiter. */
export interface TokenBucket {
  /** Takes `count` tokens now if they are there; never waits. */
  tryTake(count?: number): boolean;
  /**
   * Waits until `count` tokens are there, then takes them. Callers are served first come, first served.
   * Rejects with `CoreError` `ABORTED` when `signal` fires.
   */
  take(count?: number, signal?: AbortSignal): Promise<void>;
  /** Tokens available right now (fractional). */
  available(): number;
}

/**
 * Creates a token bucket: at most `capacity` operations at once, then `refillPerSecond` per second.
 * Over any window of `t` seconds it grants at most `capacity + refillPerSecond × t` tokens.
 * Use it to stay under an AWS API's request quota (e.g. Secrets Manager's 50 PutSecretValue/s).
 *
 * @param options - Capacity, rate, clock.
 * @throws `CoreError` `INVALID_OPTION` naming a bad option.
 * @example
 * ```ts
 * const bucket = createTokenBucket({ capacity: 10, refillPerSecond: 5 });
 * for (const s of secrets) { await bucket.take(); await put(s); }
 * ```
 */
export function createTokenBucket(options: TokenBucketOptions): TokenBucket {
  const { capacity, refillPerSecond } = options;
  requireOption(Number.isFinite(capacity) && capacity > 0, 'capacity', 'a positive number');
  requireOption(
    Number.isFinite(refillPerSecond) && refillPerSecond > 0,
    'refillPerSecond',
    'a positive number',
  );
  const initial = options.initialTokens ?? capacity;
  requireOption(
    Number.isFinite(initial) && initial >= 0 && initial <= capacity,
    'initialTokens',
    'a number in [0, capacity]',
  );
  const now = options.now ?? (() => performance.now());
  const wait = options.sleep ?? defaultSleep;

  let tokens = initial;
  let last = now();
  let queue: Promise<void> = Promise.resolve();

  const refill = (): void => {
    const t = now();
    if (t > last) {
      tokens = Math.min(capacity, tokens + ((t - last) / 1000) * refillPerSecond);
      last = t;
    }
  };
  const checkCount = (count: number): void => {
    requireOption(
      Number.isFinite(count) && count > 0 && count <= capacity,
      'count',
      'a positive number ≤ capacity',
    );
  };

  return {
    tryTake(count = 1) {
      checkCount(count);
      refill();
      if (tokens >= count) {
        tokens -= count;
        return true;
      }
      return false;
    },
    take(count = 1, signal) {
      checkCount(count);
      const turn = queue.then(async () => {
        for (;;) {
          if (signal?.aborted) throw abortError(signal);
          refill();
          if (tokens >= count) {
            tokens -= count;
            return;
          }
          const ms = Math.max(1, Math.ceil(((count - tokens) / refillPerSecond) * 1000));
          await wait(ms, signal);
        }
      });
      // The next caller waits for this one's turn whether it succeeded or was aborted.
      queue = turn.catch(() => undefined);
      return turn;
    },
    available() {
      refill();
      return tokens;
    },
  };
}
