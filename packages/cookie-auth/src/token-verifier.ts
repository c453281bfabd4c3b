import { JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidGroupError,
  CognitoJwtInvalidTokenUseError,
  FetchError,
  JwksNotAvailableInCacheError,
  JwtExpiredError,
  JwtInvalidAudienceError,
  JwtInvalidIssuerError,
  JwtInvalidScopeError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { type Jwks, SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { DenyReason } from './deny-reason.js';
import { requireOption } from './errors.js';

export type { Fetcher, Jwks, JwtPayload };

/** A Cognito user pool whose access tokens are accepted. */
export interface CognitoPoolConfig {
  /** User pool id, e.g. `eu-west-1_AbCdEf123`. */
  userPoolId: string;
  /** App client id(s) the token's `client_id` (access) or `aud` (ID) must match. */
  clientId: string | readonly string[];
  /** Scope(s), at least one of which must be in `scope`. @defaultValue none */
  scope?: string | readonly string[];
  /** Group(s), at least one of which must be in `cognito:groups`. @defaultValue none */
  groups?: string | readonly string[];
}

/** Any OIDC issuer whose access tokens are accepted. */
export interface OidcIssuerConfig {
  /** Exact `iss` value. */
  issuer: string;
  /** HTTPS URL of the issuer's JWKS. */
  jwksUri: string;
  /** Expected `aud` (RFC 9068 access tokens carry one); `null` skips the check, if you know what you're doing. */
  audience: string | readonly string[] | null;
  /** Expected `client_id` claim, when the issuer sets one. @defaultValue not checked */
  clientId?: string | readonly string[];
  /** Scope(s), at least one of which must be in `scope`. @defaultValue none */
  scope?: string | readonly string[];
}

/** Claims that identify a token for revocation checks. */
export interface RevocationCheckInput {
  /** The token's `jti`. */
  jti?: string;
  /** Cognito's `origin_jti`: shared by every token minted from one refresh token, revoked together. */
  originJti?: string;
  /** The token's `sub`. */
  sub?: string;
}

/** Options of {@link createTokenVerifier}. */
export interface TokenVerifierOptions {
  /** Cognito user pools to trust (one or many). At least one of `cognito` / `issuers` is required. */
  cognito?: CognitoPoolConfig | readonly CognitoPoolConfig[];
  /** Other OIDC issuers to trust, by `issuer` + `jwksUri`. */
  issuers?: readonly OidcIssuerConfig[];
  /**
   * Which token is accepted. APIs should verify access tokens; ID tokens are for the client.
   * @defaultValue `'access'`
   */
  tokenUse?: 'access' | 'id';
  /**
   * Clock skew tolerated on `exp` and `nbf`, in seconds.
   * @defaultValue `0`
   */
  graceSeconds?: number;
  /**
   * JWKS to preload by issuer URL (e.g. bundled at build time), so cold starts make no fetch and
   * `verifySync` works at once.
   * @defaultValue none
   */
  jwks?: Readonly<Record<string, Jwks>>;
  /**
   * The fetcher aws-jwt-verify uses for JWKS (its `Fetcher` interface). Tests pass the emulator's
   * loopback fetcher; production keeps the default HTTPS fetcher (3 s response timeout, one retry).
   * @defaultValue aws-jwt-verify's `SimpleFetcher`
   */
  jwksFetcher?: Fetcher;
  /**
   * Revocation hook: return `true` to deny a token whose `jti`/`origin_jti` you revoked (revoked Cognito
   * tokens still verify locally). Called only for otherwise valid tokens.
   * @defaultValue none
   */
  isRevoked?: (input: RevocationCheckInput) => boolean | Promise<boolean>;
}

/** Outcome of a verification. */
export type VerifyResult = { ok: true; claims: JwtPayload } | { ok: false; reason: DenyReason };

/** Verifies tokens; see {@link createTokenVerifier}. */
export interface TokenVerifier {
  /** Verifies `token`, fetching the JWKS when needed. Never throws. */
  verify(token: string): Promise<VerifyResult>;
  /** Verifies with already cached JWKS only (no revocation hook); `TOKEN_KEY_UNKNOWN` if not cached. Never throws. */
  verifySync(token: string): VerifyResult;
  /** Fetches every issuer's JWKS now (call at cold start, at top level). */
  hydrate(): Promise<void>;
  /** Issuer URLs trusted. */
  readonly issuers: readonly string[];
}

const POOL_ID = /^(?<region>[a-z]{2}-(?:gov-)?[a-z]+-\d)_[a-zA-Z0-9]+$/;

/**
 * The issuer URL (`iss`) of a Cognito user pool; its JWKS is at `<issuer>/.well-known/jwks.json`.
 *
 * @param userPoolId - e.g. `eu-west-1_AbCdEf123`.
 * @throws {@link CookieAuthError} `INVALID_OPTION` when the id is malformed.
 * @example
 * ```ts
 * cognitoIssuer('eu-west-1_AbCdEf123'); // 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123'
 * ```
 */
export function cognitoIssuer(userPoolId: string): string {
  const region = POOL_ID.exec(userPoolId)?.groups?.region;
  requireOption(region, 'cognito.userPoolId', 'a user pool id such as eu-west-1_AbCdEf123');
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

const arr = (v: string | readonly string[] | undefined | null): string[] | undefined =>
  v === undefined || v === null ? undefined : typeof v === 'string' ? [v] : [...v];

/** Maps an aws-jwt-verify error to a reason code (the error itself may carry the raw JWT: dropped). */
export function reasonOf(error: unknown): DenyReason {
  if (error instanceof JwtExpiredError) return DenyReason.TOKEN_EXPIRED;
  if (error instanceof JwtNotBeforeError) return DenyReason.TOKEN_NOT_YET_VALID;
  if (error instanceof JwtInvalidIssuerError) return DenyReason.TOKEN_ISSUER_INVALID;
  if (error instanceof CognitoJwtInvalidClientIdError || error instanceof JwtInvalidAudienceError)
    return DenyReason.TOKEN_CLIENT_INVALID;
  if (error instanceof CognitoJwtInvalidTokenUseError) return DenyReason.TOKEN_USE_INVALID;
  if (error instanceof JwtInvalidScopeError) return DenyReason.TOKEN_SCOPE_INVALID;
  if (error instanceof CognitoJwtInvalidGroupError) return DenyReason.TOKEN_GROUP_INVALID;
  if (error instanceof JwtInvalidSignatureAlgorithmError || error instanceof JwtInvalidSignatureError)
    return DenyReason.TOKEN_SIGNATURE_INVALID;
  if (
    error instanceof KidNotFoundInJwksError ||
    error instanceof JwksNotAvailableInCacheError ||
    error instanceof WaitPeriodNotYetEndedJwkError ||
    error instanceof JwtWithoutValidKidError ||
    error instanceof FetchError
  )
    return DenyReason.TOKEN_KEY_UNKNOWN;
  if (error instanceof JwtParseError) return DenyReason.TOKEN_MALFORMED;
  if (error instanceof RevokedTokenError) return DenyReason.TOKEN_REVOKED;
  return DenyReason.TOKEN_INVALID;
}

class RevokedTokenError extends Error {}

/** Reads the unverified `iss` to pick the verifier; never trusted beyond that choice. */
function unverifiedIssuer(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof payload === 'object' && payload !== null && typeof payload.iss === 'string'
      ? payload.iss
      : undefined;
  } catch {
    return undefined;
  }
}

interface IssuerVerifier {
  verify(token: string): Promise<JwtPayload>;
  verifySync(token: string): JwtPayload;
  hydrate(): Promise<void>;
  cacheJwks(jwks: Jwks): void;
}

/**
 * Creates an access-token verifier on aws-jwt-verify for Cognito user pools (one or many) and any OIDC
 * issuer, with `graceSeconds`, JWKS preloading for `verifySync`, one shared JWKS cache (100 concurrent cold
 * verifications make one fetch) and an optional revocation hook. Keys come only from the configured JWKS:
 * `jku`/`jwk`/`x5u` headers are ignored, `alg: none` and HMAC algorithms are rejected.
 *
 * @param options - See {@link TokenVerifierOptions}.
 * @throws {@link CookieAuthError} `INVALID_OPTION` naming the option.
 * @example
 * ```ts
 * const verifier = createTokenVerifier({ cognito: { userPoolId: 'eu-west-1_AbCdEf123', clientId: '1example23456789' } });
 * const result = await verifier.verify(token); // { ok: true, claims } | { ok: false, reason }
 * ```
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  requireOption(options && typeof options === 'object', 'options', 'an object');
  const pools =
    options.cognito === undefined
      ? []
      : Array.isArray(options.cognito)
        ? options.cognito
        : [options.cognito as CognitoPoolConfig];
  const oidc = options.issuers ?? [];
  requireOption(Array.isArray(oidc), 'issuers', 'an array of { issuer, jwksUri, audience }');
  requireOption(pools.length + oidc.length > 0, 'cognito', 'at least one Cognito user pool or OIDC issuer');
  const tokenUse = options.tokenUse ?? 'access';
  requireOption(tokenUse === 'access' || tokenUse === 'id', 'tokenUse', "'access' or 'id'");
  const graceSeconds = options.graceSeconds ?? 0;
  requireOption(
    Number.isInteger(graceSeconds) && graceSeconds >= 0 && graceSeconds <= 300,
    'graceSeconds',
    'an integer from 0 to 300',
  );
  requireOption(
    options.isRevoked === undefined || typeof options.isRevoked === 'function',
    'isRevoked',
    'a function',
  );
  requireOption(
    options.jwksFetcher === undefined || typeof options.jwksFetcher?.fetch === 'function',
    'jwksFetcher',
    'an aws-jwt-verify Fetcher ({ fetch })',
  );
  const jwksCache = new SimpleJwksCache(options.jwksFetcher ? { fetcher: options.jwksFetcher } : {});
  const verifiers = new Map<string, IssuerVerifier>();
  const create = (props: Record<string, unknown>): IssuerVerifier =>
    (JwtVerifier.create as unknown as (p: unknown, a: unknown) => IssuerVerifier)(props, { jwksCache });

  pools.forEach((pool, i) => {
    requireOption(pool && typeof pool.userPoolId === 'string', `cognito[${i}].userPoolId`, 'a user pool id');
    const issuer = cognitoIssuer(pool.userPoolId);
    const clientId = arr(pool.clientId);
    requireOption(
      clientId && clientId.length > 0 && clientId.every((c) => typeof c === 'string' && c.length > 0),
      `cognito[${i}].clientId`,
      'an app client id or a non-empty array of them',
    );
    requireOption(!verifiers.has(issuer), `cognito[${i}].userPoolId`, 'a user pool listed once');
    const groups = arr(pool.groups);
    verifiers.set(
      issuer,
      create({
        issuer,
        jwksUri: `${issuer}/.well-known/jwks.json`,
        audience: null,
        scope: arr(pool.scope),
        graceSeconds,
        customJwtCheck: ({ payload }: { payload: JwtPayload }) =>
          validateCognitoJwtFields(payload, { tokenUse, clientId, groups: groups ?? null }),
      }),
    );
  });
  oidc.forEach((c, i) => {
    requireOption(
      c && typeof c.issuer === 'string' && c.issuer.length > 0,
      `issuers[${i}].issuer`,
      'the exact iss value',
    );
    requireOption(
      typeof c.jwksUri === 'string' &&
        (/^https:\/\//.test(c.jwksUri) ||
          (options.jwksFetcher !== undefined && /^http:\/\//.test(c.jwksUri))),
      `issuers[${i}].jwksUri`,
      'an https URL of the JWKS (http only with a custom jwksFetcher)',
    );
    requireOption(
      c.audience === null || arr(c.audience)?.length,
      `issuers[${i}].audience`,
      'an audience, an array of them, or null',
    );
    requireOption(!verifiers.has(c.issuer), `issuers[${i}].issuer`, 'an issuer listed once');
    const clientId = arr(c.clientId);
    verifiers.set(
      c.issuer,
      create({
        issuer: c.issuer,
        jwksUri: c.jwksUri,
        audience: c.audience === null ? null : arr(c.audience),
        scope: arr(c.scope),
        graceSeconds,
        customJwtCheck: ({ payload }: { payload: JwtPayload }) => {
          // Reject ID tokens (and any other kind) presented as access tokens when the issuer labels them.
          if (payload.token_use !== undefined && payload.token_use !== tokenUse) {
            throw new CognitoJwtInvalidTokenUseError(
              'Token use not allowed',
              payload.token_use as string,
              tokenUse,
            );
          }
          if (clientId && !clientId.includes(payload.client_id as string)) {
            throw new CognitoJwtInvalidClientIdError(
              'Client ID not allowed',
              payload.client_id as string,
              clientId,
            );
          }
        },
      }),
    );
  });
  for (const [issuer, jwks] of Object.entries(options.jwks ?? {})) {
    const v = verifiers.get(issuer);
    requireOption(v, `jwks["${issuer}"]`, 'a configured issuer URL');
    v.cacheJwks(jwks);
  }

  const only = verifiers.size === 1 ? ([...verifiers.values()][0] as IssuerVerifier) : undefined;
  const pick = (token: unknown): IssuerVerifier | DenyReason => {
    if (typeof token !== 'string' || token.length === 0) return DenyReason.NO_TOKEN;
    // One issuer: aws-jwt-verify checks `iss` itself, so skip decoding the payload twice.
    if (only) return only;
    const iss = unverifiedIssuer(token);
    if (iss === undefined) return DenyReason.TOKEN_MALFORMED;
    return verifiers.get(iss) ?? DenyReason.TOKEN_ISSUER_INVALID;
  };
  const revoked = async (claims: JwtPayload): Promise<boolean> => {
    if (!options.isRevoked) return false;
    const input: RevocationCheckInput = {};
    if (typeof claims.jti === 'string') input.jti = claims.jti;
    if (typeof claims.origin_jti === 'string') input.originJti = claims.origin_jti;
    if (typeof claims.sub === 'string') input.sub = claims.sub;
    return (await options.isRevoked(input)) === true;
  };

  return {
    issuers: [...verifiers.keys()],
    async verify(token) {
      const v = pick(token);
      if (typeof v === 'string') return { ok: false, reason: v };
      try {
        let claims: JwtPayload;
        try {
          // Fast path: with the issuer's JWKS already cached (preloaded, or fetched by an earlier
          // request) synchronous verification skips the async machinery entirely.
          claims = v.verifySync(token);
        } catch (error) {
          if (!(error instanceof JwksNotAvailableInCacheError || error instanceof KidNotFoundInJwksError))
            throw error;
          // Cold cache or a rotated key: fetch (de-duplicated across concurrent requests, penalty box on misses).
          claims = await v.verify(token);
        }
        if (options.isRevoked && (await revoked(claims)))
          return { ok: false, reason: DenyReason.TOKEN_REVOKED };
        return { ok: true, claims };
      } catch (error) {
        return { ok: false, reason: reasonOf(error) };
      }
    },
    verifySync(token) {
      const v = pick(token);
      if (typeof v === 'string') return { ok: false, reason: v };
      try {
        return { ok: true, claims: v.verifySync(token) };
      } catch (error) {
        return { ok: false, reason: reasonOf(error) };
      }
    },
    async hydrate() {
      await Promise.all([...verifiers.values()].map((v) => v.hydrate()));
    },
  };
}
