export {
  BINDING_KEY,
  CONTACT_ID_KEY,
  type EncryptionContext,
  FIELD_KEY,
  PUBLIC_KEY_CONTEXT_KEY,
  RESERVED_PREFIX,
} from './encryption-context.js';
export { EnvelopeError, EnvelopeErrorCode, isEnvelopeError } from './errors.js';
export {
  type CacheOptions,
  createFieldEncryptor,
  type FieldBinding,
  type FieldEncryptor,
  type FieldEncryptorOptions,
  type FieldSuiteId,
} from './field-encryptor.js';
export type {
  KeyringOptions,
  KmsClientProvider,
  KmsKeyringOptions,
  RawAesKeyringOptions,
  RawRsaKeyringOptions,
} from './keyrings.js';
export { type EncryptedDataKeyInfo, inspectCiphertext, type MessageInfo } from './message-header.js';
