import { type CliIo, cliOutput, createCliProgram, usageError } from '@secblocks/core';
import { createFieldEncryptor, type FieldEncryptor } from '../field-encryptor.js';
import { inspectCiphertext } from '../message-header.js';

type Command = ReturnType<typeof createCliProgram>;

/** What the CLI needs from its environment (tests pass fakes). @internal */
export interface CliEnvironment {
  io?: CliIo;
  /** Reads all of stdin. */
  readStdin: () => Promise<string>;
  version: string;
}

interface KeyFlags {
  keyId?: string[];
  region?: string;
  endpoint?: string;
  context?: string[];
  contactId: string;
  field: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

const parseContext = (pairs: string[] = []): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw usageError('--context expects key=value');
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
};

const encryptorFor = (flags: KeyFlags, direction: 'encrypt' | 'decrypt'): FieldEncryptor => {
  const keys = flags.keyId ?? [];
  if (keys.length === 0) throw usageError('--key-id is required');
  const clientConfig = {
    ...(flags.region ? { region: flags.region } : {}),
    ...(flags.endpoint ? { endpoint: flags.endpoint } : {}),
  };
  return createFieldEncryptor({
    keyring:
      direction === 'encrypt'
        ? {
            kind: 'kms',
            generatorKeyId: keys[0] as string,
            additionalKeyIds: keys.slice(1),
            decryptKeyArns: [],
            clientConfig,
          }
        : { kind: 'kms', decryptKeyArns: keys, clientConfig },
    context: parseContext(flags.context),
  });
};

const withKeyFlags = (command: Command): Command =>
  command
    .requiredOption('--contact-id <id>', 'the Connect contact ID the value is bound to')
    .requiredOption('--field <name>', 'the field (slot) name the value is bound to')
    .option('--key-id <key>', 'KMS key (repeat for more; decrypt needs key ARNs)', collect)
    .option('--context <key=value>', 'static encryption context pair (repeatable)', collect)
    .option('--region <region>', 'AWS region (default: from the key ARN or the environment)')
    .option('--endpoint <url>', 'KMS endpoint override (VPC endpoint, emulator)');

/**
 * Builds the `envelope-encrypt` command: `encrypt` and `decrypt` read stdin; `decrypt` prints the last
 * four characters unless `--reveal`; `inspect` prints a ciphertext's header, never plaintext. @internal
 */
export function buildCli(env: CliEnvironment): Command {
  const program = createCliProgram({
    name: 'envelope-encrypt',
    version: env.version,
    description: 'Encrypt, decrypt and inspect caller-input ciphertexts (AWS Encryption SDK + KMS)',
    ...(env.io ? { io: env.io } : {}),
  });

  withKeyFlags(
    program.command('encrypt').description('encrypt the value read from stdin; prints base64url'),
  ).action(async (flags: KeyFlags, command: Command) => {
    const value = (await env.readStdin()).replace(/\r?\n$/, '');
    if (value.length === 0) throw usageError('nothing to encrypt on stdin');
    const ciphertext = await encryptorFor(flags, 'encrypt').encrypt(value, {
      contactId: flags.contactId,
      field: flags.field,
    });
    cliOutput(command).result({ ciphertext }, (r) => r.ciphertext);
  });

  withKeyFlags(
    program
      .command('decrypt')
      .description('decrypt the ciphertext read from stdin; prints the last 4 characters unless --reveal'),
  )
    .option('--reveal', 'print the whole plaintext (it then lands in your terminal and shell history)')
    .action(async (flags: KeyFlags & { reveal?: boolean }, command: Command) => {
      const ciphertext = (await env.readStdin()).trim();
      const plaintext = await encryptorFor(flags, 'decrypt').decrypt(ciphertext, {
        contactId: flags.contactId,
        field: flags.field,
      });
      const value = plaintext.reveal();
      const out = cliOutput(command);
      if (flags.reveal) out.result({ value }, (r) => r.value);
      else {
        const last4 = value.length > 4 ? value.slice(-4) : '';
        out.result(
          { last4, length: value.length },
          (r) => `${'*'.repeat(Math.max(0, r.length - 4))}${r.last4}`,
        );
      }
    });

  program
    .command('inspect')
    .description('print the header of the ciphertext read from stdin (suite, key IDs, context, sizes)')
    .action(async (_flags: unknown, command: Command) => {
      const info = inspectCiphertext((await env.readStdin()).trim());
      cliOutput(command).result(info, (i) =>
        [
          `suite       ${i.suiteId} ${i.suiteName}`,
          `committing  ${i.committing}   signed ${i.signed}`,
          ...i.encryptedDataKeys.map((k) => `data key    ${k.providerId} ${k.providerInfo} (${k.bytes} B)`),
          ...Object.entries(i.encryptionContext).map(([k, v]) => `context     ${k}=${v}`),
          `size        ${i.messageBytes} B, ${i.base64urlChars} base64url chars`,
        ].join('\n'),
      );
    });

  return program;
}
