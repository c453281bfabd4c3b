import { readFileSync } from 'node:fs';
import { createMemoryLogger } from '@secblocks/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { sync } from '../src/index.js';
import { type Harness, startHarness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('package manifest', () => {
  it('runs on supported runtimes and clients only: Node ≥ 20.19, AWS SDK v3, node-vault 0.12 (B15)', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      engines: { node: string };
      dependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(manifest.engines.node).toBe('>=20.19');
    expect(manifest.dependencies['node-vault']).toBe('0.12.0');
    expect(manifest.peerDependencies['@aws-sdk/client-secrets-manager']).toBe('^3');
    const all = { ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.devDependencies };
    // The AWS sample shipped the end-of-life v2 SDK ("aws-sdk"); it must never come back.
    expect(Object.keys(all)).not.toContain('aws-sdk');
  });
});

describe('sync', () => {
  it('does not log the ListSecrets inventory (names, ARNs, tags) on a steady-state run (B17)', async () => {
    h = await startHarness();
    const n = 120;
    for (let i = 0; i < n; i++)
      h.vault.write('secret', `apps/s${String(i).padStart(3, '0')}`, { v: String(i) });
    const source = h.source();
    const target = h.target({ tags: { team: 'platform-inventory-tag' } });
    await sync(source, target, { instanceId: 'prod' });

    const logger = createMemoryLogger();
    const steady = await sync(source, target, { instanceId: 'prod', logger });
    expect(steady.summary.skip).toBe(n);
    const text = logger.text();
    expect(text).not.toMatch(/arn:aws:secretsmanager:/);
    expect(text).not.toContain('platform-inventory-tag');
    // Unchanged secrets are counted in the summary, not listed one line each.
    expect(text.match(/vault\/apps\/s\d{3}/g) ?? []).toHaveLength(0);
    expect(logger.lines.length).toBeLessThan(10);
  });
});
