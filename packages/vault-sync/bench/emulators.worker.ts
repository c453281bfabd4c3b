/**
 * Runs the Vault and Secrets Manager emulators on their own thread, so the benchmark measures the client's
 * concurrency against injected latency rather than the emulators' CPU time on the client's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startSecretsManagerEmulator, startVaultEmulator } from '../src/testing/index.js';

const { n, latencyMs } = workerData as { n: number; latencyMs: number };
const vault = await startVaultEmulator({ latencyMs });
const sm = await startSecretsManagerEmulator({ latencyMs, enforceQuotas: true });
for (let i = 0; i < n; i++) vault.write('secret', `s${i}`, { v: String(i) });
parentPort?.on('message', async (msg: string) => {
  if (msg === 'counts') {
    parentPort?.postMessage({
      type: 'counts',
      sm: sm.count(),
      throttled: sm.calls.length,
      vault: vault.count(),
    });
  } else if (msg === 'close') {
    await Promise.all([vault.close(), sm.close()]);
    parentPort?.close();
  }
});
parentPort?.postMessage({
  type: 'ready',
  vaultUrl: vault.url,
  rootToken: vault.rootToken,
  smEndpoint: sm.endpoint,
});
