import { sensitive } from '@secblocks/core';
import { assertNoSentinel, createMemoryLogger, createSentinel } from '@secblocks/core/testing';
import { parseSetCookie } from 'cookie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCookieAuthorizer,
  createOAuthHandlers,
  type HttpApiProxyResult,
  type OAuthHandlerOptions,
  toExpressHandler,
  toFetchHandler,
} from '../src/index.js';
import {
  createTestBrowser,
  httpApiAuthorizerEvent,
  httpApiProxyEvent,
  type OidcEmulator,
  startOidcEmulator,
  type TestBrowser,
} from '../src/testing/index.js';

const KEYS = [{ id: 'k1', secret: Buffer.alloc(32, 5) }];
const REDIRECT = 'https://app.example.com/auth/callback';
const LOGOUT = 'https://app.example.com/';
const CSRF = { 'x-requested-with': 'fetch' };

let idp: OidcEmulator;
const secret = createSentinel('client_secret');
const username = createSentinel('username');
beforeAll(async () => {
  idp = await startOidcEmulator({ clientSecret: secret, user: { username, groups: ['staff'] } });
});
afterAll(() => idp.close());

const optionsFor = (extra: Partial<OAuthHandlerOptions> = {}): OAuthHandlerOptions => ({
  domain: idp.url,
  clientId: idp.clientId,
  clientSecret: sensitive(secret),
  redirectUri: REDIRECT,
  logoutUri: LOGOUT,
  verifier: {
    cognito: { userPoolId: idp.userPoolId, clientId: idp.clientId },
    jwksFetcher: idp.fetcher,
    isRevoked: (i) => idp.isRevoked(i),
  },
  cookies: { encryptionKeys: KEYS },
  ...extra,
});

const authorizerFor = () =>
  createCookieAuthorizer({
    verifier: {
      cognito: { userPoolId: idp.userPoolId, clientId: idp.clientId },
      jwksFetcher: idp.fetcher,
      isRevoked: (i) => idp.isRevoked(i),
    },
    cookies: { encryptionKeys: KEYS },
  });

/** Follows the login redirect at the emulator (auto sign-in) and returns the callback query. */
const signInAt = async (authorizeUrl: string): Promise<string> => {
  const res = await fetch(authorizeUrl.replace(/^https?:\/\/[^/]+/, idp.url), { redirect: 'manual' });
  const location = res.headers.get('location') as string;
  expect(location.startsWith(`${REDIRECT}?`)).toBe(true);
  return new URL(location).search;
};

/** login → IdP → callback, returning the callback result and the browser. */
const signIn = async (
  handlers: ReturnType<typeof createOAuthHandlers>,
  returnTo?: string,
  browser: TestBrowser = createTestBrowser(),
) => {
  const login = await handlers.login(
    httpApiProxyEvent({
      path: `/auth/login${returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(returnTo)}`}`,
    }),
  );
  expect(login.statusCode).toBe(302);
  browser.receive(login);
  const query = await signInAt(login.headers.location as string);
  const callback = await handlers.callback(
    httpApiProxyEvent({ path: `/auth/callback${query}`, cookies: browser.cookiesFor('/auth/callback') }),
  );
  browser.receive(callback);
  return { login, callback, browser, query };
};

const cookieNames = (r: HttpApiProxyResult) => r.cookies.map((c) => parseSetCookie(c).name);

describe('createOAuthHandlers', () => {
  it('runs login → callback → authorized request → refresh → logout → denied against the emulator', async () => {
    const logger = createMemoryLogger();
    const handlers = createOAuthHandlers(optionsFor({ logger }));
    const authorizer = authorizerFor();

    // login: PKCE S256, state, nonce, encrypted Lax transaction cookie.
    const { login, callback, browser, query } = await signIn(handlers, '/orders?tab=open');
    const authorize = new URL(login.headers.location as string);
    expect(authorize.origin + authorize.pathname).toBe(`${idp.url}/oauth2/authorize`);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: idp.clientId,
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge_method: 'S256',
      state: expect.stringMatching(/^[\w-]{43}$/),
      nonce: expect.stringMatching(/^[\w-]{43}$/),
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
    });
    const tx = parseSetCookie(login.cookies[0] as string);
    expect(tx).toMatchObject({
      name: '__Host-oauth-tx',
      httpOnly: true,
      secure: true,
      sameSite: 'lax',
      path: '/',
      maxAge: 600,
    });
    expect(tx.value).not.toContain(authorize.searchParams.get('state'));

    // callback: tokens exchanged, cookies set, redirect to the validated return path, no-store.
    expect(callback.statusCode).toBe(302);
    expect(callback.headers).toMatchObject({
      location: '/orders?tab=open',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    });
    expect(cookieNames(callback)).toEqual([
      '__Host-access-token',
      '__Secure-refresh-token',
      '__Host-oauth-tx',
    ]);
    browser.receive(callback);
    expect(browser.names().sort()).toEqual(['__Host-access-token', '__Secure-refresh-token']);
    expect(idp.count('token')).toBeGreaterThan(0);

    // authorized request: the refresh token is not sent to API paths.
    const apiCookies = browser.cookiesFor('/api/orders');
    expect(apiCookies.map((c) => c.split('=')[0])).toEqual(['__Host-access-token']);
    expect(
      await authorizer.httpApiSimple(httpApiAuthorizerEvent({ path: '/api/orders', cookies: apiCookies })),
    ).toMatchObject({ isAuthorized: true });
    const firstAccessCookie = apiCookies;

    // refresh: rotated refresh token persisted; the old one no longer works at the IdP.
    const refreshCookies = browser.cookiesFor('/auth/session/refresh');
    expect(refreshCookies).toHaveLength(2);
    const refreshed = await handlers.refresh(
      httpApiProxyEvent({
        method: 'POST',
        path: '/auth/session/refresh',
        cookies: refreshCookies,
        headers: CSRF,
      }),
    );
    expect(refreshed.statusCode).toBe(200);
    expect(cookieNames(refreshed)).toEqual(['__Host-access-token', '__Secure-refresh-token']);
    browser.receive(refreshed);
    const replay = await handlers.refresh(
      httpApiProxyEvent({
        method: 'POST',
        path: '/auth/session/refresh',
        cookies: refreshCookies,
        headers: CSRF,
      }),
    );
    expect(replay.statusCode).toBe(401); // the pre-rotation refresh token is dead
    expect(
      await authorizer.httpApiSimple(
        httpApiAuthorizerEvent({ path: '/api/orders', cookies: browser.cookiesFor('/api/orders') }),
      ),
    ).toMatchObject({ isAuthorized: true });

    // logout: revoke, expire every cookie, redirect to Cognito /logout with the configured logout_uri.
    const revokesBefore = idp.count('revoke');
    const logout = await handlers.logout(
      httpApiProxyEvent({
        method: 'POST',
        path: '/auth/session/logout',
        cookies: browser.cookiesFor('/auth/session/logout'),
        headers: CSRF,
      }),
    );
    expect(logout.statusCode).toBe(302);
    expect(idp.count('revoke') - revokesBefore).toBe(1);
    const cognitoLogout = new URL(logout.headers.location as string);
    expect(cognitoLogout.pathname).toBe('/logout');
    expect(Object.fromEntries(cognitoLogout.searchParams)).toEqual({
      client_id: idp.clientId,
      logout_uri: LOGOUT,
    });
    const atIdp = await fetch(`${idp.url}/logout${cognitoLogout.search}`, { redirect: 'manual' });
    expect(atIdp.headers.get('location')).toBe(LOGOUT);
    expect(logout.cookies.every((c) => parseSetCookie(c).maxAge === 0)).toBe(true);
    browser.receive(logout);
    expect(browser.names()).toEqual([]);

    // denied: no cookie now; and the old (still unexpired) access token is revoked via origin_jti.
    expect(
      await authorizer.httpApiSimple(
        httpApiAuthorizerEvent({ path: '/api/orders', cookies: browser.cookiesFor('/api/orders') }),
      ),
    ).toEqual({ isAuthorized: false });
    expect(await authorizer.authorize({ method: 'GET', cookies: firstAccessCookie })).toEqual({
      ok: false,
      reason: 'TOKEN_REVOKED',
    });

    // Nothing secret in logs; the username (inside the tokens) never appears in cookies either (encrypted).
    const code = new URLSearchParams(query).get('code') as string;
    const state = authorize.searchParams.get('state') as string;
    const nonce = authorize.searchParams.get('nonce') as string;
    const cookieValues = [...login.cookies, ...callback.cookies, ...refreshed.cookies]
      .map((c) => parseSetCookie(c).value ?? '')
      .filter((v) => v.length > 0);
    expect(cookieValues.length).toBeGreaterThanOrEqual(5);
    for (const s of [secret, username, code, state, nonce, ...cookieValues]) {
      assertNoSentinel(s, logger.text());
    }
    assertNoSentinel(username, login, callback, refreshed, logout);
    assertNoSentinel(secret, login, callback, refreshed, logout);
  });

  it('works as a public client without a secret', async () => {
    const pub = await startOidcEmulator();
    try {
      const handlers = createOAuthHandlers({
        ...optionsFor(),
        domain: pub.url,
        clientId: pub.clientId,
        clientSecret: undefined,
        verifier: {
          cognito: { userPoolId: pub.userPoolId, clientId: pub.clientId },
          jwksFetcher: pub.fetcher,
        },
      });
      const login = await handlers.login(httpApiProxyEvent({ path: '/auth/login' }));
      const browser = createTestBrowser();
      browser.receive(login);
      const res = await fetch(login.headers.location as string, { redirect: 'manual' });
      const query = new URL(res.headers.get('location') as string).search;
      const callback = await handlers.callback(
        httpApiProxyEvent({ path: `/auth/callback${query}`, cookies: browser.cookiesFor('/auth/callback') }),
      );
      expect(callback).toMatchObject({ statusCode: 302, headers: { location: '/' } });
    } finally {
      await pub.close();
    }
  });

  it.each([
    'https://evil.example/',
    '//evil.example',
    '/\\evil.example',
    '/%2F%2Fevil.example',
    '%2F%2Fevil.example',
    '/%5Cevil.example',
    'javascript:alert(1)',
  ])('answers 400 at login, with no redirect, when returnTo is %j', async (returnTo) => {
    const res = await createOAuthHandlers(optionsFor()).login(
      httpApiProxyEvent({ path: `/auth/login?returnTo=${encodeURIComponent(returnTo)}` }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.cookies).toEqual([]);
  });

  it('ignores return-path parameters on the callback URL and uses the one sealed at login', async () => {
    const h = createOAuthHandlers(optionsFor());
    const browser = createTestBrowser();
    const login = await h.login(httpApiProxyEvent({ path: '/auth/login?returnTo=/inbox' }));
    browser.receive(login);
    const query = await signInAt(login.headers.location as string);
    const callback = await h.callback(
      httpApiProxyEvent({
        path: `/auth/callback${query}&returnTo=https://evil.example&redirect_uri=//evil.example&next=//evil.example`,
        cookies: browser.cookiesFor('/auth/callback'),
      }),
    );
    expect(callback.statusCode).toBe(302);
    expect(callback.headers.location).toBe('/inbox');
  });

  describe('callback bad input', () => {
    const handlers = () => createOAuthHandlers(optionsFor());
    const startLogin = async (h: ReturnType<typeof createOAuthHandlers>) => {
      const browser = createTestBrowser();
      const login = await h.login(httpApiProxyEvent({ path: '/auth/login?returnTo=/x' }));
      browser.receive(login);
      return { browser, authorizeUrl: login.headers.location as string };
    };
    const expect400 = (res: HttpApiProxyResult) => {
      expect(res.statusCode).toBe(400);
      expect(res.headers.location).toBeUndefined();
      expect(res.body).toBe('{"message":"Bad Request"}');
      expect(cookieNames(res)).toEqual(['__Host-oauth-tx']); // the transaction is always cleared
      expect(parseSetCookie(res.cookies[0] as string).maxAge).toBe(0);
    };

    it('answers 400 when state is missing', async () => {
      const h = handlers();
      const { browser, authorizeUrl } = await startLogin(h);
      const query = new URLSearchParams(await signInAt(authorizeUrl));
      query.delete('state');
      expect400(
        await h.callback(
          httpApiProxyEvent({
            path: `/auth/callback?${query}`,
            cookies: browser.cookiesFor('/auth/callback'),
          }),
        ),
      );
    });

    it('answers 400 when state does not match the transaction', async () => {
      const h = handlers();
      const { browser, authorizeUrl } = await startLogin(h);
      const query = new URLSearchParams(await signInAt(authorizeUrl));
      query.set('state', `${query.get('state')?.slice(0, -1)}x`);
      expect400(
        await h.callback(
          httpApiProxyEvent({
            path: `/auth/callback?${query}`,
            cookies: browser.cookiesFor('/auth/callback'),
          }),
        ),
      );
    });

    it('answers 400 when the transaction cookie is missing', async () => {
      const h = handlers();
      const { authorizeUrl } = await startLogin(h);
      expect400(
        await h.callback(httpApiProxyEvent({ path: `/auth/callback${await signInAt(authorizeUrl)}` })),
      );
    });

    it('answers 400 when the transaction cookie was tampered with', async () => {
      const h = handlers();
      const { browser, authorizeUrl } = await startLogin(h);
      const [pair] = browser.cookiesFor('/auth/callback');
      const tampered = `${(pair as string).slice(0, -3)}${(pair as string).at(-3) === 'a' ? 'b' : 'a'}${(pair as string).slice(-2)}`;
      expect400(
        await h.callback(
          httpApiProxyEvent({ path: `/auth/callback${await signInAt(authorizeUrl)}`, cookies: [tampered] }),
        ),
      );
    });

    it('answers 400 when the transaction cookie is replayed', async () => {
      const h = handlers();
      const { browser, authorizeUrl } = await startLogin(h);
      const txCookies = browser.cookiesFor('/auth/callback');
      const query = await signInAt(authorizeUrl);
      expect(
        (await h.callback(httpApiProxyEvent({ path: `/auth/callback${query}`, cookies: txCookies })))
          .statusCode,
      ).toBe(302);
      expect400(await h.callback(httpApiProxyEvent({ path: `/auth/callback${query}`, cookies: txCookies })));
    });

    it('answers 400 when the transaction has expired', async () => {
      let t = Date.now();
      const h = createOAuthHandlers(optionsFor({ now: () => t }));
      const { browser, authorizeUrl } = await startLogin(h);
      t += 601_000;
      expect400(
        await h.callback(
          httpApiProxyEvent({
            path: `/auth/callback${await signInAt(authorizeUrl)}`,
            cookies: browser.cookiesFor('/auth/callback'),
          }),
        ),
      );
    });

    it('answers 400 on ?error= from the identity provider', async () => {
      const h = handlers();
      const { browser } = await startLogin(h);
      expect400(
        await h.callback(
          httpApiProxyEvent({
            path: '/auth/callback?error=access_denied&state=x',
            cookies: browser.cookiesFor('/auth/callback'),
          }),
        ),
      );
    });

    it('answers 400 when the code is unknown to the token endpoint', async () => {
      const h = handlers();
      const { browser, authorizeUrl } = await startLogin(h);
      const query = new URLSearchParams(await signInAt(authorizeUrl));
      query.set('code', 'forged-code');
      expect400(
        await h.callback(
          httpApiProxyEvent({
            path: `/auth/callback?${query}`,
            cookies: browser.cookiesFor('/auth/callback'),
          }),
        ),
      );
    });

    it('answers 400 when the code was issued for another PKCE challenge (code injection)', async () => {
      const h = handlers();
      const { browser, authorizeUrl } = await startLogin(h);
      const url = new URL(authorizeUrl);
      url.searchParams.set('code_challenge', 'A'.repeat(43));
      expect400(
        await h.callback(
          httpApiProxyEvent({
            path: `/auth/callback${await signInAt(url.href)}`,
            cookies: browser.cookiesFor('/auth/callback'),
          }),
        ),
      );
    });

    it('answers 400 when the ID token nonce does not match', async () => {
      const h = handlers();
      const { browser, authorizeUrl } = await startLogin(h);
      const url = new URL(authorizeUrl);
      url.searchParams.set('nonce', 'another-nonce');
      expect400(
        await h.callback(
          httpApiProxyEvent({
            path: `/auth/callback${await signInAt(url.href)}`,
            cookies: browser.cookiesFor('/auth/callback'),
          }),
        ),
      );
    });

    it('answers 405 for other methods and never throws on garbage events', async () => {
      const h = handlers();
      expect(
        (await h.callback(httpApiProxyEvent({ method: 'POST', path: '/auth/callback' }))).statusCode,
      ).toBe(405);
      for (const e of [
        undefined,
        null,
        {},
        { requestContext: { http: { method: 'GET' } }, rawQueryString: 5 },
      ]) {
        for (const fn of [h.callback, h.refresh, h.logout]) {
          const res = await fn(e as never);
          expect(res.statusCode).toBeGreaterThanOrEqual(400);
          expect(res.statusCode).toBeLessThan(500);
        }
        expect([302, 405]).toContain((await h.login(e as never)).statusCode);
      }
    });
  });

  describe('refresh', () => {
    it('answers 403 without the CSRF header and 405 on GET', async () => {
      const h = createOAuthHandlers(optionsFor());
      const { browser } = await signIn(h);
      const cookies = browser.cookiesFor('/auth/session/refresh');
      expect(
        (await h.refresh(httpApiProxyEvent({ method: 'POST', path: '/auth/session/refresh', cookies })))
          .statusCode,
      ).toBe(403);
      expect(
        (
          await h.refresh(
            httpApiProxyEvent({ method: 'GET', path: '/auth/session/refresh', cookies, headers: CSRF }),
          )
        ).statusCode,
      ).toBe(405);
    });

    it('clears every session cookie on invalid_grant (revoked refresh token)', async () => {
      const h = createOAuthHandlers(optionsFor());
      const { browser } = await signIn(h);
      const cookies = browser.cookiesFor('/auth/session/refresh');
      // Log out elsewhere with the same refresh token: it is revoked at the IdP.
      await h.logout(
        httpApiProxyEvent({ method: 'POST', path: '/auth/session/logout', cookies, headers: CSRF }),
      );
      const before = idp.count('token');
      const res = await h.refresh(
        httpApiProxyEvent({ method: 'POST', path: '/auth/session/refresh', cookies, headers: CSRF }),
      );
      expect(res.statusCode).toBe(401);
      expect(idp.count('token') - before).toBe(1); // OAuth errors are never retried
      expect(cookieNames(res)).toEqual(
        expect.arrayContaining(['__Host-access-token', '__Secure-refresh-token']),
      );
      expect(res.cookies.every((c) => parseSetCookie(c).maxAge === 0)).toBe(true);
    });

    it('retries a 5xx from the token endpoint and succeeds', async () => {
      const h = createOAuthHandlers(optionsFor());
      const { browser } = await signIn(h);
      idp.failNext('token');
      const before = idp.count('token');
      const res = await h.refresh(
        httpApiProxyEvent({
          method: 'POST',
          path: '/auth/session/refresh',
          cookies: browser.cookiesFor('/auth/session/refresh'),
          headers: CSRF,
        }),
      );
      expect(res.statusCode).toBe(200);
      expect(idp.count('token') - before).toBe(2);
    });

    it('keeps the cookies and answers 502 when the token endpoint keeps failing', async () => {
      const h = createOAuthHandlers(optionsFor({ endpointAttempts: 2 }));
      const { browser } = await signIn(h);
      idp.failNext('token', 2);
      const before = idp.count('token');
      const res = await h.refresh(
        httpApiProxyEvent({
          method: 'POST',
          path: '/auth/session/refresh',
          cookies: browser.cookiesFor('/auth/session/refresh'),
          headers: CSRF,
        }),
      );
      expect(res.statusCode).toBe(502);
      expect(res.cookies).toEqual([]);
      expect(idp.count('token') - before).toBe(2);
    });

    it('answers 401 without a refresh cookie', async () => {
      const h = createOAuthHandlers(optionsFor());
      expect(
        (await h.refresh(httpApiProxyEvent({ method: 'POST', path: '/auth/session/refresh', headers: CSRF })))
          .statusCode,
      ).toBe(401);
    });
  });

  it('validates every option up front, naming it', () => {
    const cases: [Partial<OAuthHandlerOptions>, string][] = [
      [{ domain: 'http://auth.example.com' }, 'domain'],
      [{ redirectUri: '/auth/callback' }, 'redirectUri'],
      [{ logoutUri: 'ftp://x' }, 'logoutUri'],
      [{ clientId: '' }, 'clientId'],
      [{ scopes: [] }, 'scopes'],
      [{ transactionTtlSeconds: 3600 }, 'transactionTtlSeconds'],
      [{ cookies: {} }, 'cookies.encryptionKeys'],
      [{ allowedReturnPrefixes: ['//evil'] }, 'allowedReturnPrefixes'],
      [{ defaultReturnPath: 'https://evil' }, 'defaultReturnPath'],
      [{ cookies: { encryptionKeys: KEYS, storeIdToken: true } }, 'bytes'],
    ];
    for (const [extra, name] of cases) expect(() => createOAuthHandlers(optionsFor(extra))).toThrow(name);
  });
});

describe('toFetchHandler', () => {
  it('adapts login to Request → Response with one Set-Cookie per cookie', async () => {
    const h = createOAuthHandlers(optionsFor());
    const res = await toFetchHandler(h.login)(new Request('https://app.example.com/auth/login?returnTo=/a'));
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toContain('/oauth2/authorize?');
    expect(res.headers.getSetCookie()).toHaveLength(1);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('passes the Cookie header through to the callback', async () => {
    const logger = createMemoryLogger();
    const h = createOAuthHandlers(optionsFor({ logger }));
    const fetchLogin = await toFetchHandler(h.login)(new Request('https://app.example.com/auth/login'));
    const tx = (fetchLogin.headers.getSetCookie()[0] as string).split(';')[0] as string;
    const query = await signInAt(fetchLogin.headers.get('location') as string);
    const res = await toFetchHandler(h.callback)(
      new Request(`https://app.example.com/auth/callback${query}`, { headers: { cookie: tx } }),
    );
    expect(logger.lines.map((l) => l.message)).toEqual(['cookie-auth: signed in']);
    expect(res.status).toBe(302);
    expect(res.headers.getSetCookie().map((c) => c.split('=')[0])).toEqual([
      '__Host-access-token',
      '__Secure-refresh-token',
      '__Host-oauth-tx',
    ]);
  });
});

describe('toExpressHandler', () => {
  it('adapts login to Express req/res', async () => {
    const h = createOAuthHandlers(optionsFor());
    const written: { status?: number; headers: Record<string, unknown>; body?: string } = { headers: {} };
    await toExpressHandler(h.login)(
      { method: 'GET', url: '/auth/login', headers: { host: 'app.example.com', cookie: 'a=1' } },
      {
        status: (c) => {
          written.status = c;
        },
        setHeader: (k, v) => {
          written.headers[k] = v;
        },
        end: (b) => {
          written.body = b;
        },
      },
    );
    expect(written.status).toBe(302);
    expect(written.headers['set-cookie']).toHaveLength(1);
    expect(String(written.headers.location)).toContain('code_challenge_method=S256');
  });
});
