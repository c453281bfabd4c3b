import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  AlgorithmSuiteIdentifier,
  buildClient,
  CommitmentPolicy,
  RawRsaKeyringNode,
} from '@aws-crypto/client-node';
import { assertNoSentinel, createMemoryLogger } from '@secblocks/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectContactFlowEvent,
  createConnectDecryptHandler,
  createConnectStoredInputDecryptor,
  createFieldEncryptor,
  decryptConnectStoredInput,
  EnvelopeErrorCode,
  type FieldEncryptor,
  inspectCiphertext,
} from '../src/index.js';
import { assertNoLeaks, connectEvent, type KmsEmulator, startKmsEmulator } from '../src/testing/index.js';
import { contactId, randomPan, rejection, thrown } from './helpers.js';

let kms: KmsEmulator;
let writer: FieldEncryptor;
let reader: FieldEncryptor;
beforeAll(async () => {
  kms = await startKmsEmulator();
  const keyArn = kms.createKey();
  writer = createFieldEncryptor({
    keyring: { kind: 'kms', generatorKeyId: keyArn, clientProvider: kms.clientProvider() },
  });
  reader = createFieldEncryptor({
    keyring: { kind: 'kms', decryptKeyArns: [keyArn], clientProvider: kms.clientProvider() },
  });
});
afterAll(() => kms.close());

const allow = () => true;

/** Runs a Connect handler under the leak detector. */
const runConnect = async (
  options: Omit<Parameters<typeof createConnectDecryptHandler>[0], 'logger'>,
  event: unknown,
  secrets: string[],
) => {
  const { result, error } = await assertNoLeaks({
    secrets,
    run: (logger) => createConnectDecryptHandler({ ...options, logger })(event as ConnectContactFlowEvent),
  });
  expect(error).toBeUndefined();
  return result;
};

describe('createConnectDecryptHandler', () => {
  it('answers the documented Invoke-Lambda event with the last four digits only', async () => {
    const event = JSON.parse(
      readFileSync(new URL('./fixtures/connect-invoke-lambda.json', import.meta.url), 'utf8'),
    ) as ConnectContactFlowEvent;
    const pan = randomPan();
    (event.Details.Parameters as Record<string, string>).encrypted = await writer.encrypt(pan, {
      contactId: event.Details.ContactData.ContactId,
      field: 'CardNumber',
    });
    const { result } = await assertNoLeaks({
      secrets: [pan],
      run: (logger) =>
        createConnectDecryptHandler({ encryptor: reader, fields: ['CardNumber'], authorize: allow, logger })(
          event,
        ),
    });
    expect(result).toEqual({ status: 'OK', last4: pan.slice(-4), length: '16' });
    for (const value of Object.values(result ?? {})) expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('reveals the plaintext only when dangerouslyRevealPlaintext is set, and never logs it', async () => {
    const id = contactId();
    const ciphertext = await writer.encrypt('02139', { contactId: id, field: 'ZipCode' });
    const event = connectEvent({ contactId: id, parameters: { encrypted: ciphertext } });
    const logger = createMemoryLogger();
    const handler = createConnectDecryptHandler({
      encryptor: reader,
      fields: ['ZipCode'],
      authorize: allow,
      dangerouslyRevealPlaintext: true,
      logger,
    });
    expect(await handler(event)).toEqual({ status: 'OK', value: '02139' });
    assertNoSentinel('02139', logger.text());
    // The leak detector sees the revealed value in the result: that is what the option is for.
    await expect(assertNoLeaks({ secrets: ['02139'], run: () => handler(event) })).rejects.toThrow(/result/);
  });

  it('answers DENIED when authorize refuses, without calling KMS', async () => {
    const id = contactId();
    const pan = randomPan();
    const ciphertext = await writer.encrypt(pan, { contactId: id, field: 'CardNumber' });
    kms.resetCalls();
    const { result, logs } = await assertNoLeaks({
      secrets: [pan],
      run: (logger) =>
        createConnectDecryptHandler({
          encryptor: reader,
          fields: ['CardNumber'],
          authorize: () => false,
          logger,
        })(connectEvent({ contactId: id, parameters: { encrypted: ciphertext } })),
    });
    expect(result).toEqual({ status: 'DENIED' });
    expect(logs).toContain(EnvelopeErrorCode.UNAUTHORIZED);
    expect(kms.count()).toBe(0);
  });

  it('answers ERROR for a ciphertext replayed into another contact', async () => {
    const pan = randomPan();
    const ciphertext = await writer.encrypt(pan, { contactId: contactId(), field: 'CardNumber' });
    const { result, logs } = await assertNoLeaks({
      secrets: [pan],
      run: (logger) =>
        createConnectDecryptHandler({ encryptor: reader, fields: ['CardNumber'], authorize: allow, logger })(
          connectEvent({ contactId: contactId(), parameters: { encrypted: ciphertext } }),
        ),
    });
    expect(result).toEqual({ status: 'ERROR' });
    expect(logs).toContain(EnvelopeErrorCode.CONTEXT_MISMATCH);
  });

  it('answers ERROR for a ciphertext replayed into another field', async () => {
    const id = contactId();
    const ciphertext = await writer.encrypt('02139', { contactId: id, field: 'ZipCode' });
    const response = await runConnect(
      { encryptor: reader, fields: ['CardNumber', 'ZipCode'], authorize: allow },
      connectEvent({ contactId: id, parameters: { encrypted: ciphertext, field: 'CardNumber' } }),
      ['02139'],
    );
    expect(response).toEqual({ status: 'ERROR' });
  });

  it('binds to InitialContactId after a transfer when configured', async () => {
    const initial = contactId();
    const ciphertext = await writer.encrypt('02139', { contactId: initial, field: 'ZipCode' });
    const event = connectEvent({
      contactId: contactId(),
      initialContactId: initial,
      parameters: { encrypted: ciphertext },
    });
    const options = { encryptor: reader, fields: ['ZipCode'], authorize: allow };
    expect(await runConnect({ ...options, contactIdFrom: 'InitialContactId' }, event, ['02139'])).toEqual({
      status: 'OK',
      last4: '2139',
      length: '5',
    });
    expect(await runConnect(options, event, ['02139'])).toEqual({ status: 'ERROR' });
  });

  it('answers ERROR for malformed events, unknown fields and missing parameters', async () => {
    for (const event of [
      null,
      {},
      { Details: {} },
      connectEvent({ parameters: { encrypted: 'abc' } }),
      connectEvent({ parameters: { encrypted: 'abc', field: 'C' } }),
      connectEvent({ parameters: { field: 'A' } }),
    ]) {
      expect(
        await runConnect({ encryptor: reader, fields: ['A', 'B'], authorize: allow }, event, []),
      ).toEqual({
        status: 'ERROR',
      });
    }
  });

  it('answers ERROR when authorize throws', async () => {
    const id = contactId();
    const ciphertext = await writer.encrypt('02139', { contactId: id, field: 'ZipCode' });
    const authorize = () => {
      throw new Error('directory unavailable');
    };
    expect(
      await runConnect(
        { encryptor: reader, fields: ['ZipCode'], authorize },
        connectEvent({ contactId: id, parameters: { encrypted: ciphertext } }),
        ['02139'],
      ),
    ).toEqual({ status: 'ERROR' });
  });

  it('validates its options', () => {
    expect(
      thrown(() => createConnectDecryptHandler({ encryptor: reader, fields: ['A'] } as never)).message,
    ).toContain('"authorize"');
    expect(
      thrown(() => createConnectDecryptHandler({ encryptor: reader, fields: [], authorize: allow })).message,
    ).toContain('"fields"');
    const encryptOnly = createFieldEncryptor({
      keyring: { kind: 'raw-rsa', keyNamespace: 'ivr', keyName: 'k', publicKey: rsa().publicKey },
    });
    expect(
      thrown(() => createConnectDecryptHandler({ encryptor: encryptOnly, fields: ['A'], authorize: allow }))
        .message,
    ).toContain('"encryptor"');
  });
});

/** Encrypts like Connect's "Encrypt entry": raw RSA, namespace AmazonConnect, OAEP-SHA512, non-committing suite. */
async function connectStyleCiphertext(
  publicKey: string,
  keyId: string,
  value: string,
  oaepHash: 'sha512' | 'sha256' = 'sha512',
) {
  const keyring = new RawRsaKeyringNode({
    keyNamespace: 'AmazonConnect',
    keyName: keyId,
    rsaKey: { publicKey },
    oaepHash,
  });
  const { encrypt } = buildClient(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);
  const { result } = await encrypt(keyring, value, {
    suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384,
  });
  return result.toString('base64');
}

const rsa = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });

describe('createConnectStoredInputDecryptor', () => {
  const active = rsa();
  const next = rsa();
  const keyId = '7d2d6f0e-5e4b-4c9a-8d2a-1f3b4c5d6e7f';
  const nextKeyId = 'a1a2a3a4-b1b2-c1c2-d1d2-e1e2e3e4e5e6';

  it('decrypts a Connect-style RSA OAEP-SHA512 ciphertext of a non-committing suite', async () => {
    const ciphertext = await connectStyleCiphertext(active.publicKey, keyId, '1234');
    expect(inspectCiphertext(ciphertext)).toMatchObject({ suiteId: '0x0378', committing: false });
    const decrypt = createConnectStoredInputDecryptor({ keys: { keyId, privateKey: active.privateKey } });
    const { result } = await assertNoLeaks({
      secrets: ['1234'],
      run: async () => String(await decrypt(ciphertext)),
    });
    expect(result).toBe('[REDACTED]');
    expect((await decrypt(ciphertext)).reveal()).toBe('1234');
  });

  it('tries both active keys during a rotation', async () => {
    const decrypt = createConnectStoredInputDecryptor({
      keys: [
        { keyId, privateKey: active.privateKey },
        { keyId: nextKeyId, privateKey: next.privateKey },
      ],
    });
    expect((await decrypt(await connectStyleCiphertext(active.publicKey, keyId, '1111'))).reveal()).toBe(
      '1111',
    );
    expect((await decrypt(await connectStyleCiphertext(next.publicKey, nextKeyId, '2222'))).reveal()).toBe(
      '2222',
    );
  });

  it('names the key ID mismatch instead of "unencryptedDataKey has not been set"', async () => {
    const ciphertext = await connectStyleCiphertext(next.publicKey, nextKeyId, '1234');
    const error = await rejection(
      decryptConnectStoredInput(ciphertext, { keyId, privateKey: active.privateKey }),
    );
    expect(error.code).toBe(EnvelopeErrorCode.KEY_MISMATCH);
    expect(error.message).toContain(nextKeyId);
    expect(error.message).toContain(keyId);
  });

  it('names a wrong private key or OAEP hash', async () => {
    const wrongHash = await connectStyleCiphertext(active.publicKey, keyId, '1234', 'sha256');
    const error = await rejection(
      decryptConnectStoredInput(wrongHash, { keyId, privateKey: active.privateKey }),
    );
    expect(error.code).toBe(EnvelopeErrorCode.KEY_MISMATCH);
    expect(error.message).toContain('SHA-512');
    const wrongKey = await rejection(
      decryptConnectStoredInput(await connectStyleCiphertext(active.publicKey, keyId, '1'), {
        keys: [{ keyId, privateKey: next.privateKey }],
      }),
    );
    expect(wrongKey.code).toBe(EnvelopeErrorCode.KEY_MISMATCH);
  });

  it('names the key namespace when the message is not from Connect', async () => {
    const ours = await writer.encrypt('1234', { contactId: 'c', field: 'pin' });
    const error = await rejection(decryptConnectStoredInput(ours, { keyId, privateKey: active.privateKey }));
    expect(error.code).toBe(EnvelopeErrorCode.KEY_MISMATCH);
    expect(error.message).toContain('aws-kms');
  });

  it('rejects garbage and tampered input with typed errors', async () => {
    const decrypt = createConnectStoredInputDecryptor({ keys: { keyId, privateKey: active.privateKey } });
    expect((await rejection(decrypt('%%%'))).code).toBe(EnvelopeErrorCode.MALFORMED_CIPHERTEXT);
    expect((await rejection(decrypt(Buffer.from('hello world').toString('base64')))).code).toBe(
      EnvelopeErrorCode.MALFORMED_CIPHERTEXT,
    );
    const bytes = Buffer.from(await connectStyleCiphertext(active.publicKey, keyId, '1234'), 'base64');
    bytes[bytes.length - 120] = (bytes[bytes.length - 120] as number) ^ 0xff;
    const tampered = await rejection(decrypt(bytes.toString('base64')));
    expect([EnvelopeErrorCode.DECRYPT_FAILED, EnvelopeErrorCode.MALFORMED_CIPHERTEXT]).toContain(
      tampered.code,
    );
  });

  it('validates its keys', () => {
    expect(thrown(() => createConnectStoredInputDecryptor({ keys: [] })).message).toContain('"keys"');
    expect(
      thrown(() => createConnectStoredInputDecryptor({ keys: { keyId, privateKey: active.publicKey } }))
        .message,
    ).toContain('"keys[0].privateKey"');
  });
});
