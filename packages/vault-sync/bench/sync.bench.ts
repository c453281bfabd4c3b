/**
 * vault-sync benchmark, run against the loopback emulators with the real node-vault and AWS SDK clients.
 *
 *   pnpm --filter @secblocks/vault-sync bench                      # full size (2,000 / 10,000 secrets)
 *   VAULT_SYNC_BENCH_N=200 VAULT_SYNC_BENCH_STEADY_N=1000 pnpm … bench   # quick run
 *
 * 1. Steady state, N secrets, nothing changed: API call counts.
 * 2. 20 ms injected latency per call, the Secrets Manager emulator enforcing the published quotas:
 *    initial sync and steady state, vault-sync vs a sequential baseline written like the AWS sample.
 * 3. Fault run: 5 % injected throttling/5xx on both sides until the run converges; duplicate versions.
 *
 * Prints figures and ratios; asserts nothing about wall time.
 */

import { Worker } from 'node:worker_threads';
import {
  CreateSecretCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  type SecretListEntry,
  SecretsManagerClient,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { testCredentials } from '@secblocks/core/testing';
import nodeVault from 'node-vault';
import {
  createSecretsManagerTarget,
  createVaultSource,
  OWNER_TAG,
  SOURCE_TAG,
  sync,
  versionToken,
} from '../src/index.js';
import { startSecretsManagerEmulator, startVaultEmulator } from '../src/testing/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const N = Number(process.env.VAULT_SYNC_BENCH_N ?? 2000);
const STEADY_N = Number(process.env.VAULT_SYNC_BENCH_STEADY_N ?? 10_000);
const LATENCY_MS = 20;

const smClient = (endpoint: string) =>
  new SecretsManagerClient({ endpoint, region: 'us-east-1', credentials: testCredentials() });
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function steadyStateCounts(): Promise<void> {
  const t0 = Date.parse('2026-01-01T00:00:00.000Z');
  const vault = await startVaultEmulator({ now: () => t0 });
  const sm = await startSecretsManagerEmulator();
  for (let i = 0; i < STEADY_N; i++) {
    const path = `apps/team${i % 50}/s${i}`;
    vault.write('secret', path, { v: String(i) });
    const versionId = versionToken({
      instanceId: 'bench',
      name: path,
      namespace: '',
      mount: 'secret',
      path,
      version: 1,
      createdTime: '2026-01-01T00:00:00.000000000Z',
      transform: 'json',
    });
    sm.seed(path, '{}', { [OWNER_TAG]: 'bench', [SOURCE_TAG]: `/secret/${path}` }, versionId);
  }
  const client = smClient(sm.endpoint);
  const source = createVaultSource({
    endpoint: vault.url,
    mount: 'secret',
    auth: { method: 'token', token: vault.rootToken },
    concurrency: 32,
    requestsPerSecond: 100_000,
  });
  const target = createSecretsManagerTarget({ client, nameTemplate: '{{path}}', rateLimits: { list: 1000 } });
  const report = await sync(source, target, { instanceId: 'bench' });
  console.log(`\n## Steady state, N = ${STEADY_N}, nothing changed`);
  console.log(
    `ListSecrets calls:        ${sm.count('ListSecrets')} (⌈N/100⌉ = ${Math.ceil(STEADY_N / 100)})`,
  );
  console.log(`other Secrets Manager:    ${sm.count() - sm.count('ListSecrets')}`);
  console.log(`GetSecretValue calls:     ${sm.count('GetSecretValue')}`);
  console.log(`Vault data reads:         ${vault.count('data')}`);
  console.log(`Vault metadata reads:     ${vault.count('metadata')} (N = ${STEADY_N})`);
  console.log(`Vault LISTs (folders):    ${vault.count('list')}`);
  console.log(`actions:                  ${JSON.stringify(report.summary)}`);
  client.destroy();
  await Promise.all([vault.close(), sm.close()]);
}

/** The AWS sample's algorithm, sequential, with its update path fixed and pagination added so it works at all. */
async function baselineRun(vaultUrl: string, token: string, client: SecretsManagerClient) {
  const vault = nodeVault({ endpoint: vaultUrl, token, noCustomHTTPVerbs: true });
  const keys = ((await vault.list('secret/metadata/')) as { data: { keys: string[] } }).data.keys;
  const existing = new Map<string, SecretListEntry>();
  let next: string | undefined;
  do {
    const page = await client.send(
      new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['sample/'] }], NextToken: next }),
    );
    for (const s of page.SecretList ?? []) existing.set(s.Name as string, s);
    next = page.NextToken;
  } while (next);
  let failed = 0;
  for (const key of keys) {
    const name = `sample/${key}`;
    try {
      const found = existing.get(name);
      if (!found) {
        const data = (await vault.read(`secret/data/${key}`)) as {
          data: { data: unknown; metadata: { version: number } };
        };
        await client.send(
          new CreateSecretCommand({
            Name: name,
            SecretString: JSON.stringify(data.data.data),
            Tags: [{ Key: 'version', Value: String(data.data.metadata.version) }],
          }),
        );
      } else {
        const meta = (await vault.read(`secret/metadata/${key}`)) as { data: { current_version: number } };
        if (String(meta.data.current_version) !== found.Tags?.find((t) => t.Key === 'version')?.Value) {
          const data = (await vault.read(`secret/data/${key}`)) as { data: { data: unknown } };
          await client.send(
            new PutSecretValueCommand({ SecretId: found.ARN, SecretString: JSON.stringify(data.data.data) }),
          );
          await client.send(
            new TagResourceCommand({
              SecretId: found.ARN,
              Tags: [{ Key: 'version', Value: String(meta.data.current_version) }],
            }),
          );
        }
      }
    } catch {
      failed++;
    }
  }
  return failed;
}

let baseline = { initial: Number.NaN, steady: Number.NaN };

interface Emulators {
  vaultUrl: string;
  rootToken: string;
  smEndpoint: string;
  close(): Promise<void>;
}

/** Starts both emulators, with N secrets in Vault, on a worker thread. */
function startWorker(n: number): Promise<Emulators> {
  const worker = new Worker(new URL('./emulators-worker-loader.mjs', import.meta.url), {
    workerData: { n, latencyMs: LATENCY_MS },
  });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: { vaultUrl: string; rootToken: string; smEndpoint: string }) =>
      resolve({
        ...m,
        close: async () => {
          worker.postMessage('close');
          await new Promise((r) => worker.once('exit', r));
        },
      }),
    );
  });
}

async function latencyComparison(): Promise<void> {
  console.log(`\n## ${N} secrets, ${LATENCY_MS} ms latency per call, quotas enforced by the emulator`);
  // Baseline
  {
    const emu = await startWorker(N);
    const client = smClient(emu.smEndpoint);
    let t = performance.now();
    const f1 = await baselineRun(emu.vaultUrl, emu.rootToken, client);
    const initial = performance.now() - t;
    t = performance.now();
    const f2 = await baselineRun(emu.vaultUrl, emu.rootToken, client);
    const steady = performance.now() - t;
    console.log(
      `baseline (sequential, AWS-sample style): initial ${seconds(initial)} (${f1} failed), steady state ${seconds(steady)} (${f2} failed)`,
    );
    client.destroy();
    await emu.close();
    baseline = { initial, steady };
  }
  // vault-sync, default rate limits (≤ 40 % of each quota)
  {
    const emu = await startWorker(N);
    const client = smClient(emu.smEndpoint);
    const source = createVaultSource({
      endpoint: emu.vaultUrl,
      mount: 'secret',
      auth: { method: 'token', token: emu.rootToken },
    });
    const target = createSecretsManagerTarget({ client, nameTemplate: 'vs/{{path}}' });
    let t = performance.now();
    const r1 = await sync(source, target, { instanceId: 'bench', concurrency: 16 });
    const initial = performance.now() - t;
    t = performance.now();
    const r2 = await sync(source, target, { instanceId: 'bench' });
    const steady = performance.now() - t;
    const base = baseline;
    console.log(
      `vault-sync (default limits):              initial ${seconds(initial)} (${r1.outcome.failed} failed, ${r1.throttles} throttles retried), steady state ${seconds(steady)} (${r2.outcome.failed} failed)`,
    );
    console.log(`steady state speed-up vs baseline:        ${(base.steady / steady).toFixed(1)}×`);
    console.log(
      `initial sync vs baseline:                 ${(base.initial / initial).toFixed(2)}× (creates are paced at 20/s, 40 % of the CreateSecret quota)`,
    );
    console.log(
      `throttling errors surfaced:               ${r1.results.concat(r2.results).filter((r) => r.error?.message.includes('Throttling')).length}`,
    );
    console.log(`steady-state calls:                       ${JSON.stringify(r2.apiCalls)}`);
    client.destroy();
    await emu.close();
  }
}

async function faultRun(): Promise<void> {
  const n = Math.max(50, Math.floor(N / 4));
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const vault = await startVaultEmulator({ faults: { rate: 0.05, random } });
  const sm = await startSecretsManagerEmulator({ faults: { rate: 0.05, random } });
  for (let i = 0; i < n; i++) vault.write('secret', `s${i}`, { v: String(i) });
  const client = smClient(sm.endpoint);
  const source = createVaultSource({
    endpoint: vault.url,
    mount: 'secret',
    auth: { method: 'token', token: vault.rootToken },
    baseDelayMs: 20,
  });
  const target = createSecretsManagerTarget({
    client,
    nameTemplate: 'vs/{{path}}',
    rateLimits: { create: 200, write: 200 },
  });
  let runs = 0;
  let ok = false;
  let throttles = 0;
  while (!ok && runs < 5) {
    runs++;
    try {
      const r = await sync(source, target, { instanceId: 'bench' });
      ok = r.ok;
      throttles += r.throttles;
    } catch {
      // A listing that failed after all retries: the next scheduled run tries again.
    }
  }
  const duplicates = sm.names().reduce((sum, name) => sum + sm.versionCount(name) - 1, 0);
  console.log(`\n## Fault run: ${n} secrets, 5 % injected throttling/5xx on both sides`);
  console.log(
    `runs until converged: ${runs} (${ok ? 'converged' : 'NOT converged'}); secrets: ${sm.names().length}; duplicate versions: ${duplicates}; throttles retried by vault-sync (the SDK retries first): ${throttles}`,
  );
  console.log(`Secrets Manager calls: ${sm.count()}; Vault requests: ${vault.count()}`);
  client.destroy();
  await Promise.all([vault.close(), sm.close()]);
}

await steadyStateCounts();
await latencyComparison();
await faultRun();
