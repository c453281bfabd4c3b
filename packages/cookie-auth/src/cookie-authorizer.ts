import { type Logger, silentLogger } from '@secblocks/core';
import { type CookieReadLimits, type CookieSource, readCookies } from './cookie-reader.js';
import { type CsrfOptions, compileCsrfCheck } from './csrf-check.js';
import { DenyReason } from './deny-reason.js';
import { requireOption } from './errors.js';
import type {
  AuthorizerContext,
  HttpApiAuthorizerEvent,
  HttpApiSimpleResponse,
  IamPolicyResponse,
  RestRequestAuthorizerEvent,
} from './events.js';
import { createSessionCookies, type SessionCookieOptions, type SessionCookies } from './session-cookies.js';
import {
  createTokenVerifier,
  type JwtPayload,
  type TokenVerifier,
  type TokenVerifierOptions,
} from './token-verifier.js';

/** Options of {@link createCookieAuthorizer}. */
export interface CookieAuthorizerOptions {
  /** How tokens are verified: options for {@link createTokenVerifier}, or a verifier you built (to share its JWKS cache). */
  verifier: TokenVerifierOptions | TokenVerifier;
  /** Cookie names, encryption keys, chunking: the same options (or object) the OAuth handlers use. @defaultValue secure defaults */
  cookies?: SessionCookieOptions | SessionCookies;
  /** Caps on the cookie header(s) read. @defaultValue `{ maxBytes: 10240, maxCookies: 100 }` */
  limits?: CookieReadLimits;
  /** CSRF defence for unsafe methods. @defaultValue required `X-Requested-With` header */
  csrf?: CsrfOptions;
  /**
   * Builds the context passed to your integration from verified claims. Values must be string, number or
   * boolean (REST's rule; applied to HTTP API too so one authorizer serves both).
   * @defaultValue `{ sub, username, clientId, scope, groups }` (groups comma-joined, missing claims omitted)
   */
  context?: (claims: JwtPayload) => AuthorizerContext;
  /**
   * Resource of IAM `Allow` policies. `'api'` allows every route of the stage (`…/<stage>/*`), which stays
   * correct when API Gateway caches the policy for other routes; `'route'` allows only the invoked
   * route/method ARN (use it only with result caching off).
   * @defaultValue `'api'`
   */
  policyResource?: 'api' | 'route';
  /** Receives one line per denial with a reason code, never token or cookie material. @defaultValue silent */
  logger?: Logger;
}

/** Input of {@link CookieAuthorizer.authorize}, for any framework. */
export interface AuthorizeInput {
  /** Cookie pairs (`event.cookies` shape). */
  cookies?: readonly string[];
  /** A raw `Cookie` header value. */
  cookieHeader?: string;
  /** Request method, for the CSRF check. When omitted the request counts as unsafe (the check applies). */
  method?: string;
  /** Request headers (any case), for the CSRF check and as a cookie source. */
  headers?: Readonly<Record<string, string | undefined>>;
}

/** Result of {@link CookieAuthorizer.authorize}. */
export type AuthorizeResult =
  | { ok: true; claims: JwtPayload; context: AuthorizerContext }
  | { ok: false; reason: DenyReason };

/** A cookie authorizer; see {@link createCookieAuthorizer}. */
export interface CookieAuthorizer {
  /** Framework-agnostic check. Never throws. */
  authorize(input: AuthorizeInput): Promise<AuthorizeResult>;
  /** HTTP API (payload 2.0) handler with simple responses. Denials become 403. Never throws. */
  httpApiSimple(event: HttpApiAuthorizerEvent): Promise<HttpApiSimpleResponse>;
  /** HTTP API (payload 2.0) handler returning an IAM policy. Never throws. */
  httpApiIam(event: HttpApiAuthorizerEvent): Promise<IamPolicyResponse>;
  /**
   * REST API REQUEST authorizer handler. Missing or invalid tokens throw `Error('Unauthorized')` (401, so
   * the client knows to refresh); CSRF, scope and group failures return a Deny policy (403).
   * @throws Error with message exactly `Unauthorized`.
   */
  restRequest(event: RestRequestAuthorizerEvent): Promise<IamPolicyResponse>;
  /** The verifier in use (share it, or call `hydrate()` at cold start). */
  readonly verifier: TokenVerifier;
}

const isVerifier = (v: unknown): v is TokenVerifier =>
  typeof v === 'object' && v !== null && typeof (v as TokenVerifier).verify === 'function';
const isSessionCookies = (v: unknown): v is SessionCookies =>
  typeof v === 'object' && v !== null && typeof (v as SessionCookies).read === 'function';

/**
 * The default authorizer context: identifiers and authorization claims, flattened to REST-safe scalars
 * (`groups` comma-joined). Missing claims are omitted.
 *
 * @param claims - Verified token claims.
 * @returns `{ sub, username, clientId, scope, groups }` as far as present.
 * @example
 * ```ts
 * createCookieAuthorizer({ verifier, context: (c) => ({ ...defaultAuthorizerContext(c), tenant: String(c.tenant) }) });
 * ```
 */
export function defaultAuthorizerContext(claims: JwtPayload): AuthorizerContext {
  const out: AuthorizerContext = {};
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const sub = str(claims.sub);
  if (sub) out.sub = sub;
  const username = str(claims.username) ?? str(claims['cognito:username']);
  if (username) out.username = username;
  const clientId = str(claims.client_id) ?? (typeof claims.aud === 'string' ? claims.aud : undefined);
  if (clientId) out.clientId = clientId;
  const scope = str(claims.scope);
  if (scope) out.scope = scope;
  const groups = claims['cognito:groups'];
  if (Array.isArray(groups)) out.groups = groups.filter((g) => typeof g === 'string').join(',');
  return out;
}

/** Keeps only string/number/boolean values (REST rejects objects and arrays). */
function flatten(context: Record<string, unknown>): AuthorizerContext {
  const out: AuthorizerContext = {};
  for (const [k, v] of Object.entries(context)) {
    if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))
      out[k] = v;
    else if (Array.isArray(v)) out[k] = v.map(String).join(',');
  }
  return out;
}

/**
 * Widens a method or route ARN to every route of its stage, the cache-safe resource for IAM policies:
 * a cached policy is reused for every route the authorizer protects.
 *
 * @param arn - `arn:aws:execute-api:region:account:apiId/stage/VERB/resource`.
 * @returns `arn:aws:execute-api:region:account:apiId/stage/*` (the input unchanged when it is not such an ARN).
 * @example
 * ```ts
 * stageWildcardArn('arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/GET/request');
 * // 'arn:aws:execute-api:us-east-1:123456789012:abcdef123/test/*'
 * ```
 */
export function stageWildcardArn(arn: string): string {
  const parts = arn.split(':');
  if (parts.length < 6) return arn;
  const path = parts.slice(5).join(':').split('/');
  if (path.length < 2) return arn;
  return `${parts.slice(0, 5).join(':')}:${path[0]}/${path[1]}/*`;
}

// Reasons that mean "you are not signed in (anymore)": REST answers 401 for these, 403 for the rest.
const UNAUTHENTICATED = new Set<DenyReason>([
  DenyReason.NO_TOKEN,
  DenyReason.COOKIE_HEADER_TOO_LARGE,
  DenyReason.DUPLICATE_COOKIE,
  DenyReason.MALFORMED_CHUNKS,
  DenyReason.DECRYPT_FAILED,
  DenyReason.TOKEN_MALFORMED,
  DenyReason.TOKEN_SIGNATURE_INVALID,
  DenyReason.TOKEN_KEY_UNKNOWN,
  DenyReason.TOKEN_EXPIRED,
  DenyReason.TOKEN_NOT_YET_VALID,
  DenyReason.TOKEN_ISSUER_INVALID,
  DenyReason.TOKEN_CLIENT_INVALID,
  DenyReason.TOKEN_USE_INVALID,
  DenyReason.TOKEN_REVOKED,
  DenyReason.TOKEN_INVALID,
  DenyReason.INTERNAL_ERROR,
]);

/**
 * Creates a Lambda authorizer that reads the access token from an HttpOnly cookie (exact name, chunks,
 * optional decryption), verifies it on aws-jwt-verify, enforces a CSRF check on unsafe methods and answers
 * in the format of each API Gateway flavour. Responses stay generic; reasons go to the logger as codes.
 *
 * @param options - See {@link CookieAuthorizerOptions}.
 * @throws {@link CookieAuthError} `INVALID_OPTION` naming the option.
 * @example
 * ```ts
 * const authorizer = createCookieAuthorizer({
 *   verifier: { cognito: { userPoolId: 'eu-west-1_AbCdEf123', clientId: '1example23456789' } },
 *   csrf: { allowedOrigins: ['https://app.example.com'] },
 * });
 * export const handler = authorizer.httpApiSimple;
 * ```
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */
export function createCookieAuthorizer(options: CookieAuthorizerOptions): CookieAuthorizer {
  requireOption(options && typeof options === 'object', 'options', 'an object');
  requireOption(
    options.verifier && typeof options.verifier === 'object',
    'verifier',
    'token verifier options or a TokenVerifier',
  );
  const verifier = isVerifier(options.verifier) ? options.verifier : createTokenVerifier(options.verifier);
  const cookies = isSessionCookies(options.cookies)
    ? options.cookies
    : createSessionCookies(options.cookies ?? {});
  const limits = options.limits ?? {};
  requireOption(
    limits.maxBytes === undefined || (Number.isInteger(limits.maxBytes) && limits.maxBytes > 0),
    'limits.maxBytes',
    'a positive integer',
  );
  requireOption(
    limits.maxCookies === undefined || (Number.isInteger(limits.maxCookies) && limits.maxCookies > 0),
    'limits.maxCookies',
    'a positive integer',
  );
  const csrf = compileCsrfCheck(options.csrf ?? {});
  const contextOf = options.context ?? defaultAuthorizerContext;
  requireOption(typeof contextOf === 'function', 'context', 'a function (claims) => context');
  const policyResource = options.policyResource ?? 'api';
  requireOption(policyResource === 'api' || policyResource === 'route', 'policyResource', "'api' or 'route'");
  const logger = options.logger ?? silentLogger;

  const check = async (
    source: CookieSource,
    method: string | undefined,
    headers: AuthorizeInput['headers'],
  ): Promise<AuthorizeResult> => {
    try {
      const jar = readCookies(source, limits);
      const token = cookies.read(jar, 'accessToken');
      if (!token.ok) return { ok: false, reason: token.reason };
      if (!csrf(method, headers)) return { ok: false, reason: DenyReason.CSRF_CHECK_FAILED };
      const result = await verifier.verify(token.value);
      if (!result.ok) return result;
      return { ok: true, claims: result.claims, context: flatten(contextOf(result.claims)) };
    } catch {
      // A bug or a throwing hook must deny, never surface as a 500 with details.
      return { ok: false, reason: DenyReason.INTERNAL_ERROR };
    }
  };
  const logged = (result: AuthorizeResult, kind: string): AuthorizeResult => {
    if (!result.ok) logger.info('cookie-auth: request denied', { reason: result.reason, authorizer: kind });
    return result;
  };
  const policy = (
    principalId: string,
    effect: 'Allow' | 'Deny',
    arn: string,
    context?: AuthorizerContext,
  ): IamPolicyResponse => {
    const response: IamPolicyResponse = {
      principalId,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'execute-api:Invoke',
            Effect: effect,
            // Deny the whole stage too: a cached Deny must not turn into an Allow elsewhere, and vice versa.
            Resource: effect === 'Allow' && policyResource === 'route' ? arn : stageWildcardArn(arn),
          },
        ],
      },
    };
    if (context) response.context = context;
    return response;
  };
  const principal = (claims: JwtPayload) =>
    typeof claims.sub === 'string' && claims.sub ? claims.sub : 'unknown';

  return {
    verifier,
    async authorize(input) {
      const safeInput = input && typeof input === 'object' ? input : {};
      const source: CookieSource = {};
      if (Array.isArray(safeInput.cookies)) source.cookies = safeInput.cookies;
      const headers: Record<string, string | undefined> = {};
      if (safeInput.headers && typeof safeInput.headers === 'object')
        Object.assign(headers, safeInput.headers);
      if (typeof safeInput.cookieHeader === 'string') {
        for (const k of Object.keys(headers)) if (k.toLowerCase() === 'cookie') delete headers[k];
        headers.cookie = safeInput.cookieHeader;
      }
      source.headers = headers;
      return logged(await check(source, safeInput.method, safeInput.headers), 'authorize');
    },
    async httpApiSimple(event) {
      const e = (event ?? {}) as Partial<HttpApiAuthorizerEvent>;
      const result = logged(
        await check(e as CookieSource, e.requestContext?.http?.method, e.headers),
        'httpApiSimple',
      );
      return result.ok ? { isAuthorized: true, context: result.context } : { isAuthorized: false };
    },
    async httpApiIam(event) {
      const e = (event ?? {}) as Partial<HttpApiAuthorizerEvent>;
      const arn = typeof e.routeArn === 'string' ? e.routeArn : '*';
      const result = logged(
        await check(e as CookieSource, e.requestContext?.http?.method, e.headers),
        'httpApiIam',
      );
      return result.ok
        ? policy(principal(result.claims), 'Allow', arn, result.context)
        : policy('anonymous', 'Deny', arn);
    },
    async restRequest(event) {
      const e = (event ?? {}) as Partial<RestRequestAuthorizerEvent>;
      const arn = typeof e.methodArn === 'string' ? e.methodArn : '*';
      const source: CookieSource = {
        headers: e.headers ?? null,
        multiValueHeaders: e.multiValueHeaders ?? null,
      };
      const result = logged(await check(source, e.httpMethod, e.headers ?? undefined), 'restRequest');
      if (result.ok) return policy(principal(result.claims), 'Allow', arn, result.context);
      // Exactly this message makes API Gateway answer 401; anything else thrown would be a 500.
      if (UNAUTHENTICATED.has(result.reason)) throw new Error('Unauthorized');
      return policy('anonymous', 'Deny', arn);
    },
  };
}
