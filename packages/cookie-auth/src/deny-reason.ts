/**
 * Machine-readable reasons a request is denied. They go to the injected logger (never to the response,
 * which stays generic) and are returned by `authorize()` so callers can count them.
 */
export const DenyReason = {
  /** No access-token cookie (or it is empty). */
  NO_TOKEN: 'NO_TOKEN',
  /** The cookie header(s) exceed the configured byte or count cap. */
  COOKIE_HEADER_TOO_LARGE: 'COOKIE_HEADER_TOO_LARGE',
  /** The access-token cookie name occurs more than once (cookie tossing / shadowing). */
  DUPLICATE_COOKIE: 'DUPLICATE_COOKIE',
  /** Chunks of the access-token cookie are missing, out of range or too many. */
  MALFORMED_CHUNKS: 'MALFORMED_CHUNKS',
  /** An encrypted cookie failed to decrypt (tampered, truncated or unknown key id). */
  DECRYPT_FAILED: 'DECRYPT_FAILED',
  /** The JWT is not a well-formed signed JWT (including `alg: none`). */
  TOKEN_MALFORMED: 'TOKEN_MALFORMED',
  /** The signature does not verify or uses a disallowed algorithm (e.g. HS256). */
  TOKEN_SIGNATURE_INVALID: 'TOKEN_SIGNATURE_INVALID',
  /** The token's `kid` is not in the issuer's JWKS (or the JWKS could not be fetched). */
  TOKEN_KEY_UNKNOWN: 'TOKEN_KEY_UNKNOWN',
  /** `exp` has passed (beyond `graceSeconds`). */
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  /** `nbf` is in the future (beyond `graceSeconds`). */
  TOKEN_NOT_YET_VALID: 'TOKEN_NOT_YET_VALID',
  /** `iss` is not a configured issuer. */
  TOKEN_ISSUER_INVALID: 'TOKEN_ISSUER_INVALID',
  /** `client_id`/`aud` is not a configured client. */
  TOKEN_CLIENT_INVALID: 'TOKEN_CLIENT_INVALID',
  /** `token_use` is not `access` (e.g. an ID token). */
  TOKEN_USE_INVALID: 'TOKEN_USE_INVALID',
  /** A required scope is missing. */
  TOKEN_SCOPE_INVALID: 'TOKEN_SCOPE_INVALID',
  /** A required group is missing. */
  TOKEN_GROUP_INVALID: 'TOKEN_GROUP_INVALID',
  /** The revocation hook reported the token's `jti`/`origin_jti` as revoked. */
  TOKEN_REVOKED: 'TOKEN_REVOKED',
  /** Another verification failure. */
  TOKEN_INVALID: 'TOKEN_INVALID',
  /** Unsafe method without an allow-listed `Origin` or the required CSRF header. */
  CSRF_CHECK_FAILED: 'CSRF_CHECK_FAILED',
  /** An unexpected internal failure (denied rather than thrown). */
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const;

/** One of {@link DenyReason}. */
export type DenyReason = (typeof DenyReason)[keyof typeof DenyReason];
