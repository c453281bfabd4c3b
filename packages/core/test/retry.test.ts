import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableAwsError, retry, sleep } from '../src/index.js';
import { createFakeClock } from '../src/testing/index.js';

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

describe('backoffDelay', () => {
  it('stays within [0, min(cap, base × 2^attempt)) for any input (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, base, cap, r) => {
          const d = backoffDelay(attempt, { baseDelayMs: base, maxDelayMs: cap }, () => r);
          const ceiling = Math.min(cap, base * 2 ** attempt);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThan(ceiling);
          expect(Number.isInteger(d)).toBe(true);
        },
      ),
    );
  });

  it('grows exponentially at the top of the jitter range until the cap', () => {
    const top = () => 0.999999;
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, { baseDelayMs: 100, maxDelayMs: 1000 }, top))).toEqual(
      [99, 199, 399, 799, 999],
    );
  });

  it('treats a broken random source as zero rather than exceeding the cap', () => {
    expect(backoffDelay(3, {}, () => 7)).toBe(0);
    expect(backoffDelay(3, {}, () => Number.NaN)).toBe(0);
  });
});

describe('isRetryableAwsError', () => {
  it('retries throttling names, 429, 5xx and $retryable', () => {
    expect(isRetryableAwsError(throttled())).toBe(true);
    expect(isRetryableAwsError({ name: 'X', $metadata: { httpStatusCode: 503 } })).toBe(true);
    expect(isRetryableAwsError({ name: 'X', $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isRetryableAwsError({ name: 'X', $retryable: { throttling: true } })).toBe(true);
    expect(isRetryableAwsError({ code: 'ECONNRESET' })).toBe(true);
  });
  it('does not retry client errors', () => {
    expect(
      isRetryableAwsError({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } }),
    ).toBe(false);
    expect(isRetryableAwsError({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } })).toBe(
      false,
    );
    expect(isRetryableAwsError(null)).toBe(false);
    expect(isRetryableAwsError('ThrottlingException')).toBe(false);
  });
});

describe('retry', () => {
  it('retries retryable errors and returns the first success', async () => {
    const clock = createFakeClock();
    let calls = 0;
    const result = await retry(
      async () => {
        calls++;
        if (calls < 3) throw throttled();
        return 'ok';
      },
      { maxAttempts: 5, sleep: clock.sleep, random: () => 0.5, baseDelayMs: 100 },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(clock.sleeps).toEqual([50, 100]);
  });

  it('rethrows the last error unchanged after maxAttempts', async () => {
    const clock = createFakeClock();
    let calls = 0;
    const err = throttled();
    await expect(
      retry(
        async () => {
          calls++;
          throw err;
        },
        { maxAttempts: 4, sleep: clock.sleep },
      ),
    ).rejects.toBe(err);
    expect(calls).toBe(4);
    expect(clock.sleeps).toHaveLength(3);
  });

  it('does not retry a non-retryable error', async () => {
    let calls = 0;
    await expect(
      retry(async () => {
        calls++;
        throw new Error('AccessDenied');
      }),
    ).rejects.toThrow('AccessDenied');
    expect(calls).toBe(1);
  });

  it('uses a custom predicate and reports each retry', async () => {
    const clock = createFakeClock();
    const events: number[] = [];
    let calls = 0;
    await retry(
      async () => {
        if (++calls < 2) throw new Error('flaky');
        return 1;
      },
      {
        isRetryable: (e) => (e as Error).message === 'flaky',
        sleep: clock.sleep,
        onRetry: (e) => events.push(e.attempt),
      },
    );
    expect(events).toEqual([1]);
  });

  it('stops with ABORTED when the signal fires between attempts', async () => {
    const c = new AbortController();
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          c.abort();
          throw throttled();
        },
        { maxAttempts: 5, signal: c.signal },
      ),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    expect(calls).toBe(1);
  });

  it('validates maxAttempts', async () => {
    await expect(retry(async () => 1, { maxAttempts: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});

describe('sleep', () => {
  it('rejects at once when already aborted and when aborted while waiting', async () => {
    const c = new AbortController();
    c.abort();
    await expect(sleep(10_000, c.signal)).rejects.toMatchObject({ code: 'ABORTED' });
    const d = new AbortController();
    const p = sleep(10_000, d.signal);
    d.abort();
    await expect(p).rejects.toMatchObject({ code: 'ABORTED' });
  });
  it('resolves after the delay', async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
  });
});
