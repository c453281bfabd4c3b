import type { AuthorizeResult, CookieAuthorizer } from './cookie-authorizer.js';
import type { HttpApiProxyEvent, HttpApiProxyResult } from './events.js';

/** A Lambda handler for API Gateway HTTP API (payload 2.0) proxy events, as the OAuth handlers are. */
export type ProxyHandler = (event: HttpApiProxyEvent) => Promise<HttpApiProxyResult>;

const eventOf = (
  method: string,
  url: URL,
  headers: Record<string, string>,
  cookies: string[],
  body: string | undefined,
): HttpApiProxyEvent => {
  const now = new Date();
  const event: HttpApiProxyEvent = {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    requestContext: {
      accountId: 'anonymous',
      apiId: 'local',
      domainName: url.host,
      http: {
        method: method.toUpperCase(),
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: '',
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
  if (cookies.length > 0) event.cookies = cookies;
  if (body !== undefined) event.body = body;
  return event;
};

/**
 * Adapts an OAuth handler to the Fetch API (`Request` → `Response`), for Hono, Bun, Deno, Cloudflare-style
 * runtimes and Next.js route handlers. Each `Set-Cookie` is appended separately.
 *
 * @param handler - One of {@link OAuthHandlers}.
 * @returns `(request) => Promise<Response>`.
 * @example
 * ```ts
 * const app = new Hono();
 * app.get('/auth/login', (c) => toFetchHandler(auth.login)(c.req.raw));
 * ```
 */
export function toFetchHandler(handler: ProxyHandler): (request: Request) => Promise<Response> {
  return async (request) => {
    const headers: Record<string, string> = {};
    request.headers.forEach((v, k) => {
      if (k !== 'cookie') headers[k] = v;
    });
    const cookieHeader = request.headers.get('cookie');
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text();
    const result = await handler(
      eventOf(request.method, new URL(request.url), headers, cookieHeader ? [cookieHeader] : [], body),
    );
    const out = new Headers(result.headers);
    for (const c of result.cookies) out.append('set-cookie', c);
    return new Response(
      result.statusCode === 204 || result.statusCode === 302 || !result.body ? null : result.body,
      {
        status: result.statusCode,
        headers: out,
      },
    );
  };
}

/** The subset of Express's `req`/`res` the adapter uses (Express 4 and 5). */
export type ExpressLikeHandler = (
  req: {
    method: string;
    originalUrl?: string;
    url: string;
    headers: Record<string, string | string[] | undefined>;
    protocol?: string;
    body?: unknown;
  },
  res: {
    status(code: number): unknown;
    setHeader(name: string, value: string | string[]): unknown;
    end(body?: string): unknown;
  },
) => Promise<void>;

/**
 * Adapts an OAuth handler to Express (`(req, res) => …`). Reads a string body if a body parser set one.
 *
 * @param handler - One of {@link OAuthHandlers}.
 * @example
 * ```ts
 * app.get('/auth/callback', toExpressHandler(auth.callback));
 * ```
 */
export function toExpressHandler(handler: ProxyHandler): ExpressLikeHandler {
  return async (req, res) => {
    const headers: Record<string, string> = {};
    const cookies: string[] = [];
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined) continue;
      const values = Array.isArray(v) ? v : [v];
      if (k.toLowerCase() === 'cookie') cookies.push(...values);
      else headers[k.toLowerCase()] = values.join(', ');
    }
    const url = new URL(
      req.originalUrl ?? req.url,
      `${req.protocol ?? 'https'}://${headers.host ?? 'localhost'}`,
    );
    const body = typeof req.body === 'string' ? req.body : undefined;
    const result = await handler(eventOf(req.method, url, headers, cookies, body));
    res.status(result.statusCode);
    for (const [k, v] of Object.entries(result.headers)) res.setHeader(k, v);
    if (result.cookies.length > 0) res.setHeader('set-cookie', result.cookies);
    res.end(result.body || undefined);
  };
}

/**
 * Checks a Fetch API `Request` with a cookie authorizer (for Hono, Next.js middleware, Bun, Deno): reads
 * the `Cookie` header, the method (for the CSRF check) and the other headers. Never throws.
 *
 * @param authorizer - From {@link createCookieAuthorizer}.
 * @param request - The incoming request.
 * @returns `{ ok: true, claims, context }` or `{ ok: false, reason }`.
 * @example
 * ```ts
 * app.use('/api/*', async (c, next) => {
 *   const result = await authorizeRequest(authorizer, c.req.raw);
 *   if (!result.ok) return c.json({ message: 'Unauthorized' }, 401);
 *   c.set('claims', result.claims);
 *   await next();
 * });
 * ```
 */
export async function authorizeRequest(
  authorizer: CookieAuthorizer,
  request: Request,
): Promise<AuthorizeResult> {
  const headers: Record<string, string> = {};
  request.headers.forEach((v, k) => {
    if (k !== 'cookie') headers[k] = v;
  });
  const cookieHeader = request.headers.get('cookie') ?? '';
  return authorizer.authorize({ cookieHeader, method: request.method, headers });
}
