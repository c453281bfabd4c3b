/**
 * A small real run of @secblocks/core: a flaky, rate-limited "API" called through `retry` (full jitter),
 * a token bucket and `mapWithLimit`, logging through the redacting JSON logger. Run with `pnpm demo`.
 */
import { createJsonLogger, createTokenBucket, mapWithLimit, retry, sensitive } from '@secblocks/core';

const lines: string[] = [];
const logger = createJsonLogger({ level: 'debug', write: (l) => lines.push(l), fields: { demo: 'core' } });

// A fake upstream that throttles every third call, the way AWS APIs answer bursts.
let calls = 0;
async function fetchSecretVersion(name: string): Promise<{ name: string; version: number }> {
  calls++;
  if (calls % 3 === 0) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
  return { name, version: name.length };
}

const bucket = createTokenBucket({ capacity: 4, refillPerSecond: 40 });
const names = ['app/db', 'app/api-key', 'payments/stripe', 'payments/webhook', 'ops/pager', 'ops/grafana'];
let retries = 0;
const started = performance.now();
const versions = await mapWithLimit(names, 2, async (name) => {
  await bucket.take();
  return retry(() => fetchSecretVersion(name), {
    maxAttempts: 5,
    baseDelayMs: 10,
    onRetry: ({ attempt, delayMs }) => {
      retries++;
      logger.debug('retrying', { name, attempt, delayMs });
    },
  });
});
logger.info('done', { count: versions.length, apiToken: sensitive('tok_live_do_not_print') });

console.log(
  `fetched ${versions.length} versions with ${calls} calls (${retries} throttled and retried) in ${Math.round(performance.now() - started)} ms`,
);
for (const v of versions) console.log(`  ${v.name.padEnd(18)} v${v.version}`);
console.log('last log line (the Sensitive token is redacted):');
console.log(`  ${lines.at(-1)?.trim()}`);
if (lines.some((l) => l.includes('tok_live'))) throw new Error('redaction failed');
