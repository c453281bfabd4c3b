import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTokenBucket } from '../src/index.js';
import { createFakeClock } from '../src/testing/index.js';

describe('createTokenBucket', () => {
  it('allows a burst of capacity, then refuses until refilled', () => {
    const clock = createFakeClock();
    const bucket = createTokenBucket({ capacity: 3, refillPerSecond: 1, now: clock.now });
    expect([1, 2, 3, 4].map(() => bucket.tryTake())).toEqual([true, true, true, false]);
    clock.advance(999);
    expect(bucket.tryTake()).toBe(false);
    clock.advance(1);
    expect(bucket.tryTake()).toBe(true);
  });

  it('never grants more than capacity + rate × elapsed over any schedule (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 3 }), fc.boolean()), {
          maxLength: 60,
        }),
        async (capacity, rate, steps) => {
          const clock = createFakeClock();
          const bucket = createTokenBucket({
            capacity,
            refillPerSecond: rate,
            now: clock.now,
            sleep: clock.sleep,
          });
          let granted = 0;
          for (const [gap, want, wait] of steps) {
            clock.advance(gap);
            const n = Math.min(want, capacity);
            if (wait) {
              await bucket.take(n);
              granted += n;
            } else if (bucket.tryTake(n)) granted += n;
            const bound = capacity + (rate * clock.now()) / 1000;
            expect(granted).toBeLessThanOrEqual(bound + 1e-9);
          }
        },
      ),
    );
  });

  it('makes take() wait exactly for the missing tokens', async () => {
    const clock = createFakeClock();
    const bucket = createTokenBucket({ capacity: 2, refillPerSecond: 4, now: clock.now, sleep: clock.sleep });
    await bucket.take(2);
    await bucket.take(1);
    expect(clock.sleeps).toEqual([250]);
  });

  it('serves waiters first come, first served', async () => {
    const clock = createFakeClock();
    const bucket = createTokenBucket({ capacity: 1, refillPerSecond: 1, now: clock.now, sleep: clock.sleep });
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((i) => bucket.take().then(() => order.push(i))));
    expect(order).toEqual([1, 2, 3]);
  });

  it('rejects take() with ABORTED and lets later callers through', async () => {
    const clock = createFakeClock();
    const bucket = createTokenBucket({
      capacity: 1,
      refillPerSecond: 1,
      initialTokens: 0,
      now: clock.now,
      sleep: clock.sleep,
    });
    const c = new AbortController();
    c.abort();
    await expect(bucket.take(1, c.signal)).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(bucket.take(1)).resolves.toBeUndefined();
  });

  it('validates every option and the requested count', () => {
    expect(() => createTokenBucket({ capacity: 0, refillPerSecond: 1 })).toThrow(/capacity/);
    expect(() => createTokenBucket({ capacity: 1, refillPerSecond: -1 })).toThrow(/refillPerSecond/);
    expect(() => createTokenBucket({ capacity: 1, refillPerSecond: 1, initialTokens: 2 })).toThrow(
      /initialTokens/,
    );
    const bucket = createTokenBucket({ capacity: 2, refillPerSecond: 1 });
    expect(() => bucket.tryTake(3)).toThrow(/count/);
  });
});
