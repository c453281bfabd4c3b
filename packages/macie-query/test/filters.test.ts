import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  detections,
  emitQuestion,
  getQuestion,
  isMacieQueryError,
  objects,
  QUESTIONS,
  remediationFor,
  STATUS_REASON_CODES,
  STATUS_REASONS,
  validateFilters,
} from '../src/index.js';

const athena = { engine: 'athena', table: { table: 'macie_results' } } as const;
const duck = { engine: 'duckdb', source: 'macie_results' } as const;

const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
};

describe('validateFilters', () => {
  it.each([
    ['accounts', ['12345678901']],
    ['accounts', ["111122223333' OR '1'='1"]],
    ['regions', ['us-east-1; DROP TABLE x']],
    ['jobIds', ['not-a-job']],
    ['buckets', ['Bad_Bucket']],
    ['categories', ['PASSWORDS']],
    ['statusCodes', ['DONE']],
  ])('throws INVALID_FILTER naming %s and the value when it is invalid', (name, value) => {
    const e = thrown(() => validateFilters({ [name]: value }));
    expect(isMacieQueryError(e)).toBe(true);
    expect(e).toMatchObject({ code: 'INVALID_FILTER' });
    expect((e as Error).message).toContain(`"${name}"`);
    expect((e as Error).message).toContain(JSON.stringify(value[0]));
  });

  it('throws INVALID_FILTER for a date that is not ISO-8601', () => {
    expect(() => validateFilters({ since: '01/02/2024' })).toThrow('"since"');
    expect(() => validateFilters({ until: '2024-13-01' })).toThrow('"until"');
    expect(validateFilters({ since: '2024-02-29', until: '2024-03-01T10:00:00Z' }).since).toBe('2024-02-29');
  });

  it('rejects any account value that is not exactly 12 digits', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^\d{12}$/.test(s)),
        (s) => {
          expect(() => validateFilters({ accounts: [s] })).toThrow('"accounts"');
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('emitPlan', () => {
  it('never puts a filter value into the SQL text, only into the parameters', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^\d{12}$/), { minLength: 1, maxLength: 3 }),
        fc.array(
          fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !/\p{Cc}/u.test(s)),
          { minLength: 1, maxLength: 3 },
        ),
        fc.constantFrom(athena, duck),
        (accounts, types, target) => {
          const { sql, params } = detections().by('type').where({ accounts, types }).emit(target);
          for (const t of types) expect(params).toContain(t);
          for (const a of accounts) {
            expect(params).toContain(a);
            expect(sql).not.toContain(a);
          }
          expect(sql.split('?').length - 1).toBe(params.length);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('binds an injection attempt in a type filter as a value', () => {
    const { sql, params } = detections()
      .by('type')
      .where({ types: ["x') OR 1=1 --"] })
      .emit(athena);
    expect(sql).not.toContain('OR 1=1');
    expect(params).toEqual(["x') OR 1=1 --"]);
  });

  it('repeats record-filter parameters in both UNION ALL branches on Athena and once on DuckDB', () => {
    const plan = detections()
      .by('type')
      .where({ accounts: ['111122223333'], since: '2024-01-01' });
    expect(plan.emit(athena).params).toEqual(['111122223333', '2024-01-01', '111122223333', '2024-01-01']);
    expect(plan.emit(duck).params).toEqual(['111122223333', '2024-01-01']);
  });

  it('casts detection counts and sums to BIGINT and never to INT', () => {
    for (const q of QUESTIONS) {
      const { sql } = emitQuestion(q.id, athena, {
        filters: { jobIds: ['0123456789abcdef0123456789abcdef'], since: '2024-01-01' },
        accountLabels: { '111122223333': 'dev' },
      });
      expect(sql).not.toMatch(/AS INT\)/);
      expect(sql).not.toMatch(/\bUNION\s+(?!ALL)/);
    }
  });

  it('throws INVALID_OPTION when a detection dimension is used on the objects grain', () => {
    expect(() => objects().by('type').plan()).toThrow('"dimensions"');
    expect(() => objects().measure('detections').plan()).toThrow('"measures"');
    expect(() => detections().by('type').top(0).plan()).toThrow('"limit"');
  });

  it('throws PROJECTION_FILTER_REQUIRED when the projected table is queried without jobs and accounts', () => {
    const e = thrown(() =>
      emitQuestion('top-types', {
        engine: 'athena',
        table: { table: 'macie_results_projected', projected: true },
      }),
    );
    expect(e).toMatchObject({ code: 'PROJECTION_FILTER_REQUIRED' });
  });

  it('throws INVALID_FILTER when an account label map has a bad account ID', () => {
    const e = thrown(() => emitQuestion('labelled-accounts', duck, { accountLabels: { nope: 'dev' } }));
    expect(e).toMatchObject({ code: 'INVALID_FILTER' });
  });
});

describe('emitQuestion', () => {
  it('throws MISSING_PARAMETER when a per-job question has no job ID', () => {
    expect(thrown(() => emitQuestion('job-category-type', athena))).toMatchObject({
      code: 'MISSING_PARAMETER',
    });
    expect(thrown(() => emitQuestion('new-buckets', athena))).toMatchObject({ code: 'MISSING_PARAMETER' });
    expect(thrown(() => emitQuestion('labelled-accounts', athena))).toMatchObject({
      code: 'MISSING_PARAMETER',
    });
  });

  it('throws UNKNOWN_QUESTION listing the catalog when the ID is unknown', () => {
    const e = thrown(() => getQuestion('top-secrets'));
    expect(e).toMatchObject({ code: 'UNKNOWN_QUESTION' });
    expect((e as Error).message).toContain('top-types');
  });

  it('has unique question IDs covering the 15 analytics queries it replaces', () => {
    const ids = QUESTIONS.map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
    const anchors = QUESTIONS.filter((q) => q.source.startsWith('aws-samples')).map((q) => q.source);
    expect(new Set(anchors).size).toBe(15);
  });
});

describe('remediationFor', () => {
  it('has a distinct hint for each of the 21 status reason codes', () => {
    expect(STATUS_REASON_CODES).toHaveLength(21);
    const hints = STATUS_REASON_CODES.map((c) => remediationFor(c));
    expect(new Set(hints).size).toBe(21);
    expect(STATUS_REASONS.INVALID_ENCRYPTION).toContain('AWSServiceRoleForAmazonMacie');
    expect(remediationFor('SOMETHING_NEW')).toContain('Unknown reason code SOMETHING_NEW');
    expect(remediationFor(null)).toContain('No reason');
  });
});
