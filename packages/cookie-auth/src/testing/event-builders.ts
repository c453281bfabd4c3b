import type {
  HttpApiAuthorizerEvent,
  HttpApiProxyEvent,
  HttpApiProxyResult,
  RestRequestAuthorizerEvent,
} from '../events.js';

/** Request parts the event builders take. */
export interface TestRequest {
  /** HTTP method. @defaultValue `'GET'` */
  method?: string;
  /** Path, optionally with a query string. @defaultValue `'/'` */
  path?: string;
  /** Cookie pairs (`name=value`) as the browser would send them. */
  cookies?: readonly string[];
  /** Other headers (lower-case names, as API Gateway HTTP APIs deliver them). */
  headers?: Record<string, string>;
  /** Request body (proxy events). */
  body?: string;
}

const ACCOUNT = '123456789012';
const API_ID = 'abcdef123';
const TIME = '12/Mar/2020:19:03:58 +0000';
const TIME_EPOCH = 1583348638390;

const split = (path: string) => {
  const i = path.indexOf('?');
  return i === -1
    ? { rawPath: path, rawQueryString: '' }
    : { rawPath: path.slice(0, i), rawQueryString: path.slice(i + 1) };
};
const queryMap = (qs: string): Record<string, string> | undefined => {
  if (!qs) return undefined;
  const out: Record<string, string> = {};
  // Duplicate parameters are comma-joined, as in payload 2.0.
  for (const [k, v] of new URLSearchParams(qs)) out[k] = k in out ? `${out[k]},${v}` : v;
  return out;
};

/**
 * Builds an HTTP API Lambda authorizer event, payload format 2.0, in the shape the AWS documentation
 * shows: cookies in `cookies` (and not in `headers`), `routeArn`, `requestContext.http`.
 *
 * @param req - Method, path, cookies, headers.
 * @example
 * ```ts
 * const res = await authorizer.httpApiSimple(httpApiAuthorizerEvent({ cookies: [`__Host-access-token=${token}`] }));
 * ```
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */
export function httpApiAuthorizerEvent(req: TestRequest = {}): HttpApiAuthorizerEvent {
  const method = (req.method ?? 'GET').toUpperCase();
  const { rawPath, rawQueryString } = split(req.path ?? '/');
  const headers = { 'user-agent': 'agent', ...req.headers };
  const event: HttpApiAuthorizerEvent = {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:${API_ID}/$default/${method}${rawPath}`,
    identitySource: req.cookies && req.cookies.length > 0 ? [req.cookies.join(',')] : null,
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: ACCOUNT,
      apiId: API_ID,
      domainName: `${API_ID}.execute-api.us-east-1.amazonaws.com`,
      domainPrefix: API_ID,
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'agent' },
      requestId: 'id',
      routeKey: '$default',
      stage: '$default',
      time: TIME,
      timeEpoch: TIME_EPOCH,
    },
    pathParameters: {},
    stageVariables: {},
  };
  if (req.cookies && req.cookies.length > 0) event.cookies = [...req.cookies];
  const q = queryMap(rawQueryString);
  if (q) event.queryStringParameters = q;
  return event;
}

/**
 * Builds an HTTP API Lambda proxy event, payload format 2.0 (what the OAuth handlers receive).
 *
 * @param req - Method, path (with query), cookies, headers, body.
 * @example
 * ```ts
 * const res = await handlers.login(httpApiProxyEvent({ path: '/auth/login?returnTo=/orders' }));
 * ```
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
export function httpApiProxyEvent(req: TestRequest = {}): HttpApiProxyEvent {
  const method = (req.method ?? 'GET').toUpperCase();
  const { rawPath, rawQueryString } = split(req.path ?? '/');
  const event: HttpApiProxyEvent = {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers: { 'user-agent': 'agent', ...req.headers },
    requestContext: {
      accountId: ACCOUNT,
      apiId: API_ID,
      domainName: `${API_ID}.execute-api.us-east-1.amazonaws.com`,
      domainPrefix: API_ID,
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'agent' },
      requestId: 'id',
      routeKey: '$default',
      stage: '$default',
      time: TIME,
      timeEpoch: TIME_EPOCH,
    },
    isBase64Encoded: false,
  };
  if (req.cookies && req.cookies.length > 0) event.cookies = [...req.cookies];
  const q = queryMap(rawQueryString);
  if (q) event.queryStringParameters = q;
  if (req.body !== undefined) event.body = req.body;
  return event;
}

/**
 * Builds a REST API Lambda authorizer event of type REQUEST: cookies arrive only as a `Cookie` header,
 * present in both `headers` and `multiValueHeaders`, as API Gateway sends them.
 *
 * @param req - Method, path, cookies, headers.
 * @example
 * ```ts
 * await expect(authorizer.restRequest(restRequestAuthorizerEvent({}))).rejects.toThrow('Unauthorized');
 * ```
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
 */
export function restRequestAuthorizerEvent(req: TestRequest = {}): RestRequestAuthorizerEvent {
  const method = (req.method ?? 'GET').toUpperCase();
  const { rawPath, rawQueryString } = split(req.path ?? '/');
  const headers: Record<string, string> = { 'User-Agent': 'agent', ...req.headers };
  if (req.cookies && req.cookies.length > 0) headers.Cookie = req.cookies.join('; ');
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers)) multiValueHeaders[k] = [v];
  const q = queryMap(rawQueryString) ?? {};
  return {
    type: 'REQUEST',
    methodArn: `arn:aws:execute-api:us-east-1:${ACCOUNT}:${API_ID}/test/${method}${rawPath}`,
    resource: rawPath,
    path: rawPath,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: q,
    multiValueQueryStringParameters: Object.fromEntries(Object.entries(q).map(([k, v]) => [k, v.split(',')])),
    pathParameters: {},
    stageVariables: {},
    requestContext: {
      path: `/test${rawPath}`,
      accountId: ACCOUNT,
      resourceId: '05c7jb',
      stage: 'test',
      requestId: 'e2b2b5b4-0000-4000-8000-000000000000',
      identity: { apiKey: '', sourceIp: '192.0.2.1' },
      resourcePath: rawPath,
      httpMethod: method,
      apiId: API_ID,
    },
  };
}

/** A minimal cookie-keeping browser for end-to-end tests; see {@link createTestBrowser}. */
export interface TestBrowser {
  /** Applies a proxy result's `Set-Cookie`s (`cookies[]`). */
  receive(result: Pick<HttpApiProxyResult, 'cookies'>): void;
  /** Cookie pairs the browser would send to `path` (longest path first, as RFC 6265 §5.4 orders them). */
  cookiesFor(path: string): string[];
  /** Names of all stored cookies. */
  names(): string[];
}

/**
 * Creates a tiny browser cookie store that honours `Path`, `Max-Age=0` deletion and `__Host-`
 * replacement, so end-to-end tests send exactly the cookies a browser would.
 *
 * @example
 * ```ts
 * const browser = createTestBrowser();
 * browser.receive(await handlers.callback(event));
 * const event2 = httpApiAuthorizerEvent({ cookies: browser.cookiesFor('/api/orders') });
 * ```
 */
export function createTestBrowser(): TestBrowser {
  const jar = new Map<string, { name: string; value: string; path: string }>();
  return {
    receive(result) {
      for (const line of result.cookies ?? []) {
        const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq);
        const value = pair.slice(eq + 1);
        let path = '/';
        let maxAge: number | undefined;
        for (const a of attrs) {
          const [k = '', v = ''] = a.split('=');
          if (k.toLowerCase() === 'path') path = v;
          if (k.toLowerCase() === 'max-age') maxAge = Number(v);
        }
        const key = `${name}\u0000${path}`;
        if (maxAge !== undefined && maxAge <= 0) jar.delete(key);
        else jar.set(key, { name, value, path });
      }
    },
    cookiesFor(path) {
      return [...jar.values()]
        .filter((c) => c.path === '/' || path === c.path || path.startsWith(`${c.path}/`))
        .sort((a, b) => b.path.length - a.path.length)
        .map((c) => `${c.name}=${c.value}`);
    },
    names: () => [...jar.values()].map((c) => c.name),
  };
}
