import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@secblocks/core';
import { createCapturingIo } from '@secblocks/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli-program.js';
import { type Harness, startHarness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const dir = mkdtempSync(join(tmpdir(), 'vault-sync-cli-'));
const writeConfig = (h: Harness, extra: Record<string, unknown> = {}): string => {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      instanceId: 'cli',
      vault: { address: h.vault.url, mount: 'secret' },
      target: { nameTemplate: 'v/{{path}}' },
      ...extra,
    }),
  );
  return file;
};

const run = async (h: Harness, args: string[]) => {
  const cap = createCapturingIo();
  const code = await runCli(
    buildProgram({ io: cap.io, client: h.client, env: { VAULT_TOKEN: h.vault.rootToken } }),
    args,
  );
  return { code, stdout: cap.stdout(), stderr: cap.stderr() };
};

describe('vault-sync CLI', () => {
  it('plans as JSON without writing, then applies with progress on stderr', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    const config = writeConfig(h);
    const planned = await run(h, ['plan', '--config', config, '--json']);
    expect(planned.code).toBe(0);
    expect(JSON.parse(planned.stdout)).toMatchObject({ summary: { create: 1 } });
    expect(h.sm.count('CreateSecret')).toBe(0);
    const applied = await run(h, ['apply', '--config', config]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('apply: 1 done');
    expect(applied.stderr).toContain('vault-sync apply: 1/1 (100%)');
    expect(h.sm.secret('v/apps/db')).toBeDefined();
  });

  it('applies exactly a saved plan', async () => {
    h = await startHarness();
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    const config = writeConfig(h);
    const file = join(dir, 'plan.json');
    expect((await run(h, ['plan', '--config', config, '--out', file])).code).toBe(0);
    h.vault.write('secret', 'apps/new', { password: 'p1' });
    const applied = await run(h, ['apply', '--config', config, '--plan', file, '--json']);
    expect(applied.code).toBe(0);
    expect(JSON.parse(applied.stdout).results.map((r: { name: string }) => r.name)).toEqual(['v/apps/db']);
    expect(h.sm.secret('v/apps/new')).toBeUndefined();
    const tampered = JSON.parse(readFileSync(file, 'utf8'));
    tampered.actions[0].type = 'delete';
    writeFileSync(file, JSON.stringify(tampered));
    const refused = await run(h, ['apply', '--config', config, '--plan', file, '--json']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'INVALID_PLAN' } });
  });

  it('exits 1 when a secret conflicts and 2 on a usage error', async () => {
    h = await startHarness();
    h.sm.seed('v/apps/db', 'hand-made');
    h.vault.write('secret', 'apps/db', { password: 'p1' });
    const config = writeConfig(h);
    expect((await run(h, ['plan', '--config', config])).code).toBe(1);
    const applied = await run(h, ['apply', '--config', config]);
    expect(applied.code).toBe(1);
    expect(applied.stdout).toContain('conflict');
    expect((await run(h, ['apply', '--bogus'])).code).toBe(2);
  });

  it('exits 1 with INVALID_CONFIG for an unreadable config and refuses tokens in the file', async () => {
    h = await startHarness();
    const missing = await run(h, ['plan', '--config', join(dir, 'nope.json'), '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).error.code).toBe('INVALID_CONFIG');
    const withToken = writeConfig(h, { vault: { address: h.vault.url, mount: 'secret', token: 'x' } });
    const refused = await run(h, ['plan', '--config', withToken]);
    expect(refused.stderr).toContain('not allowed in a config file');
  });

  it('lets --allow-mass-delete through the breaker', async () => {
    h = await startHarness();
    for (let i = 0; i < 3; i++) h.vault.write('secret', `apps/s${i}`, { v: '1' });
    const config = writeConfig(h, { deletion: { policy: 'force' } });
    await run(h, ['apply', '--config', config]);
    for (let i = 0; i < 3; i++) h.vault.softDelete('secret', `apps/s${i}`);
    expect((await run(h, ['apply', '--config', config])).code).toBe(1);
    expect(h.sm.names()).toHaveLength(3);
    expect((await run(h, ['apply', '--config', config, '--allow-mass-delete'])).code).toBe(0);
    expect(h.sm.names()).toHaveLength(0);
  });
});
