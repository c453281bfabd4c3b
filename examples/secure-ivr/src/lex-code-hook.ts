// The Lex V2 code hook (dialog and fulfillment). Its role may only create data keys: it can encrypt what
// the caller keys in, never decrypt it. Copy this file.
//   KEY_ARN  the KMS key (infra/secure-ivr-stack.ts)

import type { Logger } from '@secblocks/core';
import {
  createFieldEncryptor,
  createLexV2Handler,
  type FieldEncryptor,
  type LexV2Handler,
} from '@secblocks/envelope-encrypt';
import { IVR_CONTEXT, SENSITIVE_SLOTS } from './settings.js';

/** Builds the code hook around an encryptor (the demo and tests pass one on the KMS emulator). */
export function createCodeHook(encryptor: FieldEncryptor, logger?: Logger): LexV2Handler {
  return createLexV2Handler({
    encryptor,
    slots: SENSITIVE_SLOTS,
    maxRetries: 2,
    fulfilledMessage: 'Thank you, your card details are captured.',
    ...(logger ? { logger } : {}),
  });
}

let built: LexV2Handler | undefined;

/** The Lambda entry point; the encryptor (KMS client, data-key cache) lives for the container. */
export const handler: LexV2Handler = (event) => {
  built ??= createCodeHook(
    createFieldEncryptor({
      keyring: { kind: 'kms', generatorKeyId: process.env.KEY_ARN as string },
      context: IVR_CONTEXT,
    }),
  );
  return built(event);
};
