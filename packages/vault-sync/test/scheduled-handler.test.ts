import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { createMemoryLogger } from '@secblocks/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createScheduledHandler,
  formatNotification,
  type RunNotification,
  type VaultSyncConfig,
  VaultSyncErrorCode,
} from '../src/index.js';
import { type Harness, startHarness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const configFor = (_h: Harness, extra: Partial<VaultSyncConfig> = {}): VaultSyncConfig => ({
  instanceId: 'lambda',
  vault: { mount: 'secret', connectionSecretId: 'ops/vault-connection' },
  target: { nameTemplate: '{{path}}', rateLimits: { create: 500, write: 500 } },
  ...extra,
});

describe('createScheduledHandler', () => {
  it('reads the Vault connection from a secret outside the replicated names and never overwrites it (B5)', async () => {
    h = await startHarness();
    await h.client.send(
      new CreateSecretCommand({
        Name: 'ops/vault-connection',
        SecretString: JSON.stringify({ address: h.vault.url, token: h.vault.rootToken }),
      }),
    );
    h.vault.write('secret', 'ops/vault-connection', { evil: 'overwrite' });
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    const notes: RunNotification[] = [];
    const logger = createMemoryLogger();
    const handler = createScheduledHandler({
      config: configFor(h),
      client: h.client,
      notify: async (n) => void notes.push(n),
      logger,
    });
    await expect(handler({})).rejects.toMatchObject({ code: VaultSyncErrorCode.RUN_FAILED });
    expect(
      logger.lines.some((l) => l.level === 'warn' && l.message.includes('inside the replicated name prefix')),
    ).toBe(true);
    expect(JSON.parse(h.sm.secret('ops/vault-connection')?.currentString ?? '{}')).toHaveProperty('address');
    expect(h.sm.secret('apps/db')).toBeDefined();
    expect(notes).toHaveLength(1);
    expect(notes[0]?.message).toContain(
      'ops/vault-connection (ops/vault-connection): conflict reserved-name',
    );
  });

  it('returns the report and sends nothing when every secret synced', async () => {
    h = await startHarness();
    await h.client.send(
      new CreateSecretCommand({
        Name: 'ops/vault-connection',
        SecretString: JSON.stringify({ address: h.vault.url, token: h.vault.rootToken }),
      }),
    );
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    const notes: RunNotification[] = [];
    const logger = createMemoryLogger();
    const handler = createScheduledHandler({
      config: configFor(h),
      client: h.client,
      notify: async (n) => void notes.push(n),
      logger,
    });
    const report = await handler();
    expect(report.ok).toBe(true);
    expect(notes).toEqual([]);
    expect(logger.lines.find((l) => l.message === 'vault-sync: run report')?.data).toMatchObject({
      outcome: { done: 1 },
    });
    // Built once per container: the second run does not read the connection secret again.
    await handler();
    expect(h.sm.count('GetSecretValue')).toBe(1);
  });

  it('throws RUN_FAILED and sends one aggregated notification when secrets fail (B12)', async () => {
    h = await startHarness();
    await h.client.send(
      new CreateSecretCommand({
        Name: 'ops/vault-connection',
        SecretString: JSON.stringify({ address: h.vault.url, token: h.vault.rootToken }),
      }),
    );
    h.sm.seed('apps/a', 'x');
    h.sm.seed('apps/b', 'x');
    h.vault.write('secret', 'apps/a', { p: '1' });
    h.vault.write('secret', 'apps/b', { p: '1' });
    const notes: RunNotification[] = [];
    const handler = createScheduledHandler({
      config: configFor(h),
      client: h.client,
      notify: async (n) => void notes.push(n),
    });
    await expect(handler()).rejects.toMatchObject({ code: VaultSyncErrorCode.RUN_FAILED });
    expect(notes).toHaveLength(1);
    expect(notes[0]?.subject).toBe('vault-sync lambda: 0 failed, 2 conflicts, 0 drift');
  });

  it('notifies and rethrows when the run cannot list Vault (sealed)', async () => {
    h = await startHarness();
    await h.client.send(
      new CreateSecretCommand({
        Name: 'ops/vault-connection',
        SecretString: JSON.stringify({ address: h.vault.url, token: h.vault.rootToken }),
      }),
    );
    h.vault.setSealed(true);
    const notes: RunNotification[] = [];
    const handler = createScheduledHandler({
      config: configFor(h),
      client: h.client,
      notify: async (n) => void notes.push(n),
    });
    await expect(handler()).rejects.toMatchObject({ code: VaultSyncErrorCode.VAULT_UNAVAILABLE });
    expect(notes[0]?.subject).toBe('vault-sync: run failed (VAULT_UNAVAILABLE)');
  });

  it('throws INVALID_CONFIG when the connection secret is missing', async () => {
    h = await startHarness();
    const handler = createScheduledHandler({ config: configFor(h), client: h.client });
    await expect(handler()).rejects.toMatchObject({ code: VaultSyncErrorCode.INVALID_CONFIG });
  });

  it('throws INVALID_OPTION when given neither config nor sync', () => {
    expect(() => createScheduledHandler({})).toThrow(/"config"/);
  });
});

describe('formatNotification', () => {
  it('lists at most 50 problems by name and reason', () => {
    const results = Array.from({ length: 60 }, (_, i) => ({
      type: 'conflict' as const,
      name: `n${i}`,
      reason: 'not-owned',
      status: 'conflict' as const,
    }));
    const n = formatNotification({
      instanceId: 'i',
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '',
      durationMs: 1,
      summary: { create: 0, update: 0, adopt: 0, drift: 0, delete: 0, restore: 0, skip: 0, conflict: 60 },
      results,
      outcome: { done: 0, skipped: 0, reported: 0, conflict: 60, failed: 0 },
      ok: false,
      apiCalls: { vault: {}, secretsManager: {} },
      throttles: 0,
    });
    expect(n.message.split('\n')).toHaveLength(52);
    expect(n.message).toContain('… and 10 more');
    expect(n.subject.length).toBeLessThanOrEqual(100);
  });
});
