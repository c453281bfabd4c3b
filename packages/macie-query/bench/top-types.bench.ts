/**
 * Top sensitive data types, cold from the gz files, on a generated corpus (default 1,000,000 records; set
 * MACIE_BENCH_RECORDS for a quick run). In the same run:
 *   ours  — macie-query's DuckDB emitter (explicit slim schema, SELECT-list unnest in CTEs), fresh instance;
 *   (a)   — the AWS blog's Trino-style FROM-unnest SQL executed on DuckDB over a full-schema view
 *           (its CAST(... AS INT) changed to BIGINT: INT overflows on counts above 2^31 and fails);
 *   (b)   — a plain Node stream: gunzip + readline + JSON.parse + a Map.
 * Prints times, the ratios against the targets (≥ 10× vs a, ≥ 3× vs b) and peak RSS. The corpus is generated
 * once into bench/.data (git-ignored) and reused.
 */
import { createReadStream, existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { createDuckDbRunner, duckDbReadJson } from '@secblocks/query-runner';
import { createMacieQuery, duckDbColumns, resolveResultFiles, writeSampleCorpus } from '../src/index.js';

const records = Number(process.env.MACIE_BENCH_RECORDS ?? 1_000_000);
const threads = Number(process.env.MACIE_BENCH_THREADS ?? 2);
const dir = join(import.meta.dirname, '.data', `corpus-${records}-seed1`);
const mb = () => Math.round(process.resourceUsage().maxRSS / 1024);

if (!existsSync(join(dir, 'AWSLogs'))) {
  const t = performance.now();
  const s = writeSampleCorpus({ outDir: dir, records, seed: 1, recordsPerFile: 10_000 });
  console.log(
    `generated ${s.records} records in ${s.files} files (${(s.bytes / 1e6).toFixed(1)} MB gz) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
}
const { files } = resolveResultFiles(dir);
console.log(`corpus: ${records} records, ${files.length} files, ${threads} DuckDB threads`);

type Top = { type: string; detections: number }[];
const show = (rows: Top) => rows.map((r) => `${r.type}=${r.detections}`).join(' ');

// (b) plain Node: stream, parse every line, aggregate.
let t = performance.now();
const totals = new Map<string, number>();
for (const file of files) {
  const lines = createInterface({
    input: createReadStream(file).pipe(createGunzip()),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    if (!line) continue;
    const r = JSON.parse(line);
    if (r.resourcesAffected?.s3Object?.embeddedFileDetails) continue;
    const result = r.classificationDetails?.result;
    for (const sd of result?.sensitiveData ?? [])
      for (const d of sd.detections ?? []) totals.set(d.type, (totals.get(d.type) ?? 0) + Number(d.count));
    for (const d of result?.customDataIdentifiers?.detections ?? [])
      totals.set(d.name, (totals.get(d.name) ?? 0) + Number(d.count));
  }
}
const nodeMs = performance.now() - t;
const nodeTop: Top = [...totals]
  .map(([type, detections]) => ({ type, detections }))
  .sort((a, b) => b.detections - a.detections)
  .slice(0, 5);
console.log(
  `(b) node stream + JSON.parse: ${(nodeMs / 1000).toFixed(2)} s  peak RSS ${mb()} MB  ${show(nodeTop)}`,
);

// ours: the catalog question through createMacieQuery, cold (new DuckDB instance, straight from the files).
t = performance.now();
const mq = createMacieQuery({ local: dir, duckdb: { threads, memoryLimit: '2GB' } });
const ours = await mq.ask('top-types', { top: 5 });
await mq.close();
const oursMs = performance.now() - t;
console.log(
  `ours (macie-query DuckDB emitter): ${(oursMs / 1000).toFixed(2)} s  peak RSS ${mb()} MB  ${show(ours.rows as Top)}`,
);

// (a) the AWS post's query shape on DuckDB.
const duck = createDuckDbRunner({ threads, memoryLimit: '2GB' });
await duck.run(
  `CREATE VIEW maciedetail_all_jobs AS SELECT * FROM ${duckDbReadJson(files, { columns: duckDbColumns(), ignoreErrors: true })}`,
);
t = performance.now();
const post = await duck.run<{ type: string; detections: number }>(`
select detections_data.type AS "type", sum(cast(detections_data.count as BIGINT)) AS detections
from maciedetail_all_jobs, unnest(classificationdetails.result.sensitiveData) as t(sensitive_data),
  unnest(sensitive_data.detections) as t(detections_data)
where resourcesaffected.s3object.embeddedfiledetails is null
group by detections_data.type
order by detections desc
limit 5`);
const postMs = performance.now() - t;
await duck.close();
console.log(
  `(a) AWS post FROM-unnest SQL on DuckDB: ${(postMs / 1000).toFixed(2)} s  peak RSS ${mb()} MB  ${show(post.rows)}`,
);

const ra = postMs / oursMs;
const rb = nodeMs / oursMs;
console.log(`ratio vs (a): ${ra.toFixed(1)}x (target ≥ 10x: ${ra >= 10 ? 'met' : 'NOT met'})`);
console.log(`ratio vs (b): ${rb.toFixed(1)}x (target ≥ 3x: ${rb >= 3 ? 'met' : 'NOT met'})`);
console.log(
  `peak RSS (whole process): ${mb()} MB; load average at the end: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
