import { abortError, requireOption } from './errors.js';

/** Options of {@link mapWithLimit}. */
export interface MapWithLimitOptions {
  /** Stops starting new items when it fires; the promise rejects with `CoreError` `ABORTED`. */
  signal?: AbortSignal;
}

/**
 * Maps `items` through the async `fn` with at most `limit` calls in flight, keeping input order in the
 * result. On the first failure no new item starts; the calls already running finish, then the first
 * error is rethrown (so nothing is left half-running behind the caller's back).
 *
 * @param items - The inputs.
 * @param limit - Largest number of concurrent calls, an integer ≥ 1.
 * @param fn - The work for one item; receives the item and its index.
 * @throws `CoreError` `INVALID_OPTION` for a bad limit, `ABORTED` on abort, or the first error of `fn`.
 * @example
 * ```ts
 * const values = await mapWithLimit(paths, 4, (p) => vault.read(p));
 * ```
 */
export async function mapWithLimit<T, R>(
  items: Iterable<T>,
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  options: MapWithLimitOptions = {},
): Promise<R[]> {
  requireOption(Number.isInteger(limit) && limit >= 1, 'limit', 'an integer ≥ 1');
  const list = Array.from(items);
  const results = new Array<R>(list.length);
  const { signal } = options;
  let next = 0;
  let failed = false;
  let firstError: unknown;

  const worker = async (): Promise<void> => {
    while (!failed && next < list.length) {
      if (signal?.aborted) {
        if (!failed) {
          failed = true;
          firstError = abortError(signal);
        }
        return;
      }
      const index = next++;
      try {
        results[index] = await fn(list[index] as T, index);
      } catch (error) {
        if (!failed) {
          failed = true;
          firstError = error;
        }
      }
    }
  };

  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker));
  if (failed) throw firstError;
  return results;
}

/** A function that runs tasks with bounded concurrency; see {@link createConcurrencyLimit}. */
export type ConcurrencyLimit = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * Creates a limiter that lets at most `limit` tasks run at once, queueing the rest in arrival order.
 * Useful when calls arrive over time rather than as one list (e.g. Logs Insights' concurrent-query quota).
 *
 * @param limit - Largest number of concurrent tasks, an integer ≥ 1.
 * @throws `CoreError` `INVALID_OPTION` for a bad limit.
 * @example
 * ```ts
 * const limit = createConcurrencyLimit(5);
 * const results = await Promise.all(groups.map((g) => limit(() => query(g))));
 * ```
 */
export function createConcurrencyLimit(limit: number): ConcurrencyLimit {
  requireOption(Number.isInteger(limit) && limit >= 1, 'limit', 'an integer ≥ 1');
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finishing task hands its slot straight to the next waiter, so `active` never exceeds `limit`.
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
