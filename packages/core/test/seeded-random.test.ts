import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../src/index.js';

describe('createSeededRandom', () => {
  it('repeats the same sequence for the same seed and differs for another seed', () => {
    const a = createSeededRandom(7);
    const b = createSeededRandom(7);
    const c = createSeededRandom(8);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
  });

  it('stays in [0, 1) for any seed (property)', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const r = createSeededRandom(seed);
        for (let i = 0; i < 50; i++) {
          const x = r();
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('spreads values roughly evenly over ten buckets', () => {
    const r = createSeededRandom(123);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++) buckets[Math.floor(r() * 10)]++;
    for (const n of buckets) expect(n).toBeGreaterThan(850);
  });
});
