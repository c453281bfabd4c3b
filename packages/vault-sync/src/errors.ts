import { createErrorGuard, SecblocksError, type SecblocksErrorOptions } from '@secblocks/core';

/** Codes of the errors `@secblocks/vault-sync` throws (and of per-secret failures in a run report). */
export const VaultSyncErrorCode = {
  /** An option passed to a factory is missing or out of range; the message names it. */
  INVALID_OPTION: 'INVALID_OPTION',
  /** The configuration file cannot be read or parsed. */
  INVALID_CONFIG: 'INVALID_CONFIG',
  /** Vault login failed, or the token was refused and could not be renewed. */
  VAULT_AUTH_FAILED: 'VAULT_AUTH_FAILED',
  /** The Vault token lacks a capability (list on metadata, read on data/metadata). */
  VAULT_PERMISSION_DENIED: 'VAULT_PERMISSION_DENIED',
  /** Vault is sealed, unreachable or kept answering 412/429/5xx after retries. */
  VAULT_UNAVAILABLE: 'VAULT_UNAVAILABLE',
  /** Vault answered something the source cannot interpret. */
  VAULT_PROTOCOL: 'VAULT_PROTOCOL',
  /** The source version vanished between plan and apply (deleted, destroyed, aged out). */
  SOURCE_CHANGED: 'SOURCE_CHANGED',
  /** A secret value is larger than 65,536 bytes or not representable as configured. */
  VALUE_TOO_LARGE: 'VALUE_TOO_LARGE',
  /** Secrets Manager failed (after retries) for one secret or listing. */
  TARGET_FAILED: 'TARGET_FAILED',
  /** A secret with the target name exists and is not owned by this instance. */
  NOT_OWNED: 'NOT_OWNED',
  /** A plan is refused: stale, tampered with, or made for another instance. */
  INVALID_PLAN: 'INVALID_PLAN',
  /** At least one secret failed in a run; thrown by the scheduled handler so Lambda counts the error. */
  RUN_FAILED: 'RUN_FAILED',
} as const;

/** One of {@link VaultSyncErrorCode}. */
export type VaultSyncErrorCode = (typeof VaultSyncErrorCode)[keyof typeof VaultSyncErrorCode];

/**
 * The one error class of `@secblocks/vault-sync`. Messages name secret paths, names and option names,
 * never a secret value or a Vault token.
 *
 * @example
 * ```ts
 * try { await sync(source, target, { instanceId: 'prod' }); }
 * catch (e) { if (isVaultSyncError(e) && e.code === VaultSyncErrorCode.VAULT_UNAVAILABLE) page(); }
 * ```
 */
export class VaultSyncError extends SecblocksError<VaultSyncErrorCode> {
  constructor(code: VaultSyncErrorCode, message: string, options?: SecblocksErrorOptions) {
    super('vault-sync', code, message, options);
  }
}

/**
 * Type guard for {@link VaultSyncError}, safe across duplicate ESM/CJS copies of the package.
 *
 * @example
 * ```ts
 * if (isVaultSyncError(e)) logger.error('sync failed', { code: e.code });
 * ```
 */
export const isVaultSyncError: (value: unknown) => value is VaultSyncError =
  createErrorGuard<VaultSyncError>('vault-sync');

/** @internal Throws INVALID_OPTION naming `option` unless `condition` holds. */
export function check(condition: boolean, option: string, expectation: string): asserts condition {
  if (!condition) {
    throw new VaultSyncError(
      VaultSyncErrorCode.INVALID_OPTION,
      `Invalid option "${option}": expected ${expectation}`,
    );
  }
}
