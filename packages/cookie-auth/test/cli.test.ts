import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@secblocks/core';
import { assertNoSentinel, createCapturingIo, createSentinel } from '@secblocks/core/testing';
import { describe, expect, it } from 'vitest';
import { buildCookieAuthProgram } from '../src/cli-program.js';

const run = async (args: string[]) => {
  const cap = createCapturingIo();
  const code = await runCli(buildCookieAuthProgram('0.0.0-test', cap.io), args);
  return { code, stdout: cap.stdout(), stderr: cap.stderr() };
};
const configFile = (config: unknown) => {
  const dir = mkdtempSync(join(tmpdir(), 'cookie-auth-cli-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
};

describe('cookie-auth inspect-cookie-header', () => {
  it('lists cookies, sizes and the authorizer status without printing values', async () => {
    const sentinel = createSentinel('token');
    const { code, stdout, stderr } = await run([
      '--json',
      'inspect-cookie-header',
      `theme=${sentinel}; __Host-access-token=${sentinel}.a.b`,
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      withinCaps: true,
      authorizerReads: '__Host-access-token',
      authorizerStatus: 'present',
    });
    expect(report.pairs.map((p: { name: string; role: string }) => [p.name, p.role])).toEqual([
      ['theme', 'other'],
      ['__Host-access-token', 'accessToken'],
    ]);
    assertNoSentinel(sentinel, stdout, stderr);
  });

  it('flags duplicates and exits 1', async () => {
    const { code, stdout } = await run([
      '--json',
      'inspect-cookie-header',
      '__Host-access-token=a; __Host-access-token=b',
    ]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      authorizerStatus: 'DUPLICATE_COOKIE',
      pairs: [{ duplicate: true }],
    });
  });

  it('flags a 20 KB header as over the cap', async () => {
    const { code, stdout } = await run(['--json', 'inspect-cookie-header', `a=${'x'.repeat(20_000)}`]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      withinCaps: false,
      authorizerStatus: 'COOKIE_HEADER_TOO_LARGE',
    });
  });

  it('prints a human summary without --json', async () => {
    const { stdout } = await run([
      'inspect-cookie-header',
      '__Host-access-token.0=a; __Host-access-token.1=b',
    ]);
    expect(stdout).toContain('__Host-access-token.0');
    expect(stdout).toContain('accessToken chunk');
    expect(stdout).toContain('Authorizer reads __Host-access-token: present');
  });
});

describe('cookie-auth check-config', () => {
  it('accepts a sound configuration and reports its header budget', async () => {
    const file = configFile({
      cookies: { encrypted: true },
      csrf: { allowedOrigins: ['https://app.example.com'] },
      redirectUri: 'https://app.example.com/auth/callback',
    });
    const { code, stdout } = await run(['--json', 'check-config', file]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(true);
    expect(report.budget.totalBytes).toBeLessThanOrEqual(10_240);
    expect(Object.keys(report.budget.breakdown)).toContain('__Host-access-token');
  });

  it('reports every problem and exits 1', async () => {
    const file = configFile({
      cookies: { encrypted: true, storeIdToken: true },
      csrf: { allowedOrigins: ['http://evil.example/x'] },
      allowedReturnPrefixes: ['//evil'],
      logoutUri: 'http://app.example.com/',
    });
    const { code, stdout } = await run(['--json', 'check-config', file]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).problems.map((p: { option: string }) => p.option)).toEqual([
      'headerBudget',
      'csrf',
      'allowedReturnPrefixes',
      'logoutUri',
    ]);
  });

  it('refuses encryption keys inside a config file', async () => {
    const file = configFile({ cookies: { encryptionKeys: [{ id: 'k', secret: 'x' }] } });
    const { code, stderr } = await run(['check-config', file]);
    expect(code).toBe(2);
    expect(stderr).toContain('encryptionKeys');
  });

  it('exits 2 on an unreadable file', async () => {
    expect((await run(['check-config', '/nonexistent/config.json'])).code).toBe(2);
  });
});
