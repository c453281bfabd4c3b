import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createJsonLogger,
  DEFAULT_REDACT_KEYS,
  REDACTED,
  redact,
  sensitive,
  silentLogger,
} from '../src/index.js';
import { assertNoSentinel, createMemoryLogger, createSentinel } from '../src/testing/index.js';

const capture = () => {
  const lines: string[] = [];
  return { lines, write: (l: string) => lines.push(l) };
};

describe('createJsonLogger', () => {
  it('writes one JSON line per call with time, level, message and fields', () => {
    const sink = capture();
    const logger = createJsonLogger({
      write: sink.write,
      fields: { service: 'demo' },
      now: () => new Date(0),
    });
    logger.info('hello', { n: 1 });
    expect(sink.lines).toHaveLength(1);
    expect(sink.lines[0]?.endsWith('\n')).toBe(true);
    expect(JSON.parse(sink.lines[0] as string)).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      level: 'info',
      message: 'hello',
      service: 'demo',
      n: 1,
    });
  });

  it('drops lines below the configured level', () => {
    const sink = capture();
    const logger = createJsonLogger({ write: sink.write, level: 'warn' });
    logger.debug('a');
    logger.info('b');
    logger.warn('c');
    logger.error('d');
    expect(sink.lines.map((l) => JSON.parse(l).message)).toEqual(['c', 'd']);
  });

  it('redacts Sensitive values, default secret keys and configured keys (sentinel)', () => {
    const secret = createSentinel('pw');
    const sink = capture();
    const logger = createJsonLogger({ write: sink.write, redactKeys: ['ssn', /^x-internal-/] });
    logger.error('failed', {
      password: secret,
      headers: { Authorization: `Bearer ${secret}`, Cookie: `a=${secret}`, 'x-internal-id': secret },
      nested: [{ refresh_token: secret }, { clientSecret: secret }],
      wrapped: sensitive(secret),
      ssn: secret,
      err: Object.assign(new Error('boom'), { code: 'E1', secretValue: secret }),
      path: 'app/db',
    });
    const text = sink.lines.join('');
    assertNoSentinel(secret, text);
    const parsed = JSON.parse(text);
    expect(parsed.password).toBe(REDACTED);
    expect(parsed.headers.Authorization).toBe(REDACTED);
    expect(parsed.wrapped).toBe(REDACTED);
    expect(parsed.ssn).toBe(REDACTED);
    expect(parsed.headers['x-internal-id']).toBe(REDACTED);
    expect(parsed.err).toEqual({ name: 'Error', message: 'boom', code: 'E1' });
    expect(parsed.path).toBe('app/db');
  });

  it('rejects an unknown level', () => {
    expect(() => createJsonLogger({ level: 'trace' as never })).toThrow(/level/);
  });
});

describe('redact', () => {
  it('handles cycles, bigints, dates, buffers, maps and sets', () => {
    const a: Record<string, unknown> = { big: 10n, when: new Date(0), buf: Buffer.from('abc') };
    a.self = a;
    a.map = new Map([['token', 'x']]);
    a.set = new Set([1]);
    expect(redact(a)).toEqual({
      big: '10',
      when: '1970-01-01T00:00:00.000Z',
      buf: '[Buffer 3 bytes]',
      self: '[Circular]',
      map: { token: REDACTED },
      set: [1],
    });
  });

  it('truncates past maxDepth', () => {
    expect(redact({ a: { b: { c: 1 } } }, { maxDepth: 2 })).toEqual({ a: { b: '[Truncated]' } });
  });

  it('never lets a value under a default secret key through (property)', () => {
    const secretKey = fc
      .tuple(
        fc.constantFrom(...DEFAULT_REDACT_KEYS),
        fc.string({ maxLength: 4 }),
        fc.string({ maxLength: 4 }),
      )
      .map(([k, pre, post]) => `${pre}${k.toUpperCase()}${post}`);
    fc.assert(
      fc.property(secretKey, fc.string({ minLength: 1 }), (key, value) => {
        const out = redact({ outer: { [key]: value } }) as { outer: Record<string, unknown> };
        expect(out.outer[key]).toBe(REDACTED);
      }),
    );
  });

  it('keeps the shape of JSON-safe data without secret keys (property)', () => {
    const safeKey = fc
      .string({ maxLength: 6 })
      .filter((k) => /^[a-m]*$/.test(k) && !['__proto__'].includes(k));
    fc.assert(
      fc.property(fc.dictionary(safeKey, fc.oneof(fc.integer(), fc.boolean(), fc.constant(null))), (obj) => {
        expect(redact(obj)).toEqual(obj);
      }),
    );
  });
});

describe('silentLogger', () => {
  it('accepts calls and writes nothing', () => {
    expect(() => silentLogger.error('x', { a: 1 })).not.toThrow();
    expect(Object.isFrozen(silentLogger)).toBe(true);
  });
});

describe('createMemoryLogger', () => {
  it('captures raw calls so a leaked plain secret is visible to sentinel checks', () => {
    const secret = createSentinel();
    const logger = createMemoryLogger();
    logger.warn('oops', { leaked: secret });
    expect(() => assertNoSentinel(secret, logger.text())).toThrow(/leaked/);
    logger.clear();
    logger.info('fine', { ok: sensitive(secret) });
    expect(() => assertNoSentinel(secret, logger.text())).not.toThrow();
  });
});
