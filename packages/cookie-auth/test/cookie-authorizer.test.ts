import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { assertNoSentinel, createMemoryLogger, createSentinel } from '@secblocks/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizeRequest,
  type CookieAuthorizerOptions,
  createCookieAuthorizer,
  createSessionCookies,
  type HttpApiAuthorizerEvent,
  type RestRequestAuthorizerEvent,
} from '../src/index.js';
import {
  httpApiAuthorizerEvent,
  type OidcEmulator,
  restRequestAuthorizerEvent,
  startOidcEmulator,
} from '../src/testing/index.js';

const NAME = '__Host-access-token';
const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
const KEY = { id: 'k1', secret: Buffer.alloc(32, 3) };

let idp: OidcEmulator;
beforeAll(async () => {
  idp = await startOidcEmulator({ user: { username: 'alice', groups: ['admins', 'staff'] } });
});
afterAll(() => idp.close());

const authorizerFor = (extra: Partial<CookieAuthorizerOptions> = {}) =>
  createCookieAuthorizer({
    verifier: { cognito: { userPoolId: idp.userPoolId, clientId: idp.clientId }, jwksFetcher: idp.fetcher },
    ...extra,
  });

const currentKid = (): string =>
  JSON.parse(Buffer.from(idp.mintToken().split('.')[0] as string, 'base64url').toString()).kid;
const now = () => Math.floor(Date.now() / 1000);
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('createCookieAuthorizer', () => {
  it('allows a valid access token cookie and passes flattened claims as context', async () => {
    const token = idp.mintToken();
    const result = await authorizerFor().authorize({
      cookies: [`${NAME}=${token}`],
      method: 'GET',
    });
    expect(result).toMatchObject({
      ok: true,
      context: {
        sub: expect.any(String),
        username: 'alice',
        clientId: idp.clientId,
        scope: 'openid',
        groups: 'admins,staff',
      },
    });
  });

  it('reads a raw Cookie header through cookieHeader', async () => {
    const result = await authorizerFor().authorize({
      method: 'GET',
      cookieHeader: `a=1; ${NAME}=${idp.mintToken()}`,
    });
    expect(result.ok).toBe(true);
  });

  // The bad-input table of the issue: every row must deny with the named reason and never throw.
  const badInputs: { name: string; cookies?: () => string[]; header?: () => string; reason: string }[] = [
    { name: 'no cookies', cookies: () => [], reason: 'NO_TOKEN' },
    { name: 'an empty cookie header', header: () => '', reason: 'NO_TOKEN' },
    { name: 'a malformed cookie header', header: () => ';;=;==;\u0000', reason: 'NO_TOKEN' },
    { name: 'an empty token value', cookies: () => [`${NAME}=`], reason: 'NO_TOKEN' },
    {
      name: 'a 20 KB cookie header',
      header: () => `${NAME}=${idp.mintToken()}; pad=${'x'.repeat(20_000)}`,
      reason: 'COOKIE_HEADER_TOO_LARGE',
    },
    {
      name: 'a name that merely ends in the token name',
      cookies: () => [`x${NAME}=${idp.mintToken()}`],
      reason: 'NO_TOKEN',
    },
    {
      name: 'an Amplify-style name ending in the token name',
      cookies: () => [`CognitoIdentityServiceProvider.c.u.${NAME}=${idp.mintToken()}`],
      reason: 'NO_TOKEN',
    },
    {
      name: 'a value that contains the token name',
      cookies: () => [`next=/?${NAME}=${idp.mintToken()}`],
      reason: 'NO_TOKEN',
    },
    {
      name: 'duplicate token cookies',
      cookies: () => [`${NAME}=${idp.mintToken()}`, `${NAME}=${idp.mintToken()}`],
      reason: 'DUPLICATE_COOKIE',
    },
    { name: 'a token that is not a JWT', cookies: () => [`${NAME}=not-a-jwt`], reason: 'TOKEN_MALFORMED' },
    {
      name: 'alg none',
      cookies: () => [
        `${NAME}=${b64({ alg: 'none', kid: 'x' })}.${b64({ iss: idp.issuer, exp: now() + 60, token_use: 'access', client_id: idp.clientId })}.`,
      ],
      reason: 'TOKEN_MALFORMED',
    },
    {
      name: 'HS256 signed with the public key',
      cookies: () => {
        const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: currentKid() })}.${b64({ iss: idp.issuer, exp: now() + 60, token_use: 'access', client_id: idp.clientId })}`;
        const sig = createHmac('sha256', idp.publicKeyPem()).update(input).digest('base64url');
        return [`${NAME}=${input}.${sig}`];
      },
      reason: 'TOKEN_SIGNATURE_INVALID',
    },
    {
      name: 'an unknown kid',
      cookies: () => [`${NAME}=${idp.mintToken({ header: { kid: 'unknown-kid' } })}`],
      reason: 'TOKEN_KEY_UNKNOWN',
    },
    {
      name: 'a token signed by a foreign key with a known kid',
      cookies: () => [`${NAME}=${idp.mintToken({ foreignKey: true, header: { kid: currentKid() } })}`],
      reason: 'TOKEN_SIGNATURE_INVALID',
    },
    {
      name: 'a wrong issuer',
      cookies: () => [
        `${NAME}=${idp.mintToken({ claims: { iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' } })}`,
      ],
      reason: 'TOKEN_ISSUER_INVALID',
    },
    {
      name: 'a wrong client',
      cookies: () => [`${NAME}=${idp.mintToken({ claims: { client_id: 'someoneelse' } })}`],
      reason: 'TOKEN_CLIENT_INVALID',
    },
    {
      name: 'an ID token where an access token is expected',
      cookies: () => [`${NAME}=${idp.mintToken({ tokenUse: 'id' })}`],
      reason: 'TOKEN_USE_INVALID',
    },
    {
      name: 'an expired token',
      cookies: () => [`${NAME}=${idp.mintToken({ claims: { exp: now() - 5 } })}`],
      reason: 'TOKEN_EXPIRED',
    },
    {
      name: 'a not-yet-valid token',
      cookies: () => [`${NAME}=${idp.mintToken({ claims: { nbf: now() + 600 } })}`],
      reason: 'TOKEN_NOT_YET_VALID',
    },
    {
      name: 'a tampered signature',
      cookies: () => {
        const t = idp.mintToken();
        const last = t.at(-5) === 'A' ? 'B' : 'A';
        return [`${NAME}=${t.slice(0, -5)}${last}${t.slice(-4)}`];
      },
      reason: 'TOKEN_SIGNATURE_INVALID',
    },
    {
      name: 'a tampered payload',
      cookies: () => {
        const [h, , s] = idp.mintToken().split('.');
        return [
          `${NAME}=${h}.${b64({ iss: idp.issuer, exp: now() + 60, token_use: 'access', client_id: idp.clientId, sub: 'admin' })}.${s}`,
        ];
      },
      reason: 'TOKEN_SIGNATURE_INVALID',
    },
    {
      name: 'a jku header pointing elsewhere',
      cookies: () => [
        `${NAME}=${idp.mintToken({ foreignKey: true, header: { kid: 'attacker', jku: 'https://evil.example/jwks.json' } })}`,
      ],
      reason: 'TOKEN_KEY_UNKNOWN',
    },
  ];

  it.each(badInputs)('denies $name with $reason on every flavour', async ({ cookies, header, reason }) => {
    const authorizer = authorizerFor();
    const pairs = cookies?.() ?? [];
    const h = header?.();
    const source = h === undefined ? { cookies: pairs } : { cookieHeader: h };
    expect(await authorizer.authorize({ ...source, method: 'GET' })).toEqual({ ok: false, reason });
    const httpEvent = httpApiAuthorizerEvent({ cookies: h === undefined ? pairs : h ? [h] : [] });
    expect(await authorizer.httpApiSimple(httpEvent)).toEqual({ isAuthorized: false });
    expect((await authorizer.httpApiIam(httpEvent)).policyDocument.Statement[0]?.Effect).toBe('Deny');
    const restEvent = restRequestAuthorizerEvent({ cookies: h === undefined ? pairs : h ? [h] : [] });
    await expect(authorizer.restRequest(restEvent)).rejects.toThrow(/^Unauthorized$/);
  });

  it('denies a tampered encrypted cookie with DECRYPT_FAILED', async () => {
    const cookies = createSessionCookies({ encryptionKeys: [KEY] });
    const authorizer = authorizerFor({ cookies });
    const [line] = cookies.write({ accessToken: idp.mintToken() });
    const value = (line as string).split(';')[0]?.split('=')[1] as string;
    expect((await authorizer.authorize({ method: 'GET', cookies: [`${NAME}=${value}`] })).ok).toBe(true);
    const tampered = `${value.slice(0, 20)}${value[20] === 'a' ? 'b' : 'a'}${value.slice(21)}`;
    expect(await authorizer.authorize({ method: 'GET', cookies: [`${NAME}=${tampered}`] })).toEqual({
      ok: false,
      reason: 'DECRYPT_FAILED',
    });
    expect(await authorizer.authorize({ method: 'GET', cookies: [`${NAME}=${idp.mintToken()}`] })).toEqual({
      ok: false,
      reason: 'DECRYPT_FAILED',
    });
  });

  it('never fetches a jku URL or imports an embedded jwk', async () => {
    const authorizer = authorizerFor();
    await authorizer.authorize({ method: 'GET', cookies: [`${NAME}=${idp.mintToken()}`] });
    const before = idp.count('jwks');
    const forged = idp.mintToken({
      foreignKey: true,
      header: { kid: 'forged', jku: `${idp.url}/evil/.well-known/jwks.json`, jwk: { kty: 'RSA' } },
    });
    expect((await authorizer.authorize({ method: 'GET', cookies: [`${NAME}=${forged}`] })).ok).toBe(false);
    // One refetch of the configured JWKS for the unknown kid, none of the jku URL.
    expect(idp.count('jwks') - before).toBe(1);
  });

  it('makes exactly one JWKS fetch for 100 concurrent requests on a cold authorizer', async () => {
    const authorizer = authorizerFor();
    const before = idp.count('jwks');
    const tokens = Array.from({ length: 100 }, () => idp.mintToken());
    const results = await Promise.all(
      tokens.map((t) => authorizer.authorize({ method: 'GET', cookies: [`${NAME}=${t}`] })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(idp.count('jwks') - before).toBe(1);
  });

  it('accepts tokens signed with a rotated key after one refetch', async () => {
    const authorizer = authorizerFor();
    expect((await authorizer.authorize({ method: 'GET', cookies: [`${NAME}=${idp.mintToken()}`] })).ok).toBe(
      true,
    );
    const before = idp.count('jwks');
    idp.rotateKeys();
    expect((await authorizer.authorize({ method: 'GET', cookies: [`${NAME}=${idp.mintToken()}`] })).ok).toBe(
      true,
    );
    expect(idp.count('jwks') - before).toBe(1);
  });

  it('makes no fetch and verifies synchronously when the JWKS is preloaded', async () => {
    const jwks = JSON.parse(Buffer.from(await idp.fetcher.fetch(idp.jwksUri)).toString());
    const before = idp.count('jwks');
    const authorizer = createCookieAuthorizer({
      verifier: {
        cognito: { userPoolId: idp.userPoolId, clientId: idp.clientId },
        jwks: { [idp.issuer]: jwks },
      },
    });
    const token = idp.mintToken();
    expect(authorizer.verifier.verifySync(token).ok).toBe(true);
    expect((await authorizer.authorize({ method: 'GET', cookies: [`${NAME}=${token}`] })).ok).toBe(true);
    expect(idp.count('jwks')).toBe(before);
  });

  it('denies with TOKEN_REVOKED when the revocation hook reports the origin_jti', async () => {
    const revoked = new Set(['revoked-origin']);
    const authorizer = authorizerFor({
      verifier: {
        cognito: { userPoolId: idp.userPoolId, clientId: idp.clientId },
        jwksFetcher: idp.fetcher,
        isRevoked: ({ originJti }) => originJti !== undefined && revoked.has(originJti),
      },
    });
    expect((await authorizer.authorize({ method: 'GET', cookies: [`${NAME}=${idp.mintToken()}`] })).ok).toBe(
      true,
    );
    const token = idp.mintToken({ claims: { origin_jti: 'revoked-origin' } });
    expect(await authorizer.authorize({ method: 'GET', cookies: [`${NAME}=${token}`] })).toEqual({
      ok: false,
      reason: 'TOKEN_REVOKED',
    });
  });

  it('checks required scopes and groups', async () => {
    const authorizer = authorizerFor({
      verifier: {
        cognito: {
          userPoolId: idp.userPoolId,
          clientId: idp.clientId,
          scope: 'orders/read',
          groups: 'admins',
        },
        jwksFetcher: idp.fetcher,
      },
    });
    expect(await authorizer.authorize({ method: 'GET', cookies: [`${NAME}=${idp.mintToken()}`] })).toEqual({
      ok: false,
      reason: 'TOKEN_SCOPE_INVALID',
    });
    expect(
      (
        await authorizer.authorize({
          method: 'GET',
          cookies: [`${NAME}=${idp.mintToken({ claims: { scope: 'openid orders/read' } })}`],
        })
      ).ok,
    ).toBe(true);
    const noGroup = idp.mintToken({ claims: { scope: 'orders/read', 'cognito:groups': ['staff'] } });
    expect(await authorizer.authorize({ method: 'GET', cookies: [`${NAME}=${noGroup}`] })).toEqual({
      ok: false,
      reason: 'TOKEN_GROUP_INVALID',
    });
    const restEvent = restRequestAuthorizerEvent({ cookies: [`${NAME}=${noGroup}`] });
    expect((await authorizer.restRequest(restEvent)).policyDocument.Statement[0]?.Effect).toBe('Deny');
  });

  it('trusts several issuers: two Cognito pools and a generic OIDC issuer', async () => {
    const other = await startOidcEmulator({ userPoolId: 'eu-west-1_Other2', clientId: 'otherclient' });
    try {
      const fetcher = {
        fetch: (uri: string) =>
          uri.startsWith(other.issuer) ? other.fetcher.fetch(uri) : idp.fetcher.fetch(uri),
      };
      const authorizer = authorizerFor({
        verifier: {
          cognito: [{ userPoolId: idp.userPoolId, clientId: idp.clientId }],
          issuers: [
            { issuer: other.issuer, jwksUri: other.jwksUri, audience: null, clientId: 'otherclient' },
          ],
          jwksFetcher: fetcher,
        },
      });
      expect(
        (await authorizer.authorize({ method: 'GET', cookies: [`${NAME}=${idp.mintToken()}`] })).ok,
      ).toBe(true);
      expect(
        (await authorizer.authorize({ method: 'GET', cookies: [`${NAME}=${other.mintToken()}`] })).ok,
      ).toBe(true);
      expect(
        await authorizer.authorize({
          method: 'GET',
          cookies: [`${NAME}=${other.mintToken({ tokenUse: 'id' })}`],
        }),
      ).toEqual({ ok: false, reason: 'TOKEN_USE_INVALID' });
      expect(
        await authorizer.authorize({
          method: 'GET',
          cookies: [`${NAME}=${other.mintToken({ claims: { client_id: 'x' } })}`],
        }),
      ).toEqual({ ok: false, reason: 'TOKEN_CLIENT_INVALID' });
    } finally {
      await other.close();
    }
  });

  it('tolerates clock skew up to graceSeconds', async () => {
    const token = idp.mintToken({ claims: { exp: now() - 20 } });
    const strict = authorizerFor();
    const lenient = authorizerFor({
      verifier: {
        cognito: { userPoolId: idp.userPoolId, clientId: idp.clientId },
        jwksFetcher: idp.fetcher,
        graceSeconds: 60,
      },
    });
    expect((await strict.authorize({ method: 'GET', cookies: [`${NAME}=${token}`] })).ok).toBe(false);
    expect((await lenient.authorize({ method: 'GET', cookies: [`${NAME}=${token}`] })).ok).toBe(true);
  });

  describe('CSRF defence', () => {
    it('denies unsafe methods without the custom header or an allowed Origin', async () => {
      const authorizer = authorizerFor({ csrf: { allowedOrigins: ['https://app.example.com'] } });
      const cookies = [`${NAME}=${idp.mintToken()}`];
      expect(await authorizer.authorize({ cookies, method: 'POST' })).toEqual({
        ok: false,
        reason: 'CSRF_CHECK_FAILED',
      });
      expect(
        (await authorizer.authorize({ cookies, method: 'POST', headers: { 'X-Requested-With': 'fetch' } }))
          .ok,
      ).toBe(true);
      expect(
        (
          await authorizer.authorize({
            cookies,
            method: 'DELETE',
            headers: { origin: 'https://app.example.com' },
          })
        ).ok,
      ).toBe(true);
      expect(
        await authorizer.authorize({
          cookies,
          method: 'POST',
          headers: { origin: 'https://evil.example', 'x-requested-with': 'x' },
        }),
      ).toEqual({ ok: false, reason: 'CSRF_CHECK_FAILED' });
      expect((await authorizer.authorize({ cookies, method: 'GET' })).ok).toBe(true);
    });

    it('answers 403 (Deny), not 401, on REST when only the CSRF check fails', async () => {
      const authorizer = authorizerFor();
      const event = restRequestAuthorizerEvent({ method: 'POST', cookies: [`${NAME}=${idp.mintToken()}`] });
      expect((await authorizer.restRequest(event)).policyDocument.Statement[0]?.Effect).toBe('Deny');
    });

    it('rejects origins that are not bare https origins', () => {
      expect(() => authorizerFor({ csrf: { allowedOrigins: ['https://app.example.com/'] } })).toThrow(
        /csrf.allowedOrigins\[0\]/,
      );
      expect(() => authorizerFor({ csrf: { requiredHeader: null } })).toThrow(/csrf.allowedOrigins/);
    });
  });

  describe('AWS documentation event shapes', () => {
    it('answers the HTTP API v2 documented event with a simple response', async () => {
      const event = fixture<HttpApiAuthorizerEvent>('http-api-authorizer-v2.json');
      const authorizer = authorizerFor();
      expect(await authorizer.httpApiSimple(event)).toEqual({ isAuthorized: false });
      event.cookies = ['cookie1=x', `${NAME}=${idp.mintToken()}`];
      event.headers = { ...event.headers, 'x-requested-with': 'XMLHttpRequest' }; // the sample is a POST
      const res = await authorizer.httpApiSimple(event);
      expect(res).toEqual({
        isAuthorized: true,
        context: expect.objectContaining({ username: 'alice', groups: 'admins,staff' }),
      });
    });

    it('answers the HTTP API v2 documented event with a cache-safe IAM policy', async () => {
      const event = fixture<HttpApiAuthorizerEvent>('http-api-authorizer-v2.json');
      event.cookies = [`${NAME}=${idp.mintToken({ claims: { sub: 'user-sub-1' } })}`];
      event.headers = { ...event.headers, 'x-requested-with': '1' };
      expect(await authorizerFor().httpApiIam(event)).toEqual({
        principalId: 'user-sub-1',
        policyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Action: 'execute-api:Invoke',
              Effect: 'Allow',
              Resource: 'arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/*',
            },
          ],
        },
        context: expect.objectContaining({ sub: 'user-sub-1' }),
      });
      const routeOnly = await authorizerFor({ policyResource: 'route' }).httpApiIam(event);
      expect(routeOnly.policyDocument.Statement[0]?.Resource).toBe(event.routeArn);
    });

    it('answers the REST REQUEST documented event (cookie in Cookie header) with principalId = sub', async () => {
      const event = fixture<RestRequestAuthorizerEvent>('rest-request-authorizer.json');
      await expect(authorizerFor().restRequest(event)).rejects.toThrow(/^Unauthorized$/);
      const cookie = `theme=dark; ${NAME}=${idp.mintToken({ claims: { sub: 'user-sub-2' } })}`;
      event.headers = { ...event.headers, cookie };
      event.multiValueHeaders = { ...event.multiValueHeaders, cookie: [cookie] };
      const res = await authorizerFor({
        context: (c) => ({
          sub: c.sub as string,
          groups: c['cognito:groups'] as never,
          nested: { a: 1 } as never,
        }),
      }).restRequest(event);
      expect(res.principalId).toBe('user-sub-2');
      expect(res.policyDocument.Statement[0]).toEqual({
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: 'arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/*',
      });
      // REST context values must be string, number or boolean: arrays are joined, objects dropped.
      expect(res.context).toEqual({ sub: 'user-sub-2', groups: 'admins,staff' });
    });

    it('never throws anything but Unauthorized on garbage REST events', async () => {
      const authorizer = authorizerFor();
      for (const event of [undefined, null, {}, { headers: 'x' }, { multiValueHeaders: { cookie: 'x' } }]) {
        await expect(authorizer.restRequest(event as never)).rejects.toThrow(/^Unauthorized$/);
        expect(await authorizer.httpApiSimple(event as never)).toEqual({ isAuthorized: false });
      }
    });
  });

  it('logs reason codes only: no token, cookie value or claim reaches logs or responses', async () => {
    const sentinel = createSentinel('cookie');
    const logger = createMemoryLogger();
    const authorizer = authorizerFor({ logger });
    const tokens = [
      idp.mintToken({ claims: { exp: now() - 5, username: sentinel } }),
      idp.mintToken({ claims: { client_id: sentinel } }),
      idp.mintToken({ tokenUse: 'id', claims: { email: sentinel } }),
      `${sentinel}.${sentinel}.${sentinel}`,
      sentinel,
    ];
    const outputs: unknown[] = [];
    for (const t of tokens) {
      outputs.push(
        await authorizer.authorize({ method: 'GET', cookies: [`${NAME}=${t}`, `other=${sentinel}`] }),
      );
      outputs.push(await authorizer.httpApiSimple(httpApiAuthorizerEvent({ cookies: [`${NAME}=${t}`] })));
      outputs.push(await authorizer.httpApiIam(httpApiAuthorizerEvent({ cookies: [`${NAME}=${t}`] })));
      outputs.push(
        await authorizer
          .restRequest(restRequestAuthorizerEvent({ cookies: [`${NAME}=${t}`] }))
          .catch((e: unknown) => e),
      );
    }
    expect(logger.lines.length).toBeGreaterThanOrEqual(tokens.length * 4);
    expect(logger.lines.every((l) => typeof l.data?.reason === 'string')).toBe(true);
    assertNoSentinel(sentinel, logger.text(), ...outputs);
  });
});

describe('authorizeRequest', () => {
  it('authorizes a Fetch API Request by its Cookie header, method and headers', async () => {
    const authorizer = authorizerFor();
    const cookie = `theme=dark; ${NAME}=${idp.mintToken()}`;
    expect(
      (await authorizeRequest(authorizer, new Request('https://api.example.com/x', { headers: { cookie } })))
        .ok,
    ).toBe(true);
    const post = new Request('https://api.example.com/x', { method: 'POST', headers: { cookie } });
    expect(await authorizeRequest(authorizer, post)).toEqual({ ok: false, reason: 'CSRF_CHECK_FAILED' });
    const withHeader = new Request('https://api.example.com/x', {
      method: 'POST',
      headers: { cookie, 'x-requested-with': 'fetch' },
    });
    expect((await authorizeRequest(authorizer, withHeader)).ok).toBe(true);
    expect(await authorizeRequest(authorizer, new Request('https://api.example.com/x'))).toEqual({
      ok: false,
      reason: 'NO_TOKEN',
    });
  });
});
