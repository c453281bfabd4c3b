import { EnvelopeError, EnvelopeErrorCode, isEnvelopeError } from './errors.js';

const has = (text: string, re: RegExp): boolean => re.test(text);

/**
 * Maps an Encryption SDK or KMS error to an {@link EnvelopeError} with a stable code and a generic
 * message. The Encryption SDK aggregates per-key KMS failures into one message, so the KMS error names
 * are looked for in the text. Neither the SDK nor KMS puts plaintext into errors; the original is kept
 * as `cause` for diagnostics. @internal
 */
export function mapCryptoError(error: unknown, operation: 'encrypt' | 'decrypt'): EnvelopeError {
  if (isEnvelopeError(error)) return error;
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  const wrap = (code: EnvelopeErrorCode, message: string) =>
    new EnvelopeError(code, message, { cause: error });
  if (has(text, /AccessDenied/))
    return wrap(EnvelopeErrorCode.KMS_ACCESS_DENIED, `KMS denied access to the key (${operation})`);
  if (has(text, /DisabledException|KMSInvalidStateException|KeyUnavailableException|PendingDeletion/)) {
    return wrap(
      EnvelopeErrorCode.KMS_KEY_UNAVAILABLE,
      `The KMS key is disabled or unavailable (${operation})`,
    );
  }
  if (has(text, /Throttl|LimitExceeded|TooManyRequests|Rate exceeded/)) {
    return wrap(EnvelopeErrorCode.KMS_THROTTLED, `KMS throttled the request (${operation}); retry later`);
  }
  if (operation === 'encrypt') {
    if (has(text, /NotFoundException/))
      return wrap(EnvelopeErrorCode.ENCRYPT_FAILED, 'The KMS key was not found');
    return wrap(EnvelopeErrorCode.ENCRYPT_FAILED, 'Encryption failed');
  }
  if (has(text, /maxEncryptedDataKeys/)) {
    return wrap(EnvelopeErrorCode.POLICY_VIOLATION, 'Message has more encrypted data keys than allowed');
  }
  if (has(text, /Configuration conflict|commit/i)) {
    return wrap(
      EnvelopeErrorCode.POLICY_VIOLATION,
      'Message uses an algorithm suite this decryptor refuses (non-committing)',
    );
  }
  if (
    has(
      text,
      /unencryptedDataKey has not been set|Unable to decrypt data key|IncorrectKey|InvalidCiphertext|NotFoundException|No Encrypted Data Keys/,
    )
  ) {
    return wrap(EnvelopeErrorCode.KEY_MISMATCH, 'None of the configured keys could decrypt the data key');
  }
  if (has(text, /Incomplete|Truncated|Malformed|Not a supported message format|Unsupported version/i)) {
    return wrap(
      EnvelopeErrorCode.MALFORMED_CIPHERTEXT,
      'Ciphertext is truncated or not an AWS Encryption SDK message',
    );
  }
  return wrap(
    EnvelopeErrorCode.DECRYPT_FAILED,
    'Decryption failed: the message was tampered with or is not ours',
  );
}
