import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFieldEncryptor,
  createLexV1Handler,
  type FieldEncryptor,
  type LexV1Event,
} from '../src/index.js';
import { assertNoLeaks, type KmsEmulator, lexV1Event, startKmsEmulator } from '../src/testing/index.js';
import { contactId } from './helpers.js';

let kms: KmsEmulator;
let encryptor: FieldEncryptor;
beforeAll(async () => {
  kms = await startKmsEmulator();
  encryptor = createFieldEncryptor({
    keyring: { kind: 'kms', generatorKeyId: kms.createKey(), clientProvider: kms.clientProvider() },
  });
});
afterAll(() => kms.close());

const run = async (event: LexV1Event, secrets: string[]) => {
  const { result, error } = await assertNoLeaks({
    secrets,
    run: (logger) =>
      createLexV1Handler({ encryptor, slots: { authNumber: { validate: 'pan' } }, logger })(event),
  });
  expect(error).toBeUndefined();
  return result as NonNullable<typeof result>;
};

describe('createLexV1Handler', () => {
  it('encrypts the slot of the documented V1 fulfillment event and closes as Fulfilled', async () => {
    const event = JSON.parse(
      readFileSync(new URL('./fixtures/lex-v1-fulfillment-code-hook.json', import.meta.url), 'utf8'),
    ) as LexV1Event;
    const response = await run(event, ['4111111111111111']);
    expect(response.dialogAction).toEqual({ type: 'Close', fulfillmentState: 'Fulfilled' });
    expect(response.sessionAttributes.range).toBe('15-16');
    const value = await encryptor.decrypt(response.sessionAttributes.authNumberEncrypted as string, {
      contactId: '5ca32fbd-8f92-46af-92a5-6b0f970f0efe',
      field: 'authNumber',
    });
    expect(value.reveal()).toBe('4111111111111111');
  });

  it('elicits the slot again with the slot cleared when the number is invalid', async () => {
    const id = contactId();
    const response = await run(
      lexV1Event({ slots: { authNumber: '4111111111111112' }, sessionAttributes: { contactId: id } }),
      ['4111111111111112'],
    );
    expect(response.dialogAction).toMatchObject({
      type: 'ElicitSlot',
      intentName: 'CaptureCard',
      slotToElicit: 'authNumber',
      slots: { authNumber: null },
    });
    expect(response.sessionAttributes.authNumberRetries).toBe('1');
  });

  it('falls back to slotDetails.originalValue when the slot value is empty', async () => {
    const id = contactId();
    const event = lexV1Event({ slots: { authNumber: null }, sessionAttributes: { contactId: id } });
    (event.currentIntent.slotDetails as Record<string, unknown>).authNumber = {
      originalValue: '4111 1111 1111 1111',
    };
    const response = await run(event as LexV1Event, ['4111111111111111']);
    expect(response.dialogAction.type).toBe('Close');
    expect(response.sessionAttributes.authNumberEncrypted).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('delegates unchanged for an intent without sensitive slots', async () => {
    const event = lexV1Event({
      slots: { accountType: 'checking' },
      invocationSource: 'DialogCodeHook',
      sessionAttributes: { contactId: contactId() },
    });
    const response = await run(event as LexV1Event, []);
    expect(response.dialogAction).toEqual({ type: 'Delegate', slots: { accountType: 'checking' } });
  });

  it('answers a malformed event with Close Failed', async () => {
    const response = await run({ invocationSource: 'FulfillmentCodeHook' } as never, []);
    expect(response.dialogAction).toMatchObject({ type: 'Close', fulfillmentState: 'Failed' });
  });
});
