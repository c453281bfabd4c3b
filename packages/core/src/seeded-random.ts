/**
 * A small, fast, seedable pseudo-random generator (mulberry32) returning numbers in `[0, 1)`. The same
 * seed gives the same sequence on every platform, which is what sample-data generators and reproducible
 * property tests need. **Not** for anything secret: use `node:crypto` for keys, nonces and tokens.
 *
 * @param seed - Any integer; only its low 32 bits are used.
 * @returns A function producing the next number of the sequence.
 * @example
 * ```ts
 * const random = createSeededRandom(42);
 * const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
 * ```
 */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
