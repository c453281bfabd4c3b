// The three runs of the demo, as a function the demo prints and the tests assert on. Everything runs
// against loopback emulators of Vault and Secrets Manager; the replicator is configured exactly as the
// Lambda is (same JSON configuration, same connection secret), only the endpoints differ.
import {
  CreateSecretCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { testCredentials } from '@secblocks/core/testing';
import {
  apply,
  createFromConfig,
  formatNotification,
  plan,
  type SyncPlan,
  type SyncReport,
  type VaultSyncConfig,
} from '@secblocks/vault-sync';
import {
  type SecretsManagerEmulator,
  startSecretsManagerEmulator,
  startVaultEmulator,
  type VaultEmulator,
} from '@secblocks/vault-sync/testing';

/** The Vault connection secret: deliberately outside the replicated `vault/` prefix. */
export const CONNECTION_SECRET = 'ops/vault-sync/connection';

/** The configuration the Lambda reads from `VAULT_SYNC_CONFIG` (endpoint added for the emulator). */
export const replicationConfig = (endpoint?: string): VaultSyncConfig => ({
  instanceId: 'prod-vault-sync',
  vault: { mount: 'secret', basePath: 'apps', connectionSecretId: CONNECTION_SECRET },
  target: {
    nameTemplate: 'vault/{{path}}',
    tags: { 'cost-center': 'platform' },
    ...(endpoint ? { endpoint, region: 'us-east-1' } : {}),
  },
  drift: 'revert',
  deletion: { policy: 'schedule', recoveryWindowInDays: 7 },
});

/** Illustrative placeholder values: the demo never prints them. */
const SEED: Record<string, Record<string, string>> = {
  'apps/billing/db': { username: 'billing', password: 'demo-billing-db-1' },
  'apps/billing/stripe': { apiKey: 'demo-stripe-key-1' },
  'apps/web/session': { signingKey: 'demo-session-key-1' },
  'apps/web/oauth': { clientId: 'web', clientSecret: 'demo-oauth-secret-1' },
  'apps/search/opensearch': { username: 'search', password: 'demo-search-1' },
  'apps/reports/warehouse': { username: 'reports', password: 'demo-warehouse-1' },
  'apps/mail/smtp': { username: 'mailer', password: 'demo-smtp-1' },
  'apps/queue/rabbitmq': { username: 'queue', password: 'demo-rabbit-1' },
  'apps/legacy/ftp': { username: 'legacy', password: 'demo-ftp-1' },
};

/** One run: its plan, its report, and the notification the Lambda would publish (if any). */
export interface ScenarioRun {
  title: string;
  plan: SyncPlan;
  report: SyncReport;
  notification?: { subject: string; message: string };
}

/** The emulators and client of a scenario, for assertions. */
export interface Scenario {
  vault: VaultEmulator;
  sm: SecretsManagerEmulator;
  client: SecretsManagerClient;
  /** Plans, prints via `onPlan`, then applies — what `vault-sync plan` + `vault-sync apply` do. */
  run(title: string, onPlan?: (p: SyncPlan) => void): Promise<ScenarioRun>;
  close(): Promise<void>;
}

/** Starts both emulators, seeds Vault, and stores the connection secret in Secrets Manager. */
export async function startScenario(): Promise<Scenario> {
  const vault = await startVaultEmulator();
  const sm = await startSecretsManagerEmulator();
  const client = new SecretsManagerClient({
    endpoint: sm.endpoint,
    region: 'us-east-1',
    credentials: testCredentials(),
  });
  for (const [path, data] of Object.entries(SEED)) vault.write('secret', path, data);
  // Least privilege on the Vault side too: read and list under apps/ only.
  const token = vault.createToken({
    policies: [
      { path: 'secret/metadata/apps/*', capabilities: ['read', 'list'] },
      { path: 'secret/data/apps/*', capabilities: ['read'] },
    ],
  });
  await client.send(
    new CreateSecretCommand({
      Name: CONNECTION_SECRET,
      SecretString: JSON.stringify({ address: vault.url, token }),
    }),
  );
  const config = replicationConfig(sm.endpoint);
  return {
    vault,
    sm,
    client,
    async run(title, onPlan) {
      // The Lambda builds these once per container; the demo rebuilds them per run like a fresh container.
      const { source, target, options } = await createFromConfig(config, { client });
      const p = await plan(source, target, options);
      onPlan?.(p);
      const report = await apply(p, { ...options, source, target });
      const problems = report.outcome.failed + report.outcome.conflict + report.outcome.reported;
      return {
        title,
        plan: p,
        report,
        ...(problems > 0 ? { notification: formatNotification(report) } : {}),
      };
    },
    async close() {
      client.destroy();
      await Promise.all([vault.close(), sm.close()]);
    },
  };
}

/** Run 2's changes: a new version in Vault and an out-of-band edit in Secrets Manager. */
export async function changeVaultAndDrift(s: Scenario): Promise<void> {
  s.vault.write('secret', 'apps/billing/db', { username: 'billing', password: 'demo-billing-db-2' });
  // Someone "fixes" a secret by hand in the console: a new AWSCURRENT version vault-sync did not write.
  await s.client.send(
    new PutSecretValueCommand({
      SecretId: 'vault/apps/web/session',
      SecretString: JSON.stringify({ signingKey: 'edited-by-hand' }),
    }),
  );
}

/** Run 3's change: a secret removed from Vault for good. */
export function deleteFromVault(s: Scenario): void {
  s.vault.deleteMetadata('secret', 'apps/legacy/ftp');
}
