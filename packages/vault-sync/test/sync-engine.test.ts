import { DescribeSecretCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, describe, expect, it } from 'vitest';
import {
  apply,
  OWNER_TAG,
  plan,
  type SecretTarget,
  SOURCE_TAG,
  sync,
  VaultSyncErrorCode,
  versionToken,
} from '../src/index.js';
import { type Harness, startHarness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

type Listed = { type: string; name: string; reason: string };
const typesOf = (p: { actions: Listed[] } | { results: Listed[] }) =>
  Object.fromEntries(('actions' in p ? p.actions : p.results).map((a) => [a.name, `${a.type}:${a.reason}`]));

describe('sync', () => {
  it('creates nested secrets with owner and source tags and the JSON value when they are missing (B3, B16)', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/db', { password: 'p1', user: 'app' });
    h.vault.write('secret', 'apps/team/deep/api', { key: 'k1' });
    const report = await sync(h.source(), h.target({ tags: { team: 'platform' } }), { instanceId: 'prod' });
    expect(report.ok).toBe(true);
    expect(report.outcome.done).toBe(2);
    const db = h.sm.secret('vault/apps/db');
    expect(JSON.parse(db?.currentString ?? '')).toEqual({ password: 'p1', user: 'app' });
    expect(db?.tags).toEqual({ [OWNER_TAG]: 'prod', [SOURCE_TAG]: '/secret/apps/db', team: 'platform' });
    expect(db?.currentVersionId).toMatch(/^vs1-0000000001-[0-9a-f]{12}-[0-9a-f]{32}$/);
    expect(h.sm.secret('vault/apps/team/deep/api')).toBeDefined();
    // No LIST key ending in "/" was ever read as a secret.
    expect(h.vault.calls.filter((c) => c.kind === 'data' && c.path.endsWith('/'))).toHaveLength(0);
  });

  it('pages through ListSecrets and makes no value reads when nothing changed (B2)', async () => {
    h = await startHarness();
    const n = 250;
    for (let i = 0; i < n; i++)
      h.vault.write('secret', `apps/s${String(i).padStart(3, '0')}`, { v: String(i) });
    const source = h.source();
    const target = h.target();
    expect((await sync(source, target, { instanceId: 'prod' })).outcome.done).toBe(n);
    const smBefore = h.sm.count();
    const dataBefore = h.vault.count('data');
    const metaBefore = h.vault.count('metadata');
    const steady = await sync(source, target, { instanceId: 'prod' });
    expect(steady.summary.skip).toBe(n);
    expect(h.sm.count() - smBefore).toBe(Math.ceil(n / 100));
    expect(h.sm.count('GetSecretValue')).toBe(0);
    expect(h.vault.count('data') - dataBefore).toBe(0);
    expect(h.vault.count('metadata') - metaBefore).toBe(n);
    expect(steady.apiCalls.secretsManager).toEqual({ ListSecrets: 3 });
  });

  it('updates with exactly one PutSecretValue and no TagResource when the Vault version changes (B1, B8, B14)', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    const source = h.source();
    const target = h.target();
    await sync(source, target, { instanceId: 'prod' });
    h.vault.write('secret', 'apps/db', { password: 'p2' });
    const before = h.sm.count();
    const report = await sync(source, target, { instanceId: 'prod' });
    expect(report.results.map((r) => `${r.type}:${r.status}`)).toEqual(['update:done']);
    expect(h.sm.calls.slice(before).map((c) => c.operation)).toEqual(['ListSecrets', 'PutSecretValue']);
    expect(h.sm.secret('vault/apps/db')?.currentString).toBe('{"password":"p2"}');
    expect(h.sm.versionCount('vault/apps/db')).toBe(2);
  });

  it('writes the value of the planned version even when Vault moved on before apply (B7)', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    const source = h.source();
    const target = h.target();
    const p = await plan(source, target, { instanceId: 'prod' });
    h.vault.write('secret', 'apps/db', { password: 'p2' });
    await apply(p);
    const s = h.sm.secret('vault/apps/db');
    expect(s?.currentString).toBe('{"password":"p1"}');
    expect(s?.currentVersionId).toBe(p.actions[0]?.versionId);
    expect(h.vault.calls.find((c) => c.kind === 'data')?.path).toBe('secret/data/apps/db');
    const next = await plan(source, target, { instanceId: 'prod' });
    expect(typesOf(next)).toEqual({ 'vault/apps/db': 'update:source-changed' });
  });

  it('detects a metadata delete and re-create even though the version is 1 again (B9)', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    const source = h.source();
    const target = h.target();
    await sync(source, target, { instanceId: 'prod' });
    h.vault.deleteMetadata('secret', 'apps/db');
    await new Promise((r) => setTimeout(r, 5));
    h.vault.write('secret', 'apps/db', { password: 'other' });
    const p = await plan(source, target, { instanceId: 'prod' });
    expect(typesOf(p)).toEqual({ 'vault/apps/db': 'update:source-changed' });
    await apply(p);
    expect(h.sm.secret('vault/apps/db')?.currentString).toBe('{"password":"other"}');
  });

  it('retains the target by default when the Vault secret is soft-deleted (B10)', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    const source = h.source();
    const target = h.target();
    await sync(source, target, { instanceId: 'prod' });
    h.vault.softDelete('secret', 'apps/db');
    const report = await sync(source, target, { instanceId: 'prod' });
    expect(report.results.map((r) => `${r.type}:${r.reason}`)).toEqual(['skip:retained']);
    expect(h.sm.count('DeleteSecret')).toBe(0);
  });

  it('schedules deletion with the recovery window, then restores when the source comes back (B10)', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    const source = h.source();
    const target = h.target();
    const options = {
      instanceId: 'prod',
      deletion: { policy: 'schedule' as const, recoveryWindowInDays: 7 },
    };
    await sync(source, target, options);
    h.vault.softDelete('secret', 'apps/db');
    const del = await sync(source, target, options);
    expect(del.results.map((r) => `${r.type}:${r.reason}:${r.status}`)).toEqual([
      'delete:source-soft-deleted:done',
    ]);
    expect(h.sm.calls.find((c) => c.operation === 'DeleteSecret')?.input).toMatchObject({
      RecoveryWindowInDays: 7,
    });
    expect(h.sm.secret('vault/apps/db')?.deletedDate).toBeInstanceOf(Date);
    h.vault.write('secret', 'apps/db', { password: 'p3' });
    const back = await sync(source, target, options);
    expect(back.results.map((r) => `${r.type}:${r.status}`)).toEqual(['restore:done']);
    const s = h.sm.secret('vault/apps/db');
    expect(s?.deletedDate).toBeUndefined();
    expect(s?.currentString).toBe('{"password":"p3"}');
  });

  it('force-deletes after removing replicas when the source is destroyed', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    const source = h.source();
    const target = h.target({ replicaRegions: [{ region: 'eu-west-1' }] });
    const options = { instanceId: 'prod', deletion: { policy: 'force' as const } };
    await sync(source, target, options);
    expect(h.sm.secret('vault/apps/db')?.replicaRegions).toEqual(['eu-west-1']);
    h.vault.destroy('secret', 'apps/db');
    const report = await sync(source, target, options);
    expect(report.results[0]).toMatchObject({ type: 'delete', reason: 'source-destroyed', status: 'done' });
    const ops = h.sm.calls.map((c) => c.operation);
    expect(ops.indexOf('RemoveRegionsFromReplication')).toBeLessThan(ops.indexOf('DeleteSecret'));
    expect(h.sm.calls.find((c) => c.operation === 'DeleteSecret')?.input).toMatchObject({
      ForceDeleteWithoutRecovery: true,
    });
    expect(h.sm.secret('vault/apps/db')).toBeUndefined();
  });

  it('deletes an owned secret whose Vault metadata is gone only after confirming the absence', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    h.vault.write('secret', 'apps/keep', { password: 'p1' });
    const source = h.source();
    const target = h.target();
    const options = {
      instanceId: 'prod',
      deletion: { policy: 'schedule' as const },
      massDeletion: { allow: true },
    };
    await sync(source, target, options);
    h.vault.deleteMetadata('secret', 'apps/db');
    const before = h.vault.count('metadata');
    const report = await sync(source, target, options);
    expect(typesOf(report)).toEqual({
      'vault/apps/db': 'delete:source-gone',
      'vault/apps/keep': 'skip:in-sync',
    });
    // One listed metadata read, one confirming read of the orphan at plan time, one again just before deleting.
    expect(h.vault.count('metadata') - before).toBe(3);
  });

  it('never deletes a secret that only fell out of scope when the configuration narrows', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    await sync(h.source(), h.target(), { instanceId: 'prod' });
    const narrowed = h.source({ exclude: ['apps/db'] });
    const report = await sync(narrowed, h.target(), { instanceId: 'prod', deletion: { policy: 'force' } });
    expect(typesOf(report)).toEqual({ 'vault/apps/db': 'skip:out-of-scope' });
    expect(h.sm.count('DeleteSecret')).toBe(0);
  });

  it('refuses to overwrite a pre-existing secret without an owner tag (B4, B6)', async () => {
    h = await startHarness();
    h.sm.seed('vault/apps/db', 'hand-made', { version: 'not-a-number' });
    h.sm.seed('vault/apps/untagged', 'hand-made');
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    h.vault.write('secret', 'apps/untagged', { password: 'p1' });
    h.vault.write('secret', 'apps/new', { password: 'p1' });
    const report = await sync(h.source(), h.target(), { instanceId: 'prod' });
    expect(typesOf(report)).toEqual({
      'vault/apps/db': 'conflict:not-owned',
      'vault/apps/new': 'create:missing',
      'vault/apps/untagged': 'conflict:not-owned',
    });
    expect(report.ok).toBe(false);
    expect(h.sm.secret('vault/apps/db')?.currentString).toBe('hand-made');
    expect(h.sm.secret('vault/apps/new')).toBeDefined();
  });

  it('adopts a pre-existing unowned secret when adoption is requested for its name', async () => {
    h = await startHarness();
    h.sm.seed('vault/apps/db', 'hand-made');
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    const source = h.source();
    const target = h.target();
    const report = await sync(source, target, { instanceId: 'prod', adopt: ['vault/apps/db'] });
    expect(report.results[0]).toMatchObject({ type: 'adopt', status: 'done' });
    const s = h.sm.secret('vault/apps/db');
    expect(s?.tags[OWNER_TAG]).toBe('prod');
    expect(s?.currentString).toBe('{"password":"p1"}');
    expect(typesOf(await plan(source, target, { instanceId: 'prod' }))).toEqual({
      'vault/apps/db': 'skip:in-sync',
    });
  });

  it('never adopts or touches a secret owned by another instance', async () => {
    h = await startHarness();
    h.sm.seed('vault/apps/db', 'theirs', { [OWNER_TAG]: 'other' });
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    const report = await sync(h.source(), h.target(), { instanceId: 'prod', adopt: true });
    expect(typesOf(report)).toEqual({ 'vault/apps/db': 'conflict:owned-by-other-instance' });
    expect(h.sm.secret('vault/apps/db')?.currentString).toBe('theirs');
  });

  it('reports a conflict for an unowned secret scheduled for deletion', async () => {
    h = await startHarness();
    const arn = h.sm.seed('vault/apps/db', 'theirs');
    await h.client.send(
      new (await import('@aws-sdk/client-secrets-manager')).DeleteSecretCommand({ SecretId: arn }),
    );
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    const report = await sync(h.source(), h.target(), { instanceId: 'prod', adopt: true });
    expect(typesOf(report)).toEqual({ 'vault/apps/db': 'conflict:scheduled-deletion-not-owned' });
    expect(h.sm.count('RestoreSecret')).toBe(0);
  });

  it('fails closed on names that collide after mapping, before any write', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/a/db', { password: 'p1' });
    h.vault.write('secret', 'apps/b/db', { password: 'p2' });
    h.vault.write('secret', 'apps/c/api', { password: 'p3' });
    const report = await sync(h.source(), h.target({ nameTemplate: 'flat/{{key}}' }), { instanceId: 'prod' });
    expect(report.results.map((r) => `${r.name}:${r.path}:${r.type}:${r.reason}`)).toEqual([
      'flat/api:apps/c/api:create:missing',
      'flat/db:apps/a/db:conflict:name-collision',
      'flat/db:apps/b/db:conflict:name-collision',
    ]);
    expect(h.sm.calls.filter((c) => c.operation === 'CreateSecret').map((c) => c.input.Name)).toEqual([
      'flat/api',
    ]);
  });

  it('turns invalid and reserved names into conflicts (B5)', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/has space', { a: '1' });
    h.vault.write('secret', 'apps/db-prod01', { a: '1' });
    h.vault.write('secret', 'apps/vault-connection', { a: '1' });
    const target = h.target({ reservedNames: ['vault/apps/vault-connection'] });
    const report = await sync(h.source(), target, { instanceId: 'prod' });
    expect(report.results.map((r) => `${r.path}:${r.type}:${r.reason}`).sort()).toEqual([
      'apps/db-prod01:conflict:invalid-name',
      'apps/has space:conflict:invalid-name',
      'apps/vault-connection:conflict:reserved-name',
    ]);
    expect(h.sm.count('CreateSecret')).toBe(0);
  });

  it('fails one secret over 64 KiB and goes on with the others (B16)', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/big', { blob: 'x'.repeat(70_000) });
    h.vault.write('secret', 'apps/small', { a: '1' });
    const report = await sync(h.source(), h.target(), { instanceId: 'prod' });
    const big = report.results.find((r) => r.path === 'apps/big');
    expect(big?.status).toBe('failed');
    expect(big?.error?.code).toBe(VaultSyncErrorCode.VALUE_TOO_LARGE);
    expect(report.outcome).toMatchObject({ done: 1, failed: 1 });
    expect(h.sm.secret('vault/apps/small')).toBeDefined();
  });

  it('writes SecretBinary only for the explicit binary convention', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/cert', { _binary_base64: Buffer.from([0, 1, 2, 255]).toString('base64') });
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    await sync(h.source(), h.target({ binaryField: '_binary_base64' }), { instanceId: 'prod' });
    expect([...(h.sm.secret('vault/apps/cert')?.currentBinary ?? [])]).toEqual([0, 1, 2, 255]);
    expect(h.sm.secret('vault/apps/db')?.currentString).toBe('{"password":"p1"}');
  });

  it('uses the per-secret KMS key chosen by the target', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/pci/card', { a: '1' });
    h.vault.write('secret', 'apps/db', { a: '1' });
    const target = h.target({ kmsKeyId: (c) => (c.path.startsWith('apps/pci/') ? 'alias/pci' : undefined) });
    await sync(h.source(), target, { instanceId: 'prod' });
    expect(h.sm.secret('vault/apps/pci/card')?.kmsKeyId).toBe('alias/pci');
    expect(h.sm.secret('vault/apps/db')?.kmsKeyId).toBeUndefined();
  });
});

describe('plan', () => {
  it('reports out-of-band writes as drift without reading any value', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    const source = h.source();
    const target = h.target();
    await sync(source, target, { instanceId: 'prod' });
    await h.client.send(
      new PutSecretValueCommand({ SecretId: 'vault/apps/db', SecretString: 'edited by hand' }),
    );
    const dataBefore = h.vault.count('data');
    const report = await sync(source, target, { instanceId: 'prod' });
    expect(report.results.map((r) => `${r.type}:${r.resolution}:${r.status}`)).toEqual([
      'drift:report:reported',
    ]);
    expect(h.vault.count('data')).toBe(dataBefore);
    expect(h.sm.count('GetSecretValue')).toBe(0);
    expect(h.sm.secret('vault/apps/db')?.currentString).toBe('edited by hand');
  });

  it('reverts drift by moving AWSCURRENT back to our version under policy revert', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    const source = h.source();
    const target = h.target();
    await sync(source, target, { instanceId: 'prod' });
    await h.client.send(
      new PutSecretValueCommand({ SecretId: 'vault/apps/db', SecretString: 'edited by hand' }),
    );
    const report = await sync(source, target, { instanceId: 'prod', drift: 'revert' });
    expect(report.results[0]).toMatchObject({ type: 'drift', resolution: 'revert-stage', status: 'done' });
    expect(h.sm.secret('vault/apps/db')?.currentString).toBe('{"password":"p1"}');
    expect(typesOf(await plan(source, target, { instanceId: 'prod' }))).toEqual({
      'vault/apps/db': 'skip:in-sync',
    });
  });

  it('reverts drift with a new derived version when ours is no longer staged', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    const source = h.source();
    const target = h.target();
    await sync(source, target, { instanceId: 'prod' });
    await h.client.send(new PutSecretValueCommand({ SecretId: 'vault/apps/db', SecretString: 'edit 1' }));
    await h.client.send(new PutSecretValueCommand({ SecretId: 'vault/apps/db', SecretString: 'edit 2' }));
    const report = await sync(source, target, { instanceId: 'prod', drift: 'revert' });
    expect(report.results[0]).toMatchObject({ type: 'drift', resolution: 'revert-put', status: 'done' });
    expect(h.sm.secret('vault/apps/db')?.currentString).toBe('{"password":"p1"}');
    expect(typesOf(await plan(source, target, { instanceId: 'prod' }))).toEqual({
      'vault/apps/db': 'skip:in-sync',
    });
  });

  it('accepts drift under policy adopt until the source changes', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    const source = h.source();
    const target = h.target();
    await sync(source, target, { instanceId: 'prod' });
    await h.client.send(
      new PutSecretValueCommand({ SecretId: 'vault/apps/db', SecretString: 'edited by hand' }),
    );
    await sync(source, target, { instanceId: 'prod', drift: 'adopt' });
    expect(typesOf(await plan(source, target, { instanceId: 'prod' }))).toEqual({
      'vault/apps/db': 'skip:drift-accepted',
    });
    h.vault.write('secret', 'apps/db', { password: 'p2' });
    expect(typesOf(await plan(source, target, { instanceId: 'prod' }))).toEqual({
      'vault/apps/db': 'drift:changed-out-of-band',
    });
  });

  it('trips the mass-deletion breaker unless allowed', async () => {
    h = await startHarness();
    for (let i = 0; i < 30; i++) h.vault.write('secret', `apps/s${i}`, { v: '1' });
    const source = h.source();
    const target = h.target();
    const options = { instanceId: 'prod', deletion: { policy: 'schedule' as const } };
    await sync(source, target, options);
    for (let i = 0; i < 26; i++) h.vault.softDelete('secret', `apps/s${i}`);
    const p = await plan(source, target, options);
    expect(p.breaker).toEqual({ deletions: 26, owned: 30, maxCount: 25, maxFraction: 0.1 });
    expect(p.summary).toMatchObject({ delete: 0, conflict: 26 });
    const report = await apply(p);
    expect(report.ok).toBe(false);
    expect(h.sm.count('DeleteSecret')).toBe(0);
    const allowed = await sync(source, target, { ...options, massDeletion: { allow: true } });
    expect(allowed.outcome.done).toBe(26);
  });

  it('trips the breaker on a fraction above 10 % of owned secrets', async () => {
    h = await startHarness();
    for (let i = 0; i < 10; i++) h.vault.write('secret', `apps/s${i}`, { v: '1' });
    const source = h.source();
    const target = h.target();
    const options = { instanceId: 'prod', deletion: { policy: 'force' as const } };
    await sync(source, target, options);
    h.vault.softDelete('secret', 'apps/s0');
    expect((await plan(source, target, options)).summary.delete).toBe(1);
    h.vault.softDelete('secret', 'apps/s1');
    expect((await plan(source, target, options)).breaker?.deletions).toBe(2);
  });

  it('makes a plan with no secret material and apply refuses an altered plan', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/db', { password: 'p-sentinel-value' });
    const source = h.source();
    const target = h.target();
    const p = await plan(source, target, { instanceId: 'prod' });
    expect(JSON.stringify(p)).not.toContain('p-sentinel-value');
    const tampered = JSON.parse(JSON.stringify(p));
    tampered.actions[0].name = 'vault/other';
    await expect(apply(tampered, { source, target })).rejects.toMatchObject({
      code: VaultSyncErrorCode.INVALID_PLAN,
    });
    // A plan read back from JSON applies with explicit source and target.
    const report = await apply(JSON.parse(JSON.stringify(p)), { source, target });
    expect(report.outcome.done).toBe(1);
  });
});

describe('apply', () => {
  const crashing = (target: SecretTarget, afterWrites: number): SecretTarget => {
    let writes = 0;
    const crash =
      <A extends unknown[]>(fn: (...a: A) => Promise<unknown>) =>
      async (...args: A) => {
        if (++writes > afterWrites) throw new Error('simulated crash');
        return fn(...args);
      };
    return {
      ...target,
      create: crash(target.create) as SecretTarget['create'],
      putValue: crash(target.putValue) as SecretTarget['putValue'],
    };
  };

  it('converges without duplicate versions when re-run after a crash at any point', async () => {
    for (const crashAfter of [0, 2, 4]) {
      h = await startHarness({ sm: { listLagMs: 60_000 } });
      for (let i = 0; i < 6; i++) h.vault.write('secret', `apps/s${i}`, { v: String(i) });
      const source = h.source();
      const target = h.target();
      const first = await apply(await plan(source, target, { instanceId: 'prod' }), {
        target: crashing(target, crashAfter),
        concurrency: 1,
      });
      expect(first.outcome.failed).toBe(6 - crashAfter);
      // ListSecrets lags a minute: the re-run cannot see what was created and must converge anyway.
      const second = await sync(source, target, { instanceId: 'prod' });
      expect(second.ok).toBe(true);
      for (let i = 0; i < 6; i++) {
        expect(h.sm.versionCount(`vault/apps/s${i}`)).toBe(1);
        expect(h.sm.secret(`vault/apps/s${i}`)?.currentString).toBe(JSON.stringify({ v: String(i) }));
      }
      await h.close();
    }
  });

  it('converges with no duplicate versions under 5 % injected throttling and 5xx on both sides', async () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    h = await startHarness({ sm: { faults: { rate: 0.05, random } } });
    for (let i = 0; i < 60; i++) h.vault.write('secret', `apps/s${i}`, { v: String(i) });
    const source = h.source();
    const target = h.target();
    for (let i = 0; i < 12; i++) h.vault.failNext(i % 2 ? 'metadata' : 'data', i % 3 ? 503 : 429);
    let report = await sync(source, target, { instanceId: 'prod' });
    for (let run = 0; run < 3 && !report.ok; run++)
      report = await sync(source, target, { instanceId: 'prod' });
    expect(report.ok).toBe(true);
    const final = await plan(source, target, { instanceId: 'prod' });
    expect(final.summary.skip).toBe(60);
    for (let i = 0; i < 60; i++) expect(h.sm.versionCount(`vault/apps/s${i}`)).toBe(1);
    expect(h.vault.count('data')).toBeGreaterThanOrEqual(60);
  });

  it('re-checks ownership before deleting even if the plan said it was ours', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    const source = h.source();
    const target = h.target();
    const options = { instanceId: 'prod', deletion: { policy: 'force' as const } };
    await sync(source, target, options);
    h.vault.softDelete('secret', 'apps/db');
    const p = await plan(source, target, options);
    // Someone takes the secret over between plan and apply.
    const { TagResourceCommand } = await import('@aws-sdk/client-secrets-manager');
    await h.client.send(
      new TagResourceCommand({ SecretId: 'vault/apps/db', Tags: [{ Key: OWNER_TAG, Value: 'other' }] }),
    );
    const report = await apply(p);
    expect(report.results[0]?.error?.code).toBe(VaultSyncErrorCode.NOT_OWNED);
    expect(h.sm.secret('vault/apps/db')).toBeDefined();
    const described = await h.client.send(new DescribeSecretCommand({ SecretId: 'vault/apps/db' }));
    expect(described.DeletedDate).toBeUndefined();
  });

  it('does not delete when the Vault source came back between plan and apply', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    const source = h.source();
    const target = h.target();
    const options = { instanceId: 'prod', deletion: { policy: 'force' as const } };
    await sync(source, target, options);
    h.vault.softDelete('secret', 'apps/db');
    const p = await plan(source, target, options);
    expect(p.summary.delete).toBe(1);
    h.vault.write('secret', 'apps/db', { password: 'p2' });
    const report = await apply(p);
    expect(report.results[0]?.error?.code).toBe(VaultSyncErrorCode.SOURCE_CHANGED);
    expect(h.sm.count('DeleteSecret')).toBe(0);
  });

  it('derives the same token for the same version so retries never add versions', () => {
    const id = {
      instanceId: 'prod',
      name: 'vault/apps/db',
      namespace: '',
      mount: 'secret',
      path: 'apps/db',
      version: 3,
      createdTime: '2018-03-22T02:36:43.986212308Z',
      transform: 'json',
    };
    expect(versionToken(id)).toBe(versionToken({ ...id }));
    expect(versionToken(id)).not.toBe(versionToken({ ...id, createdTime: '2018-03-23T00:00:00Z' }));
    expect(versionToken(id)).toHaveLength(60);
  });
});
