import { requireOption } from './errors.js';
import { headerOf } from './events.js';

/** CSRF defence for cookie-authenticated unsafe requests; see {@link CsrfOptions}. */
export interface CsrfOptions {
  /**
   * Origins (scheme://host[:port]) allowed to send unsafe requests. A request whose `Origin` is listed passes.
   * @defaultValue `[]`
   */
  allowedOrigins?: readonly string[];
  /**
   * A custom header an unsafe request may carry instead (any non-empty value): browsers only send it
   * cross-origin after a CORS preflight your API must approve. Set `null` to require an allowed Origin.
   * @defaultValue `'x-requested-with'`
   */
  requiredHeader?: string | null;
  /**
   * Methods exempt from the check.
   * @defaultValue `['GET', 'HEAD', 'OPTIONS']`
   */
  safeMethods?: readonly string[];
  /**
   * Turns the CSRF check off. Only for APIs no browser can reach with ambient cookies.
   * @defaultValue `false`
   */
  dangerouslyDisableCsrfCheck?: boolean;
}

/** A compiled CSRF check. @internal */
export type CsrfCheck = (
  method: string | undefined,
  headers: Readonly<Record<string, string | undefined>> | null | undefined,
) => boolean;

/** Compiles {@link CsrfOptions} into a predicate. @internal */
export function compileCsrfCheck(options: CsrfOptions = {}, optionName = 'csrf'): CsrfCheck {
  requireOption(options && typeof options === 'object', optionName, 'an object');
  if (options.dangerouslyDisableCsrfCheck === true) return () => true;
  const origins = new Set<string>();
  (options.allowedOrigins ?? []).forEach((o, i) => {
    let ok = false;
    try {
      const u = new URL(o);
      ok =
        u.origin === o &&
        (u.protocol === 'https:' || u.hostname === 'localhost' || u.hostname === '127.0.0.1');
    } catch {
      ok = false;
    }
    requireOption(
      ok,
      `${optionName}.allowedOrigins[${i}]`,
      'an https origin such as https://app.example.com (no path)',
    );
    origins.add(o);
  });
  const header = options.requiredHeader === undefined ? 'x-requested-with' : options.requiredHeader;
  requireOption(
    header === null || (typeof header === 'string' && /^[A-Za-z0-9-]+$/.test(header)),
    `${optionName}.requiredHeader`,
    'a header name or null',
  );
  requireOption(
    header !== null || origins.size > 0,
    `${optionName}.allowedOrigins`,
    'at least one origin when requiredHeader is null',
  );
  const safe = new Set((options.safeMethods ?? ['GET', 'HEAD', 'OPTIONS']).map((m) => m.toUpperCase()));
  return (method, headers) => {
    if (typeof method === 'string' && safe.has(method.toUpperCase())) return true;
    const origin = headerOf(headers, 'origin');
    // A listed origin passes; an unlisted one fails even with the header (it is a cross-origin caller).
    if (origin !== undefined && origins.size > 0) return origins.has(origin);
    if (header === null) return false;
    const value = headerOf(headers, header);
    return typeof value === 'string' && value.trim().length > 0;
  };
}
