/**
 * envelope-encrypt benchmark: counts, not wall time, wherever possible.
 *
 *   pnpm --filter @secblocks/envelope-encrypt bench            # N = 1000
 *   BENCH_N=100 pnpm --filter @secblocks/envelope-encrypt bench # quick run
 *
 * 1. KMS calls per N encryptions, each for a different contact: cached mode, uncached mode, and the AWS
 *    sample's design (new keyring + client per call, generator + wrapper key, signed default suite).
 * 2. base64url characters for a 16-digit card bound to a UUID contact ID (target ≤ 640).
 * 3. CPU time per encrypt and decrypt against a bare Encryption SDK call with the same suite and keyring
 *    in the same run (target ratio ≤ 1.2).
 * 4. Import time of the package entry (Lex handler) against importing @aws-crypto/client-node alone.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  AlgorithmSuiteIdentifier,
  buildClient,
  CommitmentPolicy,
  KmsKeyringNode,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
} from '@aws-crypto/client-node';
import { createFieldEncryptor } from '../src/index.js';
import { startKmsEmulator } from '../src/testing/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const N = Number(process.env.BENCH_N ?? 1000);
const PAN = '4111111111111111';
const rows: [string, string][] = [];
const print = (label: string, value: string) => {
  rows.push([label, value]);
  console.log(`${label.padEnd(62)} ${value}`);
};

const kms = await startKmsEmulator();
try {
  // 1. KMS calls per N encryptions.
  const keyArn = kms.createKey();
  const wrapperArn = kms.createKey();
  const cached = createFieldEncryptor({
    keyring: { kind: 'kms', generatorKeyId: keyArn, clientProvider: kms.clientProvider() },
    cache: { maxAge: 300_000, maxMessagesEncrypted: Math.max(N, 1000) },
  });
  const uncached = createFieldEncryptor({
    keyring: { kind: 'kms', generatorKeyId: keyArn, clientProvider: kms.clientProvider() },
  });
  const countCalls = async (encryptOne: (i: number) => Promise<unknown>) => {
    kms.resetCalls();
    for (let i = 0; i < N; i++) await encryptOne(i);
    return kms.count();
  };
  const cachedCalls = await countCalls((i) =>
    cached.encrypt(PAN, { contactId: randomUUID(), field: `f${i % 2}` }),
  );
  const uncachedCalls = await countCalls(() =>
    uncached.encrypt(PAN, { contactId: randomUUID(), field: 'card' }),
  );
  const provider = kms.clientProvider();
  let sampleSize = 0;
  const sampleCalls = await countCalls(async () => {
    // The AWS sample (aws-samples/amazon-connect-encryption): keyring and client built per invocation.
    const keyring = new KmsKeyringNode({
      generatorKeyId: keyArn,
      keyIds: [wrapperArn],
      clientProvider: provider,
    });
    const { encrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
    const { result } = await encrypt(keyring, PAN, {
      encryptionContext: { stage: 'dev', name: 'encryption-core', token: 'CHANGE-ME-TO-SOMETHING-BETTER' },
    });
    sampleSize = result.toString('base64').length;
  });
  print(`KMS calls per ${N} encryptions, cached mode`, `${cachedCalls}`);
  print(`KMS calls per ${N} encryptions, uncached (per-contact KMS context)`, `${uncachedCalls}`);
  print(
    `KMS calls per ${N} encryptions, AWS sample design`,
    `${sampleCalls}  (cached is ${(sampleCalls / Math.max(1, cachedCalls)).toFixed(0)}x fewer)`,
  );

  // 2. Size of a 16-digit card.
  const contactId = randomUUID();
  const uncachedText = await uncached.encrypt(PAN, { contactId, field: 'cardNumber' });
  const cachedText = await cached.encrypt(PAN, { contactId, field: 'cardNumber' });
  print('base64url chars, 16-digit card, uncached (target <= 640)', `${uncachedText.length}`);
  print('base64url chars, 16-digit card, cached (adds binding=header)', `${cachedText.length}`);
  print(
    'base64 chars, 16-digit card, AWS sample design',
    `${sampleSize}  (ratio ${(sampleSize / uncachedText.length).toFixed(2)})`,
  );
} finally {
  await kms.close();
}

// 3. CPU per operation vs a bare Encryption SDK call, same suite, same raw AES keyring (no KMS noise).
{
  const key = randomBytes(32);
  const keyring = new RawAesKeyringNode({
    keyNamespace: 'bench',
    keyName: 'k',
    unencryptedMasterKey: new Uint8Array(key),
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
  const bare = buildClient({
    commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
    maxEncryptedDataKeys: 1,
  });
  const ours = createFieldEncryptor({
    keyring: { kind: 'raw-aes', keyNamespace: 'bench', keyName: 'k', wrappingKey: key },
  });
  const suiteId = AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY;
  const binding = { contactId: randomUUID(), field: 'cardNumber' };
  const context = { contactId: binding.contactId, field: binding.field };
  // Both sides decrypt the same message, so only the code path differs.
  const oursText = await ours.encrypt(PAN, binding);
  const bareText = Buffer.from(oursText, 'base64url');
  // The machine is shared: alternate short batches of each side so load drift hits both alike, and
  // compare the summed CPU time of each side.
  const batch = 50;
  const rounds = Math.max(8, Math.ceil(N / batch));
  const cpuOf = async (fn: () => Promise<unknown>) => {
    const start = process.cpuUsage();
    for (let i = 0; i < batch; i++) await fn();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  const sides = {
    bareEncrypt: () => bare.encrypt(keyring, PAN, { suiteId, encryptionContext: context }),
    oursEncrypt: () => ours.encrypt(PAN, binding),
    bareDecrypt: () => bare.decrypt(keyring, bareText),
    oursDecrypt: () => ours.decrypt(oursText, binding),
  };
  const totals = { bareEncrypt: 0, oursEncrypt: 0, bareDecrypt: 0, oursDecrypt: 0 };
  const roundRatios = { encrypt: [] as number[], decrypt: [] as number[] };
  for (const fn of Object.values(sides)) for (let i = 0; i < 50; i++) await fn(); // warm-up
  for (let r = 0; r < rounds; r++) {
    // Rotate the order each round so no side always runs right after another's garbage.
    const names = Object.keys(sides) as (keyof typeof sides)[];
    const round = { bareEncrypt: 0, oursEncrypt: 0, bareDecrypt: 0, oursDecrypt: 0 };
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length] as keyof typeof sides;
      round[name] = await cpuOf(sides[name]);
      totals[name] += round[name];
    }
    roundRatios.encrypt.push(round.oursEncrypt / round.bareEncrypt);
    roundRatios.decrypt.push(round.oursDecrypt / round.bareDecrypt);
  }
  const ops = rounds * batch;
  // The median of per-round ratios: a load spike on a shared machine spoils one round, not the figure.
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const per = (ms: number) => (ms / ops).toFixed(3);
  print(
    'CPU ms per encrypt: bare ESDK / envelope-encrypt',
    `${per(totals.bareEncrypt)} / ${per(totals.oursEncrypt)}  median ratio ${median(roundRatios.encrypt).toFixed(2)} (target <= 1.2)`,
  );
  print(
    'CPU ms per decrypt: bare ESDK / envelope-encrypt',
    `${per(totals.bareDecrypt)} / ${per(totals.oursDecrypt)}  median ratio ${median(roundRatios.decrypt).toFixed(2)} (target <= 1.2)`,
  );
}
// 4. Import time of the entry point that holds createLexV2Handler (built dist), vs the ESDK alone.
{
  const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  const importMs = (specifier: string) => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const out = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t);`,
        ],
        { encoding: 'utf8', cwd: fileURLToPath(new URL('..', import.meta.url)) },
      );
      times.push(Number(out.trim()));
    }
    return times.sort((a, b) => a - b)[1] as number;
  };
  try {
    const ours = importMs(entry);
    const esdk = importMs('@aws-crypto/client-node');
    print(
      'import ms: @aws-crypto/client-node / envelope-encrypt entry',
      `${esdk.toFixed(0)} / ${ours.toFixed(0)}  ratio ${(ours / esdk).toFixed(2)}`,
    );
  } catch {
    print('import ms', 'skipped: run `pnpm build` first');
  }
}
