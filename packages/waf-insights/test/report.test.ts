import { describe, expect, it } from 'vitest';
import {
  evaluateQuestion,
  formatTable,
  getQuestion,
  QUESTION_CATALOG,
  renderHtmlReport,
} from '../src/index.js';
import { buildWafLogRecord, generateSampleRecords } from '../src/testing/index.js';

describe('renderHtmlReport', () => {
  it('escapes attacker-controlled values and loads nothing external', () => {
    const records = [
      buildWafLogRecord({
        httpRequest: {
          uri: '/<script>alert(1)</script>',
          headers: [{ name: 'User-Agent', value: '"><img src=x onerror=alert(1)>' }],
        },
      }),
    ];
    const html = renderHtmlReport(
      QUESTION_CATALOG.map((question) => ({ question, result: evaluateQuestion(question, records) })),
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect(html).toContain("default-src 'none'");
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThan(3);
  });
});

describe('formatTable', () => {
  it('renders keys, counts and proportional bars', () => {
    const q = getQuestion('top-countries');
    const text = formatTable(q, evaluateQuestion(q, generateSampleRecords({ records: 500, seed: 1 })));
    const lines = text.split('\n');
    expect(lines[0]).toBe('Top countries');
    expect(lines[3]).toMatch(/^\S+\s+\d+\s+#{24}$/);
  });
});
