import { createMemoryLogger } from '@secblocks/core/testing';
import type { RunNotification } from '@secblocks/vault-sync';
import { afterEach, describe, expect, it } from 'vitest';
import { createReplicationHandler } from '../src/handler.js';
import {
  CONNECTION_SECRET,
  changeVaultAndDrift,
  deleteFromVault,
  replicationConfig,
  type Scenario,
  startScenario,
} from '../src/scenario.js';

let s: Scenario | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('secrets-replication scenario', () => {
  it('creates, updates, reverts drift and schedules a deletion over three runs', async () => {
    s = await startScenario();
    const r1 = await s.run('initial');
    expect(r1.plan.summary.create).toBe(9);
    expect(r1.report.ok).toBe(true);
    expect(s.sm.secret('vault/apps/billing/db')?.tags).toMatchObject({
      'vault-sync:owner': 'prod-vault-sync',
    });

    await changeVaultAndDrift(s);
    const r2 = await s.run('update and drift');
    expect(r2.plan.actions.filter((a) => a.type !== 'skip').map((a) => [a.type, a.name])).toEqual([
      ['update', 'vault/apps/billing/db'],
      ['drift', 'vault/apps/web/session'],
    ]);
    expect(JSON.parse(s.sm.secret('vault/apps/billing/db')?.currentString ?? '{}').password).toBe(
      'demo-billing-db-2',
    );
    expect(JSON.parse(s.sm.secret('vault/apps/web/session')?.currentString ?? '{}').signingKey).toBe(
      'demo-session-key-1',
    );

    deleteFromVault(s);
    const r3 = await s.run('deletion');
    expect(r3.plan.actions.filter((a) => a.type === 'delete')).toEqual([
      expect.objectContaining({ name: 'vault/apps/legacy/ftp', recoveryWindowInDays: 7 }),
    ]);
    expect(s.sm.secret('vault/apps/legacy/ftp')?.deletedDate).toBeInstanceOf(Date);
    // The connection secret is never touched by the replicator.
    expect(s.sm.versionCount(CONNECTION_SECRET)).toBe(1);
  });
});

describe('createReplicationHandler', () => {
  it('syncs from the environment configuration and publishes nothing when all is well', async () => {
    s = await startScenario();
    const notes: RunNotification[] = [];
    const logger = createMemoryLogger();
    const handler = createReplicationHandler({
      env: { VAULT_SYNC_CONFIG: JSON.stringify(replicationConfig(s.sm.endpoint)) },
      secretsManager: s.client,
      publish: async (n) => void notes.push(n),
      logger,
    });
    const report = await handler({});
    expect(report.outcome.done).toBe(9);
    expect(notes).toEqual([]);
    // Steady state: a second run reads no secret value from Vault.
    const reads = s.vault.count('data');
    await handler({});
    expect(s.vault.count('data')).toBe(reads);
    // Neither the Vault token nor any secret value reaches the logs.
    expect(logger.text()).not.toMatch(/demo-billing-db|hvs\.|"token"/);
  });

  it('publishes one notification and throws when Vault is sealed', async () => {
    s = await startScenario();
    const notes: RunNotification[] = [];
    const handler = createReplicationHandler({
      env: { VAULT_SYNC_CONFIG: JSON.stringify(replicationConfig(s.sm.endpoint)) },
      secretsManager: s.client,
      publish: async (n) => void notes.push(n),
      logger: createMemoryLogger(),
    });
    s.vault.setSealed(true);
    await expect(handler({})).rejects.toThrow();
    expect(notes).toHaveLength(1);
    expect(notes[0]?.subject).toMatch(/^vault-sync: run failed/);
  });

  it('fails at cold start when the configuration is missing', () => {
    expect(() => createReplicationHandler({ env: {} })).toThrow('VAULT_SYNC_CONFIG is not set');
  });
});
