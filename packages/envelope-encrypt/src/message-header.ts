import { AlgorithmSuiteIdentifier, NodeAlgorithmSuite } from '@aws-crypto/material-management-node';
import { deserializeFactory } from '@aws-crypto/serialize';
import { fromAnyBase64 } from './base64url.js';
import { EnvelopeError, EnvelopeErrorCode } from './errors.js';

const toUtf8 = (input: Uint8Array): string =>
  Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
const { deserializeMessageHeader } = deserializeFactory(toUtf8, NodeAlgorithmSuite);

/** One encrypted data key of a message, as named in its header. */
export interface EncryptedDataKeyInfo {
  /** Key provider: `aws-kms` for KMS, the key namespace for raw keyrings (e.g. `AmazonConnect`). */
  providerId: string;
  /** Key ARN for KMS; the key name for raw keyrings (e.g. the Connect security-key ID). */
  providerInfo: string;
  /** Size of the wrapped data key in bytes. */
  bytes: number;
}

/** What an Encryption SDK message's header says, without decrypting it; see {@link inspectCiphertext}. */
export interface MessageInfo {
  /** Algorithm suite ID, e.g. `0x0478`. */
  suiteId: string;
  /** Algorithm suite name, e.g. `ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY`. */
  suiteName: string;
  /** Whether the suite commits to its data key (message format 2). */
  committing: boolean;
  /** Whether the message is signed (ECDSA). */
  signed: boolean;
  /** The encrypted data keys, in header order. */
  encryptedDataKeys: EncryptedDataKeyInfo[];
  /** The encryption context (non-secret by definition: it travels in plaintext). */
  encryptionContext: Record<string, string>;
  /** Frame length the body was encrypted with. */
  frameLength: number;
  /** Size of the whole message in bytes. */
  messageBytes: number;
  /** Size of the message's base64url (unpadded) form. */
  base64urlChars: number;
}

/**
 * Reads the header of an Encryption SDK message (base64url, or standard base64 as Connect emits it):
 * suite, key providers and key IDs, encryption context and sizes. Decrypts nothing and calls no KMS.
 *
 * @param ciphertext - The message as text.
 * @param options.maxEncryptedDataKeys - Refuse headers with more data keys than this. Default `16`.
 * @returns The header facts.
 * @throws {@link EnvelopeError} `MALFORMED_CIPHERTEXT` when the text is not base64 or not a complete header.
 * @example
 * ```ts
 * const info = inspectCiphertext(ciphertext);
 * info.suiteId; // '0x0478'
 * info.encryptionContext.contactId;
 * ```
 */
export function inspectCiphertext(
  ciphertext: string,
  options: { maxEncryptedDataKeys?: number } = {},
): MessageInfo {
  const bytes = typeof ciphertext === 'string' ? fromAnyBase64(ciphertext) : undefined;
  if (!bytes || bytes.length === 0) {
    throw new EnvelopeError(EnvelopeErrorCode.MALFORMED_CIPHERTEXT, 'Ciphertext is not base64url or base64');
  }
  return inspectMessage(bytes, options.maxEncryptedDataKeys ?? 16);
}

/** @internal */
export function inspectMessage(bytes: Buffer, maxEncryptedDataKeys: number): MessageInfo {
  let info: ReturnType<typeof deserializeMessageHeader>;
  try {
    info = deserializeMessageHeader(bytes, { maxEncryptedDataKeys });
  } catch (error) {
    const tooMany = error instanceof Error && /maxEncryptedDataKeys/.test(error.message);
    throw new EnvelopeError(
      tooMany ? EnvelopeErrorCode.POLICY_VIOLATION : EnvelopeErrorCode.MALFORMED_CIPHERTEXT,
      tooMany
        ? `Message has more than ${maxEncryptedDataKeys} encrypted data keys`
        : 'Ciphertext is not an AWS Encryption SDK message',
      { cause: error },
    );
  }
  if (!info) {
    throw new EnvelopeError(
      EnvelopeErrorCode.MALFORMED_CIPHERTEXT,
      'Ciphertext is truncated (incomplete header)',
    );
  }
  const { messageHeader, algorithmSuite } = info;
  const id = algorithmSuite.id as number;
  return {
    suiteId: `0x${id.toString(16).padStart(4, '0')}`,
    suiteName: AlgorithmSuiteIdentifier[id] ?? 'unknown',
    committing: algorithmSuite.commitment !== 'NONE',
    signed: algorithmSuite.signatureCurve !== undefined,
    encryptedDataKeys: messageHeader.encryptedDataKeys.map((k) => ({
      providerId: k.providerId,
      providerInfo: k.providerInfo,
      bytes: k.encryptedDataKey.byteLength,
    })),
    encryptionContext: { ...messageHeader.encryptionContext },
    frameLength: messageHeader.frameLength,
    messageBytes: bytes.length,
    base64urlChars: bytes.toString('base64url').length,
  };
}
