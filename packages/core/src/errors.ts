/**
 * The brand every secblocks error carries. `Symbol.for` makes it the same symbol in every copy of
 * the package, so guards keep working when an app ends up with both the ESM and the CJS build (where
 * `instanceof` silently fails).
 */
const ERROR_BRAND: unique symbol = Symbol.for('@secblocks/error') as never;

/** Options accepted by every secblocks error constructor. */
export interface SecblocksErrorOptions {
  /** The underlying error. It must never carry a secret value: wrap or drop it if it might. */
  cause?: unknown;
}

/**
 * Base class of every error thrown by a secblocks package.
 *
 * Each error has a stable, machine-readable `code` (exported as constants by each package) and the
 * name of the `pkg` that threw it. Messages name identifiers (an option, a secret path, a claim), never
 * a secret value, token, cookie or plaintext.
 *
 * @example
 * ```ts
 * class VaultSyncError extends SecblocksError {
 *   constructor(code: string, message: string, options?: SecblocksErrorOptions) {
 *     super('vault-sync', code, message, options);
 *   }
 * }
 * ```
 */
export class SecblocksError<Code extends string = string> extends Error {
  /** Stable machine-readable error code, e.g. `INVALID_OPTION`. */
  readonly code: Code;
  /** The secblocks package that threw the error, e.g. `core`, `cookie-auth`. */
  readonly pkg: string;

  constructor(pkg: string, code: Code, message: string, options: SecblocksErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.pkg = pkg;
    Object.defineProperty(this, ERROR_BRAND, { value: pkg, enumerable: false });
  }
}

/**
 * Tells whether `value` is an error thrown by any secblocks package (or by the package named `pkg`).
 * Works across duplicate ESM/CJS copies of a package, unlike `instanceof`.
 *
 * @param value - Anything caught.
 * @param pkg - Optional package name to narrow to, e.g. `'cookie-auth'`.
 * @example
 * ```ts
 * try { await run(); } catch (e) { if (isSecblocksError(e) && e.code === 'THROTTLED') retryLater(); }
 * ```
 */
export function isSecblocksError(value: unknown, pkg?: string): value is SecblocksError {
  if (typeof value !== 'object' || value === null) return false;
  const brand = (value as Record<symbol, unknown>)[ERROR_BRAND];
  return typeof brand === 'string' && (pkg === undefined || brand === pkg);
}

/**
 * Builds the `isXError(e)` guard a package exports for its own error family.
 *
 * @param pkg - The package name passed to the errors' constructor.
 * @returns A type guard that is true only for errors thrown by that package.
 * @example
 * ```ts
 * export const isVaultSyncError = createErrorGuard<VaultSyncError>('vault-sync');
 * ```
 */
export function createErrorGuard<E extends SecblocksError>(pkg: string): (value: unknown) => value is E {
  return (value: unknown): value is E => isSecblocksError(value, pkg);
}

/** Codes of the errors `@secblocks/core` itself throws. */
export const CoreErrorCode = {
  /** An option passed to a factory or function is missing or out of range. */
  INVALID_OPTION: 'INVALID_OPTION',
  /** An operation was aborted through its `AbortSignal`. */
  ABORTED: 'ABORTED',
  /** A command-line invocation had bad arguments. */
  USAGE: 'USAGE',
} as const;

/** One of {@link CoreErrorCode}. */
export type CoreErrorCode = (typeof CoreErrorCode)[keyof typeof CoreErrorCode];

/**
 * Error thrown by `@secblocks/core`.
 *
 * @example
 * ```ts
 * try { createTokenBucket({ capacity: 0, refillPerSecond: 1 }); }
 * catch (e) { if (isCoreError(e)) console.log(e.code); } // INVALID_OPTION
 * ```
 */
export class CoreError extends SecblocksError<CoreErrorCode> {
  constructor(code: CoreErrorCode, message: string, options?: SecblocksErrorOptions) {
    super('core', code, message, options);
  }
}

/**
 * Type guard for {@link CoreError}, safe across duplicate package copies.
 *
 * @example
 * ```ts
 * if (isCoreError(e) && e.code === CoreErrorCode.ABORTED) return;
 * ```
 */
export const isCoreError: (value: unknown) => value is CoreError = createErrorGuard<CoreError>('core');

/**
 * Throws a {@link CoreError} `INVALID_OPTION` naming `option` unless `condition` holds. Used by factories
 * to validate every option up front.
 *
 * @param condition - What must be true.
 * @param option - The option's name, e.g. `refillPerSecond`.
 * @param expectation - What was expected, e.g. `a positive number`. Never include the value if it could be secret.
 * @throws {@link CoreError} with code `INVALID_OPTION`.
 * @example
 * ```ts
 * requireOption(Number.isInteger(limit) && limit > 0, 'limit', 'a positive integer');
 * ```
 */
export function requireOption(condition: boolean, option: string, expectation: string): asserts condition {
  if (!condition) {
    throw new CoreError(CoreErrorCode.INVALID_OPTION, `Invalid option "${option}": expected ${expectation}`);
  }
}

/**
 * The error to throw when an `AbortSignal` fires: a {@link CoreError} with code `ABORTED` whose cause is
 * the signal's reason.
 *
 * @param signal - The aborted signal.
 * @example
 * ```ts
 * if (signal?.aborted) throw abortError(signal);
 * ```
 */
export function abortError(signal: AbortSignal): CoreError {
  return new CoreError(CoreErrorCode.ABORTED, 'The operation was aborted', { cause: signal.reason });
}
