/**
 * Top client IPs over gzip WAF logs: @secblocks/waf-insights (DuckDB via @secblocks/query-runner, cold from
 * the .gz files and warm from a Parquet cache; and the built-in TypeScript engine) against a plain Node
 * baseline (gunzip stream + readline + JSON.parse + Map) in the same run. Prints records/s, ratios and peak
 * RSS per phase, and checks that every engine returns the same top 100.
 *
 *   pnpm --filter @secblocks/waf-insights bench                # 1,000,000 records (issue's size)
 *   WAF_BENCH_RECORDS=100000 pnpm --filter @secblocks/waf-insights bench   # quick run
 */
import { createReadStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { createDuckDbRunner } from '@secblocks/query-runner';
import {
  attachWafLogs,
  evaluateQuestion,
  generateSampleLines,
  getQuestion,
  type QuestionRow,
  runQuestionSql,
  streamWafLogFiles,
  type WafLogRecord,
} from '../src/index.js';

const RECORDS = Number(process.env.WAF_BENCH_RECORDS ?? 1_000_000);
const FILES = 8;
const dir = join(tmpdir(), `waf-insights-bench-${RECORDS}`);
const question = getQuestion('top-ips');

async function generate(): Promise<string[]> {
  const files = Array.from({ length: FILES }, (_, i) => join(dir, `part-${i}.log.gz`));
  if (files.every(existsSync)) return files;
  mkdirSync(dir, { recursive: true });
  const per = Math.ceil(RECORDS / FILES);
  // One iterator shared by all files, advanced by hand: a `for…of` per file would close the generator
  // when the first file is full and leave every other file empty.
  const lines = generateSampleLines({ records: RECORDS, seed: 1, malformedEvery: 10_000 })[Symbol.iterator]();
  let written = 0;
  const NEWLINE = Buffer.from('\n');
  for (const file of files) {
    const source = Readable.from(
      (function* () {
        for (let n = 0; n < per; n++) {
          const next = lines.next();
          if (next.done) return;
          written++;
          yield Buffer.concat([Buffer.from(next.value), NEWLINE]);
        }
      })(),
    );
    await pipeline(source, createGzip({ level: 6 }), (await import('node:fs')).createWriteStream(file));
  }
  if (written !== RECORDS) throw new Error(`generated ${written} lines, expected ${RECORDS}`);
  return files;
}

async function measure<T>(
  label: string,
  fn: () => Promise<T>,
): Promise<{ label: string; ms: number; peakRssMb: number; value: T }> {
  global.gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { label, ms, peakRssMb: peak / 1_048_576, value };
}

async function baseline(files: string[]): Promise<QuestionRow[]> {
  const counts = new Map<string, number>();
  for (const file of files) {
    const rl = createInterface({
      input: createReadStream(file).pipe(createGunzip()),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const line of rl) {
      if (!line) continue;
      try {
        const r = JSON.parse(line) as WafLogRecord;
        const ip = r?.httpRequest?.clientIp;
        if (
          typeof ip === 'string' &&
          typeof r.timestamp === 'number' &&
          typeof r.action === 'string' &&
          r.httpRequest.uri.length <= 16_384
        )
          counts.set(ip, (counts.get(ip) ?? 0) + 1);
      } catch {
        // skip malformed
      }
    }
  }
  return [...counts.entries()]
    .map(([clientIp, requests]) => ({ clientIp, requests }))
    .sort(
      (a, b) => b.requests - a.requests || (a.clientIp < b.clientIp ? -1 : a.clientIp > b.clientIp ? 1 : 0),
    )
    .slice(0, question.limit);
}

async function main(): Promise<void> {
  console.log(
    `waf-insights bench: top-ips over ${RECORDS.toLocaleString('en-US')} records in ${FILES} gzip files`,
  );
  const gen = await measure('generate sample files (not compared)', generate);
  const files = gen.value;
  console.log(`  generated/reused in ${(gen.ms / 1000).toFixed(1)} s at ${dir}`);

  const base = await measure('baseline: Node stream + JSON.parse + Map', () => baseline(files));
  // Guard against comparing engines on broken sample files (every engine would agree on an empty answer).
  if (base.value.length === 0)
    throw new Error('the baseline counted no records: the sample files are broken');
  const ts = await measure(
    'waf-insights TypeScript engine (streamWafLogFiles + evaluateQuestion)',
    async () => {
      const src = streamWafLogFiles(files);
      const records: WafLogRecord[] = [];
      const rows: QuestionRow[] = [];
      // Evaluate in batches so memory stays bounded: top-ips is a plain count, so batch counts add up.
      const totals = new Map<string, number>();
      for await (const { record } of src.records) {
        records.push(record);
        if (records.length === 50_000) {
          for (const r of evaluateQuestion({ ...question, limit: 10_000 }, records).rows)
            totals.set(String(r.clientIp), (totals.get(String(r.clientIp)) ?? 0) + Number(r.requests));
          records.length = 0;
        }
      }
      for (const r of evaluateQuestion({ ...question, limit: 10_000 }, records).rows)
        totals.set(String(r.clientIp), (totals.get(String(r.clientIp)) ?? 0) + Number(r.requests));
      for (const [clientIp, requests] of totals) rows.push({ clientIp, requests });
      return rows
        .sort(
          (a, b) =>
            Number(b.requests) - Number(a.requests) || (String(a.clientIp) < String(b.clientIp) ? -1 : 1),
        )
        .slice(0, question.limit);
    },
  );
  const duck = createDuckDbRunner({ memoryLimit: '1GB' });
  // Loading the native engine and opening the database happen once per process, like the Node runtime the
  // baseline already has: timed and printed on their own line, not folded into the cold query.
  const startup = await measure('DuckDB engine start-up (once per process, not compared)', async () => {
    await duck.run('SELECT 1');
  });
  console.log(`  DuckDB engine start-up (once per process): ${(startup.ms / 1000).toFixed(2)} s`);
  const cold = await measure('waf-insights DuckDB cold (read_json over the .gz files)', async () => {
    await attachWafLogs(duck, files);
    return (await runQuestionSql(duck, question)).rows;
  });
  const parquet = join(dir, 'cache.parquet');
  rmSync(parquet, { force: true });
  const build = await measure('build Parquet cache (once)', async () =>
    attachWafLogs(duck, files, { parquetCache: parquet }),
  );
  const warm = await measure(
    'waf-insights DuckDB warm (Parquet cache)',
    async () => (await runQuestionSql(duck, question)).rows,
  );
  await duck.close();

  const same = (rows: QuestionRow[]) => JSON.stringify(rows) === JSON.stringify(base.value);
  const line = (m: { label: string; ms: number; peakRssMb: number }) =>
    `  ${m.label.padEnd(72)} ${(m.ms / 1000).toFixed(2).padStart(8)} s ${Math.round((RECORDS / m.ms) * 1000)
      .toLocaleString('en-US')
      .padStart(
        12,
      )} rec/s  peak RSS ${m.peakRssMb.toFixed(0).padStart(5)} MB  ${(base.ms / m.ms).toFixed(2)}x baseline`;
  for (const m of [base, ts, cold, build, warm]) console.log(line(m));
  console.log(
    `  results equal to baseline: ts=${same(ts.value)} duckdb-cold=${same(cold.value)} duckdb-warm=${same(warm.value)}`,
  );
  console.log(
    `  target: DuckDB cold >= 3x baseline -> ${(base.ms / cold.ms).toFixed(2)}x (${base.ms / cold.ms >= 3 ? 'met' : 'not met'} on this machine)`,
  );
  if (process.env.WAF_BENCH_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
  writeFileSync(join(tmpdir(), 'waf-insights-bench-last.txt'), `${RECORDS}\n`);
}

await main();
