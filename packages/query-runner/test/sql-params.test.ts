import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  athenaQueryCostUsd,
  castAthenaValue,
  countPlaceholders,
  formatAthenaParameter,
} from '../src/index.js';

// Reads a Trino string literal back: the inverse of formatAthenaParameter for strings.
const parseLiteral = (lit: string): string => {
  expect(lit.startsWith("'") && lit.endsWith("'")).toBe(true);
  const body = lit.slice(1, -1);
  expect(body.replace(/''/g, '')).not.toContain("'");
  return body.replace(/''/g, "'");
};

describe('formatAthenaParameter', () => {
  it('round-trips every string as one quoted literal', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('\u0000')),
        (s) => {
          expect(parseLiteral(formatAthenaParameter(s))).toBe(s);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('prints safe and unsafe integers without exponent', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), (n) => {
        expect(formatAthenaParameter(n)).toBe(n.toString());
      }),
      { numRuns: 100 },
    );
    expect(formatAthenaParameter(3_000_000_000)).toBe('3000000000');
    expect(formatAthenaParameter(1.5)).toBe("DOUBLE '1.5'");
    expect(formatAthenaParameter(false)).toBe('false');
    expect(formatAthenaParameter(null)).toBe('NULL');
  });

  it('throws INVALID_PARAMETER for NaN, Infinity and NUL characters', () => {
    expect(() => formatAthenaParameter(Number.NaN, 2)).toThrow('Parameter #3');
    expect(() => formatAthenaParameter(Number.POSITIVE_INFINITY)).toThrow('finite');
    expect(() => formatAthenaParameter('a\u0000b')).toThrow('NUL');
    expect(() => formatAthenaParameter({} as never)).toThrow('unsupported type');
  });
});

describe('countPlaceholders', () => {
  it('counts only placeholders outside literals, quoted identifiers and comments', () => {
    expect(countPlaceholders("SELECT ? , '?' , \"?\" , 'it''s ?' -- ?\n , /* ? */ ?")).toBe(2);
  });

  it('ignores any text inside a string literal', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat({ max: 5 }), (s, n) => {
        const sql = `SELECT ${formatAthenaParameter(s.split(String.fromCharCode(0)).join(''))}${' , ?'.repeat(n)}`;
        expect(countPlaceholders(sql)).toBe(n);
      }),
      { numRuns: 200 },
    );
  });
});

describe('castAthenaValue', () => {
  it('casts integers to number or bigint so that the text round-trips', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
        const v = castAthenaValue('bigint', n.toString());
        expect(typeof v === 'number' ? Number.isSafeInteger(v) : typeof v === 'bigint').toBe(true);
        expect(String(v)).toBe(n.toString());
      }),
      { numRuns: 200 },
    );
  });

  it('casts doubles, decimals and booleans and keeps other types as text', () => {
    expect(castAthenaValue('double', '1.0E10')).toBe(1e10);
    expect(castAthenaValue('decimal(20,8)', '2.50000000')).toBe(2.5);
    expect(castAthenaValue('real', 'Infinity')).toBe(Number.POSITIVE_INFINITY);
    expect(castAthenaValue('boolean', 'false')).toBe(false);
    expect(castAthenaValue('timestamp', '2024-01-01 00:00:00.000')).toBe('2024-01-01 00:00:00.000');
    expect(castAthenaValue('array(varchar)', '[a, b]')).toBe('[a, b]');
    expect(castAthenaValue('varchar', undefined)).toBeNull();
    expect(castAthenaValue('varchar', '')).toBe('');
  });
});

describe('athenaQueryCostUsd', () => {
  it('charges a 10 MB minimum, rounds up to the MB, and charges nothing for no scan', () => {
    const mb = 1024 * 1024;
    const perMb = 5 / (1024 * 1024);
    expect(athenaQueryCostUsd(0)).toBe(0);
    expect(athenaQueryCostUsd(1)).toBeCloseTo(10 * perMb, 15);
    expect(athenaQueryCostUsd(10 * mb + 1)).toBeCloseTo(11 * perMb, 15);
    expect(athenaQueryCostUsd(1024 ** 4)).toBe(5);
    expect(athenaQueryCostUsd(1024 ** 4, 6.75)).toBe(6.75);
  });
});
