import { createErrorGuard, SecblocksError, type SecblocksErrorOptions } from '@secblocks/core';

/** Codes of the errors `@secblocks/cookie-auth` throws. Authorizer and handler *reasons* are {@link DenyReason}. */
export const CookieAuthErrorCode = {
  /** An option passed to a factory is missing or out of range; the message names the option. */
  INVALID_OPTION: 'INVALID_OPTION',
  /** A cookie configuration could exceed API Gateway's 10,240-byte request-header limit. */
  HEADER_BUDGET_EXCEEDED: 'HEADER_BUDGET_EXCEEDED',
  /** An encrypted cookie could not be decrypted (tampered, truncated, or sealed with an unknown key id). */
  DECRYPT_FAILED: 'DECRYPT_FAILED',
  /** A cookie value is too large to be written even after chunking. */
  COOKIE_TOO_LARGE: 'COOKIE_TOO_LARGE',
} as const;

/** One of {@link CookieAuthErrorCode}. */
export type CookieAuthErrorCode = (typeof CookieAuthErrorCode)[keyof typeof CookieAuthErrorCode];

/**
 * Error thrown by `@secblocks/cookie-auth`. Messages name options, cookie names and claim names, never a
 * token, code, PKCE verifier or cookie value.
 *
 * @example
 * ```ts
 * try { createCookieAuthorizer({ verifier: {} as never }); }
 * catch (e) { if (isCookieAuthError(e)) console.log(e.code); } // INVALID_OPTION
 * ```
 */
export class CookieAuthError extends SecblocksError<CookieAuthErrorCode> {
  constructor(code: CookieAuthErrorCode, message: string, options?: SecblocksErrorOptions) {
    super('cookie-auth', code, message, options);
  }
}

/**
 * Type guard for {@link CookieAuthError}, safe across duplicate ESM/CJS copies of the package.
 *
 * @example
 * ```ts
 * if (isCookieAuthError(e) && e.code === CookieAuthErrorCode.HEADER_BUDGET_EXCEEDED) process.exitCode = 1;
 * ```
 */
export const isCookieAuthError: (value: unknown) => value is CookieAuthError =
  createErrorGuard<CookieAuthError>('cookie-auth');

/**
 * Throws {@link CookieAuthError} `INVALID_OPTION` naming `option` unless `condition` holds.
 * @internal
 */
export function requireOption(condition: unknown, option: string, expectation: string): asserts condition {
  if (!condition) {
    throw new CookieAuthError(
      CookieAuthErrorCode.INVALID_OPTION,
      `Invalid option "${option}": expected ${expectation}`,
    );
  }
}
