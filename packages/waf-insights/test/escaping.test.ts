import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compileLogsInsights,
  compileSql,
  evaluateQuestion,
  getQuestion,
  isWafInsightsError,
  logsInsightsRegexLiteral,
  logsInsightsString,
  narrowQuestion,
  runLogsInsightsQuery,
  sqlString,
  toQuestionResult,
} from '../src/index.js';
import { buildWafLogRecord, toLogEvents } from '../src/testing/index.js';

// Parameters as attackers would shape them: quotes, backslashes, regex metacharacters, pipes, SQL and
// Logs Insights syntax, non-ASCII. Control characters (newlines) are refused, tested separately.
const nasty = fc.oneof(
  fc.string({
    unit: fc.constantFrom(
      '"',
      "'",
      '\\',
      '/',
      '|',
      '*',
      '.',
      '(',
      ')',
      '[',
      ']',
      '^',
      '$',
      '?',
      '+',
      '{',
      '}',
      '#',
      '-',
      ';',
      '`',
      'a',
      'Z',
      '0',
      ' ',
      'é',
      '\u{1f600}',
    ),
    maxLength: 24,
  }),
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what the filter excludes.
  fc.string({ maxLength: 24 }).filter((s) => !/[\u0000-\u001f\u007f]/.test(s)),
);

let instance: DuckDBInstance;
let connection: Awaited<ReturnType<DuckDBInstance['connect']>>;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
});
afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

describe('logsInsightsString', () => {
  it('round-trips through the Logs Insights lexer so a parameter stays one literal', () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const events = [
          { message: JSON.stringify({ v: s }), timestamp: 1 },
          { message: JSON.stringify({ v: `${s}x` }), timestamp: 2 },
        ];
        const out = runLogsInsightsQuery(`filter v = ${logsInsightsString(s)} | stats count(*) as n`, events);
        expect(out.rows).toEqual([{ n: 1 }]);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses newlines and other control characters with INVALID_PARAMETER', () => {
    for (const bad of ['a\nb', 'a\rb', '\u0000', 'x\ty']) {
      try {
        logsInsightsString(bad);
        expect.unreachable();
      } catch (e) {
        expect(isWafInsightsError(e) && e.code === 'INVALID_PARAMETER').toBe(true);
      }
    }
  });
});

describe('logsInsightsRegexLiteral', () => {
  it('matches the parameter literally as a prefix and nothing else', () => {
    fc.assert(
      fc.property(
        nasty.filter((x) => x.length > 0),
        nasty,
        (p, rest) => {
          const re = `filter v like /^${logsInsightsRegexLiteral(p)}/ | stats count(*) as n`;
          const events = [
            { message: JSON.stringify({ v: `${p}${rest}` }), timestamp: 1 },
            { message: JSON.stringify({ v: `\u0001${p}` }), timestamp: 2 },
          ];
          expect(runLogsInsightsQuery(re, events).rows).toEqual([{ n: 1 }]);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('sqlString', () => {
  it('round-trips through DuckDB as one string literal', async () => {
    await fc.assert(
      fc.asyncProperty(nasty, async (s) => {
        const reader = await connection.runAndReadAll(`SELECT ${sqlString(s)} AS v, 1 AS one`);
        expect(reader.getRowObjectsJS()).toEqual([{ v: s, one: 1 }]);
      }),
      { numRuns: 100 },
    );
  });
});

describe('narrowQuestion', () => {
  it('keeps the meaning of the question in every language when the IP parameter is hostile', async () => {
    await fc.assert(
      fc.asyncProperty(nasty, async (ip) => {
        const records = [
          buildWafLogRecord({ httpRequest: { clientIp: ip, uri: '/a' } }),
          buildWafLogRecord({ httpRequest: { clientIp: ip, uri: '/a' } }),
          buildWafLogRecord({ httpRequest: { clientIp: `${ip}'`, uri: '/b' } }),
          buildWafLogRecord({ httpRequest: { clientIp: '192.0.2.1', uri: '/c' } }),
        ];
        const q = narrowQuestion(getQuestion('top-uris'), { clientIp: ip });
        const expected = [{ uri: '/a', requests: 2 }];
        expect(evaluateQuestion(q, records).rows).toEqual(expected);
        const local = runLogsInsightsQuery(compileLogsInsights(q), toLogEvents(records));
        expect(toQuestionResult(q, local.rows).rows).toEqual(expected);
        const values = records
          .map((r) => `(${sqlString(r.httpRequest.clientIp)}, ${sqlString(r.httpRequest.uri)})`)
          .join(', ');
        const sql = compileSql(q, 'duckdb', { table: 'recs' });
        const reader = await connection.runAndReadAll(
          `WITH recs AS (SELECT {'clientIp': ip, 'uri': uri} AS "httpRequest" FROM (VALUES ${values}) AS t(ip, uri)) ${sql}`,
        );
        expect(toQuestionResult(q, reader.getRowObjectsJS()).rows).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });

  it('keeps the meaning of a label filter when the label is hostile', () => {
    fc.assert(
      fc.property(nasty, (label) => {
        const records = [
          buildWafLogRecord({ labels: [{ name: label }], httpRequest: { clientIp: '192.0.2.7' } }),
          buildWafLogRecord({ labels: [{ name: `${label}"` }], httpRequest: { clientIp: '192.0.2.8' } }),
        ];
        const q = narrowQuestion(getQuestion('top-ips'), { label });
        const local = runLogsInsightsQuery(compileLogsInsights(q), toLogEvents(records));
        expect(toQuestionResult(q, local.rows).rows).toEqual([{ clientIp: '192.0.2.7', requests: 1 }]);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps the meaning of a URI prefix across Logs Insights and Athena quoting', () => {
    fc.assert(
      fc.property(nasty, (prefix) => {
        const q = narrowQuestion(getQuestion('top-ips'), { uriPrefix: prefix });
        const athena = compileSql(q, 'athena');
        // The only quote characters outside the escaped literal are the generated ones.
        const literal = sqlString(prefix);
        expect(athena).toContain(`starts_with("httprequest".uri, ${literal})`);
        expect(athena.split(literal).join('').replace(/'-'/g, '').includes("'")).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a parameter containing a newline, naming it', () => {
    try {
      narrowQuestion(getQuestion('top-ips'), { clientIp: '1.2.3.4\n| limit 1' });
      expect.unreachable();
    } catch (e) {
      expect(isWafInsightsError(e) && e.parameter === 'clientIp').toBe(true);
    }
  });
});
