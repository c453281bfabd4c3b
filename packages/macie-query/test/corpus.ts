import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createSampleCorpus, type SampleCorpus } from '../src/testing/index.js';

/** The shared test corpus: a generated sample plus the two real-shaped fixture records. */
export function testCorpus(records = 1500): SampleCorpus {
  const corpus = createSampleCorpus({ records, seed: 7, recordsPerFile: 250 });
  const dir = join(
    corpus.dir,
    'AWSLogs/555555555555/Macie/us-east-1/55555555555555555555555555555555/555555555555',
  );
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'bca1db4c-fb51-38cc-8555-bae4f195cf71.jsonl.gz');
  writeFileSync(file, gzipSync(readFileSync(join(import.meta.dirname, 'fixtures/reveal-records.jsonl'))));
  corpus.files.push(file);
  corpus.files.sort();
  return corpus;
}

export const LABELS = { '111111111111': 'dev', '222222222223': 'prod', '555555555555': 'dev' };

/** Normalizes rows for comparison: bigint → string, doubles rounded, rows sorted. */
export function normalize(rows: readonly Record<string, unknown>[]): string[] {
  return rows
    .map((r) =>
      JSON.stringify(r, (_k, v) =>
        typeof v === 'bigint'
          ? v.toString()
          : typeof v === 'number' && !Number.isInteger(v)
            ? Number(v.toFixed(6))
            : v,
      ),
    )
    .sort();
}
