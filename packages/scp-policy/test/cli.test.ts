import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@secblocks/core';
import { createCapturingIo } from '@secblocks/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/program.js';
import { startOrganizationsEmulator } from '../src/testing/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scp-policy-cli-'));
});
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function run(args: string[]) {
  const cap = createCapturingIo();
  const code = await runCli(buildProgram(cap.io), args);
  return { code, stdout: cap.stdout(), stderr: cap.stderr() };
}

describe('scp-policy CLI', () => {
  it('writes one minified file per document and prints sizes and the proof when revoke runs', async () => {
    const usersFile = join(dir, 'users.txt');
    await writeFile(usersFile, '# disabled today\njdoe@example.com\n\nasmith@example.com\n');
    const out = join(dir, 'out');
    const { code, stdout } = await run([
      'revoke',
      '--users-file',
      usersFile,
      '--source-identity',
      'jdoe',
      '--out-dir',
      out,
      '--json',
    ]);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.entries).toBe(3);
    expect(summary.proof.passed).toBe(true);
    expect(await readdir(out)).toEqual(['scp-revoke-1.json']);
    const content = await readFile(join(out, 'scp-revoke-1.json'), 'utf8');
    expect(content.length).toBe(summary.documents[0].size);
    expect(content).toContain('"aws:userid":["*:asmith@example.com","*:jdoe@example.com"]');
  });

  it('prints a human summary without --json', async () => {
    const { code, stdout } = await run(['revoke', '--user', 'jdoe', '--target', 'iam']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^1 entries in 1 iam document\(s\) \(lower bound 1, profile aws-2026-05\)/);
    expect(stdout).toMatch(/proof: passed/);
  });

  it('exits 2 naming the flag when --role-arn has no --issued-before', async () => {
    const { code, stderr } = await run(['revoke', '--role-arn', 'arn:aws:iam::111122223333:role/Admin']);
    expect(code).toBe(2);
    expect(stderr).toContain('--issued-before');
  });

  it('exits 1 with the error code and position for an invalid session name', async () => {
    const { code, stdout } = await run(['revoke', '--user', 'jdoe', '--user', 'a*', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('users[1]') },
    });
  });

  it('validates files and exits 1 when one is invalid', async () => {
    const good = join(dir, 'good.json');
    const bad = join(dir, 'bad.json');
    await writeFile(
      good,
      '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:userid":"*:jdoe"}}}]}',
    );
    await writeFile(
      bad,
      '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}',
    );
    const { code, stdout } = await run(['validate', good, bad, '--type', 'scp', '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.files.map((f: { valid: boolean }) => f.valid)).toEqual([true, false]);
    expect(report.files[1].findings[0].code).toBe('PRINCIPAL_IN_SCP');
  });

  it('evaluates a context and prints the decision and matching statements', async () => {
    const policy = join(dir, 'p.json');
    const ctx = join(dir, 'ctx.json');
    await writeFile(
      policy,
      '{"Version":"2012-10-17","Statement":[{"Sid":"U1","Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:userid":"*:jdoe"}}}]}',
    );
    await writeFile(
      ctx,
      JSON.stringify({ action: 's3:GetObject', keys: { 'aws:userid': 'AROAEXAMPLE:jdoe' } }),
    );
    const { code, stdout } = await run(['evaluate', policy, '--context', ctx]);
    expect(code).toBe(0);
    expect(stdout).toBe(`explicit-deny\n  Deny ${policy} Statement[0] (U1)\n`);
  });

  it('prunes expired entries in place with --write', async () => {
    const out = join(dir, 'out');
    await run([
      'revoke',
      '--source-identity',
      'jdoe',
      '--user',
      'keep',
      '--revoked-at',
      '2026-01-01T00:00:00Z',
      '--out-dir',
      out,
    ]);
    const file = join(out, 'scp-revoke-1.json');
    const { code, stdout } = await run(['prune', file, '--now', '2026-02-01T00:00:00Z', '--write', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ removed: 1, kept: 1 });
    expect(await readFile(file, 'utf8')).not.toContain('jdoe"');
  });

  it('plans and applies against an Organizations endpoint', async () => {
    const orgs = await startOrganizationsEmulator();
    cleanups.push(() => orgs.close());
    const common = ['--target-id', 'r-exam', '--endpoint-url', orgs.endpoint, '--user', 'jdoe@example.com'];
    const plan = await run(['plan', ...common, '--json']);
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout).steps.map((s: { action: string }) => s.action)).toEqual(['create']);
    const dry = await run(['apply', ...common, '--dry-run', '--json']);
    expect(JSON.parse(dry.stdout).calls.map((c: { operation: string }) => c.operation)).toEqual([
      'CreatePolicy',
      'AttachPolicy',
    ]);
    expect(orgs.count('CreatePolicy')).toBe(0);
    const applied = await run(['apply', ...common]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('CreatePolicy secblocks-revoke-1');
    expect(orgs.attachedContents()).toHaveLength(2);
  });

  it('prints help mentioning --json', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--json');
  });
});
