import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createWafLogParser,
  detectSchemaDrift,
  generateSampleLines,
  isWafInsightsError,
  MALFORMED_KINDS,
  parseWafLogLine,
  parseWafLogs,
} from '../src/index.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const oneLine = (name: string): string => JSON.stringify(JSON.parse(fixture(name)));

describe('parseWafLogLine', () => {
  it('parses the AWS docs SQLi example when given its JSON line', () => {
    const r = parseWafLogLine(oneLine('aws-docs-sqli-block.json'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.record.httpRequest.clientIp).toBe('1.1.1.1');
    expect(r.record.terminatingRuleMatchDetails[0]?.conditionType).toBe('SQL_INJECTION');
    expect(r.record.labels).toEqual([{ name: 'value' }]);
  });

  it('drops the docs malformed header (myValue) and keeps the record when a header has an unknown key', () => {
    const r = parseWafLogLine(oneLine('aws-docs-captcha-token-missing.json'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.headersDropped).toBe(1);
    expect(r.record.httpRequest.headers.map((h) => h.name)).not.toContain('myHeader');
    expect(r.record.captchaResponse?.failureReason).toBe('TOKEN_MISSING');
  });

  it('reports not_utf8 when the bytes are not valid UTF-8', () => {
    const bytes = Buffer.from(oneLine('aws-docs-sqli-block.json'));
    bytes[30] = 0xff;
    expect(parseWafLogLine(bytes)).toEqual({ ok: false, reason: 'not_utf8' });
  });

  it('reports not_utf8 when a string holds a lone surrogate', () => {
    expect(parseWafLogLine('{"a":"\ud800"}')).toEqual({ ok: false, reason: 'not_utf8' });
  });

  it('reports uri_too_long when the URI exceeds maxUriLength', () => {
    const rec = JSON.parse(fixture('aws-docs-sqli-block.json'));
    rec.httpRequest.uri = `/${'x'.repeat(100)}`;
    expect(parseWafLogLine(JSON.stringify(rec), { maxUriLength: 50 })).toEqual({
      ok: false,
      reason: 'uri_too_long',
    });
  });

  it('reports line_too_large without parsing when the line exceeds maxLineBytes', () => {
    expect(parseWafLogLine(`{"x":"${'a'.repeat(200)}"}`, { maxLineBytes: 100 })).toEqual({
      ok: false,
      reason: 'line_too_large',
    });
  });

  it('reports missing_field when httpRequest is absent', () => {
    expect(parseWafLogLine('{"timestamp":1,"action":"ALLOW"}')).toEqual({
      ok: false,
      reason: 'missing_field',
    });
  });

  it('reports not_an_object and invalid_json for arrays and broken JSON', () => {
    expect(parseWafLogLine('[1]')).toEqual({ ok: false, reason: 'not_an_object' });
    expect(parseWafLogLine('{"timestamp":')).toEqual({ ok: false, reason: 'invalid_json' });
  });

  it('throws INVALID_OPTION naming the option when maxLineBytes is too small', () => {
    try {
      parseWafLogLine('{}', { maxLineBytes: 1 });
      expect.unreachable();
    } catch (e) {
      expect(isWafInsightsError(e) && e.code === 'INVALID_OPTION' && e.parameter === 'maxLineBytes').toBe(
        true,
      );
    }
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const r = parseWafLogLine(bytes);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});

describe('createWafLogParser', () => {
  const lines = [...generateSampleLines({ records: 400, seed: 3, malformedEvery: 20 })];
  const whole = Buffer.concat(lines.flatMap((l) => [Buffer.from(l), Buffer.from('\n')]));

  it('skips and counts each malformed kind when sample lines include them', () => {
    const { records, stats } = parseWafLogs(whole);
    expect(records).toHaveLength(400);
    const perKind = 400 / 20 / MALFORMED_KINDS.length;
    for (const kind of MALFORMED_KINDS) expect(stats.skipped[kind]).toBe(perKind);
    expect(stats.lines).toBe(420);
    expect(stats.headersDropped).toBe(4);
  });

  it('yields the same records whatever the chunk boundaries are', () => {
    const expected = parseWafLogs(whole).records.map((r) => r.message);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: whole.length - 1 }), { maxLength: 30 }), (cuts) => {
        const parser = createWafLogParser();
        const sorted = [...new Set(cuts)].sort((a, b) => a - b);
        const got: string[] = [];
        let prev = 0;
        for (const c of [...sorted, whole.length]) {
          for (const r of parser.push(whole.subarray(prev, c))) got.push(r.message);
          prev = c;
        }
        for (const r of parser.end()) got.push(r.message);
        expect(got).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });

  it('counts an over-long line once without buffering it when it spans chunks', () => {
    const parser = createWafLogParser({ maxLineBytes: 100 });
    parser.push(Buffer.from(`{"a":"${'x'.repeat(80)}`));
    parser.push(Buffer.from(`${'y'.repeat(80)}"}\n`));
    parser.end();
    expect(parser.stats.skipped.line_too_large).toBe(1);
    expect(parser.stats.lines).toBe(1);
  });

  it('handles CRLF line endings and a last line without newline', () => {
    const text = `${oneLine('aws-docs-sqli-block.json')}\r\n\r\n${oneLine('aws-docs-captcha-valid-token.json')}`;
    const { records, stats } = parseWafLogs(text);
    expect(records).toHaveLength(2);
    expect(stats.lines).toBe(2);
  });
});

describe('detectSchemaDrift', () => {
  it('reports fields absent from the schema when records carry them', () => {
    const lines = [...generateSampleLines({ records: 200, seed: 5, malformedEvery: 0 })];
    const parsed = lines.map((l) => JSON.parse(Buffer.from(l).toString('utf8')));
    const drift = detectSchemaDrift(parsed);
    expect(drift.records).toBe(200);
    expect(drift.unknownFields).toEqual([
      { path: 'futureField', records: 2 },
      { path: 'futureField.enabled', records: 2 },
      { path: 'httpRequest.headers[].myValue', records: 2 },
    ]);
  });

  it('reports no drift for the AWS docs examples', () => {
    const docs = ['aws-docs-sqli-block.json', 'aws-docs-captcha-valid-token.json'].map((f) =>
      JSON.parse(fixture(f)),
    );
    expect(detectSchemaDrift(docs).unknownFields).toEqual([]);
  });
});
