// The Connect "Invoke AWS Lambda function" target that checks a captured card for an operator: its role
// may only decrypt, and it answers the last four digits and the length, never the number. Copy this file.
//   KEY_ARN       the KMS key
//   INSTANCE_ARN  the only Amazon Connect instance allowed to call it

import type { Logger } from '@secblocks/core';
import {
  type ConnectDecryptHandler,
  createConnectDecryptHandler,
  createFieldEncryptor,
  type FieldEncryptor,
} from '@secblocks/envelope-encrypt';
import { IVR_CONTEXT } from './settings.js';

/** Builds the decrypt handler for one Connect instance. */
export function createOperatorDecrypt(
  encryptor: FieldEncryptor,
  instanceArn: string,
  logger?: Logger,
): ConnectDecryptHandler {
  return createConnectDecryptHandler({
    encryptor,
    fields: ['CardNumber', 'ZipCode'],
    authorize: ({ event }) => event.Details.ContactData.InstanceARN === instanceArn,
    ...(logger ? { logger } : {}),
  });
}

let built: ConnectDecryptHandler | undefined;

/** The Lambda entry point. */
export const handler: ConnectDecryptHandler = (event) => {
  built ??= createOperatorDecrypt(
    createFieldEncryptor({
      keyring: { kind: 'kms', decryptKeyArns: [process.env.KEY_ARN as string] },
      context: IVR_CONTEXT,
    }),
    process.env.INSTANCE_ARN as string,
  );
  return built(event);
};
