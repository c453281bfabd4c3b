import { createFakeClock } from '@secblocks/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAwsIamLoginPayload, createVaultSource, VaultSyncErrorCode } from '../src/index.js';
import { startVaultEmulator, type VaultEmulator } from '../src/testing/index.js';

let vault: VaultEmulator;
afterEach(async () => {
  await vault?.close();
});

const READ_LIST = [
  { path: 'secret/metadata/*', capabilities: ['read', 'list'] as const },
  { path: 'secret/data/*', capabilities: ['read'] as const },
];

describe('createVaultSource', () => {
  it('throws INVALID_OPTION naming the option when an option is bad', () => {
    const base = {
      endpoint: 'http://127.0.0.1:1',
      mount: 'secret',
      auth: { method: 'token' as const, token: 't' },
    };
    expect(() => createVaultSource({ ...base, mount: '' })).toThrow(/"mount"/);
    expect(() => createVaultSource({ ...base, endpoint: 'vault.example.com' })).toThrow(/"endpoint"/);
    expect(() => createVaultSource({ ...base, concurrency: 0 })).toThrow(/"concurrency"/);
    expect(() =>
      createVaultSource({ ...base, auth: { method: 'approle', roleId: 'r', secretId: '' } }),
    ).toThrow(/"auth.secretId"/);
    expect(() => createVaultSource({ ...base, auth: { method: 'ldap' } as never })).toThrow(/"auth.method"/);
  });

  it('tells live, soft-deleted, destroyed and denied secrets apart from metadata', async () => {
    vault = await startVaultEmulator();
    vault.write('secret', 'apps/live', { a: '1' });
    vault.write('secret', 'apps/soft', { a: '1' });
    vault.softDelete('secret', 'apps/soft');
    vault.write('secret', 'apps/gone', { a: '1' });
    vault.destroy('secret', 'apps/gone');
    vault.write('secret', 'apps/hidden', { a: '1' });
    const token = vault.createToken({
      policies: [...READ_LIST, { path: 'secret/metadata/apps/hidden', capabilities: ['deny'] }],
    });
    const source = createVaultSource({
      endpoint: vault.url,
      mount: 'secret',
      auth: { method: 'token', token },
    });
    const { entries } = await source.list();
    expect(entries.map((e) => `${e.path}:${e.state}`)).toEqual([
      'apps/gone:destroyed',
      'apps/hidden:denied',
      'apps/live:live',
      'apps/soft:soft-deleted',
    ]);
    expect(entries[2]).toMatchObject({ version: 1, createdTime: expect.stringMatching(/Z$/) });
  });

  it('reads data only at the requested version and names the state of a deleted version', async () => {
    vault = await startVaultEmulator();
    vault.write('secret', 'a', { v: '1' });
    vault.write('secret', 'a', { v: '2' });
    vault.softDelete('secret', 'a', [2]);
    vault.write('secret', 'b', { v: '1' });
    vault.destroy('secret', 'b', [1]);
    const source = createVaultSource({
      endpoint: vault.url,
      mount: 'secret',
      auth: { method: 'token', token: vault.rootToken },
    });
    expect((await source.read('a', 1)).reveal()).toEqual({ v: '1' });
    await expect(source.read('a', 2)).rejects.toMatchObject({
      code: VaultSyncErrorCode.SOURCE_CHANGED,
      message: expect.stringContaining('soft-deleted'),
    });
    await expect(source.read('b', 1)).rejects.toMatchObject({
      message: expect.stringContaining('destroyed'),
    });
    await expect(source.read('c', 1)).rejects.toMatchObject({ message: expect.stringContaining('gone') });
    expect(vault.calls.filter((c) => c.kind === 'data').map((c) => c.path)).toEqual([
      'secret/data/a',
      'secret/data/a',
      'secret/data/b',
      'secret/data/c',
    ]);
  });

  it('URL-encodes each path segment so keys with spaces, ? and # round-trip', async () => {
    vault = await startVaultEmulator();
    vault.write('secret', 'team one/db?x#y%z', { v: '1' });
    const source = createVaultSource({
      endpoint: vault.url,
      mount: 'secret',
      auth: { method: 'token', token: vault.rootToken },
    });
    const { entries } = await source.list();
    expect(entries.map((e) => `${e.path}:${e.state}`)).toEqual(['team one/db?x#y%z:live']);
    expect((await source.read('team one/db?x#y%z', 1)).reveal()).toEqual({ v: '1' });
  });

  it('walks only the base path and applies include and exclude globs', async () => {
    vault = await startVaultEmulator();
    for (const p of ['apps/a/db', 'apps/a/tmp/x', 'apps/b/api', 'other/c'])
      vault.write('secret', p, { v: '1' });
    const source = createVaultSource({
      endpoint: vault.url,
      mount: 'secret',
      basePath: 'apps',
      include: ['apps/**'],
      exclude: ['**/tmp/**'],
      auth: { method: 'token', token: vault.rootToken },
    });
    expect((await source.list()).entries.map((e) => e.path)).toEqual(['apps/a/db', 'apps/b/api']);
    expect(vault.calls.some((c) => c.path.startsWith('secret/metadata/other'))).toBe(false);
  });

  it('treats an empty folder (404 with no errors) as empty', async () => {
    vault = await startVaultEmulator();
    const source = createVaultSource({
      endpoint: vault.url,
      mount: 'secret',
      basePath: 'nothing',
      auth: { method: 'token', token: vault.rootToken },
    });
    expect((await source.list()).entries).toEqual([]);
  });

  it('throws VAULT_PERMISSION_DENIED when the token may not list the base path', async () => {
    vault = await startVaultEmulator();
    vault.write('secret', 'apps/db', { v: '1' });
    const token = vault.createToken({ policies: [{ path: 'secret/data/*', capabilities: ['read'] }] });
    const source = createVaultSource({
      endpoint: vault.url,
      mount: 'secret',
      auth: { method: 'token', token },
    });
    await expect(source.list()).rejects.toMatchObject({ code: VaultSyncErrorCode.VAULT_PERMISSION_DENIED });
  });

  it('throws VAULT_UNAVAILABLE when Vault is sealed, after retrying', async () => {
    vault = await startVaultEmulator();
    vault.write('secret', 'apps/db', { v: '1' });
    const source = createVaultSource({
      endpoint: vault.url,
      mount: 'secret',
      auth: { method: 'token', token: vault.rootToken },
      baseDelayMs: 1,
      maxAttempts: 3,
    });
    await source.list();
    vault.setSealed(true);
    await expect(source.list()).rejects.toMatchObject({ code: VaultSyncErrorCode.VAULT_UNAVAILABLE });
    expect(source.calls().retries).toBe(2);
  });

  it('throws VAULT_UNAVAILABLE when Vault is unreachable', async () => {
    vault = await startVaultEmulator();
    const url = vault.url;
    await vault.close();
    const source = createVaultSource({
      endpoint: url,
      mount: 'secret',
      auth: { method: 'token', token: 't' },
      baseDelayMs: 1,
      maxAttempts: 2,
    });
    await expect(source.list()).rejects.toMatchObject({ code: VaultSyncErrorCode.VAULT_UNAVAILABLE });
  });

  it('retries 412, 429 and 5xx with backoff', async () => {
    vault = await startVaultEmulator();
    vault.write('secret', 'apps/db', { v: '1' });
    vault.failNext('metadata', 412);
    vault.failNext('metadata', 429);
    vault.failNext('list', 502);
    const source = createVaultSource({
      endpoint: vault.url,
      mount: 'secret',
      auth: { method: 'token', token: vault.rootToken },
      baseDelayMs: 1,
    });
    expect((await source.list()).entries.map((e) => e.state)).toEqual(['live']);
    expect(source.calls().retries).toBe(3);
  });

  it('sends the namespace header and reads that namespace only', async () => {
    vault = await startVaultEmulator();
    vault.write('secret', 'db', { v: 'root ns' });
    vault.write('secret', 'db', { v: 'team ns' }, { namespace: 'admin/team' });
    const source = createVaultSource({
      endpoint: vault.url,
      mount: 'secret',
      namespace: 'admin/team',
      auth: { method: 'token', token: vault.rootToken },
    });
    const { entries } = await source.list();
    expect((await source.read('db', entries[0]?.version as number)).reveal()).toEqual({ v: 'team ns' });
    expect(vault.calls.filter((c) => c.kind !== 'lookup').every((c) => c.namespace === 'admin/team')).toBe(
      true,
    );
  });

  it('logs in with AppRole and logs in again on 403 once the token expired', async () => {
    const clock = createFakeClock(Date.parse('2026-01-01T00:00:00Z'));
    vault = await startVaultEmulator({ now: clock.now });
    vault.write('secret', 'apps/db', { v: '1' });
    vault.addAppRole('role-1', 'secret-id-1', { policies: READ_LIST, ttlSeconds: 60, renewable: false });
    const source = createVaultSource({
      endpoint: vault.url,
      mount: 'secret',
      auth: { method: 'approle', roleId: 'role-1', secretId: 'secret-id-1' },
      now: clock.now,
    });
    await source.list();
    expect(vault.count('login')).toBe(1);
    clock.advance(50_000); // past 80 % of the TTL: a non-renewable token is replaced by a new login
    await source.list();
    expect(vault.count('login')).toBe(2);
    clock.advance(61_000); // expired: Vault answers 403 and the source logs in again
    await source.list();
    expect(vault.count('login')).toBe(3);
  });

  it('logs in once and retries every in-flight request when the token is revoked under load', async () => {
    const clock = createFakeClock(Date.parse('2026-01-01T00:00:00Z'));
    vault = await startVaultEmulator({ now: clock.now });
    for (let i = 0; i < 40; i++) vault.write('secret', `apps/s${i}`, { v: '1' });
    vault.addAppRole('role-1', 'secret-id-1', { policies: READ_LIST, ttlSeconds: 3600 });
    const source = createVaultSource({
      endpoint: vault.url,
      mount: 'secret',
      auth: { method: 'approle', roleId: 'role-1', secretId: 'secret-id-1' },
      now: clock.now,
      concurrency: 16,
    });
    await source.list();
    clock.advance(60_000);
    vault.revokeTokens();
    const { entries } = await source.list();
    expect(entries.filter((e) => e.state !== 'live')).toEqual([]);
    expect(vault.count('login')).toBe(2);
  });

  it('renews a renewable token at 80 % of its TTL', async () => {
    const clock = createFakeClock(Date.parse('2026-01-01T00:00:00Z'));
    vault = await startVaultEmulator({ now: clock.now });
    vault.write('secret', 'apps/db', { v: '1' });
    const token = vault.createToken({ policies: READ_LIST, ttlSeconds: 100, renewable: true });
    const source = createVaultSource({
      endpoint: vault.url,
      mount: 'secret',
      auth: { method: 'token', token },
      now: clock.now,
    });
    await source.list();
    clock.advance(85_000);
    await source.list();
    expect(source.calls()).toMatchObject({ renew: 1, login: 1 });
    clock.advance(85_000); // renewed at 85 s for 100 s more: still valid at 170 s
    await source.list();
    expect(vault.calls.filter((c) => c.status === 403)).toHaveLength(0);
  });

  it('fails with VAULT_AUTH_FAILED when AppRole credentials are wrong', async () => {
    vault = await startVaultEmulator();
    vault.addAppRole('role-1', 'right', { policies: READ_LIST });
    const source = createVaultSource({
      endpoint: vault.url,
      mount: 'secret',
      auth: { method: 'approle', roleId: 'role-1', secretId: 'wrong' },
    });
    await expect(source.list()).rejects.toMatchObject({ code: VaultSyncErrorCode.VAULT_AUTH_FAILED });
  });

  it('logs in with AWS IAM by signing sts:GetCallerIdentity, server-ID header included', async () => {
    vault = await startVaultEmulator();
    vault.write('secret', 'apps/db', { v: '1' });
    const credentials = {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    };
    vault.addAwsIamRole('vault-sync', {
      policies: READ_LIST,
      credentials: [credentials],
      serverId: 'vault.example.com',
    });
    const good = createVaultSource({
      endpoint: vault.url,
      mount: 'secret',
      auth: {
        method: 'aws-iam',
        role: 'vault-sync',
        serverIdHeader: 'vault.example.com',
        credentials: async () => credentials,
      },
    });
    expect((await good.list()).entries).toHaveLength(1);
    const wrongServer = createVaultSource({
      endpoint: vault.url,
      mount: 'secret',
      auth: { method: 'aws-iam', role: 'vault-sync', serverIdHeader: 'evil.example.com', credentials },
    });
    await expect(wrongServer.list()).rejects.toMatchObject({ code: VaultSyncErrorCode.VAULT_AUTH_FAILED });
    const wrongKey = createVaultSource({
      endpoint: vault.url,
      mount: 'secret',
      auth: {
        method: 'aws-iam',
        role: 'vault-sync',
        serverIdHeader: 'vault.example.com',
        credentials: { ...credentials, secretAccessKey: 'nope' },
      },
    });
    await expect(wrongKey.list()).rejects.toMatchObject({ code: VaultSyncErrorCode.VAULT_AUTH_FAILED });
  });
});

describe('buildAwsIamLoginPayload', () => {
  it('encodes the STS request Vault replays, with the signed headers', async () => {
    const payload = await buildAwsIamLoginPayload({
      role: 'r',
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET', sessionToken: 'SESSION' },
      serverIdHeader: 'vault.example.com',
      signingDate: new Date('2026-01-02T03:04:05Z'),
    });
    const dec = (s: string) => Buffer.from(s, 'base64').toString('utf8');
    expect(dec(payload.iam_request_url)).toBe('https://sts.amazonaws.com/');
    expect(dec(payload.iam_request_body)).toBe('Action=GetCallerIdentity&Version=2011-06-15');
    const headers = JSON.parse(dec(payload.iam_request_headers)) as Record<string, string[]>;
    expect(headers['x-amz-date']).toEqual(['20260102T030405Z']);
    expect(headers['x-amz-security-token']).toEqual(['SESSION']);
    expect(headers.authorization?.[0]).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKID\/20260102\/us-east-1\/sts\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-vault-aws-iam-server-id, Signature=[0-9a-f]{64}$/,
    );
  });
});
