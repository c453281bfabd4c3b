import { describe, expect, it } from 'vitest';
import { isWafInsightsError, runLogsInsightsQuery, validateLogsInsightsQuery } from '../src/index.js';

const ev = (o: unknown, timestamp = 0) => ({ message: JSON.stringify(o), timestamp });

describe('runLogsInsightsQuery', () => {
  it('emits no record for an empty list and one per element otherwise when unnesting', () => {
    const out = runLogsInsightsQuery(
      'fields jsonParse(@message) as js | unnest js.items into it | stats count(*) as n',
      [ev({ items: [] }), ev({ items: [{ a: 1 }, { a: 2 }] })],
    );
    expect(out.rows).toEqual([{ n: 2 }]);
  });

  it('treats a non-list as a one-item list when unnesting', () => {
    const out = runLogsInsightsQuery(
      'fields jsonParse(@message) as js | unnest js.items into it | filter ispresent(it.a) | display it.a',
      [ev({ items: { a: 7 } })],
    );
    expect(out.rows).toEqual([{ 'it.a': 7 }]);
  });

  it('exposes discovered fields as dotted leaves but not maps', () => {
    const out = runLogsInsightsQuery(
      'filter ispresent(httpRequest.clientIp) and not ispresent(httpRequest) | display httpRequest.clientIp',
      [ev({ httpRequest: { clientIp: '1.2.3.4' } })],
    );
    expect(out.rows).toEqual([{ 'httpRequest.clientIp': '1.2.3.4' }]);
  });

  it('extracts named groups with parse and leaves them absent on no match', () => {
    const out = runLogsInsightsQuery(
      'parse @message /"u":"(?<user>[^"]+)"/ | stats count(*) as n by user | sort n desc',
      [ev({ u: 'ann' }), ev({ u: 'ann' }), ev({ v: 1 })],
    );
    expect(out.rows).toEqual([{ user: 'ann', n: 2 }, { n: 1 }]);
  });

  it('supports glob parse, in, like, =~, count_distinct, bin, sort and limit', () => {
    const events = [
      ev({ p: 'a-1', ip: 'x' }, 0),
      ev({ p: 'a-2', ip: 'y' }, 60_000),
      ev({ p: 'b-3', ip: 'x' }, 360_000),
    ];
    const out = runLogsInsightsQuery(
      'parse p "*-*" as head, num | filter head in ["a", "b"] and p like "-" and p =~ /^[ab]/ | stats count_distinct(ip) as ips, count(*) as n by bin(5m) as t | sort t asc | limit 5',
      events,
    );
    expect(out.rows).toEqual([
      { t: '1970-01-01 00:00:00.000', ips: 2, n: 2 },
      { t: '1970-01-01 00:05:00.000', ips: 1, n: 1 },
    ]);
  });

  it('compares missing fields as false, including with !=', () => {
    const out = runLogsInsightsQuery('filter missing != "x" | stats count(*) as n', [ev({ a: 1 })]);
    expect(out.rows).toEqual([]);
  });

  it('keeps pipes and quotes inside string literals', () => {
    const out = runLogsInsightsQuery('filter v = "a | \\"b\\"" | stats count(*) as n', [
      ev({ v: 'a | "b"' }),
    ]);
    expect(out.rows).toEqual([{ n: 1 }]);
  });
});

describe('validateLogsInsightsQuery', () => {
  it('throws UNSUPPORTED_QUERY naming the construct for commands outside the subset', () => {
    for (const q of ['fields a | pattern @message', 'stats pct(a, 50) as p', 'filter a = "x']) {
      try {
        validateLogsInsightsQuery(q);
        expect.unreachable();
      } catch (e) {
        expect(isWafInsightsError(e) && e.code === 'UNSUPPORTED_QUERY').toBe(true);
      }
    }
  });
});
