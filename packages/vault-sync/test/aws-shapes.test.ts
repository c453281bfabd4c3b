import { readFileSync } from 'node:fs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startAwsJsonEmulator, startLoopbackServer, testCredentials } from '@secblocks/core/testing';
import { describe, expect, it } from 'vitest';
import {
  compareVersionId,
  createSecretsManagerTarget,
  createVaultSource,
  VaultSyncErrorCode,
} from '../src/index.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

describe('createSecretsManagerTarget', () => {
  it('reads the documented ListSecrets shape: stages, tags (absent or present), KMS key, pending deletion', async () => {
    const emu = await startAwsJsonEmulator({
      targetPrefix: 'secretsmanager',
      handlers: { ListSecrets: () => fixture('list-secrets.json') },
    });
    const client = new SecretsManagerClient({
      endpoint: emu.endpoint,
      region: 'us-west-2',
      credentials: testCredentials(),
    });
    try {
      const target = createSecretsManagerTarget({ client, nameTemplate: 'My{{path}}' });
      const [a, b] = await target.list();
      expect(a).toMatchObject({
        name: 'MyTestDatabaseSecret',
        tags: {},
        currentVersionId: 'EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE',
      });
      expect(a?.lastChangedDate?.toISOString()).toBe('2018-04-11T20:05:45.729Z');
      expect(b).toMatchObject({
        tags: { 'vault-sync:owner': 'prod' },
        currentVersionId: 'EXAMPLE2-90ab-cdef-fedc-ba987EXAMPLE',
        kmsKeyId: expect.stringContaining(':key/'),
        deletedDate: expect.any(Date),
      });
      // AWS's example version IDs are not ours: they read as drift.
      expect(compareVersionId(a?.currentVersionId ?? '', 'vs1-x', 'prod', a?.name ?? '')).toBe('foreign');
      expect(emu.calls[0]?.input).toMatchObject({
        MaxResults: 100,
        IncludePlannedDeletion: true,
        Filters: [{ Key: 'name', Values: ['My'] }],
      });
    } finally {
      client.destroy();
      await emu.close();
    }
  });
});

describe('createVaultSource', () => {
  it('reads the documented KV v2 LIST, metadata, data and soft-deleted 404 shapes', async () => {
    const server = await startLoopbackServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://v');
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/v1/auth/token/lookup-self')
        return json(200, { data: { ttl: 0, renewable: false } });
      if (url.pathname === '/v1/secret/metadata/' && url.searchParams.get('list'))
        return json(200, fixture('kv2-list.json'));
      if (url.pathname === '/v1/secret/metadata/foo/' && url.searchParams.get('list'))
        return json(404, { errors: [] });
      if (url.pathname === '/v1/secret/metadata/foo') return json(200, fixture('kv2-metadata.json'));
      if (url.pathname === '/v1/secret/data/foo' && url.searchParams.get('version') === '2')
        return json(200, fixture('kv2-data.json'));
      if (url.pathname === '/v1/secret/data/foo' && url.searchParams.get('version') === '3')
        return json(404, fixture('kv2-data-soft-deleted-404.json'));
      return json(404, { errors: [] });
    });
    try {
      const source = createVaultSource({
        endpoint: server.url,
        mount: 'secret',
        auth: { method: 'token', token: 't' },
      });
      const { entries } = await source.list();
      expect(entries).toEqual([
        {
          path: 'foo',
          state: 'live',
          version: 3,
          createdTime: '2018-03-22T02:36:43.986212308Z',
          updatedTime: '2018-03-22T02:36:43.986212308Z',
          customMetadata: { foo: 'abc', bar: '123', baz: '5c07d823-3810-48f6-a147-4c06b5219e84' },
        },
      ]);
      expect((await source.read('foo', 2)).reveal()).toEqual({ foo: 'bar' });
      await expect(source.read('foo', 3)).rejects.toMatchObject({
        code: VaultSyncErrorCode.SOURCE_CHANGED,
        message: expect.stringContaining('soft-deleted'),
      });
    } finally {
      await server.close();
    }
  });
});
