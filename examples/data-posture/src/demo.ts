// `pnpm demo`: a generated Macie results corpus, two questions on DuckDB, and the HTML report.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatTable } from '@secblocks/macie-query';
import { gapsByReason, reviewPosture } from './posture.js';

const outDir = fileURLToPath(new URL('../out', import.meta.url));
rmSync(outDir, { recursive: true, force: true });

const review = await reviewPosture(outDir);
const { corpus } = review;
console.log(
  `Generated ${corpus.records} discovery results in ${corpus.files} .jsonl.gz files (${(corpus.bytes / 1024).toFixed(0)} KiB), Macie's S3 key layout.\n`,
);

console.log('Where Macie could not look (SKIPPED/PARTIAL objects by reason, with the fix):');
const gaps = gapsByReason(review.coverageGaps);
for (const g of gaps.slice(0, 6)) {
  console.log(
    `  ${g.status.padEnd(8)} ${g.reason.padEnd(34)} ${String(g.objects).padStart(5)} objects in ${String(g.buckets).padStart(2)} buckets, ${(g.bytesNotAnalyzed / 1024 ** 2).toFixed(1).padStart(7)} MiB not analyzed`,
  );
  console.log(`           fix: ${g.remediation}`);
}
console.log(`  … and ${gaps.length - 6} more reasons in the report.`);

console.log('\nTop 5 sensitive data types:');
const top = review.topTypes;
console.log(formatTable(top.columns, top.rows));

console.log(
  `\nHTML report: ${review.reportResults.length} questions, ${(review.reportBytes / 1024).toFixed(0)} KiB -> ${review.reportPath}`,
);
if (gaps.length === 0 || top.rows.length === 0) {
  console.error('Expected coverage gaps and detections in the generated corpus');
  process.exitCode = 1;
}
