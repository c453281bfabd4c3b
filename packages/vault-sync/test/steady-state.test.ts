import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER_TAG, SOURCE_TAG, sync, versionToken } from '../src/index.js';
import { type Harness, startHarness } from './harness.js';

const N = 10_000;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
let h: Harness;
beforeAll(async () => {
  // A fixed Vault clock makes every version's created_time known, so the target can be seeded directly.
  h = await startHarness({ vault: { now: () => T0 } });
});
afterAll(async () => {
  await h?.close();
});

describe('sync', () => {
  it(`costs exactly ⌈N/100⌉ ListSecrets, N metadata reads and no value reads when nothing changed (N = ${N})`, {
    timeout: 240_000,
  }, async () => {
    for (let i = 0; i < N; i++) {
      const path = `apps/team${i % 50}/s${i}`;
      const name = `vault/${path}`;
      h.vault.write('secret', path, { v: String(i) });
      const versionId = versionToken({
        instanceId: 'prod',
        name,
        namespace: '',
        mount: 'secret',
        path,
        version: 1,
        createdTime: '2026-01-01T00:00:00.000000000Z',
        transform: 'json',
      });
      h.sm.seed(
        name,
        JSON.stringify({ v: String(i) }),
        { [OWNER_TAG]: 'prod', [SOURCE_TAG]: `/secret/${path}` },
        versionId,
      );
    }
    const source = h.source({ concurrency: 32, requestsPerSecond: 100_000 });
    const report = await sync(source, h.target(), { instanceId: 'prod' });
    expect(report.summary.skip).toBe(N);
    expect(h.sm.count()).toBe(Math.ceil(N / 100));
    expect(h.sm.count('ListSecrets')).toBe(N / 100);
    expect(h.vault.count('data')).toBe(0);
    expect(h.vault.count('metadata')).toBe(N);
    // One LIST per folder: apps/ itself, the base and 50 team folders.
    expect(h.vault.count('list')).toBe(52);
    expect(report.apiCalls.secretsManager).toEqual({ ListSecrets: N / 100 });
  });
});
