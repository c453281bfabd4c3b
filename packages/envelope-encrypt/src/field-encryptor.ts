import {
  getLocalCryptographicMaterialsCache,
  NodeCachingMaterialsManager,
} from '@aws-crypto/caching-materials-manager-node';
import { buildDecrypt } from '@aws-crypto/decrypt-node';
import { buildEncrypt } from '@aws-crypto/encrypt-node';
import {
  AlgorithmSuiteIdentifier,
  CommitmentPolicy,
  type KeyringNode,
  NodeDefaultCryptographicMaterialsManager,
  type NodeMaterialsManager,
} from '@aws-crypto/material-management-node';
import { isSensitive, type Logger, type Sensitive, sensitive, silentLogger } from '@secblocks/core';
import { fromBase64Url, toBase64Url } from './base64url.js';
import { BindingMaterialsManager } from './binding-materials-manager.js';
import {
  BINDING_KEY,
  CONTACT_ID_KEY,
  contextMismatches,
  type EncryptionContext,
  FIELD_KEY,
  validateCallerContext,
} from './encryption-context.js';
import { EnvelopeError, EnvelopeErrorCode, requireOption } from './errors.js';
import { buildKeyrings, type KeyringOptions } from './keyrings.js';
import { mapCryptoError } from './kms-errors.js';
import { inspectMessage, type MessageInfo } from './message-header.js';

/** Limits on data-key reuse in cached mode; see {@link FieldEncryptorOptions.cache}. */
export interface CacheOptions {
  /**
   * Longest time one data key is used, in milliseconds (1 second to 1 hour).
   * @defaultValue `300_000` (5 minutes)
   */
  maxAge?: number;
  /**
   * Most values encrypted under one data key (1 to 2^32).
   * @defaultValue `1000`
   */
  maxMessagesEncrypted?: number;
  /**
   * Entries kept in the local cache (encrypt and decrypt materials).
   * @defaultValue `100`
   */
  capacity?: number;
}

/** The algorithm suites {@link createFieldEncryptor} encrypts with; both commit to their key. */
export type FieldSuiteId =
  | typeof AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY
  | typeof AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY_ECDSA_P384;

/** Options of {@link createFieldEncryptor}. */
export interface FieldEncryptorOptions {
  /** Which keys protect the data keys: KMS (recommended), raw AES or raw RSA (OAEP only). */
  keyring: KeyringOptions;
  /**
   * Static encryption context added to every value, e.g. `{ app: 'ivr-payments' }`. Non-secret (it
   * travels in plaintext and reaches CloudTrail). Keys starting `aws-crypto-` and the package's own keys
   * (`contactId`, `field`, `binding`) are refused.
   * @defaultValue `{}`
   */
  context?: Record<string, string>;
  /**
   * Cached mode: reuse a data key for many values (≤ 1 KMS call per `maxMessagesEncrypted` values in a
   * warm process) while every value stays bound to its contact and field through the authenticated
   * message header. KMS then sees only the static `context`. `false` sends the full context, contact ID
   * included, to KMS on every value.
   * @defaultValue `false`
   */
  cache?: CacheOptions | false;
  /**
   * Algorithm suite for encryption. The default commits to the key and does not sign (one trusted writer
   * gains nothing from ECDSA, which costs ~3.5× CPU and ~200 bytes per value).
   * @defaultValue `0x0478` (`ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY`)
   */
  suiteId?: FieldSuiteId;
  /**
   * Most encrypted data keys a message may carry, on encrypt and decrypt.
   * @defaultValue the number of keys configured in `keyring`
   */
  maxEncryptedDataKeys?: number;
  /**
   * Largest plaintext accepted, in UTF-8 bytes (also the decrypt body limit).
   * @defaultValue `1024`
   */
  maxPlaintextBytes?: number;
  /**
   * Longest ciphertext accepted or produced, in base64url characters (Lex V2 session attributes total
   * at most 12 KB).
   * @defaultValue `4096`
   */
  maxCiphertextLength?: number;
  /** Diagnostics (reason codes, key counts, never values). @defaultValue silent */
  logger?: Logger;
}

/** What a value is bound to. Replaying its ciphertext with another binding fails to decrypt. */
export interface FieldBinding {
  /** The Amazon Connect contact ID (or Lex session ID) the value belongs to. */
  contactId: string;
  /** The field or slot name, e.g. `cardNumber`. */
  field: string;
  /** More non-secret pairs to bind, checked on decrypt like the contact and field. */
  context?: Record<string, string>;
}

/** Encrypts and decrypts single field values; see {@link createFieldEncryptor}. */
export interface FieldEncryptor {
  /**
   * Encrypts `plaintext` bound to `binding`; returns unpadded base64url (alphanumerics, `-`, `_`).
   *
   * @throws {@link EnvelopeError} `INVALID_PLAINTEXT`, `INVALID_BINDING`, `INVALID_CONTEXT`, `NOT_CONFIGURED`,
   *   `KMS_ACCESS_DENIED`, `KMS_KEY_UNAVAILABLE`, `KMS_THROTTLED`, `ENCRYPT_FAILED`.
   */
  encrypt(plaintext: string | Sensitive<string>, binding: FieldBinding): Promise<string>;
  /**
   * Decrypts a value after checking that the message's encryption context is exactly the expected one
   * (static context + binding; only `aws-crypto-public-key` and the `binding` marker may be extra).
   *
   * @throws {@link EnvelopeError} `MALFORMED_CIPHERTEXT`, `CONTEXT_MISMATCH`, `KEY_MISMATCH`, `DECRYPT_FAILED`,
   *   `POLICY_VIOLATION`, `NOT_CONFIGURED`, `KMS_ACCESS_DENIED`, `KMS_KEY_UNAVAILABLE`, `KMS_THROTTLED`.
   */
  decrypt(ciphertext: string, binding: FieldBinding): Promise<Sensitive<string>>;
  /**
   * Reads a ciphertext's header (suite, key IDs, context, sizes) without decrypting.
   *
   * @throws {@link EnvelopeError} `MALFORMED_CIPHERTEXT`, `POLICY_VIOLATION`.
   */
  inspect(ciphertext: string): MessageInfo;
  /** Whether this encryptor can encrypt (a key to encrypt with is configured). */
  readonly canEncrypt: boolean;
  /** Whether this encryptor can decrypt. */
  readonly canDecrypt: boolean;
}

const CONTACT_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const FIELD = /^[A-Za-z0-9._-]{1,64}$/;

const isPositiveInt = (v: unknown, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;

/**
 * Creates a field encryptor with secure defaults: commitment policy `REQUIRE_ENCRYPT_REQUIRE_DECRYPT`,
 * suite 0x0478 (committing, unsigned), `maxEncryptedDataKeys` equal to the configured keys, unpadded
 * base64url output, contact/field binding in the encryption context, exact context checks before any
 * key is unwrapped, and decrypt results wrapped in `Sensitive<string>`. Build it once at module scope
 * so warm Lambda invocations share its clients and cache.
 *
 * @param options - Keyring, static context, cache and limits; every option is validated here.
 * @returns The encryptor.
 * @throws {@link EnvelopeError} `INVALID_OPTION` naming the bad option; `INVALID_CONTEXT` for a bad `context`.
 * @see https://docs.aws.amazon.com/encryption-sdk/latest/developer-guide/best-practices.html
 * @example
 * ```ts
 * const encryptor = createFieldEncryptor({
 *   keyring: { kind: 'kms', generatorKeyId: process.env.KEY_ARN! },
 *   context: { app: 'ivr-payments' },
 *   cache: { maxAge: 300_000, maxMessagesEncrypted: 1000 },
 * });
 * const ciphertext = await encryptor.encrypt('4111111111111111', { contactId, field: 'cardNumber' });
 * const card = await encryptor.decrypt(ciphertext, { contactId, field: 'cardNumber' });
 * card.reveal(); // only where the value is used
 * ```
 */
export function createFieldEncryptor(options: FieldEncryptorOptions): FieldEncryptor {
  requireOption(typeof options === 'object' && options !== null, 'options', 'an options object');
  const keyrings = buildKeyrings(options.keyring);
  const staticContext = validateCallerContext(
    options.context,
    'option "context"',
    EnvelopeErrorCode.INVALID_OPTION,
  );
  const suiteId =
    options.suiteId ?? AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY;
  requireOption(
    suiteId === AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY ||
      suiteId === AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
    'suiteId',
    '0x0478 or 0x0578 (committing suites)',
  );
  const maxKeys =
    options.maxEncryptedDataKeys ?? Math.max(1, keyrings.decryptKeyCount, keyrings.encryptKeyCount);
  requireOption(isPositiveInt(maxKeys, 64), 'maxEncryptedDataKeys', 'an integer from 1 to 64');
  requireOption(
    maxKeys >= keyrings.encryptKeyCount,
    'maxEncryptedDataKeys',
    `at least the ${keyrings.encryptKeyCount} keys configured to encrypt`,
  );
  const maxPlaintextBytes = options.maxPlaintextBytes ?? 1024;
  requireOption(
    isPositiveInt(maxPlaintextBytes, 1 << 20),
    'maxPlaintextBytes',
    'an integer from 1 to 1048576',
  );
  const maxCiphertextLength = options.maxCiphertextLength ?? 4096;
  requireOption(
    isPositiveInt(maxCiphertextLength, 1 << 22),
    'maxCiphertextLength',
    'an integer from 1 to 4194304',
  );
  const logger = options.logger ?? silentLogger;
  requireOption(
    typeof logger === 'object' && logger !== null && typeof logger.warn === 'function',
    'logger',
    'a Logger with debug, info, warn and error',
  );

  const cacheOptions = options.cache ?? false;
  requireOption(
    cacheOptions === false || (typeof cacheOptions === 'object' && cacheOptions !== null),
    'cache',
    'false or { maxAge, maxMessagesEncrypted, capacity }',
  );
  let encryptCmm: NodeMaterialsManager | undefined;
  let decryptCmm: NodeMaterialsManager | undefined;
  const mode = cacheOptions === false ? 'kms' : 'header';
  if (cacheOptions === false) {
    if (keyrings.encrypt) encryptCmm = new NodeDefaultCryptographicMaterialsManager(keyrings.encrypt);
    if (keyrings.decrypt) decryptCmm = new NodeDefaultCryptographicMaterialsManager(keyrings.decrypt);
  } else {
    const maxAge = cacheOptions.maxAge ?? 300_000;
    requireOption(
      typeof maxAge === 'number' && Number.isInteger(maxAge) && maxAge >= 1000 && maxAge <= 3_600_000,
      'cache.maxAge',
      'milliseconds from 1000 to 3600000',
    );
    const maxMessagesEncrypted = cacheOptions.maxMessagesEncrypted ?? 1000;
    requireOption(
      isPositiveInt(maxMessagesEncrypted, 2 ** 32),
      'cache.maxMessagesEncrypted',
      'an integer from 1 to 2^32',
    );
    const capacity = cacheOptions.capacity ?? 100;
    requireOption(isPositiveInt(capacity, 100_000), 'cache.capacity', 'an integer from 1 to 100000');
    const cache = getLocalCryptographicMaterialsCache(capacity);
    const caching = (keyring: KeyringNode) =>
      new NodeCachingMaterialsManager({ backingMaterials: keyring, cache, maxAge, maxMessagesEncrypted });
    if (keyrings.encrypt) encryptCmm = caching(keyrings.encrypt);
    if (keyrings.decrypt) decryptCmm = caching(keyrings.decrypt);
  }
  const staticKeys = Object.keys(staticContext);
  const clientOptions = {
    commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
    maxEncryptedDataKeys: maxKeys,
  };
  const client = { ...buildEncrypt(clientOptions), ...buildDecrypt(clientOptions) };

  const bindingContext = (binding: FieldBinding): Record<string, string> => {
    if (typeof binding !== 'object' || binding === null) {
      throw new EnvelopeError(
        EnvelopeErrorCode.INVALID_BINDING,
        'A binding { contactId, field } is required',
      );
    }
    if (typeof binding.contactId !== 'string' || !CONTACT_ID.test(binding.contactId)) {
      throw new EnvelopeError(
        EnvelopeErrorCode.INVALID_BINDING,
        'Invalid binding: contactId must match [A-Za-z0-9._:-]{1,128}',
      );
    }
    if (typeof binding.field !== 'string' || !FIELD.test(binding.field)) {
      throw new EnvelopeError(
        EnvelopeErrorCode.INVALID_BINDING,
        'Invalid binding: field must match [A-Za-z0-9._-]{1,64}',
      );
    }
    const extra = validateCallerContext(binding.context, 'binding context');
    for (const key of Object.keys(extra)) {
      if (key in staticContext) {
        throw new EnvelopeError(
          EnvelopeErrorCode.INVALID_CONTEXT,
          `Invalid binding context: key "${key}" is already in the static context`,
        );
      }
    }
    return { ...staticContext, ...extra, [CONTACT_ID_KEY]: binding.contactId, [FIELD_KEY]: binding.field };
  };

  return {
    canEncrypt: encryptCmm !== undefined,
    canDecrypt: decryptCmm !== undefined,

    async encrypt(plaintext, binding) {
      if (!encryptCmm) {
        throw new EnvelopeError(
          EnvelopeErrorCode.NOT_CONFIGURED,
          'No key to encrypt with: set keyring.generatorKeyId or a public key',
        );
      }
      const value = isSensitive(plaintext) ? plaintext.reveal() : plaintext;
      if (typeof value !== 'string' || value.length === 0) {
        throw new EnvelopeError(EnvelopeErrorCode.INVALID_PLAINTEXT, 'Plaintext must be a non-empty string');
      }
      const context = bindingContext(binding);
      const bytes = Buffer.from(value, 'utf8');
      try {
        if (bytes.length > maxPlaintextBytes) {
          throw new EnvelopeError(
            EnvelopeErrorCode.INVALID_PLAINTEXT,
            `Plaintext exceeds maxPlaintextBytes (${maxPlaintextBytes})`,
          );
        }
        // Uncached mode needs no rebinding: the full context goes to KMS as is.
        const cmm = mode === 'kms' ? encryptCmm : new BindingMaterialsManager(encryptCmm, mode, staticKeys);
        const { result } = await client.encrypt(cmm, bytes, {
          suiteId,
          encryptionContext: mode === 'header' ? { ...context, [BINDING_KEY]: mode } : context,
        });
        const text = toBase64Url(result);
        if (text.length > maxCiphertextLength) {
          throw new EnvelopeError(
            EnvelopeErrorCode.ENCRYPT_FAILED,
            `Ciphertext exceeds maxCiphertextLength (${maxCiphertextLength})`,
          );
        }
        logger.debug('envelope-encrypt: encrypted', { field: binding.field, mode, chars: text.length });
        return text;
      } catch (error) {
        const mapped = mapCryptoError(error, 'encrypt');
        logger.warn('envelope-encrypt: encrypt failed', { field: binding.field, code: mapped.code });
        throw mapped;
      } finally {
        bytes.fill(0);
      }
    },

    async decrypt(ciphertext, binding) {
      if (!decryptCmm) {
        throw new EnvelopeError(
          EnvelopeErrorCode.NOT_CONFIGURED,
          'No key to decrypt with: set keyring.decryptKeyArns, discoveryFilter or a private key',
        );
      }
      const expected = bindingContext(binding);
      if (
        typeof ciphertext !== 'string' ||
        ciphertext.length === 0 ||
        ciphertext.length > maxCiphertextLength
      ) {
        throw new EnvelopeError(
          EnvelopeErrorCode.MALFORMED_CIPHERTEXT,
          `Ciphertext must be 1 to ${maxCiphertextLength} base64url characters`,
        );
      }
      const bytes = fromBase64Url(ciphertext);
      if (!bytes)
        throw new EnvelopeError(
          EnvelopeErrorCode.MALFORMED_CIPHERTEXT,
          'Ciphertext is not unpadded base64url',
        );
      let plaintext: Buffer | undefined;
      try {
        const cmm = new BindingMaterialsManager(decryptCmm, mode, staticKeys, expected);
        const out = await client.decrypt(cmm, bytes, { maxBodySize: maxPlaintextBytes });
        plaintext = out.plaintext;
        // Defence in depth: the materials manager already checked this before unwrapping the key.
        if (
          contextMismatches(expected, out.messageHeader.encryptionContext as EncryptionContext).length > 0
        ) {
          throw new EnvelopeError(
            EnvelopeErrorCode.CONTEXT_MISMATCH,
            'Encryption context does not match the expected binding',
          );
        }
        logger.debug('envelope-encrypt: decrypted', { field: binding.field });
        return sensitive(plaintext.toString('utf8'));
      } catch (error) {
        const mapped = mapCryptoError(error, 'decrypt');
        logger.warn('envelope-encrypt: decrypt failed', { field: binding.field, code: mapped.code });
        throw mapped;
      } finally {
        plaintext?.fill(0);
      }
    },

    inspect(ciphertext) {
      if (typeof ciphertext !== 'string' || ciphertext.length > maxCiphertextLength) {
        throw new EnvelopeError(
          EnvelopeErrorCode.MALFORMED_CIPHERTEXT,
          `Ciphertext must be at most ${maxCiphertextLength} characters`,
        );
      }
      const bytes = fromBase64Url(ciphertext);
      if (!bytes || bytes.length === 0) {
        throw new EnvelopeError(
          EnvelopeErrorCode.MALFORMED_CIPHERTEXT,
          'Ciphertext is not unpadded base64url',
        );
      }
      return inspectMessage(bytes, maxKeys);
    },
  };
}
