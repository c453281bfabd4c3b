import { createPrivateKey, KeyObject } from 'node:crypto';
import { buildDecrypt } from '@aws-crypto/decrypt-node';
import { CommitmentPolicy } from '@aws-crypto/material-management-node';
import { RawRsaKeyringNode } from '@aws-crypto/raw-rsa-keyring-node';
import { type Logger, type Sensitive, sensitive, silentLogger } from '@secblocks/core';
import { fromAnyBase64 } from './base64url.js';
import { EnvelopeError, EnvelopeErrorCode, isEnvelopeError, requireOption } from './errors.js';
import type { FieldEncryptor } from './field-encryptor.js';
import { mapCryptoError } from './kms-errors.js';
import { inspectMessage } from './message-header.js';
import { stringMap } from './sensitive-slots.js';

/**
 * The Amazon Connect "Invoke AWS Lambda function" event (the fields this package reads).
 * @see https://docs.aws.amazon.com/connect/latest/adminguide/connect-lambda-functions.html
 */
export interface ConnectContactFlowEvent {
  Name?: 'ContactFlowEvent';
  Details: {
    ContactData: {
      ContactId: string;
      InitialContactId?: string;
      PreviousContactId?: string;
      Channel?: string;
      InstanceARN?: string;
      Attributes?: Record<string, string>;
      [key: string]: unknown;
    };
    Parameters?: Record<string, string>;
  };
}

/** The flat STRING_MAP response of {@link createConnectDecryptHandler} (alphanumerics, `-`, `_` only). */
export type ConnectDecryptResponse =
  | { status: 'OK'; last4: string; length: string }
  | { status: 'OK'; value: string }
  | { status: 'DENIED' }
  | { status: 'ERROR' };

/** What the `authorize` hook is asked about. */
export interface ConnectDecryptRequest {
  /** The whole event (contact data, instance ARN, parameters). */
  event: ConnectContactFlowEvent;
  /** The contact ID the ciphertext must be bound to. */
  contactId: string;
  /** The field being decrypted. */
  field: string;
}

/** Options of {@link createConnectDecryptHandler}. */
export interface ConnectDecryptHandlerOptions {
  /** An encryptor with decrypt keys (a decrypt-only role). */
  encryptor: FieldEncryptor;
  /** Fields this handler may decrypt; `Details.Parameters.field` picks one (optional when there is one). */
  fields: readonly string[];
  /**
   * Decides whether this request may decrypt (e.g. check the instance ARN, queue, or an agent attribute).
   * Required: pass `() => true` explicitly to allow every request.
   */
  authorize: (request: ConnectDecryptRequest) => boolean | Promise<boolean>;
  /** Parameter holding the ciphertext. @defaultValue `'encrypted'` */
  ciphertextParameter?: string;
  /**
   * Which contact ID the ciphertext is bound to: the current contact, or the initial one when the value
   * was captured before a transfer.
   * @defaultValue `'ContactId'`
   */
  contactIdFrom?: 'ContactId' | 'InitialContactId';
  /**
   * Return the full plaintext to the flow instead of its last four characters. The value then reaches
   * contact attributes and flow logs if the flow copies or logs it: leave off unless you must.
   * @defaultValue `false`
   */
  dangerouslyRevealPlaintext?: boolean;
  /** Receives reason codes, contact IDs and fields, never values. @defaultValue silent */
  logger?: Logger;
}

/** A Connect Invoke-Lambda handler. */
export type ConnectDecryptHandler = (event: ConnectContactFlowEvent) => Promise<ConnectDecryptResponse>;

/**
 * Creates the operator-side decrypt Lambda for Amazon Connect: reads the ciphertext from
 * `Details.Parameters`, binds it to `Details.ContactData.ContactId`, asks `authorize`, and answers a
 * flat STRING_MAP: `{ status: 'OK', last4, length }` by default (masked), `{ status: 'DENIED' }` or
 * `{ status: 'ERROR' }`. The reason goes to the logger as a code; the event is never logged.
 *
 * @param options - Encryptor, allowed fields, authorization hook, parameter names, reveal switch, logger.
 * @returns The Lambda handler; it never throws to Connect.
 * @throws {@link EnvelopeError} `INVALID_OPTION` naming the bad option (at creation only).
 * @example
 * ```ts
 * export const handler = createConnectDecryptHandler({
 *   encryptor,
 *   fields: ['CardNumber'],
 *   authorize: ({ event }) => event.Details.ContactData.InstanceARN === process.env.INSTANCE_ARN,
 * });
 * ```
 */
export function createConnectDecryptHandler(options: ConnectDecryptHandlerOptions): ConnectDecryptHandler {
  requireOption(typeof options === 'object' && options !== null, 'options', 'an options object');
  requireOption(
    typeof options.encryptor === 'object' &&
      options.encryptor !== null &&
      options.encryptor.canDecrypt === true,
    'encryptor',
    'a FieldEncryptor configured with keys to decrypt with',
  );
  requireOption(
    Array.isArray(options.fields) &&
      options.fields.length > 0 &&
      options.fields.every((f) => typeof f === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(f)),
    'fields',
    'a non-empty array of field names',
  );
  requireOption(
    typeof options.authorize === 'function',
    'authorize',
    'a function (pass () => true to allow all)',
  );
  const parameter = options.ciphertextParameter ?? 'encrypted';
  requireOption(
    typeof parameter === 'string' && parameter.length > 0,
    'ciphertextParameter',
    'a parameter name',
  );
  const contactIdFrom = options.contactIdFrom ?? 'ContactId';
  requireOption(
    contactIdFrom === 'ContactId' || contactIdFrom === 'InitialContactId',
    'contactIdFrom',
    "'ContactId' or 'InitialContactId'",
  );
  const reveal = options.dangerouslyRevealPlaintext === true;
  const logger = options.logger ?? silentLogger;
  const fields = [...options.fields];

  return async (event) => {
    let contactId: string | undefined;
    let field: string | undefined;
    try {
      const details = event?.Details;
      if (typeof details !== 'object' || details === null) throw malformedEvent('Details');
      const contact = details.ContactData;
      if (typeof contact !== 'object' || contact === null) throw malformedEvent('Details.ContactData');
      contactId = contact[contactIdFrom];
      if (typeof contactId !== 'string' || contactId.length === 0)
        throw malformedEvent(`Details.ContactData.${contactIdFrom}`);
      const params = stringMap(details.Parameters);
      field = params.field ?? (fields.length === 1 ? fields[0] : undefined);
      if (field === undefined || !fields.includes(field)) throw malformedEvent('Details.Parameters.field');
      const ciphertext = params[parameter];
      if (ciphertext === undefined || ciphertext.length === 0)
        throw malformedEvent(`Details.Parameters.${parameter}`);
      if (!(await options.authorize({ event, contactId, field }))) {
        throw new EnvelopeError(EnvelopeErrorCode.UNAUTHORIZED, 'authorize refused the request');
      }
      const plaintext = await options.encryptor.decrypt(ciphertext, { contactId, field });
      logger.info('envelope-encrypt: connect decrypt', { contactId, field, revealed: reveal });
      if (reveal) return { status: 'OK', value: plaintext.reveal() };
      const value = plaintext.reveal();
      return { status: 'OK', last4: value.length > 4 ? value.slice(-4) : '', length: String(value.length) };
    } catch (error) {
      const code = isEnvelopeError(error) ? error.code : 'UNEXPECTED';
      logger.warn('envelope-encrypt: connect decrypt refused', { contactId, field, code });
      return code === EnvelopeErrorCode.UNAUTHORIZED ? { status: 'DENIED' } : { status: 'ERROR' };
    }
  };
}

const malformedEvent = (what: string) =>
  new EnvelopeError(EnvelopeErrorCode.MALFORMED_EVENT, `Malformed event: ${what}`);

/** A private key for Connect's "Encrypt entry", with the security-key ID Connect shows for it. */
export interface ConnectPrivateKey {
  /** The Connect security key ID (the `EncryptionKeyId` of the flow block; the message's key name). */
  keyId: string;
  /** The RSA private key matching the uploaded public key: PEM or a pre-parsed `KeyObject`. */
  privateKey: string | Buffer | KeyObject;
}

/** Options of {@link createConnectStoredInputDecryptor}. */
export interface ConnectStoredInputOptions {
  /** One key, or both active keys during a rotation (Connect allows two). */
  keys: ConnectPrivateKey | readonly ConnectPrivateKey[];
  /** Largest plaintext accepted, in bytes. @defaultValue `1024` */
  maxPlaintextBytes?: number;
}

/** Decrypts Connect "Encrypt entry" values; see {@link createConnectStoredInputDecryptor}. */
export type ConnectStoredInputDecryptor = (ciphertext: string) => Promise<Sensitive<string>>;

/** Key namespace (provider ID) Amazon Connect writes into its encrypted stored input. */
export const CONNECT_KEY_NAMESPACE = 'AmazonConnect';

/**
 * Creates a decryptor for ciphertext produced by Amazon Connect's own "Store customer input → Encrypt
 * entry": an Encryption SDK message with a raw RSA data key (key namespace `AmazonConnect`, key name =
 * the Connect security-key ID, OAEP with SHA-512 and MGF1) under a non-committing suite. This path
 * alone allows non-committed messages (`REQUIRE_ENCRYPT_ALLOW_DECRYPT`). Private keys are parsed once.
 * With two keys (rotation) the one the message names is used. Errors name the mismatch (namespace, key
 * ID, wrong private key or hash) instead of the SDK's "unencryptedDataKey has not been set".
 *
 * @param options - The key(s) and a size limit.
 * @returns A function decrypting one value (base64 or base64url) to a `Sensitive<string>`.
 * @throws {@link EnvelopeError} `INVALID_OPTION` for a bad key; the returned function throws
 *   `MALFORMED_CIPHERTEXT`, `KEY_MISMATCH`, `DECRYPT_FAILED`, `POLICY_VIOLATION`.
 * @see https://docs.aws.amazon.com/connect/latest/adminguide/encrypt-data.html
 * @example
 * ```ts
 * const decryptStoredInput = createConnectStoredInputDecryptor({
 *   keys: [{ keyId: process.env.CONNECT_KEY_ID!, privateKey: pem }],
 * });
 * const pin = await decryptStoredInput(event.Details.Parameters.storedInput);
 * ```
 */
export function createConnectStoredInputDecryptor(
  options: ConnectStoredInputOptions,
): ConnectStoredInputDecryptor {
  requireOption(typeof options === 'object' && options !== null, 'options', 'an options object');
  const list = Array.isArray(options.keys) ? options.keys : [options.keys as ConnectPrivateKey];
  requireOption(
    list.length >= 1 && list.length <= 2,
    'keys',
    'one or two { keyId, privateKey } (Connect allows two active keys)',
  );
  const maxPlaintextBytes = options.maxPlaintextBytes ?? 1024;
  requireOption(
    Number.isInteger(maxPlaintextBytes) && maxPlaintextBytes >= 1 && maxPlaintextBytes <= 1 << 20,
    'maxPlaintextBytes',
    'an integer from 1 to 1048576',
  );
  const keyrings = new Map<string, RawRsaKeyringNode>();
  list.forEach((key, i) => {
    requireOption(
      typeof key === 'object' &&
        key !== null &&
        typeof key.keyId === 'string' &&
        /^[\x21-\x7e]{1,256}$/.test(key.keyId),
      `keys[${i}].keyId`,
      'the Connect security key ID',
    );
    let privateKey: KeyObject;
    try {
      privateKey = key.privateKey instanceof KeyObject ? key.privateKey : createPrivateKey(key.privateKey);
    } catch {
      privateKey = undefined as never;
    }
    requireOption(
      privateKey !== undefined && privateKey.type === 'private' && privateKey.asymmetricKeyType === 'rsa',
      `keys[${i}].privateKey`,
      'an RSA private key (PEM or KeyObject)',
    );
    keyrings.set(
      key.keyId,
      new RawRsaKeyringNode({
        keyNamespace: CONNECT_KEY_NAMESPACE,
        keyName: key.keyId,
        rsaKey: { privateKey: privateKey as never },
        oaepHash: 'sha512',
      }),
    );
  });
  // Connect's messages do not commit to their key; this client is used for them and nothing else.
  const client = buildDecrypt({
    commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT,
    maxEncryptedDataKeys: 2,
  });
  const configured = [...keyrings.keys()];

  return async (ciphertext) => {
    const bytes =
      typeof ciphertext === 'string' && ciphertext.length <= 16_384 ? fromAnyBase64(ciphertext) : undefined;
    if (!bytes || bytes.length === 0) {
      throw new EnvelopeError(
        EnvelopeErrorCode.MALFORMED_CIPHERTEXT,
        'Ciphertext is not base64 (or longer than 16384 characters)',
      );
    }
    const info = inspectMessage(bytes, 2);
    const connectKeys = info.encryptedDataKeys.filter((k) => k.providerId === CONNECT_KEY_NAMESPACE);
    if (connectKeys.length === 0) {
      const namespaces = [...new Set(info.encryptedDataKeys.map((k) => k.providerId))].join(', ');
      throw new EnvelopeError(
        EnvelopeErrorCode.KEY_MISMATCH,
        `Message was encrypted for key namespace ${namespaces}; expected ${CONNECT_KEY_NAMESPACE}`,
      );
    }
    const matching = connectKeys.map((k) => k.providerInfo).filter((id) => keyrings.has(id));
    if (matching.length === 0) {
      throw new EnvelopeError(
        EnvelopeErrorCode.KEY_MISMATCH,
        `Message was encrypted for Connect key ID ${connectKeys.map((k) => k.providerInfo).join(', ')}; configured ${configured.join(', ')}`,
      );
    }
    let plaintext: Buffer | undefined;
    try {
      const keyring = keyrings.get(matching[0] as string) as RawRsaKeyringNode;
      const out = await client.decrypt(keyring, bytes, { maxBodySize: maxPlaintextBytes });
      plaintext = out.plaintext;
      return sensitive(plaintext.toString('utf8'));
    } catch (error) {
      if (error instanceof Error && /unencryptedDataKey has not been set/.test(error.message)) {
        throw new EnvelopeError(
          EnvelopeErrorCode.KEY_MISMATCH,
          `The private key for Connect key ID ${matching[0]} could not unwrap the data key: wrong private key, or not OAEP with SHA-512`,
          { cause: error },
        );
      }
      throw mapCryptoError(error, 'decrypt');
    } finally {
      plaintext?.fill(0);
    }
  };
}

/**
 * Decrypts one value from Connect's "Encrypt entry" (see {@link createConnectStoredInputDecryptor}, which
 * parses the keys once and is the better choice inside a Lambda handler).
 *
 * @param ciphertext - The stored customer input, base64.
 * @param options - `{ keys }`, or one `{ keyId, privateKey }`.
 * @returns The plaintext as `Sensitive<string>`.
 * @throws {@link EnvelopeError} `INVALID_OPTION`, `MALFORMED_CIPHERTEXT`, `KEY_MISMATCH`, `DECRYPT_FAILED`.
 * @example
 * ```ts
 * const pin = await decryptConnectStoredInput(stored, { keyId: 'c1a2…', privateKey: pem });
 * ```
 */
export function decryptConnectStoredInput(
  ciphertext: string,
  options: ConnectStoredInputOptions | ConnectPrivateKey,
): Promise<Sensitive<string>> {
  const normalized: ConnectStoredInputOptions =
    typeof options === 'object' && options !== null && 'keys' in options
      ? options
      : { keys: options as ConnectPrivateKey };
  return createConnectStoredInputDecryptor(normalized)(ciphertext);
}
