import { runCli } from '@secblocks/core';
import { assertNoSentinel, createCapturingIo } from '@secblocks/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../src/cli/program.js';
import { type KmsEmulator, startKmsEmulator } from '../src/testing/index.js';
import { randomPan } from './helpers.js';

let kms: KmsEmulator;
let keyArn: string;
beforeAll(async () => {
  kms = await startKmsEmulator();
  keyArn = kms.createKey();
});
afterAll(() => kms.close());

const cli = async (args: string[], stdin = '') => {
  const cap = createCapturingIo();
  const code = await runCli(buildCli({ io: cap.io, readStdin: async () => stdin, version: '1.2.3' }), args);
  return { code, stdout: cap.stdout(), stderr: cap.stderr() };
};
const keyFlags = () => [
  '--key-id',
  keyArn,
  '--endpoint',
  kms.endpoint,
  '--region',
  'us-east-1',
  '--contact-id',
  'c-1',
];

describe('envelope-encrypt CLI', () => {
  it('encrypts stdin, decrypts it masked, and reveals only with --reveal', async () => {
    const pan = randomPan();
    const enc = await cli(['encrypt', ...keyFlags(), '--field', 'card'], `${pan}\n`);
    expect(enc.code).toBe(0);
    const ciphertext = enc.stdout.trim();
    expect(ciphertext).toMatch(/^[A-Za-z0-9_-]+$/);

    const masked = await cli(['decrypt', ...keyFlags(), '--field', 'card'], ciphertext);
    expect(masked.code).toBe(0);
    expect(masked.stdout.trim()).toBe(`************${pan.slice(-4)}`);
    assertNoSentinel(pan, masked.stdout, masked.stderr, enc.stdout, enc.stderr);

    const json = await cli(['--json', 'decrypt', ...keyFlags(), '--field', 'card'], ciphertext);
    expect(JSON.parse(json.stdout)).toEqual({ last4: pan.slice(-4), length: 16 });

    const revealed = await cli(['decrypt', ...keyFlags(), '--field', 'card', '--reveal'], ciphertext);
    expect(revealed.stdout.trim()).toBe(pan);
  });

  it('fails with exit code 1 and a typed error for another field', async () => {
    const enc = await cli(['encrypt', ...keyFlags(), '--field', 'zip'], '02139');
    const wrong = await cli(['decrypt', ...keyFlags(), '--field', 'card'], enc.stdout);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('CONTEXT_MISMATCH');
    assertNoSentinel('02139', wrong.stdout, wrong.stderr);
  });

  it('inspects a ciphertext without printing plaintext', async () => {
    const enc = await cli(['encrypt', ...keyFlags(), '--field', 'zip', '--context', 'app=ivr'], '02139');
    const info = await cli(['--json', 'inspect'], enc.stdout);
    expect(info.code).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({
      suiteId: '0x0478',
      encryptionContext: { app: 'ivr', contactId: 'c-1', field: 'zip' },
      encryptedDataKeys: [{ providerId: 'aws-kms', providerInfo: keyArn }],
    });
    expect(info.stdout).not.toContain('02139');
    const human = await cli(['inspect'], enc.stdout);
    expect(human.stdout).toContain('context     app=ivr');
  });

  it('exits 2 on usage errors', async () => {
    expect((await cli(['encrypt', '--field', 'f'])).code).toBe(2);
    expect((await cli(['encrypt', '--contact-id', 'c', '--field', 'f'], 'x')).code).toBe(2);
    expect((await cli(['decrypt', ...keyFlags(), '--field', 'f', '--context', 'novalue'], 'x')).code).toBe(2);
  });

  it('exits 1 on malformed ciphertext', async () => {
    const out = await cli(['inspect'], 'not a ciphertext!');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('MALFORMED_CIPHERTEXT');
  });
});
