import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createDuckDbRunner, type DuckDbRunner } from '@secblocks/query-runner';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildHtmlReport,
  createMacieQuery,
  type EmittedColumn,
  escapeHtml,
  formatBarChart,
  formatTable,
  toCsv,
} from '../src/index.js';
import type { SampleCorpus } from '../src/testing/index.js';
import { testCorpus } from './corpus.js';

let corpus: SampleCorpus;
let duck: DuckDbRunner;

beforeAll(() => {
  corpus = testCorpus(800);
  duck = createDuckDbRunner({ memoryLimit: '512MB', threads: 2 });
});
afterAll(async () => {
  await duck.close();
  corpus.cleanup();
});

describe('buildHtmlReport', () => {
  it('renders the default questions as one self-contained page matching the snapshot', async () => {
    const mq = createMacieQuery({ local: corpus.dir, duckDbRunner: duck });
    const { html, results } = await buildHtmlReport(
      mq,
      {},
      { generatedAt: '2025-01-01T00:00:00Z', maxTableRows: 10 },
    );
    expect(results.map((r) => r.id)).toEqual([
      'jobs-size-classified',
      'top-types',
      'detections-by-account',
      'detections-by-bucket-category-type',
      'coverage-gaps',
      'exposed-buckets',
      'credentials',
      'trend-job-runs',
      'data-quality',
    ]);
    expect(html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(8);
    expect(Buffer.byteLength(html)).toBeLessThan(300 * 1024);
    await expect(html).toMatchFileSnapshot('golden/report.html');
  });

  it('contains no external URL, script, or remote resource', async () => {
    const mq = createMacieQuery({ local: corpus.dir, duckDbRunner: duck });
    const { html } = await buildHtmlReport(mq, {}, { generatedAt: '2025-01-01T00:00:00Z' });
    expect(html).not.toMatch(/[a-z][a-z0-9+.-]*:\/\//i);
    const targets = [...html.matchAll(/\b(?:src|href|action|srcset)\s*=\s*["']?([^"'\s>]*)/gi)].map(
      (m) => m[1],
    );
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) expect(t?.startsWith('#')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<iframe|<img|@import|url\(/i);
    expect(html).toContain("default-src 'none'");
  });

  it('escapes values from the results so a hostile object key cannot inject markup', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'macie-xss-'));
    const record = JSON.parse(
      readFileSync(join(import.meta.dirname, 'fixtures/reveal-records.jsonl'), 'utf8').split(
        '\n',
      )[1] as string,
    );
    record.resourcesAffected.s3Bucket.name = 'x<script>alert(1)</script>';
    record.resourcesAffected.s3Object.key = '"><img src=x onerror=alert(1)>';
    mkdirSync(join(dir, 'AWSLogs'), { recursive: true });
    writeFileSync(join(dir, 'AWSLogs', 'r.jsonl.gz'), gzipSync(`${JSON.stringify(record)}\n`));
    const mq = createMacieQuery({ local: dir, duckDbRunner: duck });
    const { html } = await buildHtmlReport(mq, {}, { generatedAt: 'now' });
    rmSync(dir, { recursive: true, force: true });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('x&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('escapeHtml', () => {
  it('leaves no markup character unescaped', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(escapeHtml(s)).not.toMatch(/[<>"']/);
        expect(escapeHtml(s).replace(/&(lt|gt|quot|#39|amp);/g, '')).not.toContain('&');
      }),
      { numRuns: 200 },
    );
  });
});

// A small RFC 4180 reader, to check that toCsv round-trips.
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('toCsv', () => {
  const columns: EmittedColumn[] = [
    { name: 'bucket', kind: 'string' },
    { name: 'objects', kind: 'number' },
  ];

  it('round-trips any text through an RFC 4180 reader', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.integer()), { maxLength: 10 }), (pairs) => {
        const rows = pairs.map(([bucket, objects]) => ({ bucket, objects }));
        const parsed = parseCsv(toCsv(columns, rows));
        expect(parsed[0]).toEqual(['bucket', 'objects']);
        parsed.slice(1).forEach((r, i) => {
          const want = pairs[i]?.[0] as string;
          expect(r[0]).toBe(/^[=+\-@\t\r]/.test(want) ? `'${want}` : want);
          expect(Number(r[1])).toBe(pairs[i]?.[1]);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('neutralises spreadsheet formulas in text but keeps negative numbers', () => {
    const csv = toCsv(columns, [{ bucket: '=HYPERLINK("x")', objects: -3 }]);
    expect(csv).toBe('bucket,objects\r\n"\'=HYPERLINK(""x"")",-3\r\n');
  });
});

describe('formatTable', () => {
  it('right-aligns numbers and shows nulls as blanks', () => {
    const out = formatTable(
      [
        { name: 'type', kind: 'string' },
        { name: 'n', kind: 'number' },
      ],
      [
        { type: 'NAME', n: 5 },
        { type: null, n: 12345 },
      ],
    );
    expect(out.split('\n')).toEqual(['type      n', '----  -----', 'NAME      5', '      12345', '(2 rows)']);
  });
});

describe('formatBarChart', () => {
  it('scales bars to the largest value', () => {
    const out = formatBarChart(
      [
        { t: 'A', v: 10 },
        { t: 'BB', v: 5 },
      ],
      't',
      'v',
      10,
    );
    expect(out).toBe(`A   ${'█'.repeat(10)} 10\nBB  ${'█'.repeat(5)} 5`);
  });
});
