import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFieldEncryptor,
  createLexV2Handler,
  EnvelopeErrorCode,
  type FieldEncryptor,
  type LexV2Event,
  type LexV2HandlerOptions,
} from '../src/index.js';
import { assertNoLeaks, type KmsEmulator, lexV2Event, startKmsEmulator } from '../src/testing/index.js';
import { contactId, randomPan, thrown } from './helpers.js';

const fixture = (name: string): LexV2Event =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as LexV2Event;

let kms: KmsEmulator;
let keyArn: string;
let encryptor: FieldEncryptor;
beforeAll(async () => {
  kms = await startKmsEmulator();
  keyArn = kms.createKey();
  encryptor = createFieldEncryptor({
    keyring: { kind: 'kms', generatorKeyId: keyArn, clientProvider: kms.clientProvider() },
    context: { app: 'ivr' },
  });
});
afterAll(() => kms.close());

const slots = { CardNumber: { validate: 'pan' as const }, ZipCode: { validate: 'zip' as const } };

/** Runs the handler under the leak detector with every secret of the test. */
const run = async (event: LexV2Event, secrets: string[], options: Partial<LexV2HandlerOptions> = {}) => {
  const { result, error } = await assertNoLeaks({
    secrets,
    run: (logger) => createLexV2Handler({ encryptor, slots, logger, ...options })(event),
  });
  expect(error).toBeUndefined();
  return result as NonNullable<typeof result>;
};

describe('createLexV2Handler', () => {
  it('encrypts the card from the documented DialogCodeHook event and elicits the next sensitive slot', async () => {
    const event = fixture('lex-v2-dialog-code-hook.json');
    const response = await run(event, ['4111111111111111']);

    expect(response.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'ZipCode' });
    expect(response.sessionState.intent).toMatchObject({ name: 'CapturePayment', state: 'InProgress' });
    expect(response.sessionState.intent?.slots).toEqual({ CardNumber: null, ZipCode: null });
    const ciphertext = response.sessionState.sessionAttributes.CardNumberEncrypted as string;
    expect(ciphertext).toMatch(/^[A-Za-z0-9_-]+$/);
    const plain = await encryptor.decrypt(ciphertext, {
      contactId: '5ca32fbd-8f92-46af-92a5-6b0f970f0efe',
      field: 'CardNumber',
    });
    expect(plain.reveal()).toBe('4111111111111111');
  });

  it('closes the documented FulfillmentCodeHook event as Fulfilled with the spoken ZIP normalised', async () => {
    const dialog = await run(fixture('lex-v2-dialog-code-hook.json'), ['4111111111111111']);
    const event = fixture('lex-v2-fulfillment-code-hook.json');
    event.sessionState.sessionAttributes = dialog.sessionState.sessionAttributes;
    const response = await run(event, ['02139', '4111111111111111']);

    expect(response.sessionState.dialogAction).toEqual({ type: 'Close' });
    expect(response.sessionState.intent).toMatchObject({ name: 'CapturePayment', state: 'Fulfilled' });
    expect(response.sessionState.intent?.slots).toEqual({ CardNumber: null, ZipCode: null });
    const zip = await encryptor.decrypt(response.sessionState.sessionAttributes.ZipCodeEncrypted as string, {
      contactId: '5ca32fbd-8f92-46af-92a5-6b0f970f0efe',
      field: 'ZipCode',
    });
    expect(zip.reveal()).toBe('02139');
  });

  it('answers ElicitSlot with a retry counter when the card fails the Luhn check', async () => {
    const bad = '4111111111111112';
    const id = contactId();
    const response = await run(
      lexV2Event({ slots: { CardNumber: bad, ZipCode: null }, sessionAttributes: { contactId: id } }),
      [bad],
    );
    expect(response.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'CardNumber' });
    expect(response.sessionState.sessionAttributes).toEqual({ contactId: id, CardNumberRetries: '1' });
    expect(response.sessionState.intent?.slots?.CardNumber).toBeNull();
    expect(response.messages?.[0]?.contentType).toBe('PlainText');
  });

  it('closes as Failed after the default two retries', async () => {
    const bad = '1234';
    const attrs: Record<string, string> = { contactId: contactId() };
    const actions: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await run(lexV2Event({ slots: { CardNumber: bad }, sessionAttributes: attrs }), [bad]);
      actions.push(`${response.sessionState.dialogAction.type}:${response.sessionState.intent?.state}`);
      Object.assign(attrs, response.sessionState.sessionAttributes);
      if (!response.sessionState.sessionAttributes.CardNumberRetries) delete attrs.CardNumberRetries;
    }
    expect(actions).toEqual(['ElicitSlot:InProgress', 'ElicitSlot:InProgress', 'Close:Failed']);
    expect(attrs.CardNumberRetries).toBeUndefined();
  });

  it('honours maxRetries', async () => {
    const response = await run(
      lexV2Event({ slots: { CardNumber: '12' }, sessionAttributes: { contactId: contactId() } }),
      [],
      { maxRetries: 0 },
    );
    expect(response.sessionState.intent?.state).toBe('Failed');
  });

  it('keeps the leading zero of a ZIP and accepts ZIP+4', async () => {
    const id = contactId();
    for (const zip of ['02139', '02139-4307']) {
      const response = await run(
        lexV2Event({ slots: { ZipCode: zip }, sessionAttributes: { contactId: id } }),
        [zip],
      );
      const value = await encryptor.decrypt(
        response.sessionState.sessionAttributes.ZipCodeEncrypted as string,
        {
          contactId: id,
          field: 'ZipCode',
        },
      );
      expect(value.reveal()).toBe(zip.replace('-', ''));
    }
  });

  it('rejects a ZIP whose leading zero a number slot dropped', async () => {
    const response = await run(
      lexV2Event({ slots: { ZipCode: '2139' }, sessionAttributes: { contactId: contactId() } }),
      ['2139'],
    );
    expect(response.sessionState.dialogAction).toEqual({ type: 'ElicitSlot', slotToElicit: 'ZipCode' });
  });

  it('normalises spoken digits from interpretedValue before validating', async () => {
    const pan = randomPan();
    const spoken = pan.replace(/(\d{4})(?=\d)/g, '$1 ');
    const id = contactId();
    const response = await run(
      lexV2Event({ slots: { CardNumber: spoken }, sessionAttributes: { contactId: id } }),
      [pan],
    );
    const value = await encryptor.decrypt(
      response.sessionState.sessionAttributes.CardNumberEncrypted as string,
      {
        contactId: id,
        field: 'CardNumber',
      },
    );
    expect(value.reveal()).toBe(pan);
  });

  it('leaves non-sensitive slots and the attributes it does not own untouched', async () => {
    const pan = randomPan();
    const event = lexV2Event({
      slots: { CardNumber: pan, AccountType: 'checking' },
      sessionAttributes: { contactId: contactId(), locale: 'en_US' },
    });
    const response = await run(event, [pan]);
    expect(response.sessionState.intent?.slots?.AccountType).toEqual(
      event.sessionState.intent.slots?.AccountType,
    );
    expect(response.sessionState.sessionAttributes.locale).toBe('en_US');
  });

  it('delegates to Lex unchanged for an intent without sensitive slots', async () => {
    const event = lexV2Event({
      intentName: 'CheckBalance',
      slots: { AccountType: 'checking' },
      sessionAttributes: { contactId: contactId() },
    });
    const response = await run(event, []);
    expect(response.sessionState.dialogAction).toEqual({ type: 'Delegate' });
    expect(response.sessionState.intent?.slots).toEqual(event.sessionState.intent.slots);
    expect(response.messages).toBeUndefined();
  });

  it('closes as Failed without the contact ID', async () => {
    const pan = randomPan();
    const response = await run(lexV2Event({ slots: { CardNumber: pan } }), [pan]);
    expect(response.sessionState.dialogAction.type).toBe('Close');
    expect(response.sessionState.intent?.state).toBe('Failed');
    expect(response.sessionState.intent?.slots?.CardNumber).toBeNull();
    expect(response.sessionState.sessionAttributes.CardNumberEncrypted).toBeUndefined();
  });

  it('reads the contact ID with a custom reader', async () => {
    const pan = randomPan();
    const event = lexV2Event({ slots: { CardNumber: pan }, sessionId: 'session-42' });
    const response = await run(event, [pan], { contactId: (e) => e.sessionId });
    const value = await encryptor.decrypt(
      response.sessionState.sessionAttributes.CardNumberEncrypted as string,
      {
        contactId: 'session-42',
        field: 'CardNumber',
      },
    );
    expect(value.reveal()).toBe(pan);
  });

  it('answers malformed events with a safe Close instead of throwing', async () => {
    for (const event of [
      null,
      {},
      { invocationSource: 'Other', sessionState: {} },
      { invocationSource: 'DialogCodeHook' },
    ]) {
      const response = await run(event as never, []);
      expect(response.sessionState.dialogAction.type).toBe('Close');
    }
  });

  it('closes as Failed without leaking when KMS throttles', async () => {
    const pan = randomPan();
    kms.failNext('GenerateDataKey', { type: 'ThrottlingException' }, 1);
    const { result, logs } = await assertNoLeaks({
      secrets: [pan],
      run: (logger) =>
        createLexV2Handler({ encryptor, slots, logger })(
          lexV2Event({ slots: { CardNumber: pan }, sessionAttributes: { contactId: contactId() } }),
        ),
    });
    expect(result?.sessionState.intent?.state).toBe('Failed');
    expect(logs).toContain(EnvelopeErrorCode.KMS_THROTTLED);
  });

  it('validates its options', () => {
    expect(thrown(() => createLexV2Handler({ encryptor, slots: {} })).message).toContain('"slots"');
    expect(
      thrown(() => createLexV2Handler({ encryptor, slots: { A: { validate: 'iban' as never } } })).message,
    ).toContain('"slots.A.validate"');
    expect(thrown(() => createLexV2Handler({ encryptor, slots, maxRetries: -1 })).message).toContain(
      '"maxRetries"',
    );
    const decryptOnly = createFieldEncryptor({
      keyring: { kind: 'kms', decryptKeyArns: [keyArn], clientProvider: kms.clientProvider() },
    });
    expect(thrown(() => createLexV2Handler({ encryptor: decryptOnly, slots })).message).toContain(
      '"encryptor"',
    );
  });
});
