import {
  createHash,
  createPublicKey,
  createSign,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  randomUUID,
} from 'node:crypto';
import { request } from 'node:http';
import { type LoopbackServer, startLoopbackServer } from '@secblocks/core/testing';
import type { Fetcher } from 'aws-jwt-verify/https';

/** Options of {@link startOidcEmulator}. */
export interface OidcEmulatorOptions {
  /** Emulated user pool; its issuer is `https://cognito-idp.<region>.amazonaws.com/<id>`. @defaultValue `'us-east-1_Emulator1'` */
  userPoolId?: string;
  /** App client id. @defaultValue `'emulatorclient1'` */
  clientId?: string;
  /** App client secret; when set, the token and revoke endpoints require HTTP Basic auth. @defaultValue none (public client) */
  clientSecret?: string;
  /** Allowed callback URLs. @defaultValue `['https://app.example.com/auth/callback']` */
  redirectUris?: readonly string[];
  /** Allowed sign-out URLs. @defaultValue `['https://app.example.com/']` */
  logoutUris?: readonly string[];
  /** The user `/oauth2/authorize` signs in automatically. */
  user?: { sub?: string; username?: string; groups?: string[] };
  /** Access- and ID-token lifetime in seconds. @defaultValue `3600` */
  tokenTtlSeconds?: number;
  /** Issue a new refresh token on every refresh and invalidate the old one. @defaultValue `true` */
  rotateRefreshTokens?: boolean;
  /** Clock in milliseconds (token `iat`/`exp`). @defaultValue `Date.now` */
  now?: () => number;
}

/** Endpoint names counted by {@link OidcEmulator.count}. */
export type OidcEndpoint = 'jwks' | 'authorize' | 'token' | 'revoke' | 'logout';

/** Options of {@link OidcEmulator.mintToken}. */
export interface MintOptions {
  /** Which token. @defaultValue `'access'` */
  tokenUse?: 'access' | 'id';
  /** Claims merged over the defaults (set one to `undefined` to drop it). */
  claims?: Record<string, unknown>;
  /** Header fields merged over `{ alg: 'RS256', kid, typ: 'JWT' }`. */
  header?: Record<string, unknown>;
  /** Sign with a key that is not in the JWKS (a forged token). @defaultValue `false` */
  foreignKey?: boolean;
}

/** A running emulator; see {@link startOidcEmulator}. */
export interface OidcEmulator {
  /** Base URL (`http://127.0.0.1:<port>`): pass it as the handlers' `domain`. */
  readonly url: string;
  /** The issuer (`iss`) of minted tokens: the Cognito URL of the emulated pool. */
  readonly issuer: string;
  /** The issuer's JWKS URI (Cognito form). {@link OidcEmulator.fetcher} maps it to the loopback server. */
  readonly jwksUri: string;
  /** The emulated user pool id. */
  readonly userPoolId: string;
  /** The app client id. */
  readonly clientId: string;
  /**
   * An aws-jwt-verify `Fetcher` that serves the emulated pool's JWKS URI (and any URL on this emulator)
   * over HTTP from the loopback server; every other URL is refused. Pass it as `jwksFetcher`.
   */
  readonly fetcher: Fetcher;
  /** A `fetch` that only reaches this emulator (for the handlers' `fetch` option, optional). */
  readonly fetch: typeof fetch;
  /** Mints a signed token for the emulated pool/client (Cognito claim layout). */
  mintToken(options?: MintOptions): string;
  /** Signs an arbitrary header and payload with the current key (RS256), for negative tests. */
  signRaw(header: Record<string, unknown>, payload: Record<string, unknown>): string;
  /** The public key of the current signing key as PEM (for "HS256 signed with the public key" tests). */
  publicKeyPem(): string;
  /** Adds a new signing key; the JWKS then lists both until {@link OidcEmulator.retireOldKeys}. */
  rotateKeys(): void;
  /** Drops every key but the newest from the JWKS. */
  retireOldKeys(): void;
  /** Requests served per endpoint. */
  count(endpoint: OidcEndpoint): number;
  /** `true` when the token's `origin_jti` was revoked via `/oauth2/revoke` (use as a revocation hook). */
  isRevoked(input: { originJti?: string; jti?: string }): boolean;
  /** Makes the next `n` requests to `endpoint` answer 500. */
  failNext(endpoint: OidcEndpoint, n?: number): void;
  /** Stops the server. */
  close(): Promise<void>;
}

interface Key {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

interface CodeGrant {
  redirectUri: string;
  challenge: string;
  nonce: string | undefined;
  scope: string;
  exp: number;
}

interface RefreshGrant {
  originJti: string;
  scope: string;
}

const newKey = (): Key => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(12).toString('base64url');
  return {
    kid,
    privateKey,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
  };
};

const signWith = (
  key: KeyObject,
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
): string => {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key).toString('base64url');
  return `${input}.${signature}`;
};

/**
 * Starts a loopback Cognito-like OIDC issuer on 127.0.0.1: JWKS with key rotation, `/oauth2/authorize` that
 * signs a user in automatically and redirects with a code, `/oauth2/token` (authorization code with PKCE
 * S256 verification; refresh with rotation; Cognito's error JSON), `/oauth2/revoke` and `/logout` (checks
 * `logout_uri` against the allowed sign-out URLs). Keys are generated at start, never stored.
 *
 * @param options - See {@link OidcEmulatorOptions}.
 * @example
 * ```ts
 * const idp = await startOidcEmulator();
 * const authorizer = createCookieAuthorizer({
 *   verifier: { cognito: { userPoolId: idp.userPoolId, clientId: idp.clientId }, jwksFetcher: idp.fetcher },
 * });
 * const token = idp.mintToken();
 * ```
 */
export async function startOidcEmulator(options: OidcEmulatorOptions = {}): Promise<OidcEmulator> {
  const userPoolId = options.userPoolId ?? 'us-east-1_Emulator1';
  const region = userPoolId.split('_')[0] as string;
  const issuer = `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
  const jwksUri = `${issuer}/.well-known/jwks.json`;
  const clientId = options.clientId ?? 'emulatorclient1';
  const redirectUris = options.redirectUris ?? ['https://app.example.com/auth/callback'];
  const logoutUris = options.logoutUris ?? ['https://app.example.com/'];
  const user = { sub: randomUUID(), username: 'emulated-user', groups: [] as string[], ...options.user };
  const ttl = options.tokenTtlSeconds ?? 3600;
  const rotate = options.rotateRefreshTokens !== false;
  const now = options.now ?? Date.now;
  const keys: Key[] = [newKey()];
  const foreign = newKey();
  const codes = new Map<string, CodeGrant>();
  const refreshTokens = new Map<string, RefreshGrant>();
  const revokedOrigins = new Set<string>();
  const counts: Record<OidcEndpoint, number> = { jwks: 0, authorize: 0, token: 0, revoke: 0, logout: 0 };
  const faults: Partial<Record<OidcEndpoint, number>> = {};
  const current = () => keys[keys.length - 1] as Key;

  const mint = (mo: MintOptions = {}): string => {
    const t = Math.floor(now() / 1000);
    const use = mo.tokenUse ?? 'access';
    const base: Record<string, unknown> =
      use === 'access'
        ? {
            sub: user.sub,
            iss: issuer,
            client_id: clientId,
            origin_jti: randomUUID(),
            event_id: randomUUID(),
            token_use: 'access',
            scope: 'openid',
            auth_time: t,
            exp: t + ttl,
            iat: t,
            jti: randomUUID(),
            username: user.username,
          }
        : {
            sub: user.sub,
            aud: clientId,
            iss: issuer,
            token_use: 'id',
            auth_time: t,
            exp: t + ttl,
            iat: t,
            jti: randomUUID(),
            origin_jti: randomUUID(),
            'cognito:username': user.username,
          };
    if (user.groups.length > 0) base['cognito:groups'] = user.groups;
    const payload = { ...base, ...mo.claims };
    for (const k of Object.keys(payload)) if (payload[k] === undefined) delete payload[k];
    const key = mo.foreignKey ? foreign : current();
    return signWith(key.privateKey, { kid: key.kid, alg: 'RS256', ...mo.header }, payload);
  };

  const issue = (scope: string, nonce: string | undefined, originJti: string) => {
    const access = mint({ claims: { scope, origin_jti: originJti } });
    const id = scope.split(' ').includes('openid')
      ? mint({ tokenUse: 'id', claims: { origin_jti: originJti, nonce } })
      : undefined;
    return { access, id };
  };
  const newRefresh = (grant: RefreshGrant) => {
    // Cognito refresh tokens are opaque JWEs of ~1.8 KB; a random blob of similar size keeps budgets honest.
    const rt = `eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.${randomBytes(1300).toString('base64url')}`;
    refreshTokens.set(rt, grant);
    return rt;
  };

  const clientAuthOk = (
    headers: Record<string, string | string[] | undefined>,
    form: URLSearchParams,
  ): boolean => {
    if (form.get('client_id') !== clientId && form.get('client_id') !== null) return false;
    if (options.clientSecret === undefined) return form.get('client_id') === clientId;
    const auth = headers.authorization;
    if (typeof auth !== 'string' || !auth.startsWith('Basic ')) return false;
    const [id, secret] = Buffer.from(auth.slice(6), 'base64')
      .toString('utf8')
      .split(':')
      .map(decodeURIComponent);
    return id === clientId && secret === options.clientSecret;
  };

  const server: LoopbackServer = await startLoopbackServer((req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const json = (status: number, value: unknown): void => {
      res.writeHead(status, {
        'content-type': 'application/json;charset=UTF-8',
        'access-control-allow-origin': '*',
      });
      res.end(JSON.stringify(value));
    };
    const endpoint: OidcEndpoint | undefined = url.pathname.endsWith('/.well-known/jwks.json')
      ? 'jwks'
      : url.pathname === '/oauth2/authorize'
        ? 'authorize'
        : url.pathname === '/oauth2/token'
          ? 'token'
          : url.pathname === '/oauth2/revoke'
            ? 'revoke'
            : url.pathname === '/logout'
              ? 'logout'
              : undefined;
    if (!endpoint) return json(404, { message: 'Not Found' });
    counts[endpoint]++;
    if ((faults[endpoint] ?? 0) > 0) {
      faults[endpoint] = (faults[endpoint] ?? 0) - 1;
      return json(500, { error: 'server_error' });
    }
    if (endpoint === 'jwks') return json(200, { keys: keys.map((k) => k.publicJwk) });
    if (endpoint === 'authorize') {
      const p = url.searchParams;
      const redirect = p.get('redirect_uri') ?? '';
      if (p.get('client_id') !== clientId || !redirectUris.includes(redirect))
        return json(400, { error: 'invalid_request' });
      const target = new URL(redirect);
      if (
        p.get('response_type') !== 'code' ||
        p.get('code_challenge_method') !== 'S256' ||
        !p.get('code_challenge')
      ) {
        target.searchParams.set('error', 'invalid_request');
      } else {
        const code = randomUUID();
        codes.set(code, {
          redirectUri: redirect,
          challenge: p.get('code_challenge') as string,
          nonce: p.get('nonce') ?? undefined,
          scope: p.get('scope') ?? 'openid',
          exp: now() + 300_000,
        });
        target.searchParams.set('code', code);
      }
      const state = p.get('state');
      if (state !== null) target.searchParams.set('state', state);
      res.writeHead(302, { location: target.href });
      res.end();
      return;
    }
    if (endpoint === 'logout') {
      const logoutUri = url.searchParams.get('logout_uri') ?? '';
      if (url.searchParams.get('client_id') !== clientId || !logoutUris.includes(logoutUri)) {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end("Required String parameter 'redirect_uri' is not present");
        return;
      }
      res.writeHead(302, { location: logoutUri });
      res.end();
      return;
    }
    if (req.method !== 'POST') return json(405, { error: 'invalid_request' });
    const form = new URLSearchParams(body.toString('utf8'));
    if (!clientAuthOk(req.headers, form)) return json(400, { error: 'invalid_client' });
    if (endpoint === 'revoke') {
      const grant = refreshTokens.get(form.get('token') ?? '');
      if (grant) {
        revokedOrigins.add(grant.originJti);
        for (const [rt, g] of refreshTokens) if (g.originJti === grant.originJti) refreshTokens.delete(rt);
      }
      res.writeHead(200);
      res.end();
      return;
    }
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = form.get('code') ?? '';
      const grant = codes.get(code);
      codes.delete(code); // single use
      const verifier = form.get('code_verifier') ?? '';
      if (
        !grant ||
        grant.exp < now() ||
        grant.redirectUri !== form.get('redirect_uri') ||
        !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) ||
        createHash('sha256').update(verifier).digest('base64url') !== grant.challenge
      ) {
        return json(400, { error: 'invalid_grant' });
      }
      const originJti = randomUUID();
      const { access, id } = issue(grant.scope, grant.nonce, originJti);
      return json(200, {
        ...(id ? { id_token: id } : {}),
        access_token: access,
        refresh_token: newRefresh({ originJti, scope: grant.scope }),
        token_type: 'Bearer',
        expires_in: ttl,
      });
    }
    if (grantType === 'refresh_token') {
      const rt = form.get('refresh_token') ?? '';
      const grant = refreshTokens.get(rt);
      if (!grant || revokedOrigins.has(grant.originJti)) return json(400, { error: 'invalid_grant' });
      const { access, id } = issue(grant.scope, undefined, grant.originJti);
      const out: Record<string, unknown> = {
        ...(id ? { id_token: id } : {}),
        access_token: access,
        token_type: 'Bearer',
        expires_in: ttl,
      };
      if (rotate) {
        refreshTokens.delete(rt);
        out.refresh_token = newRefresh(grant);
      }
      return json(200, out);
    }
    return json(400, { error: 'unsupported_grant_type' });
  });

  const toLoopback = (uri: string): string | undefined => {
    if (uri.startsWith(`${server.url}/`)) return uri;
    if (uri.startsWith(`${issuer}/`)) return `${server.url}/${userPoolId}${uri.slice(issuer.length)}`;
    return undefined;
  };
  const fetcher: Fetcher = {
    fetch: (uri) =>
      new Promise<ArrayBuffer>((resolve, reject) => {
        const target = toLoopback(uri);
        if (!target) {
          reject(new Error('The emulator fetcher only serves the emulated issuer'));
          return;
        }
        request(target, { method: 'GET' }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => {
            if (response.statusCode !== 200) {
              reject(new Error(`JWKS fetch answered ${response.statusCode}`));
              return;
            }
            const buf = Buffer.concat(chunks);
            resolve(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
          });
          response.on('error', reject);
        })
          .on('error', reject)
          .end();
      }),
  };
  const loopbackFetch: typeof fetch = (input, init) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const target = toLoopback(href);
    if (!target) return Promise.reject(new Error('The emulator fetch only reaches the emulator'));
    return fetch(target, init);
  };

  return {
    url: server.url,
    issuer,
    jwksUri,
    userPoolId,
    clientId,
    fetcher,
    fetch: loopbackFetch,
    mintToken: mint,
    signRaw: (header, payload) => signWith(current().privateKey, header, payload),
    publicKeyPem: () => createPublicKeyPem(current().publicJwk),
    rotateKeys: () => {
      keys.push(newKey());
    },
    retireOldKeys: () => {
      keys.splice(0, keys.length - 1);
    },
    count: (e) => counts[e],
    isRevoked: (input) => input.originJti !== undefined && revokedOrigins.has(input.originJti),
    failNext: (e, n = 1) => {
      faults[e] = (faults[e] ?? 0) + n;
    },
    close: () => server.close(),
  };
}

function createPublicKeyPem(jwk: Record<string, unknown>): string {
  return createPublicKey({ key: jwk as never, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
}
