import { DecryptCommand, EncryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertNoLeaks,
  connectEvent,
  type KmsEmulator,
  lexV1Event,
  lexV2Event,
  startKmsEmulator,
} from '../src/testing/index.js';
import { rejection } from './helpers.js';

let kms: KmsEmulator;
let client: KMSClient;
beforeAll(async () => {
  kms = await startKmsEmulator({ region: 'eu-west-1', account: '123456789012' });
  client = new KMSClient(kms.clientConfig());
});
afterAll(async () => {
  client.destroy();
  await kms.close();
});

describe('startKmsEmulator', () => {
  it('wraps data keys with the encryption context as AAD', async () => {
    const keyArn = kms.createKey({ alias: 'alias/app' });
    const generated = await client.send(
      new GenerateDataKeyCommand({ KeyId: 'alias/app', NumberOfBytes: 32, EncryptionContext: { a: '1' } }),
    );
    expect(generated.KeyId).toBe(keyArn);
    expect(generated.CiphertextBlob?.byteLength).toBe(167);
    const decrypted = await client.send(
      new DecryptCommand({ CiphertextBlob: generated.CiphertextBlob, EncryptionContext: { a: '1' } }),
    );
    expect(Buffer.from(decrypted.Plaintext as Uint8Array)).toEqual(
      Buffer.from(generated.Plaintext as Uint8Array),
    );
    const wrongContext = await rejection(
      client.send(
        new DecryptCommand({ CiphertextBlob: generated.CiphertextBlob, EncryptionContext: { a: '2' } }),
      ),
    );
    expect(wrongContext.name).toBe('InvalidCiphertextException');
  });

  it('resolves key IDs, key ARNs, alias names and alias ARNs', async () => {
    const keyArn = kms.createKey({ alias: 'alias/names' });
    const id = keyArn.split('/')[1] as string;
    for (const KeyId of [id, keyArn, 'alias/names', 'arn:aws:kms:eu-west-1:123456789012:alias/names']) {
      const out = await client.send(new EncryptCommand({ KeyId, Plaintext: Buffer.from('x') }));
      expect(out.KeyId).toBe(keyArn);
    }
    expect(
      (await rejection(client.send(new EncryptCommand({ KeyId: 'alias/none', Plaintext: Buffer.from('x') }))))
        .name,
    ).toBe('NotFoundException');
  });

  it('answers IncorrectKeyException when Decrypt names another key', async () => {
    const a = kms.createKey();
    const b = kms.createKey();
    const { CiphertextBlob } = await client.send(
      new EncryptCommand({ KeyId: a, Plaintext: Buffer.from('x') }),
    );
    expect((await rejection(client.send(new DecryptCommand({ KeyId: b, CiphertextBlob })))).name).toBe(
      'IncorrectKeyException',
    );
  });

  it('answers DisabledException and AccessDeniedException', async () => {
    const disabled = kms.createKey({ disabled: true });
    expect(
      (await rejection(client.send(new EncryptCommand({ KeyId: disabled, Plaintext: Buffer.from('x') }))))
        .name,
    ).toBe('DisabledException');
    const denied = kms.createKey({ deny: ['Encrypt'] });
    expect(
      (await rejection(client.send(new EncryptCommand({ KeyId: denied, Plaintext: Buffer.from('x') })))).name,
    ).toBe('AccessDeniedException');
  });

  it('counts calls per operation and injects throttling', async () => {
    const keyArn = kms.createKey();
    kms.resetCalls();
    kms.failNext('Encrypt', { type: 'ThrottlingException' }, 1);
    expect(
      (await rejection(client.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') })))).name,
    ).toBe('ThrottlingException');
    await client.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') }));
    expect(kms.count('Encrypt')).toBe(2);
    expect(kms.count('Decrypt')).toBe(0);
  });
});

describe('lexV2Event', () => {
  it('puts the slot value everywhere Lex V2 does', () => {
    const event = lexV2Event({ slots: { CardNumber: '4111111111111111' } });
    expect(event.inputTranscript).toBe('4111111111111111');
    expect(event.sessionState.intent.slots?.CardNumber?.value?.interpretedValue).toBe('4111111111111111');
    expect(event.interpretations[0]?.intent.slots?.CardNumber?.value?.originalValue).toBe('4111111111111111');
    expect(event.proposedNextState.intent.slots?.CardNumber).not.toBeNull();
    expect(event.transcriptions[0]?.transcription).toBe('4111111111111111');
  });
});

describe('lexV1Event', () => {
  it('builds currentIntent slots and slotDetails', () => {
    const event = lexV1Event({ slots: { authNumber: '02139' } });
    expect(event.currentIntent.slots.authNumber).toBe('02139');
    expect(event.currentIntent.slotDetails.authNumber?.originalValue).toBe('02139');
  });
});

describe('connectEvent', () => {
  it('builds the Invoke-Lambda shape with parameters', () => {
    const event = connectEvent({ contactId: 'c-1', parameters: { encrypted: 'x' } });
    expect(event.Name).toBe('ContactFlowEvent');
    expect(event.Details.ContactData.ContactId).toBe('c-1');
    expect(event.Details.Parameters).toEqual({ encrypted: 'x' });
  });
});

describe('assertNoLeaks', () => {
  const pan = '4111111111111111';

  it('fails when the secret is logged', async () => {
    await expect(
      assertNoLeaks({ secrets: [pan], run: (logger) => logger.info('got', { pan }) }),
    ).rejects.toThrow(/logs/);
  });

  it('fails when the secret is printed to the console', async () => {
    await expect(
      assertNoLeaks({
        secrets: [pan],
        run: () => {
          console.log('card', pan);
        },
      }),
    ).rejects.toThrow(/output/);
  });

  it('fails on a thrown error or result carrying part of the digits', async () => {
    await expect(
      assertNoLeaks({
        secrets: [pan],
        run: () => {
          throw new Error(`bad card ${pan.slice(0, 6)}`);
        },
      }),
    ).rejects.toThrow(/error/);
    await expect(
      assertNoLeaks({ secrets: [pan], run: () => ({ card: `${pan.slice(3, 12)}` }) }),
    ).rejects.toThrow(/result/);
  });

  it('fails on a base64 copy of the secret', async () => {
    await expect(
      assertNoLeaks({ secrets: [pan], run: () => Buffer.from(pan).toString('base64') }),
    ).rejects.toThrow(/result/);
  });

  it('passes the last four digits and returns what it observed', async () => {
    const observed = await assertNoLeaks({
      secrets: [pan],
      run: (logger) => {
        logger.info('masked', { last4: pan.slice(-4) });
        return 'ok';
      },
    });
    expect(observed.result).toBe('ok');
    expect(observed.logs).toContain('1111');
  });
});
