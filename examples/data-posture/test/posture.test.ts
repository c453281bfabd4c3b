import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gapsByReason, type PostureReview, reviewPosture } from '../src/posture.js';

describe('reviewPosture', () => {
  let dir: string;
  let review: PostureReview;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'data-posture-'));
    review = await reviewPosture(dir, 600);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers coverage gaps with only SKIPPED and PARTIAL objects, each with a remediation', () => {
    expect(review.corpus.records).toBe(600);
    expect(review.coverageGaps.rows.length).toBeGreaterThan(0);
    for (const row of review.coverageGaps.rows) {
      expect(['SKIPPED', 'PARTIAL']).toContain(row.status_code);
      expect(String(row.remediation)).not.toBe('');
    }
  });

  it('rolls gaps up per reason without losing objects', () => {
    const gaps = gapsByReason(review.coverageGaps);
    const total = review.coverageGaps.rows.reduce((n, r) => n + Number(r.objects), 0);
    expect(gaps.reduce((n, g) => n + g.objects, 0)).toBe(total);
    expect(new Set(gaps.map((g) => `${g.status}/${g.reason}`)).size).toBe(gaps.length);
    expect(gaps.map((g) => g.objects)).toEqual([...gaps.map((g) => g.objects)].sort((a, b) => b - a));
  });

  it('returns the five most detected types in descending order', () => {
    const counts = review.topTypes.rows.map((r) => Number(r.detections));
    expect(counts).toHaveLength(5);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('writes a self-contained HTML report with a locked-down CSP', () => {
    const html = readFileSync(review.reportPath, 'utf8');
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('id="q-coverage-gaps"');
    expect(html).toContain('id="q-top-types"');
    expect(html).not.toMatch(/<script/i);
  });
});
