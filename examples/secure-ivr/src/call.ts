// A simulated call, as a function the demo prints and the tests assert on: the Lex V2 events a caller
// produces (an invalid card number, a retry, a ZIP code said aloud), the code hook's answers, what Connect
// stores, and the operator's decrypt — on the KMS emulator from @secblocks/envelope-encrypt/testing.
import { randomUUID } from 'node:crypto';
import type { Logger } from '@secblocks/core';
import {
  type ConnectDecryptResponse,
  createFieldEncryptor,
  type LexV2Response,
} from '@secblocks/envelope-encrypt';
import {
  connectEvent,
  type KmsEmulator,
  lexV2Event,
  startKmsEmulator,
} from '@secblocks/envelope-encrypt/testing';
import { createCodeHook } from './lex-code-hook.js';
import { createOperatorDecrypt } from './operator-decrypt.js';
import { IVR_CONTEXT } from './settings.js';

/** The Connect instance of the simulation (the one `connectEvent` builds events for). */
export const INSTANCE_ARN =
  'arn:aws:connect:us-east-1:111122223333:instance/11111111-2222-3333-4444-555555555555';

/** What the caller keys in or says, turn by turn. */
export interface CallerInput {
  cardAttempts: string[];
  zip: string;
}

/** One Lex turn: what the caller said for which slot, and the code hook's answer. */
export interface Turn {
  slot: string;
  response: LexV2Response;
}

/** Everything the call produced. */
export interface CallTranscript {
  contactId: string;
  turns: Turn[];
  /** The contact attributes the flow stores ($.Lex.SessionAttributes.*Encrypted). */
  attributes: Record<string, string>;
  operator: ConnectDecryptResponse;
  /** The same ciphertext presented for another contact. */
  replayElsewhere: ConnectDecryptResponse;
  kmsCalls: { GenerateDataKey: number; Decrypt: number };
}

/** Runs the call; the emulator is created (and closed) here unless one is passed. */
export async function simulateCall(
  input: CallerInput,
  options: { kms?: KmsEmulator; logger?: Logger } = {},
): Promise<CallTranscript> {
  const kms = options.kms ?? (await startKmsEmulator());
  try {
    const keyArn = kms.createKey({ alias: 'alias/ivr-payments' });
    // Two encryptors, as in production: the code hook's can only encrypt, the operator's only decrypt.
    const encryptOnly = createFieldEncryptor({
      keyring: {
        kind: 'kms',
        generatorKeyId: keyArn,
        decryptKeyArns: [],
        clientProvider: kms.clientProvider(),
      },
      context: IVR_CONTEXT,
    });
    const decryptOnly = createFieldEncryptor({
      keyring: { kind: 'kms', decryptKeyArns: [keyArn], clientProvider: kms.clientProvider() },
      context: IVR_CONTEXT,
    });
    const codeHook = createCodeHook(encryptOnly, options.logger);
    const operator = createOperatorDecrypt(decryptOnly, INSTANCE_ARN, options.logger);

    const contactId = randomUUID();
    const turns: Turn[] = [];
    // The flow passes contactId = $.ContactId as a Lex session attribute; Lex echoes attributes back.
    let sessionAttributes: Record<string, string> = { contactId };
    const say = async (slot: string, value: string, slots: Record<string, string | null>) => {
      const response = await codeHook(
        lexV2Event({ slots: { ...slots, [slot]: value }, sessionAttributes, slotToElicit: slot }),
      );
      sessionAttributes = response.sessionState.sessionAttributes;
      turns.push({ slot, response });
      return response;
    };
    for (const attempt of input.cardAttempts) {
      const r = await say('CardNumber', attempt, { CardNumber: null, ZipCode: null });
      if (r.sessionState.dialogAction.slotToElicit !== 'CardNumber') break;
    }
    await say('ZipCode', input.zip, { CardNumber: null, ZipCode: null });

    const attributes = Object.fromEntries(
      Object.entries(sessionAttributes).filter(([k]) => k.endsWith('Encrypted')),
    );
    const invoke = (id: string) =>
      operator(
        connectEvent({
          contactId: id,
          parameters: { encrypted: attributes.CardNumberEncrypted ?? '', field: 'CardNumber' },
        }),
      );
    const result = await invoke(contactId);
    const replayElsewhere = await invoke(randomUUID());
    return {
      contactId,
      turns,
      attributes,
      operator: result,
      replayElsewhere,
      kmsCalls: { GenerateDataKey: kms.count('GenerateDataKey'), Decrypt: kms.count('Decrypt') },
    };
  } finally {
    if (!options.kms) await kms.close();
  }
}
