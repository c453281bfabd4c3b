import { describe, expect, it } from 'vitest';
import { cliOutput, createCliProgram, ExitCode, runCli, sensitive, usageError } from '../src/index.js';
import { assertNoSentinel, createCapturingIo, createSentinel } from '../src/testing/index.js';

const build = (cap: ReturnType<typeof createCapturingIo>, secret = 'unused') => {
  const program = createCliProgram({
    name: 'demo',
    version: '1.2.3',
    description: 'A demo tool',
    io: cap.io,
  });
  program
    .command('count')
    .description('count to n')
    .requiredOption('--n <n>', 'how far')
    .action(async (opts: { n: string }, cmd) => {
      const out = cliOutput(cmd);
      const n = Number(opts.n);
      if (!Number.isInteger(n) || n < 0) throw usageError('--n must be a non-negative integer');
      const p = out.progress('counting', n);
      for (let i = 0; i < n; i++) p.tick();
      p.done();
      out.info('note for humans');
      out.result({ counted: n, token: sensitive(secret) }, (r) => `counted ${r.counted}`);
      if (n > 5) out.setExitCode(ExitCode.FINDINGS);
    });
  program.command('crash').action(async () => {
    throw new Error('disk full');
  });
  return program;
};

describe('runCli', () => {
  it('prints human output and returns 0', async () => {
    const cap = createCapturingIo();
    expect(await runCli(build(cap), ['count', '--n', '3'])).toBe(0);
    expect(cap.stdout()).toBe('counted 3\n');
    expect(cap.stderr()).toContain('note for humans');
  });

  it('prints redacted JSON with --json and keeps notes off stdout (sentinel)', async () => {
    const secret = createSentinel('cli');
    const cap = createCapturingIo();
    expect(await runCli(build(cap, secret), ['--json', 'count', '--n', '2'])).toBe(0);
    expect(JSON.parse(cap.stdout())).toEqual({ counted: 2, token: '[REDACTED]' });
    expect(cap.stderr()).not.toContain('note for humans');
    assertNoSentinel(secret, cap.stdout(), cap.stderr());
  });

  it('returns the exit code an action set for findings', async () => {
    const cap = createCapturingIo();
    expect(await runCli(build(cap), ['count', '--n', '6'])).toBe(ExitCode.FINDINGS);
  });

  it('returns 2 for commander usage errors and for usageError()', async () => {
    const cap = createCapturingIo();
    expect(await runCli(build(cap), ['count'])).toBe(ExitCode.USAGE);
    expect(cap.stderr()).toContain("required option '--n <n>' not specified");
    const cap2 = createCapturingIo();
    expect(await runCli(build(cap2), ['count', '--n', '-1'])).toBe(ExitCode.USAGE);
    expect(cap2.stderr()).toContain('error [USAGE]: --n must be a non-negative integer');
    const cap3 = createCapturingIo();
    expect(await runCli(build(cap3), ['nope'])).toBe(ExitCode.USAGE);
  });

  it('returns 0 for --help and --version', async () => {
    const cap = createCapturingIo();
    expect(await runCli(build(cap), ['--help'])).toBe(0);
    expect(cap.stdout()).toContain('A demo tool');
    expect(cap.stdout()).toContain('--json');
    const cap2 = createCapturingIo();
    expect(await runCli(build(cap2), ['--version'])).toBe(0);
    expect(cap2.stdout()).toBe('1.2.3\n');
  });

  it('returns 1 with a one-line message for unexpected failures, also as JSON', async () => {
    const cap = createCapturingIo();
    expect(await runCli(build(cap), ['--json', 'crash'])).toBe(1);
    expect(JSON.parse(cap.stdout())).toEqual({ error: { code: 'UNEXPECTED', message: 'disk full' } });
    expect(cap.stderr()).toBe('error [UNEXPECTED]: disk full\n');
  });

  it('redraws progress in place on a TTY and prints sparse lines otherwise', async () => {
    const tty = createCapturingIo({ isTTY: true });
    await runCli(build(tty), ['count', '--n', '100']);
    expect(tty.stderr()).toContain('\r\x1b[2Kcounting: 100/100 (100%)');
    const plain = createCapturingIo();
    await runCli(build(plain), ['count', '--n', '100']);
    const lines = plain
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('counting'));
    expect(lines.length).toBeLessThanOrEqual(12);
    expect(lines.at(-1)).toBe('counting: 100/100 (100%)');
  });
});
