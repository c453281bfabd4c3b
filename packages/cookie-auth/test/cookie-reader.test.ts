import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCookies } from '../src/index.js';

const NAME = '__Host-access-token';

describe('readCookies', () => {
  it('reads exact names from event.cookies when pairs are split per element', () => {
    const jar = readCookies({ cookies: ['a=1', `${NAME}=tok`, 'b=2'] });
    expect(jar.ok).toBe(true);
    expect(jar.values[NAME]).toBe('tok');
    expect(jar.names).toEqual(['a', NAME, 'b']);
  });

  it('parses several pairs inside one event.cookies element', () => {
    const jar = readCookies({ cookies: [`a=1; ${NAME}=tok;b=2`] });
    expect(jar.values[NAME]).toBe('tok');
    expect(jar.values.b).toBe('2');
  });

  it('reads the cookie header in any case when event.cookies is absent', () => {
    for (const key of ['cookie', 'Cookie', 'COOKIE', 'cOoKiE']) {
      expect(readCookies({ headers: { [key]: `${NAME}=x` } }).values[NAME]).toBe('x');
    }
  });

  it('prefers multiValueHeaders over headers so REST events are not read twice', () => {
    const jar = readCookies({
      headers: { Cookie: `${NAME}=x` },
      multiValueHeaders: { Cookie: [`${NAME}=x`] },
    });
    expect(jar.duplicates.size).toBe(0);
    expect(jar.values[NAME]).toBe('x');
  });

  it('reads HTTP/2 crumbs delivered as several multi-value cookie headers', () => {
    const jar = readCookies({ multiValueHeaders: { cookie: ['a=1', `${NAME}=x`] } });
    expect(jar.values[NAME]).toBe('x');
    expect(jar.values.a).toBe('1');
  });

  it('ignores names that merely end in the wanted name and values that contain it', () => {
    const jar = readCookies({
      cookies: [`x${NAME}=evil`, `CognitoIdentityServiceProvider.c.u.${NAME}=evil`, `next=/?${NAME}=evil`],
    });
    expect(jar.values[NAME]).toBeUndefined();
  });

  it('reports duplicates and drops their value when a name occurs twice', () => {
    const jar = readCookies({ cookies: [`${NAME}=a`, `${NAME}=b`] });
    expect(jar.duplicates.has(NAME)).toBe(true);
    expect(jar.values[NAME]).toBeUndefined();
  });

  it('refuses the whole input when it exceeds the byte cap', () => {
    const jar = readCookies({ headers: { cookie: `${NAME}=${'a'.repeat(20_000)}` } });
    expect(jar.ok).toBe(false);
    expect(Object.keys(jar.values)).toHaveLength(0);
  });

  it('refuses the whole input when it exceeds the count cap', () => {
    const header = Array.from({ length: 101 }, (_, i) => `c${i}=1`).join('; ');
    expect(readCookies({ headers: { cookie: header } }).ok).toBe(false);
    expect(readCookies({ headers: { cookie: header } }, { maxCookies: 200 }).ok).toBe(true);
  });

  it('keeps the raw value when percent-decoding fails', () => {
    expect(readCookies({ cookies: [`${NAME}=%E0%A4%A`] }).values[NAME]).toBe('%E0%A4%A');
    expect(readCookies({ cookies: [`${NAME}=a%20b`] }).values[NAME]).toBe('a b');
  });

  it('returns an empty jar when input is missing, empty or malformed', () => {
    for (const source of [
      undefined,
      null,
      {},
      { cookies: [] },
      { headers: { cookie: '' } },
      { headers: { cookie: ';;;=;' } },
      { cookies: [null as unknown as string] },
      'x' as never,
    ]) {
      const jar = readCookies(source as never);
      expect(jar.ok).toBe(true);
      expect(jar.values[NAME]).toBeUndefined();
    }
  });

  it('uses a null-prototype map so __proto__ cookies cannot pollute', () => {
    const jar = readCookies({ cookies: ['__proto__=x', 'constructor=y'] });
    expect(Object.getPrototypeOf(jar.values)).toBeNull();
    expect(Object.entries(jar.values)).toContainEqual(['__proto__', 'x']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  // Property tests: the class of bugs of `split('accessToken=')` cannot happen.
  const token = fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/);
  const otherName = fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/).filter((n) => n !== NAME);
  const otherValue = fc.string({ maxLength: 30 }).map((v) => v.replace(/[;\s]/g, ''));

  it('finds exactly the planted cookie whatever surrounds it (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(otherName, otherValue), { maxLength: 8 }),
        token,
        fc.nat(),
        (others, value, at) => {
          const unique = new Map(others);
          const pairs = [...unique].map(([n, v]) => `${n}=${v}`);
          pairs.splice(at % (pairs.length + 1), 0, `${NAME}=${value}`);
          const jar = readCookies({ headers: { cookie: pairs.join('; ') } });
          expect(jar.values[NAME]).toBe(value);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never yields the wanted name when no cookie has exactly that name (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 30 }), fc.string({ maxLength: 60 })), { maxLength: 8 }),
        (pairs) => {
          // Every name has a non-empty prefix before the wanted name; values embed `<name>=`.
          const header = pairs
            .map(([n, v]) => `x${n.replace(/[;=\s]/g, '')}${NAME}=${v.replace(/;/g, '')}${NAME}=x`)
            .join('; ');
          const jar = readCookies({ headers: { cookie: header } });
          expect(jar.values[NAME]).toBeUndefined();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never throws on arbitrary input (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 100 })),
        fc.array(fc.string({ maxLength: 50 }), { maxLength: 5 }),
        (header, list) => {
          readCookies({ headers: { cookie: header } });
          readCookies({ cookies: list, headers: { Cookie: header } });
        },
      ),
      { numRuns: 200 },
    );
  });
});
