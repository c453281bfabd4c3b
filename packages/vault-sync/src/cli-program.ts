import { readFile, writeFile } from 'node:fs/promises';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type CliIo, cliOutput, createCliProgram, ExitCode, type Logger, usageError } from '@secblocks/core';
import type { Command } from 'commander';
import { createFromConfig, loadConfig } from './config.js';
import { VaultSyncError, VaultSyncErrorCode } from './errors.js';
import { apply, plan, type SyncPlan, type SyncReport } from './sync-engine.js';

/** What the CLI can be given instead of the process's own (tests). @internal */
export interface CliDependencies {
  io?: CliIo;
  env?: Record<string, string | undefined>;
  client?: SecretsManagerClient;
  logger?: Logger;
  version?: string;
}

const humanPlan = (p: SyncPlan): string => {
  const lines = p.actions
    .filter((a) => a.type !== 'skip')
    .map(
      (a) =>
        `${a.type.padEnd(8)} ${a.name}${a.path ? ` <- ${a.path}` : ''}  (${a.reason}${a.resolution ? `, ${a.resolution}` : ''})`,
    );
  const counts = Object.entries(p.summary)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${n} ${t}`)
    .join(', ');
  return [
    ...lines,
    `plan: ${counts || 'nothing to do'}${p.breaker ? ' — mass-deletion breaker tripped' : ''}`,
  ].join('\n');
};

const humanReport = (r: SyncReport): string => {
  const lines = r.results
    .filter((x) => x.status !== 'skipped')
    .map(
      (x) =>
        `${x.status.padEnd(9)} ${x.type.padEnd(8)} ${x.name}  (${x.error ? `${x.error.code}: ${x.error.message}` : x.reason})`,
    );
  const o = r.outcome;
  return [
    ...lines,
    `apply: ${o.done} done, ${o.skipped} unchanged, ${o.reported} drift reported, ${o.conflict} conflicts, ${o.failed} failed`,
    `API calls: ${JSON.stringify(r.apiCalls)}; throttles retried: ${r.throttles}; ${r.durationMs} ms`,
  ].join('\n');
};

/**
 * Builds the `vault-sync` command line: `plan` and `apply`, each with `--config <file>`, `--json` and
 * `--allow-mass-delete`; `plan --out <file>` saves the plan and `apply --plan <file>` executes exactly it.
 * Exit codes: 0 ok, 1 failures or conflicts (or drift, for `plan`), 2 usage errors.
 * @internal
 */
export function buildProgram(deps: CliDependencies = {}): Command {
  const program = createCliProgram({
    name: 'vault-sync',
    version: deps.version ?? '0.0.0',
    description: 'Replicate HashiCorp Vault KV v2 secrets into AWS Secrets Manager (plan, then apply).',
    ...(deps.io ? { io: deps.io } : {}),
  });
  const setup = async (file: string | undefined, allowMassDelete: boolean) => {
    if (!file) throw usageError('--config <file> is required');
    const config = await loadConfig(file);
    if (allowMassDelete) config.massDeletion = { ...(config.massDeletion ?? {}), allow: true };
    return createFromConfig(config, {
      ...(deps.client ? { client: deps.client } : {}),
      ...(deps.env ? { env: deps.env } : {}),
      ...(deps.logger ? { logger: deps.logger } : {}),
    });
  };
  program
    .command('plan')
    .description('show what apply would do; reads metadata only, writes nothing')
    .option('--config <file>', 'JSON configuration file')
    .option('--out <file>', 'also write the plan as JSON, for apply --plan')
    .option('--allow-mass-delete', 'let the plan delete more than the breaker allows')
    .action(async (opts: { config?: string; out?: string; allowMassDelete?: boolean }, cmd: Command) => {
      const out = cliOutput(cmd);
      const { source, target, options } = await setup(opts.config, opts.allowMassDelete === true);
      const p = await plan(source, target, options);
      if (opts.out) await writeFile(opts.out, `${JSON.stringify(p, null, 2)}\n`, { mode: 0o600 });
      out.result(p, humanPlan);
      if (p.summary.conflict > 0 || p.summary.drift > 0) out.setExitCode(ExitCode.FINDINGS);
    });
  program
    .command('apply')
    .description('plan and apply (or apply a saved plan exactly); non-zero exit when a secret failed')
    .option('--config <file>', 'JSON configuration file')
    .option('--plan <file>', 'apply this saved plan instead of planning again')
    .option('--allow-mass-delete', 'let this run delete more than the breaker allows')
    .action(async (opts: { config?: string; plan?: string; allowMassDelete?: boolean }, cmd: Command) => {
      const out = cliOutput(cmd);
      const { source, target, options } = await setup(opts.config, opts.allowMassDelete === true);
      let p: SyncPlan;
      if (opts.plan) {
        try {
          p = JSON.parse(await readFile(opts.plan, 'utf8')) as SyncPlan;
        } catch {
          throw new VaultSyncError(
            VaultSyncErrorCode.INVALID_PLAN,
            `Cannot read the plan file "${opts.plan}"`,
          );
        }
      } else {
        p = await plan(source, target, options);
      }
      const progress = out.progress('vault-sync apply', p.actions.length);
      const report = await apply(p, {
        source,
        target,
        ...(options.concurrency ? { concurrency: options.concurrency } : {}),
        ...(deps.logger ? { logger: deps.logger } : {}),
        onProgress: () => progress.tick(),
      });
      progress.done();
      out.result(report, humanReport);
      if (!report.ok) out.setExitCode(ExitCode.FINDINGS);
    });
  return program;
}
