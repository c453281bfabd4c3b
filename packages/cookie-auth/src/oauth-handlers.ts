import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { isSensitive, type Logger, retry, type Sensitive, silentLogger } from '@secblocks/core';
import { readCookies } from './cookie-reader.js';
import { type CsrfOptions, compileCsrfCheck } from './csrf-check.js';
import { requireOption } from './errors.js';
import type { HttpApiProxyEvent, HttpApiProxyResult } from './events.js';
import { validateReturnPath } from './return-path.js';
import {
  createSessionCookies,
  type HeaderBudgetInput,
  type SessionCookieOptions,
  TRANSACTION_RETURN_PATH_MAX,
} from './session-cookies.js';
import { createTokenVerifier, type TokenVerifierOptions } from './token-verifier.js';

/** Options of {@link createOAuthHandlers}. */
export interface OAuthHandlerOptions {
  /**
   * Base URL of the Cognito domain (managed login), e.g. `https://auth.example.com` or
   * `https://my-app.auth.eu-west-1.amazoncognito.com`. Must be HTTPS (plain HTTP only for 127.0.0.1/localhost).
   */
  domain: string;
  /** App client id. */
  clientId: string;
  /** App client secret, for `client_secret_basic`. Omit for a public client. Wrap it in `sensitive()` if you like. */
  clientSecret?: string | Sensitive<string>;
  /** The callback URL registered with the app client (absolute HTTPS; exactly the same at authorize and token). */
  redirectUri: string;
  /** Where Cognito's `/logout` sends the browser: one of the client's "Allowed sign-out URLs" (absolute). */
  logoutUri: string;
  /** Scopes requested. @defaultValue `['openid']` */
  scopes?: readonly string[];
  /**
   * Token verification (issuer, client, JWKS fetcher). Used to verify the ID token's signature and `nonce`
   * at the callback (`tokenUse` is forced to `'id'` there) and the access token (forced to `'access'`).
   */
  verifier: TokenVerifierOptions;
  /** Session cookie options; `encryptionKeys` is required (the login transaction is always encrypted). */
  cookies: SessionCookieOptions;
  /** Where to go after login when no valid `returnTo` was given. @defaultValue `'/'` */
  defaultReturnPath?: string;
  /** Path prefixes a `returnTo` may start with. @defaultValue `['/']` */
  allowedReturnPrefixes?: readonly string[];
  /** Lifetime of the login transaction cookie, seconds (≤ 600). @defaultValue `600` */
  transactionTtlSeconds?: number;
  /**
   * Marks a transaction id as used; return `false` if it was already used (replay). Back it with a store
   * shared by your Lambda instances (e.g. a DynamoDB conditional put) for strict single use.
   * @defaultValue an in-memory set per Lambda instance (the authorization code is single-use at Cognito anyway)
   */
  consumeTransaction?: (id: string, expiresAtSeconds: number) => boolean | Promise<boolean>;
  /** CSRF defence for `refresh` and `logout` (POST). @defaultValue required `X-Requested-With` header */
  csrf?: CsrfOptions;
  /** Header-budget inputs checked at creation. Pass `false` to skip (not recommended). @defaultValue `{}` */
  headerBudget?: HeaderBudgetInput | false;
  /**
   * Attempts per call to the token and revocation endpoints; network errors, timeouts (5 s) and 5xx are
   * retried with jittered exponential backoff, OAuth errors (4xx) never.
   * @defaultValue `3`
   */
  endpointAttempts?: number;
  /** `fetch` used for the token and revocation endpoints. @defaultValue `globalThis.fetch` */
  fetch?: typeof fetch;
  /** Receives reason codes, never tokens, codes, verifiers or cookie values. @defaultValue silent */
  logger?: Logger;
  /** Clock in milliseconds. @defaultValue `Date.now` */
  now?: () => number;
}

/** One HTTP API v2 handler. Never throws: failures are generic 4xx/5xx responses. */
export type OAuthHandler = (event: HttpApiProxyEvent) => Promise<HttpApiProxyResult>;

/** The handlers; see {@link createOAuthHandlers}. */
export interface OAuthHandlers {
  /** `GET /auth/login[?returnTo=/path]`: 302 to `/oauth2/authorize` with PKCE S256, state and nonce. */
  login: OAuthHandler;
  /** `GET /auth/callback`: checks state, exchanges the code, checks the nonce, sets cookies, 302 to the return path. */
  callback: OAuthHandler;
  /** `POST /auth/session/refresh` (under the refresh cookie's path): renews the access token, persists a rotated refresh token, clears cookies on `invalid_grant`. */
  refresh: OAuthHandler;
  /** `POST /auth/session/logout` (under the refresh cookie's path, so the refresh token can be revoked): revokes the refresh token, expires every cookie chunk, 302 to Cognito `/logout`. */
  logout: OAuthHandler;
}

interface Transaction {
  id: string;
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  exp: number;
}

/** A 5xx from a Cognito endpoint, thrown inside the retry loop only. */
class ServerError extends Error {
  constructor(readonly result: { status: number; json: Record<string, unknown> | undefined }) {
    super(`HTTP ${result.status}`);
  }
}

const b64url = (bytes = 32) => randomBytes(bytes).toString('base64url');
const s256 = (v: string) => createHash('sha256').update(v).digest('base64url');

/**
 * Constant-time string equality for `state`, `nonce` and CSRF values: both sides are hashed first, so
 * the comparison time depends on neither content nor length.
 *
 * @param a - One value.
 * @param b - The other value.
 * @returns `true` when equal.
 * @example
 * ```ts
 * if (!constantTimeEqual(query.state, transaction.state)) return badRequest();
 * ```
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

const isLoopback = (u: URL) =>
  u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
const validUrl = (v: unknown, allowLoopbackHttp: boolean): URL | undefined => {
  if (typeof v !== 'string') return undefined;
  try {
    const u = new URL(v);
    if (u.protocol === 'https:' || (allowLoopbackHttp && u.protocol === 'http:' && isLoopback(u))) return u;
  } catch {
    return undefined;
  }
  return undefined;
};

const OAUTH_ERRORS = new Set([
  'invalid_request',
  'unauthorized_client',
  'access_denied',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
  'invalid_client',
  'invalid_grant',
  'unsupported_grant_type',
]);

/**
 * Creates the OAuth 2.0 authorization-code handlers for a cookie session behind API Gateway (HTTP API v2
 * proxy events): `login` (PKCE S256, `state`, `nonce`, return path inside an encrypted single-use
 * `SameSite=Lax` transaction cookie, ≤ 10 min), `callback` (constant-time state check, `?error=`
 * handling, code exchange with `client_secret_basic` or as a public client, ID-token nonce check,
 * `Cache-Control: no-store`, `Referrer-Policy: no-referrer`, redirect only to a validated same-origin
 * path), `refresh` and `logout`. No handler throws or answers 500 on bad input.
 *
 * @param options - See {@link OAuthHandlerOptions}.
 * @throws {@link CookieAuthError} `INVALID_OPTION` naming the option, `HEADER_BUDGET_EXCEEDED` when the
 *   cookie configuration could exceed API Gateway's 10,240-byte header limit.
 * @example
 * ```ts
 * const auth = createOAuthHandlers({
 *   domain: 'https://auth.example.com', clientId: '1example23456789',
 *   redirectUri: 'https://app.example.com/auth/callback', logoutUri: 'https://app.example.com/',
 *   verifier: { cognito: { userPoolId: 'eu-west-1_AbCdEf123', clientId: '1example23456789' } },
 *   cookies: { encryptionKeys: [{ id: 'k1', secret: process.env.COOKIE_KEY! }] },
 * });
 * export const login = auth.login, callback = auth.callback;
 * ```
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html
 */
export function createOAuthHandlers(options: OAuthHandlerOptions): OAuthHandlers {
  requireOption(options && typeof options === 'object', 'options', 'an object');
  const domain = validUrl(options.domain, true);
  requireOption(
    domain && domain.pathname === '/' && !domain.search,
    'domain',
    'an https base URL such as https://auth.example.com',
  );
  const base = domain.origin;
  requireOption(
    typeof options.clientId === 'string' && /^[\w.-]{1,128}$/.test(options.clientId),
    'clientId',
    'an app client id',
  );
  const clientId = options.clientId;
  const secretOpt = options.clientSecret;
  requireOption(
    secretOpt === undefined || typeof secretOpt === 'string' || isSensitive(secretOpt),
    'clientSecret',
    'a string or Sensitive<string>',
  );
  const redirect = validUrl(options.redirectUri, true);
  requireOption(
    redirect && !redirect.hash,
    'redirectUri',
    'an absolute https callback URL without a fragment',
  );
  const redirectUri = redirect.href;
  const logout = validUrl(options.logoutUri, true);
  requireOption(
    logout && !logout.hash,
    'logoutUri',
    'an absolute https URL registered as an allowed sign-out URL',
  );
  const logoutUri = logout.href;
  const scopes = options.scopes ?? ['openid'];
  requireOption(
    Array.isArray(scopes) &&
      scopes.length > 0 &&
      scopes.every((s) => typeof s === 'string' && /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s)),
    'scopes',
    'a non-empty array of scope tokens',
  );
  const allowedPrefixes = options.allowedReturnPrefixes ?? ['/'];
  requireOption(
    Array.isArray(allowedPrefixes) &&
      allowedPrefixes.every((p) => typeof p === 'string' && p.startsWith('/') && !p.startsWith('//')),
    'allowedReturnPrefixes',
    'an array of /-relative path prefixes',
  );
  const defaultReturn = validateReturnPath(options.defaultReturnPath ?? '/', { allowedPrefixes });
  requireOption(defaultReturn, 'defaultReturnPath', 'a /-relative path under allowedReturnPrefixes');
  const ttl = options.transactionTtlSeconds ?? 600;
  requireOption(
    Number.isInteger(ttl) && ttl >= 30 && ttl <= 600,
    'transactionTtlSeconds',
    'an integer from 30 to 600',
  );
  requireOption(
    options.cookies && typeof options.cookies === 'object' && options.cookies.encryptionKeys,
    'cookies.encryptionKeys',
    'keys to encrypt the login transaction cookie',
  );
  const cookies = createSessionCookies(options.cookies);
  if (options.headerBudget !== false) cookies.assertHeaderBudget(options.headerBudget ?? {});
  requireOption(
    options.verifier && typeof options.verifier === 'object',
    'verifier',
    'token verifier options',
  );
  const accessVerifier = createTokenVerifier({ ...options.verifier, tokenUse: 'access' });
  const idVerifier = createTokenVerifier({ ...options.verifier, tokenUse: 'id', isRevoked: undefined });
  const csrf = compileCsrfCheck(options.csrf ?? {});
  const attempts = options.endpointAttempts ?? 3;
  requireOption(
    Number.isInteger(attempts) && attempts >= 1 && attempts <= 5,
    'endpointAttempts',
    'an integer from 1 to 5',
  );
  const doFetch = options.fetch ?? globalThis.fetch;
  requireOption(typeof doFetch === 'function', 'fetch', 'a fetch implementation');
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const used = new Map<string, number>();
  const consume =
    options.consumeTransaction ??
    ((id: string, exp: number) => {
      const t = now() / 1000;
      if (used.size > 10_000) for (const [k, e] of used) if (e < t) used.delete(k);
      if (used.has(id)) return false;
      used.set(id, exp);
      return true;
    });
  requireOption(typeof consume === 'function', 'consumeTransaction', 'a function');

  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    'cache-control': 'no-store',
    pragma: 'no-cache',
    'referrer-policy': 'no-referrer',
    ...extra,
  });
  const respond = (
    statusCode: number,
    setCookies: string[] = [],
    extra: Record<string, string> = {},
    body = '',
  ): HttpApiProxyResult => ({
    statusCode,
    headers: headers(body ? { 'content-type': 'application/json', ...extra } : extra),
    cookies: setCookies,
    body,
  });
  const fail = (
    statusCode: number,
    reason: string,
    handler: string,
    setCookies: string[] = [],
  ): HttpApiProxyResult => {
    logger.info('cookie-auth: request rejected', { handler, reason });
    const message =
      statusCode === 400
        ? 'Bad Request'
        : statusCode === 401
          ? 'Unauthorized'
          : statusCode === 403
            ? 'Forbidden'
            : statusCode === 405
              ? 'Method Not Allowed'
              : 'Bad Gateway';
    return respond(statusCode, setCookies, {}, JSON.stringify({ message }));
  };
  const secret = () =>
    secretOpt === undefined ? undefined : isSensitive(secretOpt) ? secretOpt.reveal() : secretOpt;

  /** Calls a Cognito endpoint with form data; returns status and parsed JSON (or undefined). */
  const post = async (
    path: string,
    form: Record<string, string>,
  ): Promise<{ status: number; json: Record<string, unknown> | undefined }> => {
    const h: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    const s = secret();
    if (s !== undefined) {
      // client_secret_basic: RFC 6749 §2.3.1 form-encodes id and secret before base64.
      h.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(s)}`).toString('base64')}`;
    }
    const body = new URLSearchParams(form).toString();
    const once = async () => {
      const res = await doFetch(`${base}${path}`, {
        method: 'POST',
        headers: h,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(5000),
      });
      const text = await res.text();
      let json: Record<string, unknown> | undefined;
      try {
        const parsed: unknown = text ? JSON.parse(text) : undefined;
        json = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
      } catch {
        json = undefined;
      }
      const result = { status: res.status, json };
      if (res.status >= 500) throw new ServerError(result);
      return result;
    };
    try {
      // Network failures, timeouts and 5xx are retried with jittered backoff; 4xx (invalid_grant, …) never.
      return await retry(once, {
        maxAttempts: attempts,
        isRetryable: (e) =>
          e instanceof ServerError ||
          (e instanceof Error && (e.name === 'TypeError' || e.name === 'TimeoutError')),
      });
    } catch (e) {
      if (e instanceof ServerError) return e.result;
      throw e;
    }
  };
  const oauthError = (json: Record<string, unknown> | undefined): string =>
    typeof json?.error === 'string' && OAUTH_ERRORS.has(json.error) ? json.error : 'unknown_error';
  const methodOf = (e: HttpApiProxyEvent) => e?.requestContext?.http?.method?.toUpperCase() ?? '';
  const query = (e: HttpApiProxyEvent) =>
    new URLSearchParams(typeof e?.rawQueryString === 'string' ? e.rawQueryString : '');
  const guard =
    (name: string, fn: OAuthHandler): OAuthHandler =>
    async (event) => {
      try {
        return await fn(event ?? ({} as HttpApiProxyEvent));
      } catch {
        // Never a 500 with detail; the cause could hold token-endpoint material, so it is not logged either.
        return fail(502, 'INTERNAL_ERROR', name);
      }
    };

  const login: OAuthHandler = async (event) => {
    if (methodOf(event) !== 'GET') return fail(405, 'METHOD_NOT_ALLOWED', 'login');
    const requested = query(event).get('returnTo');
    let returnTo = defaultReturn;
    if (requested !== null) {
      const valid = validateReturnPath(requested, {
        allowedPrefixes,
        maxLength: TRANSACTION_RETURN_PATH_MAX,
      });
      // An off-site or malformed return path is an attack or a bug: refuse it visibly, never redirect.
      if (valid === undefined) return fail(400, 'INVALID_RETURN_PATH', 'login');
      returnTo = valid;
    }
    const tx: Transaction = {
      id: randomUUID(),
      state: b64url(),
      nonce: b64url(),
      verifier: b64url(48), // 64 chars, within RFC 7636's 43–128
      returnTo,
      exp: Math.floor(now() / 1000) + ttl,
    };
    const url = new URL('/oauth2/authorize', base);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: scopes.join(' '),
      state: tx.state,
      nonce: tx.nonce,
      code_challenge: s256(tx.verifier),
      code_challenge_method: 'S256',
    }).toString();
    return respond(302, [cookies.sealTransaction(JSON.stringify(tx), ttl)], { location: url.href });
  };

  const callback: OAuthHandler = async (event) => {
    if (methodOf(event) !== 'GET') return fail(405, 'METHOD_NOT_ALLOWED', 'callback');
    const q = query(event);
    const clearTx = [cookies.clearTransaction()];
    if (q.has('error')) {
      logger.info('cookie-auth: identity provider returned an error', {
        handler: 'callback',
        reason: 'IDP_ERROR',
        error: OAUTH_ERRORS.has(q.get('error') ?? '') ? q.get('error') : 'unknown_error',
      });
      return respond(
        400,
        clearTx,
        { 'content-type': 'application/json' },
        JSON.stringify({ message: 'Bad Request' }),
      );
    }
    const jar = readCookies(event);
    const raw = cookies.openTransaction(jar);
    if (raw === undefined) return fail(400, 'TRANSACTION_MISSING', 'callback', clearTx);
    let tx: Transaction;
    try {
      tx = JSON.parse(raw) as Transaction;
    } catch {
      return fail(400, 'TRANSACTION_MISSING', 'callback', clearTx);
    }
    if (typeof tx.exp !== 'number' || tx.exp < now() / 1000)
      return fail(400, 'TRANSACTION_EXPIRED', 'callback', clearTx);
    const state = q.get('state');
    if (state === null || !constantTimeEqual(state, tx.state))
      return fail(400, 'STATE_MISMATCH', 'callback', clearTx);
    const code = q.get('code');
    if (!code || code.length > 2048) return fail(400, 'CODE_MISSING', 'callback', clearTx);
    if (!(await consume(tx.id, tx.exp))) return fail(400, 'TRANSACTION_REPLAYED', 'callback', clearTx);
    // The return path was validated at login; validate again in case the key was shared with other code.
    const returnTo = validateReturnPath(tx.returnTo, { allowedPrefixes }) ?? defaultReturn;
    const form: Record<string, string> = {
      grant_type: 'authorization_code',
      client_id: clientId,
      code,
      redirect_uri: redirectUri,
      code_verifier: tx.verifier,
    };
    const res = await post('/oauth2/token', form);
    if (res.status !== 200 || !res.json)
      return fail(400, `TOKEN_ENDPOINT_${oauthError(res.json).toUpperCase()}`, 'callback', clearTx);
    const { access_token: at, id_token: idt, refresh_token: rt } = res.json;
    if (typeof at !== 'string') return fail(502, 'TOKEN_RESPONSE_INVALID', 'callback', clearTx);
    if (scopes.includes('openid')) {
      if (typeof idt !== 'string') return fail(502, 'ID_TOKEN_MISSING', 'callback', clearTx);
      const id = await idVerifier.verify(idt);
      if (!id.ok) return fail(400, `ID_${id.reason}`, 'callback', clearTx);
      const nonce = id.claims.nonce;
      if (typeof nonce !== 'string' || !constantTimeEqual(nonce, tx.nonce))
        return fail(400, 'NONCE_MISMATCH', 'callback', clearTx);
    }
    const access = await accessVerifier.verify(at);
    if (!access.ok) return fail(400, `ACCESS_${access.reason}`, 'callback', clearTx);
    const tokens: { accessToken: string; refreshToken?: string; idToken?: string } = { accessToken: at };
    if (typeof rt === 'string') tokens.refreshToken = rt;
    if (typeof idt === 'string') tokens.idToken = idt;
    const set = [...cookies.write(tokens, jar.names), ...clearTx];
    logger.info('cookie-auth: signed in', {
      handler: 'callback',
      sub: typeof access.claims.sub === 'string' ? access.claims.sub : undefined,
    });
    return respond(302, set, { location: returnTo });
  };

  const refresh: OAuthHandler = async (event) => {
    if (methodOf(event) !== 'POST') return fail(405, 'METHOD_NOT_ALLOWED', 'refresh');
    if (!csrf('POST', event.headers)) return fail(403, 'CSRF_CHECK_FAILED', 'refresh');
    const jar = readCookies(event);
    const rt = cookies.read(jar, 'refreshToken');
    if (!rt.ok)
      return fail(
        401,
        `REFRESH_${rt.reason}`,
        'refresh',
        rt.reason === 'NO_TOKEN' ? [] : cookies.clear(jar.names),
      );
    const res = await post('/oauth2/token', {
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: rt.value,
    });
    if (res.status === 400 && res.json?.error === 'invalid_grant') {
      // Revoked or expired refresh token: end the session cleanly so the client goes to login, no loop.
      return fail(401, 'TOKEN_ENDPOINT_INVALID_GRANT', 'refresh', cookies.clear(jar.names));
    }
    if (res.status !== 200 || !res.json || typeof res.json.access_token !== 'string') {
      return fail(502, `TOKEN_ENDPOINT_${oauthError(res.json).toUpperCase()}`, 'refresh');
    }
    const access = await accessVerifier.verify(res.json.access_token);
    if (!access.ok) return fail(502, `ACCESS_${access.reason}`, 'refresh');
    const tokens: { accessToken: string; refreshToken?: string; idToken?: string } = {
      accessToken: res.json.access_token,
    };
    // Cognito refresh-token rotation returns a new refresh token; the old one stops working after the
    // grace period, so it must be persisted or the user is logged out.
    if (typeof res.json.refresh_token === 'string') tokens.refreshToken = res.json.refresh_token;
    if (typeof res.json.id_token === 'string') tokens.idToken = res.json.id_token;
    const expiresIn = typeof res.json.expires_in === 'number' ? res.json.expires_in : undefined;
    return respond(200, cookies.write(tokens, jar.names), {}, JSON.stringify({ ok: true, expiresIn }));
  };

  const logoutHandler: OAuthHandler = async (event) => {
    if (methodOf(event) !== 'POST') return fail(405, 'METHOD_NOT_ALLOWED', 'logout');
    if (!csrf('POST', event.headers)) return fail(403, 'CSRF_CHECK_FAILED', 'logout');
    const jar = readCookies(event);
    const rt = cookies.read(jar, 'refreshToken');
    if (rt.ok) {
      try {
        const res = await post('/oauth2/revoke', { token: rt.value, client_id: clientId });
        if (res.status !== 200)
          logger.warn('cookie-auth: refresh token revocation failed', {
            handler: 'logout',
            reason: `REVOKE_${oauthError(res.json).toUpperCase()}`,
            status: res.status,
          });
      } catch {
        logger.warn('cookie-auth: refresh token revocation failed', {
          handler: 'logout',
          reason: 'REVOKE_UNREACHABLE',
        });
      }
    }
    const url = new URL('/logout', base);
    url.search = new URLSearchParams({ client_id: clientId, logout_uri: logoutUri }).toString();
    return respond(302, [...cookies.clear(jar.names), cookies.clearTransaction()], { location: url.href });
  };

  return {
    login: guard('login', login),
    callback: guard('callback', callback),
    refresh: guard('refresh', refresh),
    logout: guard('logout', logoutHandler),
  };
}
