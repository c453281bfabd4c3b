import { afterEach, describe, expect, it } from 'vitest';
import { plan, sync, VaultSyncErrorCode } from '../src/index.js';
import { type Harness, startHarness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('createSecretsManagerTarget', () => {
  it('paces each API group with its token bucket: never more than 1.1 × the rate in any second (B13)', async () => {
    h = await startHarness({ sm: { enforceQuotas: true } });
    for (let i = 0; i < 30; i++) h.vault.write('secret', `apps/s${i}`, { v: String(i) });
    const stamps: number[] = [];
    h.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'CreateSecretCommand') stamps.push(performance.now());
        return next(args);
      },
      { step: 'initialize', name: 'stamp' },
    );
    const report = await sync(h.source(), h.target({ rateLimits: { create: 10 } }), {
      instanceId: 'paced',
      concurrency: 32,
    });
    expect(report.outcome.done).toBe(30);
    expect(report.throttles).toBe(0);
    expect(stamps).toHaveLength(30);
    const busiest = Math.max(...stamps.map((t) => stamps.filter((u) => u >= t && u < t + 1000).length));
    expect(busiest).toBeLessThanOrEqual(11);
  });

  it('retries ThrottlingException and 5xx on every call and surfaces none', async () => {
    h = await startHarness();
    for (let i = 0; i < 5; i++) h.vault.write('secret', `apps/s${i}`, { v: String(i) });
    h.sm.failNext('ListSecrets', { type: 'ThrottlingException' }, 2);
    h.sm.failNext('CreateSecret', { type: 'ThrottlingException' }, 3);
    h.sm.failNext('CreateSecret', { type: 'InternalServiceError', status: 500 }, 1);
    const report = await sync(h.source(), h.target(), { instanceId: 'prod' });
    expect(report.ok).toBe(true);
    expect(report.throttles).toBe(5);
    expect(h.sm.names()).toHaveLength(5);
  });

  it('fails a listing with TARGET_FAILED naming the operation when retries run out', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/s', { v: '1' });
    h.sm.failNext('ListSecrets', { type: 'ThrottlingException' }, 10);
    await expect(
      plan(h.source(), h.target({ maxAttempts: 2 }), { instanceId: 'prod' }),
    ).rejects.toMatchObject({
      code: VaultSyncErrorCode.TARGET_FAILED,
      message: expect.stringContaining('ListSecrets'),
    });
  });
});

describe('plan', () => {
  it('throws INVALID_OPTION naming the option for bad policies', async () => {
    h = await startHarness();
    const run = (o: Record<string, unknown>) => plan(h.source(), h.target(), { instanceId: 'prod', ...o });
    await expect(run({ instanceId: 'has space' })).rejects.toThrow(/"instanceId"/);
    await expect(run({ drift: 'ignore' })).rejects.toThrow(/"drift"/);
    await expect(run({ deletion: { policy: 'schedule', recoveryWindowInDays: 3 } })).rejects.toThrow(
      /"deletion.recoveryWindowInDays"/,
    );
    await expect(run({ deletion: { policy: 'purge' } })).rejects.toThrow(/"deletion.policy"/);
    await expect(run({ massDeletion: { maxFraction: 2 } })).rejects.toThrow(/"massDeletion.maxFraction"/);
    expect(h.vault.count()).toBe(0);
  });
});
