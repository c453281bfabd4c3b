import { parseSetCookie } from 'cookie';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  API_GATEWAY_HEADER_LIMIT,
  createCookieCipher,
  createSessionCookies,
  isCookieAuthError,
  readCookies,
} from '../src/index.js';

const KEY_1 = { id: 'k1', secret: Buffer.alloc(32, 7) };
const KEY_2 = { id: 'k2', secret: Buffer.alloc(32, 9).toString('base64') };
const NOW = 1_800_000_000_000;

/** A JWT-shaped string with a given exp (signature irrelevant here). */
const jwt = (exp: number, pad = 0) =>
  `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ exp, p: 'x'.repeat(pad) })).toString('base64url')}.c2ln`;

/** Simulates the browser: applies Set-Cookie lines to a name→value map and returns the Cookie pairs. */
const browserAfter = (setCookies: string[], before: Record<string, string> = {}) => {
  const jar = { ...before };
  for (const line of setCookies) {
    const c = parseSetCookie(line);
    if (c.maxAge === 0) delete jar[c.name];
    else jar[c.name] = c.value ?? '';
  }
  return jar;
};
const toPairs = (jar: Record<string, string>) => Object.entries(jar).map(([k, v]) => `${k}=${v}`);

describe('createSessionCookies', () => {
  it('writes __Host-, HttpOnly, Secure, SameSite=Lax, Path=/ and Max-Age from exp by default', () => {
    const cookies = createSessionCookies({ now: () => NOW });
    const [line] = cookies.write({ accessToken: jwt(NOW / 1000 + 3600) });
    const c = parseSetCookie(line as string);
    expect(c).toMatchObject({
      name: '__Host-access-token',
      httpOnly: true,
      secure: true,
      sameSite: 'lax',
      path: '/',
      maxAge: 3600,
    });
    expect(c.domain).toBeUndefined();
  });

  it('scopes the refresh-token cookie to the refresh path with a __Secure- name', () => {
    const cookies = createSessionCookies({ now: () => NOW });
    const lines = cookies.write({ accessToken: jwt(NOW / 1000 + 60), refreshToken: 'rt' });
    const rt = lines.map((l) => parseSetCookie(l)).find((c) => c.name === '__Secure-refresh-token');
    expect(rt).toMatchObject({ path: '/auth/session', httpOnly: true, secure: true, maxAge: 2_592_000 });
  });

  it('stores only the access token when an ID token is given but storeIdToken is off', () => {
    const cookies = createSessionCookies({ storeRefreshToken: false });
    const names = cookies
      .write({ accessToken: jwt(NOW / 1000), idToken: 'id', refreshToken: 'rt' })
      .map((l) => parseSetCookie(l).name);
    expect(names).toEqual(['__Host-access-token']);
  });

  it('uses Max-Age 0 when the token is already expired', () => {
    const cookies = createSessionCookies({ now: () => NOW });
    expect(parseSetCookie(cookies.write({ accessToken: jwt(NOW / 1000 - 10) })[0] as string).maxAge).toBe(0);
  });

  it('rejects a non-prefixed cookie name unless insecure cookies are explicitly allowed', () => {
    expect(() => createSessionCookies({ accessTokenCookie: 'accessToken' })).toThrow(/accessTokenCookie/);
    expect(() => createSessionCookies({ refreshTokenCookie: '__Host-rt' })).toThrow(/refreshTokenCookie/);
    const dev = createSessionCookies({
      accessTokenCookie: 'accessToken',
      dangerouslyAllowInsecureCookies: true,
    });
    expect(parseSetCookie(dev.write({ accessToken: 'a.b.c' })[0] as string).secure).toBeUndefined();
  });

  it('throws INVALID_OPTION naming the option for every bad option', () => {
    const cases: [object, string][] = [
      [{ sameSite: 'loose' }, 'sameSite'],
      [{ chunkSize: 5000 }, 'chunkSize'],
      [{ maxChunks: 0 }, 'maxChunks'],
      [{ refreshPath: 'auth' }, 'refreshPath'],
      [{ refreshTokenMaxAgeSeconds: 500 * 86_400 }, 'refreshTokenMaxAgeSeconds'],
      [{ encryptionKeys: [{ id: 'k', secret: Buffer.alloc(16) }] }, 'keys[0].secret'],
      [{ accessTokenCookie: '__Host-a.1' }, 'accessTokenCookie'],
    ];
    for (const [options, name] of cases) {
      try {
        createSessionCookies(options as never);
        expect.fail(`accepted ${name}`);
      } catch (e) {
        expect(isCookieAuthError(e) && e.code === 'INVALID_OPTION').toBe(true);
        expect((e as Error).message).toContain(name);
      }
    }
  });

  it('chunks large values at ≤ 4,000 bytes and reads them back (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.boolean(), (pad, encrypt) => {
        const cookies = createSessionCookies({
          now: () => NOW,
          maxChunks: 4,
          ...(encrypt ? { encryptionKeys: [KEY_1] } : {}),
        });
        const token = jwt(NOW / 1000 + 60, pad);
        const lines = cookies.write({ accessToken: token });
        for (const line of lines) {
          const c = parseSetCookie(line);
          expect(c.name.length + 1 + (c.value ?? '').length).toBeLessThanOrEqual(4000);
        }
        const read = cookies.read(readCookies({ cookies: toPairs(browserAfter(lines)) }), 'accessToken');
        expect(read).toEqual({ ok: true, value: token });
      }),
      { numRuns: 40 },
    );
  });

  it('expires stale chunks when a value shrinks', () => {
    const cookies = createSessionCookies({ now: () => NOW });
    const big = browserAfter(cookies.write({ accessToken: jwt(NOW / 1000 + 60, 4000) }));
    expect(Object.keys(big).sort()).toEqual(['__Host-access-token.0', '__Host-access-token.1']);
    const small = cookies.write({ accessToken: jwt(NOW / 1000 + 60) }, Object.keys(big));
    const after = browserAfter(small, big);
    expect(Object.keys(after)).toEqual(['__Host-access-token']);
    expect(cookies.read(readCookies({ cookies: toPairs(after) }), 'accessToken').ok).toBe(true);
  });

  it('denies missing, out-of-range and mixed chunks', () => {
    const cookies = createSessionCookies();
    const read = (pairs: string[]) => cookies.read(readCookies({ cookies: pairs }), 'accessToken');
    expect(read(['__Host-access-token.1=a'])).toEqual({ ok: false, reason: 'MALFORMED_CHUNKS' });
    expect(read(['__Host-access-token.0=a', '__Host-access-token.2=b'])).toEqual({
      ok: false,
      reason: 'MALFORMED_CHUNKS',
    });
    expect(read(['__Host-access-token=a', '__Host-access-token.0=b'])).toEqual({
      ok: false,
      reason: 'MALFORMED_CHUNKS',
    });
    expect(
      read([
        '__Host-access-token.0=a',
        '__Host-access-token.1=b',
        '__Host-access-token.2=c',
        '__Host-access-token.3=d',
      ]),
    ).toEqual({ ok: false, reason: 'MALFORMED_CHUNKS' });
    expect(read(['__Host-access-token=a', '__Host-access-token=b'])).toEqual({
      ok: false,
      reason: 'DUPLICATE_COOKIE',
    });
    expect(read(['__Host-access-token='])).toEqual({ ok: false, reason: 'NO_TOKEN' });
  });

  it('refuses to write a value needing more than maxChunks chunks', () => {
    const cookies = createSessionCookies({ maxChunks: 1 });
    expect(() => cookies.write({ accessToken: jwt(0, 5000) })).toThrow(
      expect.objectContaining({ code: 'COOKIE_TOO_LARGE' }),
    );
  });

  it('clear expires every chunk with the path it was set with', () => {
    const cookies = createSessionCookies();
    const lines = cookies.clear(['__Host-access-token.0', 'other']).map((l) => parseSetCookie(l));
    expect(lines.every((c) => c.maxAge === 0)).toBe(true);
    expect(lines.find((c) => c.name === '__Secure-refresh-token')?.path).toBe('/auth/session');
    expect(lines.map((c) => c.name)).toContain('__Host-access-token.2');
    expect(lines.map((c) => c.name)).not.toContain('other');
  });

  it('encrypts token cookies and denies tampered blobs', () => {
    const cookies = createSessionCookies({ encryptionKeys: [KEY_1], now: () => NOW });
    const token = jwt(NOW / 1000 + 60);
    const [line] = cookies.write({ accessToken: token });
    const value = parseSetCookie(line as string).value as string;
    expect(value).not.toContain(token.split('.')[1]);
    expect(value.startsWith('e1.k1.')).toBe(true);
    const flipped = `${value.slice(0, -2)}${value.at(-2) === 'A' ? 'B' : 'A'}${value.at(-1)}`;
    expect(cookies.read(readCookies({ cookies: [`__Host-access-token=${flipped}`] }), 'accessToken')).toEqual(
      { ok: false, reason: 'DECRYPT_FAILED' },
    );
  });

  it('computes a header budget and fails when a configuration could exceed 10,240 bytes', () => {
    const lean = createSessionCookies({ encryptionKeys: [KEY_1] });
    expect(lean.assertHeaderBudget().totalBytes).toBeLessThanOrEqual(API_GATEWAY_HEADER_LIMIT);
    const heavy = createSessionCookies({ storeIdToken: true, maxChunks: 3, encryptionKeys: [KEY_1] });
    expect(heavy.headerBudget().ok).toBe(false);
    expect(() => heavy.assertHeaderBudget()).toThrow(
      expect.objectContaining({ code: 'HEADER_BUDGET_EXCEEDED' }),
    );
    expect(heavy.headerBudget({ maxIdTokenBytes: 1800 }).ok).toBe(false);
    const idInsteadOfRefresh = createSessionCookies({
      storeIdToken: true,
      storeRefreshToken: false,
      encryptionKeys: [KEY_1],
    });
    expect(idInsteadOfRefresh.headerBudget({ maxIdTokenBytes: 1800 }).ok).toBe(true);
  });

  it('budgets at least what the writer actually emits', () => {
    const cookies = createSessionCookies({ encryptionKeys: [KEY_1], now: () => NOW });
    const at = jwt(NOW / 1000 + 60, 1400);
    const rt = 'r'.repeat(1900);
    const sent = toPairs(browserAfter(cookies.write({ accessToken: at, refreshToken: rt }))).join('; ');
    const budget = cookies.headerBudget({
      maxAccessTokenBytes: at.length,
      maxRefreshTokenBytes: rt.length,
      otherCookieBytes: 0,
      otherHeaderBytes: 0,
    });
    const txCookie = budget.cookies['__Host-oauth-tx'] ?? 0;
    expect(budget.totalBytes - txCookie).toBeGreaterThanOrEqual(Buffer.byteLength(sent));
  });
});

describe('createCookieCipher', () => {
  it('round-trips any text and binds it to the cookie name (property)', () => {
    const cipher = createCookieCipher([KEY_1]);
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (text) => {
        const blob = cipher.seal('__Host-a', text);
        expect(/^[A-Za-z0-9._-]+$/.test(blob)).toBe(true);
        expect(cipher.open('__Host-a', blob)).toBe(text);
        expect(() => cipher.open('__Host-b', blob)).toThrow(
          expect.objectContaining({ code: 'DECRYPT_FAILED' }),
        );
        expect(blob.length).toBeLessThanOrEqual(cipher.sealedSize(Buffer.byteLength(text)));
      }),
      { numRuns: 100 },
    );
  });

  it('fails on any single-character change of the blob (property)', () => {
    const cipher = createCookieCipher([KEY_1]);
    const blob = cipher.seal('n', 'payload');
    fc.assert(
      fc.property(fc.nat(blob.length - 1), fc.constantFrom(...'ABCxyz019-_.'), (i, ch) => {
        fc.pre(blob[i] !== ch);
        const tampered = blob.slice(0, i) + ch + blob.slice(i + 1);
        expect(() => cipher.open('n', tampered)).toThrow(expect.objectContaining({ code: 'DECRYPT_FAILED' }));
      }),
      { numRuns: 200 },
    );
  });

  it('opens blobs sealed with an older key after rotation and seals with the newest', () => {
    const old = createCookieCipher([KEY_1]);
    const rotated = createCookieCipher([KEY_2, KEY_1]);
    const blob = old.seal('n', 'v');
    expect(rotated.open('n', blob)).toBe('v');
    expect(rotated.seal('n', 'v').startsWith('e1.k2.')).toBe(true);
    expect(() => old.open('n', rotated.seal('n', 'v'))).toThrow(
      expect.objectContaining({ code: 'DECRYPT_FAILED' }),
    );
  });

  it('rejects duplicate key ids and malformed ids', () => {
    expect(() => createCookieCipher([KEY_1, KEY_1])).toThrow(/keys\[1\]\.id/);
    expect(() => createCookieCipher([{ id: 'bad id', secret: Buffer.alloc(32) }])).toThrow(/keys\[0\]\.id/);
    expect(() => createCookieCipher([])).toThrow(/keys/);
  });
});
