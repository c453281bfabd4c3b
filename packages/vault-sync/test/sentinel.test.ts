import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { runCli } from '@secblocks/core';
import {
  assertNoSentinel,
  createCapturingIo,
  createMemoryLogger,
  createSentinel,
} from '@secblocks/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli-program.js';
import { createScheduledHandler, createVaultSource, plan, type RunNotification, sync } from '../src/index.js';
import { type Harness, startHarness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('secrecy (sentinel)', () => {
  it('keeps every secret value, token and secret ID out of logs, errors, plans, reports, notifications and CLI output', async () => {
    h = await startHarness();
    const value = createSentinel('value');
    const secretId = createSentinel('approle-secret-id');
    const roleToken = createSentinel('connection-token');
    h.vault.addAppRole('role', secretId, {
      policies: [
        { path: 'secret/metadata/*', capabilities: ['read', 'list'] },
        { path: 'secret/data/*', capabilities: ['read'] },
      ],
    });
    h.vault.write('secret', 'apps/create', { password: value });
    h.vault.write('secret', 'apps/update', { password: 'old' });
    h.vault.write('secret', 'apps/big', { password: value, pad: 'x'.repeat(70_000) });
    h.vault.write('secret', 'apps/unowned', { password: value });
    h.vault.write('secret', 'apps/drift', { password: value });
    h.sm.seed('vault/apps/unowned', value);
    const logger = createMemoryLogger();
    const source = createVaultSource({
      endpoint: h.vault.url,
      mount: 'secret',
      auth: { method: 'approle', roleId: 'role', secretId },
      logger,
      baseDelayMs: 1,
    });
    const target = h.target({ logger });
    const first = await sync(source, target, { instanceId: 'prod', logger });
    h.vault.write('secret', 'apps/update', { password: value });
    await h.client.send(new PutSecretValueCommand({ SecretId: 'vault/apps/drift', SecretString: value }));
    const p = await plan(source, target, { instanceId: 'prod', logger, drift: 'revert' });
    const second = await sync(source, target, { instanceId: 'prod', logger, drift: 'report' });
    expect(second.results.find((r) => r.path === 'apps/update')?.status).toBe('done');
    expect(second.results.find((r) => r.path === 'apps/big')?.status).toBe('failed');

    // A failing login: the wrong secret ID must not show in the error.
    const badSource = createVaultSource({
      endpoint: h.vault.url,
      mount: 'secret',
      auth: { method: 'approle', roleId: 'role', secretId: roleToken },
      logger,
    });
    const loginError = await badSource.list().catch((e: unknown) => e);

    // Handler with a connection secret holding a token, notifications captured.
    await h.client.send(
      new CreateSecretCommand({
        Name: 'ops/conn',
        SecretString: JSON.stringify({ address: h.vault.url, roleId: 'role', secretId }),
      }),
    );
    const notes: RunNotification[] = [];
    const handler = createScheduledHandler({
      config: {
        instanceId: 'prod',
        vault: { mount: 'secret', connectionSecretId: 'ops/conn' },
        target: { nameTemplate: 'vault/{{path}}' },
      },
      client: h.client,
      notify: async (n) => void notes.push(n),
      logger,
    });
    const handlerError = await handler().catch((e: unknown) => e);

    // CLI, human and JSON.
    const dir = mkdtempSync(join(tmpdir(), 'vault-sync-sentinel-'));
    const config = join(dir, 'c.json');
    writeFileSync(
      config,
      JSON.stringify({
        instanceId: 'prod',
        vault: { address: h.vault.url, mount: 'secret', auth: { method: 'approle', roleId: 'role' } },
        target: { nameTemplate: 'vault/{{path}}' },
      }),
    );
    const outputs: string[] = [];
    for (const args of [
      ['plan', '--config', config],
      ['apply', '--config', config, '--json'],
      ['apply', '--config', config],
    ]) {
      const cap = createCapturingIo();
      await runCli(
        buildProgram({ io: cap.io, client: h.client, env: { VAULT_SECRET_ID: secretId }, logger }),
        args,
      );
      outputs.push(cap.stdout(), cap.stderr());
    }

    expect(logger.lines.length).toBeGreaterThan(10);
    for (const s of [value, secretId, roleToken, h.vault.rootToken]) {
      assertNoSentinel(s, logger.text(), first, p, second, loginError, handlerError, notes, ...outputs);
    }
    // The source and target objects themselves print nothing secret either.
    assertNoSentinel(secretId, source, target);
  });
});
