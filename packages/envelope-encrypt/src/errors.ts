import { createErrorGuard, SecblocksError, type SecblocksErrorOptions } from '@secblocks/core';

/** Codes of the errors `@secblocks/envelope-encrypt` throws. */
export const EnvelopeErrorCode = {
  /** An option passed to a factory is missing or out of range; the message names the option. */
  INVALID_OPTION: 'INVALID_OPTION',
  /** A caller-supplied encryption context is invalid (reserved `aws-crypto-` prefix, reserved key, empty value). */
  INVALID_CONTEXT: 'INVALID_CONTEXT',
  /** The contact ID or field name to bind a value to is missing or malformed. */
  INVALID_BINDING: 'INVALID_BINDING',
  /** The plaintext is empty or larger than `maxPlaintextBytes`. */
  INVALID_PLAINTEXT: 'INVALID_PLAINTEXT',
  /** The ciphertext is not base64url, too long, truncated or not an Encryption SDK message. */
  MALFORMED_CIPHERTEXT: 'MALFORMED_CIPHERTEXT',
  /** The message's encryption context does not match the expected contact, field or context. */
  CONTEXT_MISMATCH: 'CONTEXT_MISMATCH',
  /** No configured key could decrypt the message's data key (wrong key, wrong key namespace or name). */
  KEY_MISMATCH: 'KEY_MISMATCH',
  /** The message failed authentication: it was tampered with, or it is not ours. */
  DECRYPT_FAILED: 'DECRYPT_FAILED',
  /** The message uses an algorithm suite or key count this decryptor refuses. */
  POLICY_VIOLATION: 'POLICY_VIOLATION',
  /** Encryption failed (KMS refused, key disabled, configuration). */
  ENCRYPT_FAILED: 'ENCRYPT_FAILED',
  /** The encryptor has no key configured for this direction (e.g. decrypt-only role asked to encrypt). */
  NOT_CONFIGURED: 'NOT_CONFIGURED',
  /** KMS denied access to the key (`AccessDeniedException`). */
  KMS_ACCESS_DENIED: 'KMS_ACCESS_DENIED',
  /** The KMS key is disabled or pending deletion. */
  KMS_KEY_UNAVAILABLE: 'KMS_KEY_UNAVAILABLE',
  /** KMS throttled the request after the SDK's retries. */
  KMS_THROTTLED: 'KMS_THROTTLED',
  /** A Lex or Connect event does not have the documented shape. */
  MALFORMED_EVENT: 'MALFORMED_EVENT',
  /** The Connect decrypt handler's `authorize` hook refused the request. */
  UNAUTHORIZED: 'UNAUTHORIZED',
} as const;

/** One of {@link EnvelopeErrorCode}. */
export type EnvelopeErrorCode = (typeof EnvelopeErrorCode)[keyof typeof EnvelopeErrorCode];

/**
 * The one error class of `@secblocks/envelope-encrypt`. Messages name options, key ARNs, key
 * namespaces, contact IDs and field names; never a plaintext, a data key or a private key.
 *
 * @example
 * ```ts
 * try { await encryptor.decrypt(ciphertext, { contactId, field: 'card' }); }
 * catch (e) { if (isEnvelopeError(e) && e.code === EnvelopeErrorCode.CONTEXT_MISMATCH) deny(); }
 * ```
 */
export class EnvelopeError extends SecblocksError<EnvelopeErrorCode> {
  constructor(code: EnvelopeErrorCode, message: string, options?: SecblocksErrorOptions) {
    super('envelope-encrypt', code, message, options);
  }
}

/**
 * Type guard for {@link EnvelopeError}, safe across duplicate ESM/CJS copies of the package.
 *
 * @example
 * ```ts
 * if (isEnvelopeError(e)) logger.warn('decrypt refused', { code: e.code });
 * ```
 */
export const isEnvelopeError: (value: unknown) => value is EnvelopeError =
  createErrorGuard<EnvelopeError>('envelope-encrypt');

/** Throws an `INVALID_OPTION` {@link EnvelopeError} naming `option` unless `condition` holds. @internal */
export function requireOption(condition: boolean, option: string, expectation: string): asserts condition {
  if (!condition) {
    throw new EnvelopeError(
      EnvelopeErrorCode.INVALID_OPTION,
      `Invalid option "${option}": expected ${expectation}`,
    );
  }
}
