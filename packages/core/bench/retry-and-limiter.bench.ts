/**
 * Benchmarks for @secblocks/core's hot paths, each against a baseline in the same run:
 * - `redact` vs plain `JSON.stringify` on a typical log payload (the cost of never leaking a secret);
 * - `retry` around a call that succeeds vs calling it directly (the overhead on the happy path);
 * - `createTokenBucket().tryTake` vs a bare counter (the limiter's per-call cost);
 * - `mapWithLimit` vs `Promise.all` over the same async work.
 * Set BENCH_N for the iteration count (default 200,000). Prints figures; asserts nothing on time.
 */
import { performance } from 'node:perf_hooks';
import { createTokenBucket, mapWithLimit, redact, retry, sensitive } from '@secblocks/core';

const n = Number(process.env.BENCH_N ?? 200_000);

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}
async function timeAsync(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}
const rate = (ms: number, count: number) => `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`;
const rows: [string, string, string, string][] = [];
const report = (name: string, ms: number, baseMs: number, count: number) =>
  rows.push([name, rate(ms, count), rate(baseMs, count), `${(ms / baseMs).toFixed(2)}×`]);

const payload = {
  path: 'apps/payments/db',
  version: 42,
  headers: { 'content-type': 'application/json', authorization: 'Bearer abc' },
  nested: { list: [1, 2, 3], token: sensitive('t'), ok: true },
};

let sink = 0;
const redactMs = time(() => {
  for (let i = 0; i < n; i++) sink += JSON.stringify(redact(payload)).length;
});
const stringifyMs = time(() => {
  for (let i = 0; i < n; i++) sink += JSON.stringify(payload).length;
});
report('redact + stringify vs JSON.stringify', redactMs, stringifyMs, n);

const op = async () => 1;
const retryMs = await timeAsync(async () => {
  for (let i = 0; i < n; i++) sink += await retry(op);
});
const directMs = await timeAsync(async () => {
  for (let i = 0; i < n; i++) sink += await op();
});
report('retry (happy path) vs direct await', retryMs, directMs, n);

const bucket = createTokenBucket({ capacity: n, refillPerSecond: 1 });
const bucketMs = time(() => {
  for (let i = 0; i < n; i++) if (bucket.tryTake()) sink++;
});
let counter = n;
const counterMs = time(() => {
  for (let i = 0; i < n; i++) if (counter-- > 0) sink++;
});
report('tokenBucket.tryTake vs bare counter', bucketMs, Math.max(counterMs, 0.001), n);

const items = Array.from({ length: Math.min(n, 50_000) }, (_, i) => i);
const work = async (x: number) => x * 2;
const limitMs = await timeAsync(async () => {
  sink += (await mapWithLimit(items, 8, work)).length;
});
const allMs = await timeAsync(async () => {
  sink += (await Promise.all(items.map(work))).length;
});
report('mapWithLimit(8) vs Promise.all', limitMs, allMs, items.length);

console.log(`@secblocks/core benchmarks (n=${n.toLocaleString('en-US')}, Node ${process.version})`);
console.log(['case', 'secblocks', 'baseline', 'time ratio'].join(' | '));
for (const r of rows) console.log(r.join(' | '));
if (sink === 0) console.log('(sink)');
