import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createConcurrencyLimit, mapWithLimit } from '../src/index.js';

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('mapWithLimit', () => {
  it('keeps order and never exceeds the limit (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 6 }),
        async (delays, limit) => {
          let active = 0;
          let peak = 0;
          const out = await mapWithLimit(delays, limit, async (d, i) => {
            active++;
            peak = Math.max(peak, active);
            for (let k = 0; k < d; k++) await tick();
            active--;
            return i * 2;
          });
          expect(out).toEqual(delays.map((_, i) => i * 2));
          expect(peak).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('starts nothing new after a failure and rethrows the first error', async () => {
    const started: number[] = [];
    await expect(
      mapWithLimit([0, 1, 2, 3, 4, 5], 2, async (i) => {
        started.push(i);
        await tick();
        if (i === 1) throw new Error('first');
        if (i === 2) throw new Error('second');
        return i;
      }),
    ).rejects.toThrow('first');
    expect(started.length).toBeLessThan(6);
  });

  it('stops with ABORTED when the signal fires', async () => {
    const c = new AbortController();
    await expect(
      mapWithLimit(
        [1, 2, 3],
        1,
        async (i) => {
          if (i === 1) c.abort();
          return i;
        },
        { signal: c.signal },
      ),
    ).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('validates the limit', async () => {
    await expect(mapWithLimit([1], 0, async (x) => x)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});

describe('createConcurrencyLimit', () => {
  it('never runs more than limit tasks at once, including tasks added while others finish', async () => {
    const limit = createConcurrencyLimit(2);
    let active = 0;
    let peak = 0;
    const task = async () => {
      active++;
      peak = Math.max(peak, active);
      await tick();
      active--;
    };
    const first = Array.from({ length: 5 }, () => limit(task));
    await tick();
    const later = Array.from({ length: 5 }, () => limit(task));
    await Promise.all([...first, ...later]);
    expect(peak).toBe(2);
  });

  it('propagates task errors and frees the slot', async () => {
    const limit = createConcurrencyLimit(1);
    await expect(limit(async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(limit(async () => 5)).resolves.toBe(5);
  });
});
