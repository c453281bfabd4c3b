import { constants, generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  AlgorithmSuiteIdentifier,
  buildClient,
  CommitmentPolicy,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
} from '@aws-crypto/client-node';
import { isSensitive } from '@secblocks/core';
import { assertNoSentinel, createMemoryLogger, createSentinel } from '@secblocks/core/testing';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFieldEncryptor, EnvelopeErrorCode, inspectCiphertext, isEnvelopeError } from '../src/index.js';
import { type KmsEmulator, startKmsEmulator } from '../src/testing/index.js';
import { contactId, randomPan, rejection, thrown } from './helpers.js';

let kms: KmsEmulator;
beforeAll(async () => {
  kms = await startKmsEmulator();
});
afterAll(() => kms.close());
afterEach(() => {
  vi.useRealTimers();
});

const kmsEncryptor = (keyArn: string, extra: Record<string, unknown> = {}) =>
  createFieldEncryptor({
    keyring: { kind: 'kms', generatorKeyId: keyArn, clientProvider: kms.clientProvider() },
    ...extra,
  });

const aesKey = randomBytes(32);
const aesEncryptor = (extra: Record<string, unknown> = {}) =>
  createFieldEncryptor({
    keyring: { kind: 'raw-aes', keyNamespace: 'ivr', keyName: 'k1', wrappingKey: aesKey },
    ...extra,
  });

describe('createFieldEncryptor', () => {
  it('round-trips a card number through the real KMS client with one KMS call each way', async () => {
    const enc = kmsEncryptor(kms.createKey());
    const binding = { contactId: contactId(), field: 'cardNumber' };
    const pan = randomPan();
    kms.resetCalls();

    const ciphertext = await enc.encrypt(pan, binding);
    const plaintext = await enc.decrypt(ciphertext, binding);

    expect(plaintext.reveal()).toBe(pan);
    expect(kms.count('GenerateDataKey')).toBe(1);
    expect(kms.count('Decrypt')).toBe(1);
    expect(kms.count()).toBe(2);
  });

  it('decrypts the same message repeatedly: the emulator returns a fresh data key each time', async () => {
    // The Encryption SDK zeroes the data key it received after use; a KMS fake that hands out the same
    // buffer twice makes the second decrypt fail. Over HTTP every response is a new buffer.
    const enc = kmsEncryptor(kms.createKey());
    const binding = { contactId: contactId(), field: 'zip' };
    const ciphertext = await enc.encrypt('02139', binding);
    kms.resetCalls();
    for (let i = 0; i < 3; i++) expect((await enc.decrypt(ciphertext, binding)).reveal()).toBe('02139');
    expect(kms.count('Decrypt')).toBe(3);
  });

  it('emits unpadded base64url of the committing unsigned suite with exactly one data key', async () => {
    const keyArn = kms.createKey();
    const enc = kmsEncryptor(keyArn);
    const ciphertext = await enc.encrypt(randomPan(), { contactId: contactId(), field: 'cardNumber' });

    const info = inspectCiphertext(ciphertext);
    expect(ciphertext).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(info.suiteId).toBe('0x0478');
    expect(info.committing).toBe(true);
    expect(info.signed).toBe(false);
    expect(info.encryptedDataKeys).toEqual([{ providerId: 'aws-kms', providerInfo: keyArn, bytes: 167 }]);
    expect(ciphertext.length).toBeLessThanOrEqual(640);
  });

  it('returns a Sensitive value that prints redacted when decrypting', async () => {
    const enc = aesEncryptor();
    const binding = { contactId: contactId(), field: 'zip' };
    const result = await enc.decrypt(await enc.encrypt('02139', binding), binding);
    expect(isSensitive(result)).toBe(true);
    expect(String(result)).toBe('[REDACTED]');
    expect(JSON.stringify({ result })).toBe('{"result":"[REDACTED]"}');
    expect(result.reveal()).toBe('02139');
  });

  it('refuses to decrypt into another contact without calling KMS', async () => {
    const enc = kmsEncryptor(kms.createKey());
    const ciphertext = await enc.encrypt(randomPan(), { contactId: contactId(), field: 'cardNumber' });
    kms.resetCalls();
    const error = await rejection(enc.decrypt(ciphertext, { contactId: contactId(), field: 'cardNumber' }));
    expect(error.code).toBe(EnvelopeErrorCode.CONTEXT_MISMATCH);
    expect(error.message).toContain('contactId');
    expect(kms.count()).toBe(0);
  });

  it('refuses to decrypt into another field', async () => {
    const enc = kmsEncryptor(kms.createKey());
    const id = contactId();
    const ciphertext = await enc.encrypt('02139', { contactId: id, field: 'zip' });
    const error = await rejection(enc.decrypt(ciphertext, { contactId: id, field: 'cardNumber' }));
    expect(error.code).toBe(EnvelopeErrorCode.CONTEXT_MISMATCH);
  });

  it('refuses a message that carries context keys the decryptor does not expect', async () => {
    const writer = aesEncryptor({ context: { app: 'ivr', tenant: 'blue' } });
    const reader = aesEncryptor({ context: { app: 'ivr' } });
    const binding = { contactId: contactId(), field: 'zip' };
    const error = await rejection(reader.decrypt(await writer.encrypt('02139', binding), binding));
    expect(error.code).toBe(EnvelopeErrorCode.CONTEXT_MISMATCH);
    expect(error.message).toContain('tenant');
  });

  it('refuses a message missing an expected static context pair', async () => {
    const writer = aesEncryptor();
    const reader = aesEncryptor({ context: { app: 'ivr' } });
    const binding = { contactId: contactId(), field: 'zip' };
    const error = await rejection(reader.decrypt(await writer.encrypt('02139', binding), binding));
    expect(error.code).toBe(EnvelopeErrorCode.CONTEXT_MISMATCH);
  });

  it('binds extra per-value context pairs checked on decrypt', async () => {
    const enc = aesEncryptor();
    const binding = { contactId: contactId(), field: 'zip', context: { purpose: 'verify' } };
    const ciphertext = await enc.encrypt('02139', binding);
    expect((await enc.decrypt(ciphertext, binding)).reveal()).toBe('02139');
    const error = await rejection(enc.decrypt(ciphertext, { ...binding, context: { purpose: 'refund' } }));
    expect(error.code).toBe(EnvelopeErrorCode.CONTEXT_MISMATCH);
  });

  it('rejects static context keys with the reserved aws-crypto- prefix', () => {
    const error = thrown(() => aesEncryptor({ context: { 'aws-crypto-foo': 'x' } }));
    expect(error.code).toBe(EnvelopeErrorCode.INVALID_OPTION);
    expect(error.message).toContain('aws-crypto-');
  });

  it('rejects per-value context keys with the reserved aws-crypto- prefix', async () => {
    const error = await rejection(
      aesEncryptor().encrypt('1', { contactId: 'c', field: 'f', context: { 'aws-crypto-public-key': 'x' } }),
    );
    expect(error.code).toBe(EnvelopeErrorCode.INVALID_CONTEXT);
  });

  it('rejects context keys reserved for the binding', () => {
    for (const key of ['contactId', 'field', 'binding']) {
      expect(thrown(() => aesEncryptor({ context: { [key]: 'x' } })).code).toBe(
        EnvelopeErrorCode.INVALID_OPTION,
      );
    }
  });

  it('rejects a missing or malformed binding', async () => {
    const enc = aesEncryptor();
    expect((await rejection(enc.encrypt('1', { contactId: '', field: 'f' }))).code).toBe(
      EnvelopeErrorCode.INVALID_BINDING,
    );
    expect((await rejection(enc.encrypt('1', { contactId: 'c', field: 'a b' }))).code).toBe(
      EnvelopeErrorCode.INVALID_BINDING,
    );
    expect((await rejection(enc.encrypt('1', undefined as never))).code).toBe(
      EnvelopeErrorCode.INVALID_BINDING,
    );
  });

  it('rejects empty and oversized plaintext', async () => {
    const enc = aesEncryptor({ maxPlaintextBytes: 32 });
    const binding = { contactId: 'c', field: 'f' };
    expect((await rejection(enc.encrypt('', binding))).code).toBe(EnvelopeErrorCode.INVALID_PLAINTEXT);
    expect((await rejection(enc.encrypt('x'.repeat(33), binding))).code).toBe(
      EnvelopeErrorCode.INVALID_PLAINTEXT,
    );
  });

  it('rejects non-base64url, padded and oversized ciphertext as malformed', async () => {
    const enc = aesEncryptor({ maxCiphertextLength: 2000 });
    const binding = { contactId: 'c', field: 'f' };
    const good = await enc.encrypt('12345', binding);
    for (const bad of [
      `${good}=`,
      good.replace(/-/g, '+').replace(/_/g, '/').concat('+'),
      'not base64!',
      'A'.repeat(2001),
      '',
    ]) {
      expect((await rejection(enc.decrypt(bad, binding))).code).toBe(EnvelopeErrorCode.MALFORMED_CIPHERTEXT);
    }
  });

  it('rejects a truncated ciphertext', async () => {
    const enc = aesEncryptor();
    const binding = { contactId: 'c', field: 'f' };
    const good = await enc.encrypt('12345', binding);
    for (const cut of [10, 200, good.length - 8]) {
      const error = await rejection(enc.decrypt(good.slice(0, cut - (cut % 4)), binding));
      expect([EnvelopeErrorCode.MALFORMED_CIPHERTEXT, EnvelopeErrorCode.DECRYPT_FAILED]).toContain(
        error.code,
      );
    }
  });

  it('rejects a ciphertext whose body was tampered with', async () => {
    const enc = aesEncryptor();
    const binding = { contactId: 'c', field: 'f' };
    const bytes = Buffer.from(await enc.encrypt('12345', binding), 'base64url');
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] as number) ^ 1;
    const error = await rejection(enc.decrypt(bytes.toString('base64url'), binding));
    expect(error.code).toBe(EnvelopeErrorCode.DECRYPT_FAILED);
  });

  it('fails with KEY_MISMATCH when decrypting under another KMS key', async () => {
    const ciphertext = await kmsEncryptor(kms.createKey()).encrypt('02139', { contactId: 'c', field: 'zip' });
    const other = kmsEncryptor(kms.createKey());
    const error = await rejection(other.decrypt(ciphertext, { contactId: 'c', field: 'zip' }));
    expect(error.code).toBe(EnvelopeErrorCode.KEY_MISMATCH);
  });

  it('encrypts with an alias generator and decrypts only with key ARNs', async () => {
    const keyArn = kms.createKey({ alias: 'alias/ivr-input' });
    const writer = createFieldEncryptor({
      keyring: { kind: 'kms', generatorKeyId: 'alias/ivr-input', clientProvider: kms.clientProvider() },
    });
    const reader = createFieldEncryptor({
      keyring: { kind: 'kms', decryptKeyArns: [keyArn], clientProvider: kms.clientProvider() },
    });
    const binding = { contactId: 'c', field: 'zip' };
    const ciphertext = await writer.encrypt('02139', binding);
    expect(writer.canDecrypt).toBe(false);
    expect((await rejection(writer.decrypt(ciphertext, binding))).code).toBe(
      EnvelopeErrorCode.NOT_CONFIGURED,
    );
    expect(reader.canEncrypt).toBe(false);
    expect((await rejection(reader.encrypt('1', binding))).code).toBe(EnvelopeErrorCode.NOT_CONFIGURED);
    expect((await reader.decrypt(ciphertext, binding)).reveal()).toBe('02139');
  });

  it('rejects alias ARNs as decrypt keys', () => {
    const error = thrown(() =>
      createFieldEncryptor({
        keyring: { kind: 'kms', decryptKeyArns: ['arn:aws:kms:us-east-1:111122223333:alias/ivr'] },
      }),
    );
    expect(error.code).toBe(EnvelopeErrorCode.INVALID_OPTION);
    expect(error.message).toContain('keyring.decryptKeyArns');
  });

  it('writes one data key per configured key and enforces maxEncryptedDataKeys on decrypt', async () => {
    const a = kms.createKey();
    const b = kms.createKey();
    const writer = createFieldEncryptor({
      keyring: {
        kind: 'kms',
        generatorKeyId: a,
        additionalKeyIds: [b],
        clientProvider: kms.clientProvider(),
      },
    });
    const binding = { contactId: 'c', field: 'zip' };
    kms.resetCalls();
    const ciphertext = await writer.encrypt('02139', binding);
    expect(kms.count('GenerateDataKey')).toBe(1);
    expect(kms.count('Encrypt')).toBe(1);
    expect(inspectCiphertext(ciphertext).encryptedDataKeys.map((k) => k.providerInfo)).toEqual([a, b]);
    expect((await writer.decrypt(ciphertext, binding)).reveal()).toBe('02139');

    const strict = createFieldEncryptor({
      keyring: { kind: 'kms', decryptKeyArns: [b], clientProvider: kms.clientProvider() },
      maxEncryptedDataKeys: 1,
    });
    expect((await rejection(strict.decrypt(ciphertext, binding))).code).toBe(
      EnvelopeErrorCode.POLICY_VIOLATION,
    );
  });

  it('decrypts in discovery mode only for keys in the filtered accounts', async () => {
    const ciphertext = await kmsEncryptor(kms.createKey()).encrypt('02139', { contactId: 'c', field: 'zip' });
    const allowed = createFieldEncryptor({
      keyring: {
        kind: 'kms',
        discoveryFilter: { accountIds: ['111122223333'], partition: 'aws' },
        clientProvider: kms.clientProvider(),
      },
    });
    const other = createFieldEncryptor({
      keyring: {
        kind: 'kms',
        discoveryFilter: { accountIds: ['444455556666'], partition: 'aws' },
        clientProvider: kms.clientProvider(),
      },
    });
    expect((await allowed.decrypt(ciphertext, { contactId: 'c', field: 'zip' })).reveal()).toBe('02139');
    kms.resetCalls();
    expect((await rejection(other.decrypt(ciphertext, { contactId: 'c', field: 'zip' }))).code).toBe(
      EnvelopeErrorCode.KEY_MISMATCH,
    );
    expect(kms.count()).toBe(0);
  });

  it('rejects discovery without a usable filter', () => {
    const error = thrown(() =>
      createFieldEncryptor({
        keyring: { kind: 'kms', discoveryFilter: { accountIds: [], partition: 'aws' } },
      }),
    );
    expect(error.message).toContain('keyring.discoveryFilter');
  });

  it('maps a disabled key to KMS_KEY_UNAVAILABLE', async () => {
    const keyArn = kms.createKey();
    const enc = kmsEncryptor(keyArn);
    const ciphertext = await enc.encrypt('02139', { contactId: 'c', field: 'zip' });
    kms.setKeyEnabled(keyArn, false);
    expect((await rejection(enc.encrypt('02139', { contactId: 'c', field: 'zip' }))).code).toBe(
      EnvelopeErrorCode.KMS_KEY_UNAVAILABLE,
    );
    expect((await rejection(enc.decrypt(ciphertext, { contactId: 'c', field: 'zip' }))).code).toBe(
      EnvelopeErrorCode.KMS_KEY_UNAVAILABLE,
    );
  });

  it('maps AccessDeniedException to KMS_ACCESS_DENIED for an encrypt-only role', async () => {
    const keyArn = kms.createKey({ deny: ['Decrypt'] });
    const enc = kmsEncryptor(keyArn);
    const ciphertext = await enc.encrypt('02139', { contactId: 'c', field: 'zip' });
    expect((await rejection(enc.decrypt(ciphertext, { contactId: 'c', field: 'zip' }))).code).toBe(
      EnvelopeErrorCode.KMS_ACCESS_DENIED,
    );
  });

  it('maps persistent throttling to KMS_THROTTLED after the SDK retries', async () => {
    const keyArn = kms.createKey();
    const enc = createFieldEncryptor({
      keyring: {
        kind: 'kms',
        generatorKeyId: keyArn,
        clientProvider: kms.clientProvider({ maxAttempts: 2 }),
      },
    });
    kms.resetCalls();
    kms.failNext('GenerateDataKey', { type: 'ThrottlingException' }, 2);
    expect((await rejection(enc.encrypt('02139', { contactId: 'c', field: 'zip' }))).code).toBe(
      EnvelopeErrorCode.KMS_THROTTLED,
    );
    expect(kms.count('GenerateDataKey')).toBe(2);
  });

  it('recovers from one throttled call through the SDK retry', async () => {
    const keyArn = kms.createKey();
    const enc = createFieldEncryptor({
      keyring: {
        kind: 'kms',
        generatorKeyId: keyArn,
        clientProvider: kms.clientProvider({ maxAttempts: 3 }),
      },
    });
    kms.resetCalls();
    kms.failNext('GenerateDataKey', { type: 'ThrottlingException' }, 1);
    await enc.encrypt('02139', { contactId: 'c', field: 'zip' });
    expect(kms.count('GenerateDataKey')).toBe(2);
  });

  it('refuses non-committed messages under its commitment policy', async () => {
    const legacy = buildClient(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);
    const keyring = new RawAesKeyringNode({
      keyNamespace: 'ivr',
      keyName: 'k1',
      unencryptedMasterKey: new Uint8Array(aesKey),
      wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
    });
    const { result } = await legacy.encrypt(keyring, '02139', {
      encryptionContext: { contactId: 'c', field: 'zip' },
      suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA256,
    });
    const error = await rejection(
      aesEncryptor().decrypt(result.toString('base64url'), { contactId: 'c', field: 'zip' }),
    );
    expect(error.code).toBe(EnvelopeErrorCode.POLICY_VIOLATION);
  });

  it('round-trips the signed committing suite, allowing only aws-crypto-public-key as extra context', async () => {
    const enc = aesEncryptor({
      suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
    });
    const binding = { contactId: 'c', field: 'zip' };
    const ciphertext = await enc.encrypt('02139', binding);
    const info = inspectCiphertext(ciphertext);
    expect(info.suiteId).toBe('0x0578');
    expect(Object.keys(info.encryptionContext).sort()).toEqual([
      'aws-crypto-public-key',
      'contactId',
      'field',
    ]);
    expect((await enc.decrypt(ciphertext, binding)).reveal()).toBe('02139');
  });

  it('round-trips with raw RSA OAEP keys', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const enc = createFieldEncryptor({
      keyring: {
        kind: 'raw-rsa',
        keyNamespace: 'ivr',
        keyName: 'rsa-1',
        publicKey,
        privateKey,
        oaepHash: 'sha512',
      },
    });
    const binding = { contactId: 'c', field: 'zip' };
    expect((await enc.decrypt(await enc.encrypt('02139', binding), binding)).reveal()).toBe('02139');
  });

  it('refuses RSA PKCS#1 v1.5 padding and SHA-1 OAEP', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const base = { kind: 'raw-rsa', keyNamespace: 'ivr', keyName: 'rsa-1', publicKey } as const;
    const padding = thrown(() =>
      createFieldEncryptor({ keyring: { ...base, padding: constants.RSA_PKCS1_PADDING } }),
    );
    expect(padding.code).toBe(EnvelopeErrorCode.INVALID_OPTION);
    expect(padding.message).toContain('keyring.padding');
    const sha1 = thrown(() => createFieldEncryptor({ keyring: { ...base, oaepHash: 'sha1' as never } }));
    expect(sha1.message).toContain('keyring.oaepHash');
  });

  it('validates every option and names it', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ keyring: undefined }, 'keyring'],
      [{ keyring: { kind: 'vault' } }, 'keyring.kind'],
      [{ keyring: { kind: 'kms' } }, 'keyring'],
      [{ keyring: { kind: 'kms', generatorKeyId: 'not a key!' } }, 'keyring.generatorKeyId'],
      [
        { keyring: { kind: 'raw-aes', keyNamespace: 'n', keyName: 'k', wrappingKey: new Uint8Array(7) } },
        'keyring.wrappingKey',
      ],
      [
        { keyring: { kind: 'raw-aes', keyNamespace: 'aws-kms', keyName: 'k', wrappingKey: aesKey } },
        'keyring.keyNamespace',
      ],
      [
        { keyring: { kind: 'raw-aes', keyNamespace: 'n', keyName: '', wrappingKey: aesKey } },
        'keyring.keyName',
      ],
      [{ keyring: { kind: 'raw-rsa', keyNamespace: 'aws-kms-x', keyName: 'k' } }, 'keyring.keyNamespace'],
      [{ keyring: { kind: 'raw-rsa', keyNamespace: 'n', keyName: 'bad name' } }, 'keyring.keyName'],
      [{ suiteId: 0x0178 }, 'suiteId'],
      [{ maxEncryptedDataKeys: 0 }, 'maxEncryptedDataKeys'],
      [{ maxPlaintextBytes: -1 }, 'maxPlaintextBytes'],
      [{ maxCiphertextLength: 1.5 }, 'maxCiphertextLength'],
      [{ cache: { maxAge: 10 } }, 'cache.maxAge'],
      [{ cache: { maxMessagesEncrypted: 0 } }, 'cache.maxMessagesEncrypted'],
      [{ cache: { capacity: 0 } }, 'cache.capacity'],
      [{ cache: 'yes' }, 'cache'],
    ];
    for (const [options, name] of cases) {
      const error = thrown(() =>
        createFieldEncryptor({
          keyring: { kind: 'raw-aes', keyNamespace: 'n', keyName: 'k', wrappingKey: aesKey },
          ...options,
        } as never),
      );
      expect(isEnvelopeError(error)).toBe(true);
      expect(error.code).toBe(EnvelopeErrorCode.INVALID_OPTION);
      expect(error.message).toContain(`"${name}"`);
    }
  });

  it('never hands the plaintext to its logger, errors or ciphertext', async () => {
    const secret = createSentinel('plaintext');
    const logger = createMemoryLogger();
    const enc = kmsEncryptor(kms.createKey(), { logger });
    const binding = { contactId: 'c', field: 'note' };
    const ciphertext = await enc.encrypt(secret, binding);
    const errors = [
      await rejection(enc.decrypt(ciphertext, { contactId: 'other', field: 'note' })),
      await rejection(enc.encrypt(secret.repeat(100), binding)),
    ];
    const result = await enc.decrypt(ciphertext, binding);
    expect(logger.lines.length).toBeGreaterThan(0);
    assertNoSentinel(secret, logger.text(), ciphertext, ...errors, result, enc);
  });

  it('round-trips arbitrary strings and contexts (property)', async () => {
    const enc = aesEncryptor({ maxPlaintextBytes: 4096 });
    const key = fc
      .stringMatching(/^[a-z][a-zA-Z0-9_-]{0,15}$/)
      .filter((k) => !['contactId', 'field', 'binding'].includes(k));
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 200, unit: 'grapheme' }),
        fc.dictionary(key, fc.string({ minLength: 1, maxLength: 40 }), { maxKeys: 4 }),
        fc.stringMatching(/^[A-Za-z0-9._:-]{1,64}$/),
        async (plaintext, context, id) => {
          const binding = { contactId: id, field: 'f', context };
          const ciphertext = await enc.encrypt(plaintext, binding);
          expect(ciphertext).toMatch(/^[A-Za-z0-9_-]+$/);
          expect((await enc.decrypt(ciphertext, binding)).reveal()).toBe(plaintext);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('createFieldEncryptor cached mode', () => {
  it('makes one KMS call per 1,000 encryptions for 1,000 different contacts', async () => {
    const enc = kmsEncryptor(kms.createKey(), { cache: { maxAge: 300_000, maxMessagesEncrypted: 1000 } });
    kms.resetCalls();
    const ciphertexts: string[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 1000; i++) {
      ids.push(contactId());
      ciphertexts.push(await enc.encrypt(randomPan(), { contactId: ids[i] as string, field: 'cardNumber' }));
    }
    expect(kms.count('GenerateDataKey')).toBe(1);
    expect(kms.count()).toBe(1);
    for (let i = 0; i < 20; i++) {
      await enc.decrypt(ciphertexts[i] as string, { contactId: ids[i] as string, field: 'cardNumber' });
    }
    expect(kms.count('Decrypt')).toBe(1);
  });

  it('rotates the data key after maxMessagesEncrypted values', async () => {
    const enc = kmsEncryptor(kms.createKey(), { cache: { maxMessagesEncrypted: 10 } });
    kms.resetCalls();
    for (let i = 0; i < 100; i++) await enc.encrypt('02139', { contactId: `c-${i}`, field: 'zip' });
    expect(kms.count('GenerateDataKey')).toBe(10);
  });

  it('rotates the data key after maxAge', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const enc = kmsEncryptor(kms.createKey(), { cache: { maxAge: 60_000 } });
    kms.resetCalls();
    await enc.encrypt('02139', { contactId: 'c-1', field: 'zip' });
    vi.advanceTimersByTime(59_000);
    await enc.encrypt('02139', { contactId: 'c-2', field: 'zip' });
    expect(kms.count('GenerateDataKey')).toBe(1);
    vi.advanceTimersByTime(2_000);
    await enc.encrypt('02139', { contactId: 'c-3', field: 'zip' });
    expect(kms.count('GenerateDataKey')).toBe(2);
  });

  it('sends only the static context to KMS and marks the message as header-bound', async () => {
    const enc = kmsEncryptor(kms.createKey(), { cache: {}, context: { app: 'ivr' } });
    kms.resetCalls();
    const ciphertext = await enc.encrypt('02139', { contactId: 'c-1', field: 'zip' });
    expect(kms.calls[0]?.input.EncryptionContext).toEqual({ app: 'ivr', binding: 'header' });
    expect(inspectCiphertext(ciphertext).encryptionContext).toEqual({
      app: 'ivr',
      binding: 'header',
      contactId: 'c-1',
      field: 'zip',
    });
  });

  it('refuses a replay into another contact', async () => {
    const enc = kmsEncryptor(kms.createKey(), { cache: {} });
    const ciphertext = await enc.encrypt('02139', { contactId: 'c-1', field: 'zip' });
    const error = await rejection(enc.decrypt(ciphertext, { contactId: 'c-2', field: 'zip' }));
    expect(error.code).toBe(EnvelopeErrorCode.CONTEXT_MISMATCH);
  });

  it('fails authentication when the contact ID in the header is rewritten', async () => {
    // Rewriting the header's contact ID gets past the context check; the header tag must catch it.
    const enc = kmsEncryptor(kms.createKey(), { cache: {} });
    const original = await enc.encrypt('02139', { contactId: 'contact-AAAA', field: 'zip' });
    const bytes = Buffer.from(original, 'base64url');
    const at = bytes.indexOf(Buffer.from('contact-AAAA'));
    expect(at).toBeGreaterThan(0);
    bytes.write('contact-BBBB', at, 'utf8');
    const error = await rejection(
      enc.decrypt(bytes.toString('base64url'), { contactId: 'contact-BBBB', field: 'zip' }),
    );
    expect(error.code).toBe(EnvelopeErrorCode.DECRYPT_FAILED);
  });

  it('fails when the contact ID is rewritten in an uncached message (KMS refuses the context)', async () => {
    const enc = kmsEncryptor(kms.createKey());
    const bytes = Buffer.from(
      await enc.encrypt('02139', { contactId: 'contact-AAAA', field: 'zip' }),
      'base64url',
    );
    bytes.write('contact-BBBB', bytes.indexOf(Buffer.from('contact-AAAA')), 'utf8');
    const error = await rejection(
      enc.decrypt(bytes.toString('base64url'), { contactId: 'contact-BBBB', field: 'zip' }),
    );
    expect(error.code).toBe(EnvelopeErrorCode.KEY_MISMATCH);
  });

  it('decrypts messages of either mode with either configuration', async () => {
    const keyArn = kms.createKey();
    const cached = kmsEncryptor(keyArn, { cache: {} });
    const plain = kmsEncryptor(keyArn);
    const binding = { contactId: 'c-1', field: 'zip' };
    expect((await plain.decrypt(await cached.encrypt('02139', binding), binding)).reveal()).toBe('02139');
    expect((await cached.decrypt(await plain.encrypt('02139', binding), binding)).reveal()).toBe('02139');
  });

  it('caches the signed suite too', async () => {
    const enc = kmsEncryptor(kms.createKey(), {
      cache: {},
      suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY_ECDSA_P384,
    });
    kms.resetCalls();
    const binding = { contactId: 'c-1', field: 'zip' };
    const first = await enc.encrypt('02139', binding);
    await enc.encrypt('02139', { contactId: 'c-2', field: 'zip' });
    expect(kms.count('GenerateDataKey')).toBe(1);
    expect((await enc.decrypt(first, binding)).reveal()).toBe('02139');
  });
});
