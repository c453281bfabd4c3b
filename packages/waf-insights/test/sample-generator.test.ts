import { describe, expect, it } from 'vitest';
import {
  BOT_CATEGORY_LABEL_PREFIX,
  generateSampleRecords,
  NON_BROWSER_USER_AGENT_LABEL,
  sampleRecordIterator,
  TOKEN_ID_LABEL_PREFIX,
} from '../src/index.js';

describe('generateSampleRecords', () => {
  const records = generateSampleRecords({ records: 5000, seed: 9 });

  it('returns the same records for the same seed and different ones for another seed', () => {
    expect(generateSampleRecords({ records: 50, seed: 9 })).toEqual(records.slice(0, 50));
    expect(generateSampleRecords({ records: 50, seed: 10 })).not.toEqual(records.slice(0, 50));
  });

  it('covers the edge cases the questions depend on', () => {
    const has = (p: (r: (typeof records)[number]) => boolean) => records.some(p);
    expect(has((r) => r.labels === undefined)).toBe(true);
    expect(has((r) => Array.isArray(r.labels) && r.labels.length === 0)).toBe(true);
    expect(has((r) => r.httpRequest.headers.some((h) => h.name === 'user-agent'))).toBe(true);
    expect(has((r) => r.httpRequest.headers.some((h) => h.name === 'User-Agent'))).toBe(true);
    expect(has((r) => !r.httpRequest.headers.some((h) => h.name.toLowerCase() === 'user-agent'))).toBe(true);
    expect(
      has((r) =>
        r.ruleGroupList.some((g) => g.nonTerminatingMatchingRules.some((n) => n.action === 'COUNT')),
      ),
    ).toBe(true);
    expect(has((r) => r.ruleGroupList.some((g) => g.excludedRules !== null))).toBe(true);
    expect(has((r) => r.nonTerminatingMatchingRules.some((n) => n.action === 'COUNT'))).toBe(true);
    expect(has((r) => r.captchaResponse?.failureReason === 'TOKEN_MISSING')).toBe(true);
    expect(has((r) => r.nonTerminatingMatchingRules.some((n) => n.action === 'CAPTCHA'))).toBe(true);
    expect(has((r) => r.challengeResponse?.failureReason !== undefined)).toBe(true);
    expect(has((r) => r.terminatingRuleType === 'RATE_BASED' && r.rateBasedRuleList.length > 0)).toBe(true);
    expect(has((r) => r.labels?.some((l) => l.name === NON_BROWSER_USER_AGENT_LABEL) ?? false)).toBe(true);
    expect(has((r) => r.labels?.some((l) => l.name.startsWith(BOT_CATEGORY_LABEL_PREFIX)) ?? false)).toBe(
      true,
    );
    expect(has((r) => r.labels?.some((l) => l.name.startsWith(TOKEN_ID_LABEL_PREFIX)) ?? false)).toBe(true);
    expect(has((r) => r.ja4Fingerprint !== undefined)).toBe(true);
    expect(has((r) => r.ja4Fingerprint === undefined)).toBe(true);
    expect(has((r) => r.httpRequest.country === '-')).toBe(true);
    expect(has((r) => r.oversizeFields !== undefined)).toBe(true);
    expect(has((r) => r.httpRequest.uri.includes('"'))).toBe(true);
  });

  it('is lazy through sampleRecordIterator', () => {
    const it = sampleRecordIterator({ records: 1_000_000_000, seed: 9 });
    expect(it.next().value).toEqual(records[0]);
  });

  it('names records when it is negative', () => {
    expect(() => generateSampleRecords({ records: -1 })).toThrow(/records/);
  });
});
