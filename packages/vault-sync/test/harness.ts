import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { testCredentials } from '@secblocks/core/testing';
import {
  createSecretsManagerTarget,
  createVaultSource,
  type SecretsManagerTargetOptions,
  type VaultSourceOptions,
} from '../src/index.js';
import {
  type SecretsManagerEmulator,
  type SecretsManagerEmulatorOptions,
  startSecretsManagerEmulator,
  startVaultEmulator,
  type VaultEmulator,
  type VaultEmulatorOptions,
} from '../src/testing/index.js';

export interface Harness {
  vault: VaultEmulator;
  sm: SecretsManagerEmulator;
  client: SecretsManagerClient;
  source(overrides?: Partial<VaultSourceOptions>): ReturnType<typeof createVaultSource>;
  target(overrides?: Partial<SecretsManagerTargetOptions>): ReturnType<typeof createSecretsManagerTarget>;
  close(): Promise<void>;
}

/** Starts both emulators and builds a source and target on the real node-vault and SDK clients. */
export async function startHarness(
  options: { vault?: VaultEmulatorOptions; sm?: SecretsManagerEmulatorOptions } = {},
): Promise<Harness> {
  const vault = await startVaultEmulator(options.vault);
  const sm = await startSecretsManagerEmulator(options.sm);
  const client = new SecretsManagerClient({
    endpoint: sm.endpoint,
    region: 'us-east-1',
    credentials: testCredentials(),
    maxAttempts: 1,
  });
  return {
    vault,
    sm,
    client,
    source: (overrides = {}) =>
      createVaultSource({
        endpoint: vault.url,
        mount: 'secret',
        auth: { method: 'token', token: vault.rootToken },
        baseDelayMs: 1,
        ...overrides,
      }),
    target: (overrides = {}) =>
      createSecretsManagerTarget({
        client,
        nameTemplate: 'vault/{{path}}',
        baseDelayMs: 1,
        // Fast tests: the default buckets (≤ 40 % of the quotas) are exercised by the bench.
        rateLimits: {
          list: 1000,
          read: 1000,
          write: 1000,
          tag: 1000,
          create: 1000,
          delete: 1000,
          restore: 1000,
        },
        ...overrides,
      }),
    close: async () => {
      client.destroy();
      await Promise.all([vault.close(), sm.close()]);
    },
  };
}
