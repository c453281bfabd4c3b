/** Options of {@link validateReturnPath}. */
export interface ReturnPathOptions {
  /**
   * Path prefixes a return path must start with (each itself a `/`-relative path).
   * @defaultValue `['/']`
   */
  allowedPrefixes?: readonly string[];
  /** Longest accepted path. @defaultValue `2048` */
  maxLength?: number;
}

const BASE = 'https://return-path.invalid';
// Control characters, whitespace and backslashes: browsers treat `\` like `/`, and strip tabs/newlines.
const isForbidden = (p: string): boolean => {
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c <= 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x5c || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
};

const looksOffsite = (p: string): boolean => !p.startsWith('/') || p.startsWith('//') || isForbidden(p);

/**
 * Validates a post-login or post-logout return path: only same-origin `/`-relative paths under an allowed
 * prefix pass. Rejects absolute and protocol-relative URLs (`https://evil`, `//evil`), backslash tricks
 * (`/\evil`), control characters and whitespace, and their percent-encoded variants (`/%2F%2Fevil`,
 * `/%5Cevil`, double encoding). Never throws.
 *
 * @param input - The candidate path (e.g. from `?returnTo=` at login, before it goes into the encrypted state).
 * @param options - See {@link ReturnPathOptions}.
 * @returns The normalised path (pathname + search + hash), or `undefined` when rejected.
 * @example
 * ```ts
 * validateReturnPath('/orders?id=1'); // '/orders?id=1'
 * validateReturnPath('//evil.example'); // undefined
 * ```
 * @see https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html
 */
export function validateReturnPath(input: unknown, options: ReturnPathOptions = {}): string | undefined {
  const prefixes = options.allowedPrefixes ?? ['/'];
  const maxLength = options.maxLength ?? 2048;
  if (typeof input !== 'string' || input.length === 0 || input.length > maxLength) return undefined;
  // Check the raw text and every decoding of it (up to 3 levels): a redirect target may be decoded again
  // by a proxy, framework or the browser.
  let current = input;
  for (let i = 0; i < 4; i++) {
    if (looksOffsite(current)) return undefined;
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return undefined;
    }
    if (next === current) break;
    if (i === 3) return undefined; // still changing after 3 decodings: refuse rather than guess
    current = next;
  }
  let url: URL;
  try {
    url = new URL(input, BASE);
  } catch {
    return undefined;
  }
  if (url.origin !== BASE) return undefined;
  const normalised = `${url.pathname}${url.search}${url.hash}`;
  if (normalised.startsWith('//')) return undefined;
  const ok = prefixes.some(
    (p) =>
      p === '/' ||
      normalised === p ||
      normalised.startsWith(p.endsWith('/') ? p : `${p}/`) ||
      normalised.startsWith(`${p}?`) ||
      normalised.startsWith(`${p}#`),
  );
  return ok ? normalised : undefined;
}
