import { parseCookie } from 'cookie';

/**
 * Where a request's cookies can come from. Pass the API Gateway event itself: HTTP API v2 puts them in
 * `cookies` (one element per pair, sometimes `a=1; b=2`); payload 1.0, REST, ALB and Function URLs put
 * them in a `Cookie` header whose case depends on the client; `multiValueHeaders` carries HTTP/2 crumbs.
 */
export interface CookieSource {
  /** HTTP API payload 2.0 `event.cookies`. Takes precedence when present. */
  cookies?: readonly string[] | null;
  /** Single-value headers; every key equal to `cookie` in any case is read. */
  headers?: Readonly<Record<string, string | undefined>> | null;
  /** Multi-value headers; preferred over `headers` (REST events carry both with the same content). */
  multiValueHeaders?: Readonly<Record<string, readonly string[] | undefined>> | null;
}

/** Limits applied by {@link readCookies}. */
export interface CookieReadLimits {
  /**
   * Largest total size, in bytes, of all cookie strings read. Bigger input is refused as a whole.
   * @defaultValue `10240` (API Gateway's request-header limit)
   */
  maxBytes?: number;
  /**
   * Largest number of cookie pairs. More pairs are refused as a whole.
   * @defaultValue `100`
   */
  maxCookies?: number;
}

/** The result of {@link readCookies}. */
export interface CookieJar {
  /** `false` when a cap was exceeded; then `values` is empty. */
  readonly ok: boolean;
  /** Exact name → value (percent-decoded when valid). Null prototype. Names seen twice are absent here. */
  readonly values: Readonly<Record<string, string>>;
  /** Names that occurred more than once. Their values are dropped: which one is genuine is unknowable. */
  readonly duplicates: ReadonlySet<string>;
  /** Every name seen, in input order (no values), for diagnostics and stale-chunk cleanup. */
  readonly names: readonly string[];
  /** Total bytes of cookie strings read. */
  readonly bytes: number;
}

/** Default caps used by {@link readCookies}: API Gateway's header limit and 100 pairs. */
export const DEFAULT_COOKIE_READ_LIMITS: Readonly<Required<CookieReadLimits>> = Object.freeze({
  maxBytes: 10_240,
  maxCookies: 100,
});

const isCookieKey = (k: string): boolean => k.length === 6 && k.toLowerCase() === 'cookie';

/**
 * Collects the raw cookie strings of a request, in precedence order: `event.cookies`, else every
 * `multiValueHeaders` key named `cookie` in any case, else every `headers` key named `cookie` in any case.
 */
function rawCookieStrings(source: CookieSource): string[] {
  if (Array.isArray(source.cookies) && source.cookies.length > 0) {
    return source.cookies.filter((c): c is string => typeof c === 'string');
  }
  const out: string[] = [];
  const mv = source.multiValueHeaders;
  if (mv && typeof mv === 'object') {
    for (const key of Object.keys(mv)) {
      const list = mv[key];
      if (isCookieKey(key) && Array.isArray(list)) {
        for (const v of list) if (typeof v === 'string') out.push(v);
      }
    }
    if (out.length > 0) return out;
  }
  const h = source.headers;
  if (h && typeof h === 'object') {
    for (const key of Object.keys(h)) {
      const v = h[key];
      if (isCookieKey(key) && typeof v === 'string') out.push(v);
    }
  }
  return out;
}

/**
 * Reads a request's cookies with exact-name matching (RFC 6265 `;` tokenizer from the `cookie` package),
 * safe percent-decoding (a malformed escape keeps the raw value), caps on size and count, and
 * deterministic duplicate handling: a name seen twice is reported in `duplicates` and has no value, so a
 * cookie tossed from a sibling subdomain can never shadow the real one.
 *
 * Unlike `cookieStr.split('accessToken=')`, a cookie named `xaccessToken` or a value containing
 * `accessToken=` never matches `accessToken`.
 *
 * @param source - The event (or any object with `cookies`, `headers`, `multiValueHeaders`).
 * @param limits - Caps; see {@link CookieReadLimits}.
 * @returns A {@link CookieJar}; never throws on any input.
 * @example
 * ```ts
 * const jar = readCookies(event);
 * const token = jar.values['__Host-access-token'];
 * ```
 */
export function readCookies(
  source: CookieSource | null | undefined,
  limits: CookieReadLimits = {},
): CookieJar {
  const maxBytes = limits.maxBytes ?? DEFAULT_COOKIE_READ_LIMITS.maxBytes;
  const maxCookies = limits.maxCookies ?? DEFAULT_COOKIE_READ_LIMITS.maxCookies;
  const values: Record<string, string> = Object.create(null);
  const duplicates = new Set<string>();
  const names: string[] = [];
  const empty = (ok: boolean, bytes: number): CookieJar => ({
    ok,
    values: Object.create(null),
    duplicates: new Set(),
    names: [],
    bytes,
  });
  if (!source || typeof source !== 'object') return empty(true, 0);
  const raw = rawCookieStrings(source);
  let bytes = 0;
  for (const s of raw) bytes += Buffer.byteLength(s);
  if (bytes > maxBytes) return empty(false, bytes);
  for (const s of raw) {
    for (const pair of s.split(';')) {
      const eq = pair.indexOf('=');
      if (eq === -1) continue; // RFC 6265bis nameless cookies are ignored (API Gateway drops them too)
      // The `cookie` package trims spaces/tabs and percent-decodes (keeping the raw value when an escape
      // is malformed); parsing pair by pair keeps duplicates visible (on a whole header it keeps the first).
      const parsed = parseCookie(pair);
      const keys = Object.keys(parsed);
      if (keys.length !== 1) continue;
      const name = keys[0] as string;
      const value = parsed[name] ?? '';
      if (name === '') continue;
      names.push(name);
      if (names.length > maxCookies) return empty(false, bytes);
      if (duplicates.has(name)) continue;
      if (name in values) {
        duplicates.add(name);
        delete values[name];
        continue;
      }
      values[name] = value;
    }
  }
  return { ok: true, values, duplicates, names, bytes };
}
