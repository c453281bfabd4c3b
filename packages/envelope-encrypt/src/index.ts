export {
  CONNECT_KEY_NAMESPACE,
  type ConnectContactFlowEvent,
  type ConnectDecryptHandler,
  type ConnectDecryptHandlerOptions,
  type ConnectDecryptRequest,
  type ConnectDecryptResponse,
  type ConnectPrivateKey,
  type ConnectStoredInputDecryptor,
  type ConnectStoredInputOptions,
  createConnectDecryptHandler,
  createConnectStoredInputDecryptor,
  decryptConnectStoredInput,
} from './connect.js';
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
export {
  type BuiltInValidator,
  isValidPan,
  isValidZip,
  luhnCheck,
  maskValue,
  normalizeSpokenDigits,
  type SlotValidator,
} from './input-validation.js';
export type {
  KeyringOptions,
  KmsClientProvider,
  KmsKeyringOptions,
  RawAesKeyringOptions,
  RawRsaKeyringOptions,
} from './keyrings.js';
export {
  createLexV1Handler,
  type LexV1Event,
  type LexV1Handler,
  type LexV1HandlerOptions,
  type LexV1Response,
} from './lex-v1.js';
export {
  createLexV2Handler,
  type LexV2Event,
  type LexV2Handler,
  type LexV2HandlerOptions,
  type LexV2Intent,
  type LexV2Message,
  type LexV2Response,
  type LexV2SessionState,
  type LexV2Slot,
  type LexV2SlotValue,
} from './lex-v2.js';
export { type EncryptedDataKeyInfo, inspectCiphertext, type MessageInfo } from './message-header.js';
export type { LexHandlerOptions, SensitiveSlotOptions } from './sensitive-slots.js';
