import { stringifySetCookie } from 'cookie';
import { type CookieCipher, type CookieKey, createCookieCipher } from './cookie-cipher.js';
import type { CookieJar } from './cookie-reader.js';
import { DenyReason } from './deny-reason.js';
import { CookieAuthError, CookieAuthErrorCode, requireOption } from './errors.js';

/** Longest return path carried in the login transaction cookie (longer ones fall back to the default). */
export const TRANSACTION_RETURN_PATH_MAX = 512;

/** API Gateway's limit on the request line plus all header values (HTTP API and REST). */
export const API_GATEWAY_HEADER_LIMIT = 10_240;

/** Options of {@link createSessionCookies}. */
export interface SessionCookieOptions {
  /**
   * Name of the access-token cookie. With secure cookies it must start with `__Host-`.
   * @defaultValue `'__Host-access-token'`
   */
  accessTokenCookie?: string;
  /**
   * Name of the refresh-token cookie (path-scoped to {@link SessionCookieOptions.refreshPath}, so it can't be
   * `__Host-`). Must start with `__Secure-` with secure cookies.
   * @defaultValue `'__Secure-refresh-token'`
   */
  refreshTokenCookie?: string;
  /**
   * Name of the ID-token cookie, written only when {@link SessionCookieOptions.storeIdToken} is true.
   * @defaultValue `'__Host-id-token'`
   */
  idTokenCookie?: string;
  /**
   * Name of the single-use login transaction cookie (state, nonce, PKCE verifier, return path; always encrypted).
   * @defaultValue `'__Host-oauth-tx'`
   */
  transactionCookie?: string;
  /**
   * The only path (and sub-paths) the refresh-token cookie is sent to. Mount the `refresh` and `logout`
   * handlers under it (e.g. `POST /auth/session/refresh`, `POST /auth/session/logout`) so logout can revoke.
   * @defaultValue `'/auth/session'`
   */
  refreshPath?: string;
  /**
   * Also store the ID token (costs ~1.7–6 KB of header budget). Only the access token is stored by default.
   * @defaultValue `false`
   */
  storeIdToken?: boolean;
  /**
   * Store the refresh token (path-scoped) so the refresh handler can renew the session.
   * @defaultValue `true`
   */
  storeRefreshToken?: boolean;
  /**
   * `SameSite` of session cookies. `'none'` is needed only for cross-site deployments (see README).
   * The transaction cookie is always `Lax`: `Strict` cookies are not sent on the IdP → callback navigation.
   * @defaultValue `'lax'`
   */
  sameSite?: 'lax' | 'strict' | 'none';
  /**
   * AES-256-GCM keys, newest first, to encrypt token cookies (key id travels in each blob, so prepend a new
   * key to rotate). Required for the OAuth handlers (the transaction cookie is always encrypted).
   * @defaultValue none (token cookies hold the plain JWT, which is still HttpOnly)
   */
  encryptionKeys?: readonly CookieKey[];
  /**
   * Encrypt token cookies when {@link SessionCookieOptions.encryptionKeys} is set.
   * @defaultValue `true`
   */
  encryptTokens?: boolean;
  /**
   * Most bytes of `name=value` per cookie; larger values are split into `name.0`, `name.1`, ….
   * @defaultValue `4000`
   */
  chunkSize?: number;
  /**
   * Most chunks per cookie; bigger values are refused when written and denied when read.
   * @defaultValue `3`
   */
  maxChunks?: number;
  /**
   * Max-Age of the refresh-token cookie, in seconds (Cognito's default refresh-token validity is 30 days).
   * @defaultValue `2592000`
   */
  refreshTokenMaxAgeSeconds?: number;
  /**
   * Drops `Secure` and the `__Host-`/`__Secure-` name requirement, for plain-HTTP local development only.
   * Never enable this in a deployed stage: cookies would be sent over cleartext HTTP.
   * @defaultValue `false`
   */
  dangerouslyAllowInsecureCookies?: boolean;
  /** Clock in milliseconds, for tests. @defaultValue `Date.now` */
  now?: () => number;
}

/** Sizes that bound what a browser may send; see {@link SessionCookies.headerBudget}. */
export interface HeaderBudgetInput {
  /** Largest access token you expect, in bytes. @defaultValue `1536` (Cognito ≈ 1.1 KB; more with custom scopes/claims) */
  maxAccessTokenBytes?: number;
  /** Largest ID token, when stored. @defaultValue `6144` (custom claims can reach ~6 KB) */
  maxIdTokenBytes?: number;
  /** Largest refresh token. @defaultValue `2048` (Cognito ≈ 1.8 KB) */
  maxRefreshTokenBytes?: number;
  /** Bytes of other cookies on your domain (analytics, consent, …). @defaultValue `1024` */
  otherCookieBytes?: number;
  /** Request line plus every other header value (User-Agent, Accept, Origin, …). @defaultValue `2048` */
  otherHeaderBytes?: number;
  /** The limit to check against. @defaultValue {@link API_GATEWAY_HEADER_LIMIT} */
  limit?: number;
}

/** Result of {@link SessionCookies.headerBudget}. */
export interface HeaderBudget {
  /** Worst-case bytes of the request line plus header values, on the refresh route (which gets every cookie). */
  totalBytes: number;
  /** The limit checked against. */
  limit: number;
  /** `totalBytes <= limit`. */
  ok: boolean;
  /** Worst-case bytes per cookie (name, value after encryption and chunking, separators). */
  cookies: Record<string, number>;
}

/** Tokens to persist; see {@link SessionCookies.write}. */
export interface SessionTokens {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
}

/** Outcome of reading one token cookie. */
export type TokenCookieRead = { ok: true; value: string } | { ok: false; reason: DenyReason };

/** Writes and reads the session's cookies; see {@link createSessionCookies}. */
export interface SessionCookies {
  /** Resolved cookie names. */
  readonly names: { accessToken: string; refreshToken: string; idToken: string; transaction: string };
  /** Whether token cookies are encrypted. */
  readonly encrypted: boolean;
  /**
   * `Set-Cookie` values persisting `tokens`. Names of the request's cookies (`jar.names`) let it expire
   * stale chunks. A refresh token is written only when given (so a refresh without rotation keeps the old one).
   * @throws {@link CookieAuthError} `COOKIE_TOO_LARGE` when a value needs more than `maxChunks` chunks.
   */
  write(tokens: SessionTokens, requestCookieNames?: readonly string[]): string[];
  /** `Set-Cookie` values expiring every session cookie and every chunk seen in the request. */
  clear(requestCookieNames?: readonly string[]): string[];
  /** Reads (joins chunks, decrypts) one token cookie from a jar. Never throws. */
  read(jar: CookieJar, which: 'accessToken' | 'refreshToken' | 'idToken'): TokenCookieRead;
  /** Seals a value for the transaction cookie. @internal */
  sealTransaction(value: string, maxAgeSeconds: number): string;
  /** Opens the transaction cookie's value from a jar; `undefined` when absent, duplicated or tampered. @internal */
  openTransaction(jar: CookieJar): string | undefined;
  /** `Set-Cookie` expiring the transaction cookie. @internal */
  clearTransaction(): string;
  /** Computes the worst-case request-header size for this configuration. */
  headerBudget(input?: HeaderBudgetInput): HeaderBudget;
  /**
   * Throws when {@link SessionCookies.headerBudget} exceeds the limit: call it in a unit test of your
   * configuration so an oversize setup fails in CI, not in production.
   * @throws {@link CookieAuthError} `HEADER_BUDGET_EXCEEDED`.
   */
  assertHeaderBudget(input?: HeaderBudgetInput): HeaderBudget;
}

const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const CHUNK = /^(.*)\.(\d{1,2})$/;

/** Decodes a JWT payload's `exp` without verifying (only to size a cookie's Max-Age). */
function jwtExp(token: string): number | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' && Number.isFinite(payload.exp) ? payload.exp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Creates the session-cookie codec: secure defaults (`__Host-` names, `HttpOnly; Secure; SameSite=Lax;
 * Path=/`, `Max-Age` from the token's `exp`), optional AES-256-GCM encryption with key rotation, chunking
 * at ≤ 4,000 bytes with stale-chunk cleanup, a path-scoped refresh-token cookie, and a header budget.
 *
 * @param options - See {@link SessionCookieOptions}.
 * @throws {@link CookieAuthError} `INVALID_OPTION` naming the option.
 * @example
 * ```ts
 * const cookies = createSessionCookies({ encryptionKeys: [{ id: 'k1', secret: process.env.COOKIE_KEY! }] });
 * const setCookies = cookies.write({ accessToken, refreshToken });
 * cookies.assertHeaderBudget(); // in a unit test
 * ```
 * @see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-browser-based-apps#name-cookie-security
 */
export function createSessionCookies(options: SessionCookieOptions = {}): SessionCookies {
  requireOption(options && typeof options === 'object', 'options', 'an object');
  const insecure = options.dangerouslyAllowInsecureCookies === true;
  const names = {
    accessToken: options.accessTokenCookie ?? '__Host-access-token',
    refreshToken: options.refreshTokenCookie ?? '__Secure-refresh-token',
    idToken: options.idTokenCookie ?? '__Host-id-token',
    transaction: options.transactionCookie ?? '__Host-oauth-tx',
  };
  const optionOf = {
    accessToken: 'accessTokenCookie',
    refreshToken: 'refreshTokenCookie',
    idToken: 'idTokenCookie',
    transaction: 'transactionCookie',
  } as const;
  for (const key of Object.keys(names) as (keyof typeof names)[]) {
    const n = names[key];
    requireOption(
      typeof n === 'string' && NAME.test(n) && !CHUNK.test(n),
      optionOf[key],
      'an RFC 6265 token not ending in .<digits>',
    );
    if (!insecure) {
      if (key === 'refreshToken') {
        requireOption(
          n.startsWith('__Secure-') || n.startsWith('__Host-'),
          optionOf[key],
          'a name starting with __Secure-',
        );
        requireOption(
          !n.startsWith('__Host-'),
          optionOf[key],
          'a __Secure- name (__Host- cookies must use Path=/)',
        );
      } else {
        requireOption(
          n.startsWith('__Host-'),
          optionOf[key],
          'a name starting with __Host- (or dangerouslyAllowInsecureCookies)',
        );
      }
    }
  }
  requireOption(
    new Set(Object.values(names)).size === 4,
    'accessTokenCookie',
    'cookie names that are all different',
  );
  const refreshPath = options.refreshPath ?? '/auth/session';
  requireOption(
    typeof refreshPath === 'string' && /^\/[A-Za-z0-9._~!$&'()*+,=:@/-]*$/.test(refreshPath),
    'refreshPath',
    'an absolute path such as /auth/session',
  );
  const sameSite = options.sameSite ?? 'lax';
  requireOption(['lax', 'strict', 'none'].includes(sameSite), 'sameSite', "'lax', 'strict' or 'none'");
  const chunkSize = options.chunkSize ?? 4000;
  requireOption(
    Number.isInteger(chunkSize) && chunkSize >= 200 && chunkSize <= 4000,
    'chunkSize',
    'an integer from 200 to 4000',
  );
  const maxChunks = options.maxChunks ?? 3;
  requireOption(
    Number.isInteger(maxChunks) && maxChunks >= 1 && maxChunks <= 10,
    'maxChunks',
    'an integer from 1 to 10',
  );
  const refreshMaxAge = options.refreshTokenMaxAgeSeconds ?? 30 * 86_400;
  requireOption(
    Number.isInteger(refreshMaxAge) && refreshMaxAge > 0 && refreshMaxAge <= 400 * 86_400,
    'refreshTokenMaxAgeSeconds',
    'an integer from 1 to 34560000 (400 days)',
  );
  const cipher: CookieCipher | undefined =
    options.encryptionKeys === undefined ? undefined : createCookieCipher(options.encryptionKeys);
  const encrypted = cipher !== undefined && options.encryptTokens !== false;
  const storeId = options.storeIdToken === true;
  const storeRefresh = options.storeRefreshToken !== false;
  const now = options.now ?? Date.now;
  requireOption(typeof now === 'function', 'now', 'a function returning milliseconds');

  const pathOf = (name: string) => (name === names.refreshToken ? refreshPath : '/');
  const set = (name: string, value: string, maxAge: number, site: 'lax' | 'strict' | 'none' = sameSite) =>
    stringifySetCookie(name, value, {
      httpOnly: true,
      secure: !insecure,
      sameSite: site,
      path: pathOf(name),
      maxAge,
    });
  const expire = (name: string) => {
    // Expire with the same Path (and no Domain) it was set with, or the browser keeps the old cookie.
    const base = CHUNK.exec(name)?.[1] ?? name;
    return stringifySetCookie(name, '', {
      httpOnly: true,
      secure: !insecure,
      sameSite: base === names.transaction ? 'lax' : sameSite,
      path: pathOf(base),
      maxAge: 0,
    });
  };
  const chunksOf = (base: string, value: string): string[] => {
    const room = chunkSize - base.length - 4; // "name.N=" bound
    if (value.length + base.length + 1 <= chunkSize) return [value];
    const count = Math.ceil(value.length / room);
    if (count > maxChunks) {
      throw new CookieAuthError(
        CookieAuthErrorCode.COOKIE_TOO_LARGE,
        `Cookie "${base}" would need ${count} chunks; maxChunks is ${maxChunks}`,
      );
    }
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(value.slice(i * room, (i + 1) * room));
    return out;
  };
  const related = (base: string, requestNames: readonly string[]) =>
    requestNames.filter((n) => n === base || CHUNK.exec(n)?.[1] === base);

  const writeOne = (
    base: string,
    value: string,
    maxAge: number,
    requestNames: readonly string[],
  ): string[] => {
    const stored = encrypted ? (cipher as CookieCipher).seal(base, value) : value;
    const parts = chunksOf(base, stored);
    const written = parts.length === 1 ? [base] : parts.map((_, i) => `${base}.${i}`);
    const out =
      parts.length === 1
        ? [set(base, parts[0] as string, maxAge)]
        : parts.map((p, i) => set(`${base}.${i}`, p, maxAge));
    // Stale-chunk cleanup: anything of this family the browser sent that we did not just write.
    const stale = new Set(related(base, requestNames).filter((n) => !written.includes(n)));
    if (parts.length > 1) stale.add(base);
    for (const n of stale) out.push(expire(n));
    return out;
  };

  const maxAgeFromExp = (token: string): number => {
    const exp = jwtExp(token);
    if (exp === undefined) return 3600;
    return Math.max(0, Math.min(400 * 86_400, Math.floor(exp - now() / 1000)));
  };

  const read = (jar: CookieJar, which: 'accessToken' | 'refreshToken' | 'idToken'): TokenCookieRead => {
    if (!jar.ok) return { ok: false, reason: DenyReason.COOKIE_HEADER_TOO_LARGE };
    const base = names[which];
    const family = related(base, jar.names);
    if (family.length === 0) return { ok: false, reason: DenyReason.NO_TOKEN };
    if (family.some((n) => jar.duplicates.has(n))) return { ok: false, reason: DenyReason.DUPLICATE_COOKIE };
    let stored: string;
    if (family.length === 1 && family[0] === base) {
      stored = jar.values[base] ?? '';
    } else {
      if (family.includes(base) || family.length > maxChunks)
        return { ok: false, reason: DenyReason.MALFORMED_CHUNKS };
      const parts: string[] = [];
      for (let i = 0; i < family.length; i++) {
        const v = jar.values[`${base}.${i}`];
        if (v === undefined) return { ok: false, reason: DenyReason.MALFORMED_CHUNKS };
        parts.push(v);
      }
      stored = parts.join('');
    }
    if (stored === '') return { ok: false, reason: DenyReason.NO_TOKEN };
    if (!encrypted) return { ok: true, value: stored };
    try {
      return { ok: true, value: (cipher as CookieCipher).open(base, stored) };
    } catch {
      return { ok: false, reason: DenyReason.DECRYPT_FAILED };
    }
  };

  const headerBudget = (input: HeaderBudgetInput = {}): HeaderBudget => {
    const limit = input.limit ?? API_GATEWAY_HEADER_LIMIT;
    const size = (base: string, bytes: number): number => {
      const stored = encrypted ? (cipher as CookieCipher).sealedSize(bytes) : bytes;
      const room = chunkSize - base.length - 4;
      if (stored + base.length + 1 <= chunkSize) return base.length + 1 + stored + 2;
      const count = Math.ceil(stored / room);
      return stored + count * (base.length + 2 + 1 + 2);
    };
    const cookies: Record<string, number> = {};
    cookies[names.accessToken] = size(names.accessToken, input.maxAccessTokenBytes ?? 1536);
    if (storeRefresh)
      cookies[names.refreshToken] = size(names.refreshToken, input.maxRefreshTokenBytes ?? 2048);
    if (storeId) cookies[names.idToken] = size(names.idToken, input.maxIdTokenBytes ?? 6144);
    // The transaction cookie (Path=/) can coexist with a session during a re-login. Its plaintext is
    // ~250 bytes of ids plus a return path of at most TRANSACTION_RETURN_PATH_MAX bytes.
    cookies[names.transaction] =
      names.transaction.length +
      1 +
      (cipher ? cipher.sealedSize(250 + TRANSACTION_RETURN_PATH_MAX) : 1100) +
      2;
    cookies['(other cookies)'] = input.otherCookieBytes ?? 1024;
    let total = input.otherHeaderBytes ?? 2048;
    for (const v of Object.values(cookies)) total += v;
    return { totalBytes: total, limit, ok: total <= limit, cookies };
  };

  return {
    names,
    encrypted,
    write(tokens, requestNames = []) {
      const out: string[] = [];
      out.push(
        ...writeOne(names.accessToken, tokens.accessToken, maxAgeFromExp(tokens.accessToken), requestNames),
      );
      if (storeId && tokens.idToken) {
        out.push(...writeOne(names.idToken, tokens.idToken, maxAgeFromExp(tokens.idToken), requestNames));
      }
      if (storeRefresh && tokens.refreshToken) {
        out.push(...writeOne(names.refreshToken, tokens.refreshToken, refreshMaxAge, requestNames));
      }
      return out;
    },
    clear(requestNames = []) {
      const all = new Set<string>([names.accessToken, names.refreshToken, names.idToken]);
      for (const base of [names.accessToken, names.refreshToken, names.idToken]) {
        for (const n of related(base, requestNames)) all.add(n);
        // Chunks may sit on the browser even if this request path didn't receive them (refresh path).
        for (let i = 0; i < maxChunks; i++) all.add(`${base}.${i}`);
      }
      return [...all].map(expire);
    },
    read,
    sealTransaction(value, maxAgeSeconds) {
      requireOption(cipher, 'encryptionKeys', 'keys to encrypt the login transaction cookie');
      return set(names.transaction, cipher.seal(names.transaction, value), maxAgeSeconds, 'lax');
    },
    openTransaction(jar) {
      if (!cipher || !jar.ok || jar.duplicates.has(names.transaction)) return undefined;
      const blob = jar.values[names.transaction];
      if (!blob) return undefined;
      try {
        return cipher.open(names.transaction, blob);
      } catch {
        return undefined;
      }
    },
    clearTransaction: () => expire(names.transaction),
    headerBudget,
    assertHeaderBudget(input) {
      const b = headerBudget(input);
      if (!b.ok) {
        throw new CookieAuthError(
          CookieAuthErrorCode.HEADER_BUDGET_EXCEEDED,
          `Worst-case request headers are ${b.totalBytes} bytes, over the ${b.limit}-byte API Gateway limit`,
        );
      }
      return b;
    },
  };
}
