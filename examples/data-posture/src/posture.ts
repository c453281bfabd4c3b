// The data-posture questions, as functions the demo prints and the tests assert on: generate a corpus of
// Macie sensitive data discovery results in Macie's S3 key layout, ask the coverage-gap and top-types
// questions on DuckDB, and render the HTML report. On AWS the same questions run on Athena (see infra/).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildHtmlReport,
  createMacieQuery,
  type QuestionResult,
  type SampleCorpusSummary,
  writeSampleCorpus,
} from '@secblocks/macie-query';

/** One line per reason Macie skipped or partially analyzed objects. */
export interface GapByReason {
  status: string;
  reason: string;
  objects: number;
  bytesNotAnalyzed: number;
  buckets: number;
  remediation: string;
}

/** Rolls the coverage-gaps rows (per status, reason, account, bucket, extension) up to one line per reason. */
export function gapsByReason(result: QuestionResult): GapByReason[] {
  const byReason = new Map<string, GapByReason & { bucketSet: Set<string> }>();
  for (const row of result.rows) {
    const key = `${row.status_code}/${row.status_reason}`;
    let g = byReason.get(key);
    if (!g) {
      g = {
        status: String(row.status_code),
        reason: String(row.status_reason ?? '(none)'),
        objects: 0,
        bytesNotAnalyzed: 0,
        buckets: 0,
        remediation: String(row.remediation ?? ''),
        bucketSet: new Set(),
      };
      byReason.set(key, g);
    }
    g.objects += Number(row.objects ?? 0);
    g.bytesNotAnalyzed += Number(row.bytes_not_analyzed ?? 0);
    g.bucketSet.add(String(row.bucket));
    g.buckets = g.bucketSet.size;
  }
  return [...byReason.values()]
    .map(({ bucketSet: _b, ...g }) => g)
    .sort((a, b) => b.objects - a.objects || a.reason.localeCompare(b.reason));
}

/** What one posture review produced. */
export interface PostureReview {
  corpus: SampleCorpusSummary;
  coverageGaps: QuestionResult;
  topTypes: QuestionResult;
  /** Every question of the report, in order. */
  reportResults: QuestionResult[];
  reportPath: string;
  reportBytes: number;
}

/**
 * Writes `records` generated results under `workDir/results`, answers the two questions and writes
 * `workDir/report.html`.
 */
export async function reviewPosture(workDir: string, records = 3000): Promise<PostureReview> {
  const resultsDir = join(workDir, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const corpus = writeSampleCorpus({ outDir: resultsDir, records, seed: 42, recordsPerFile: 250 });
  const mq = createMacieQuery({ local: resultsDir, duckdb: { memoryLimit: '512MB' } });
  try {
    const coverageGaps = await mq.ask('coverage-gaps');
    const topTypes = await mq.ask('top-types', { top: 5 });
    const { html, results } = await buildHtmlReport(
      mq,
      {},
      { title: 'Data posture: Macie discovery results' },
    );
    const reportPath = join(workDir, 'report.html');
    writeFileSync(reportPath, html);
    return {
      corpus,
      coverageGaps,
      topTypes,
      reportResults: results,
      reportPath,
      reportBytes: Buffer.byteLength(html),
    };
  } finally {
    await mq.close();
  }
}
