import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSensitive, REDACTED, Sensitive, sensitive } from '../src/index.js';
import { assertNoSentinel, createSentinel } from '../src/testing/index.js';

describe('Sensitive', () => {
  it('prints [REDACTED] through every common path', () => {
    const secret = createSentinel('card');
    const s = sensitive(secret);
    expect(String(s)).toBe(REDACTED);
    expect(`${s}`).toBe(REDACTED);
    expect(JSON.stringify({ s })).toBe(`{"s":"${REDACTED}"}`);
    expect(inspect(s)).toBe(REDACTED);
    expect(inspect({ nested: { s } }, { depth: 10, showHidden: true })).not.toContain(secret);
    assertNoSentinel(secret, s, { s }, [s]);
  });

  it('reveals the value only through reveal()', () => {
    expect(sensitive({ a: 1 }).reveal()).toEqual({ a: 1 });
  });

  it('keeps derived values redacted with map()', () => {
    const m = sensitive('4111111111111111').map((v) => v.slice(-4));
    expect(m).toBeInstanceOf(Sensitive);
    expect(m.reveal()).toBe('1111');
    expect(String(m)).toBe(REDACTED);
  });

  it('never shows any string value (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 12 }), (v) => {
        fc.pre(!REDACTED.includes(v) && !'Sensitive {}'.includes(v));
        const s = sensitive(v);
        expect(JSON.stringify(s)).not.toContain(JSON.stringify(v).slice(1, -1) || '\u0000');
        expect(inspect(s, { showHidden: true, depth: 5 })).toBe(REDACTED);
        expect(s.reveal()).toBe(v);
      }),
    );
  });

  it('is frozen', () => {
    expect(Object.isFrozen(sensitive('x'))).toBe(true);
  });
});

describe('isSensitive', () => {
  it('tells wrappers from plain values', () => {
    expect(isSensitive(sensitive(1))).toBe(true);
    expect(isSensitive('[REDACTED]')).toBe(false);
    expect(isSensitive({ reveal: () => 1 })).toBe(false);
  });
});
