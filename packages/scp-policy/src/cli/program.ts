import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CliIo, cliOutput, createCliProgram, ExitCode, usageError } from '@secblocks/core';
import type { Command } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import type { LimitProfileName } from '../limits.js';
import { createOrganizationsApplier } from '../organizations-applier.js';
import { parsePolicy } from '../policy-document.js';
import { compilePolicies, type RequestContext } from '../policy-evaluator.js';
import { prune } from '../prune.js';
import { type RevokeSessionsInput, revokeSessions } from '../revoke-sessions.js';
import { validatePolicy } from '../validate-policy.js';

interface RevokeFlags {
  user?: string[];
  usersFile?: string[];
  sourceIdentity?: string[];
  identityStoreUser?: string[];
  roleArn?: string[];
  permissionSet?: string[];
  issuedBefore?: string;
  limits?: string;
  usedSlots?: string;
  statementIds?: string;
  revokedAt?: string;
  maxSessionDuration?: string;
  roleChaining?: boolean;
  sourceIdentityEnforced?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function addRevokeFlags(command: Command): Command {
  return command
    .option('--user <name>', 'role session name or email to revoke (repeatable)', collect)
    .option(
      '--users-file <file>',
      'file with one session name or email per line (# comments allowed; repeatable)',
      collect,
    )
    .option('--source-identity <id>', 'sourceIdentity to revoke (repeatable)', collect)
    .option('--identity-store-user <id>', 'IAM Identity Center user ID to revoke (repeatable)', collect)
    .option(
      '--role-arn <arn>',
      'role whose sessions issued before --issued-before are revoked (repeatable)',
      collect,
    )
    .option(
      '--permission-set <name>',
      'Identity Center permission set whose sessions issued before --issued-before are revoked in every account (repeatable)',
      collect,
    )
    .option('--issued-before <time>', 'ISO-8601 time or "now", for --role-arn and --permission-set')
    .option(
      '--limits <profile>',
      'limit profile: aws-2026-05 (SCP 10,240 chars, 10 per target) or legacy (5,120, 5)',
      'aws-2026-05',
    )
    .option('--statement-ids <mode>', 'expiry (Sids encode when entries may be pruned) or none', 'expiry')
    .option('--revoked-at <time>', 'when the users were disabled at the IdP (default: now)')
    .option('--max-session-duration <seconds>', 'largest MaxSessionDuration of the roles (default 43200)')
    .option('--no-role-chaining', 'the users cannot chain roles (allows expiry of session-name entries)')
    .option('--source-identity-enforced', 'every trust policy requires a sourceIdentity');
}

async function revokeInput(flags: RevokeFlags): Promise<Omit<RevokeSessionsInput, 'target' | 'previous'>> {
  const users = [...(flags.user ?? [])];
  for (const file of flags.usersFile ?? []) {
    const text = await readFile(file, 'utf8');
    for (const line of text.split(/\r?\n/)) {
      const trimmed = line.trim();
      if (trimmed && !trimmed.startsWith('#')) users.push(trimmed);
    }
  }
  const roles = (flags.roleArn ?? []).map((arn) => {
    if (!flags.issuedBefore) throw usageError('--role-arn needs --issued-before <ISO|now>');
    return { arn, issuedBefore: flags.issuedBefore };
  });
  const permissionSets = (flags.permissionSet ?? []).map((name) => {
    if (!flags.issuedBefore) throw usageError('--permission-set needs --issued-before <ISO|now>');
    return { name, issuedBefore: flags.issuedBefore };
  });
  if (flags.limits !== 'aws-2026-05' && flags.limits !== 'legacy')
    throw usageError('--limits must be aws-2026-05 or legacy');
  if (flags.statementIds !== 'expiry' && flags.statementIds !== 'none')
    throw usageError('--statement-ids must be expiry or none');
  const input: Omit<RevokeSessionsInput, 'target' | 'previous'> = {
    users,
    sourceIdentities: flags.sourceIdentity ?? [],
    identityStoreUserIds: flags.identityStoreUser ?? [],
    roles,
    permissionSets,
    limits: flags.limits as LimitProfileName,
    statementIds: flags.statementIds,
    sessionLifetime: {
      roleChaining: flags.roleChaining !== false,
      sourceIdentityEnforced: flags.sourceIdentityEnforced === true,
      ...(flags.maxSessionDuration ? { maxSessionDurationSeconds: Number(flags.maxSessionDuration) } : {}),
    },
  };
  if (flags.revokedAt) input.revokedAt = flags.revokedAt;
  if (flags.usedSlots !== undefined) {
    if (!/^\d+$/.test(flags.usedSlots)) throw usageError('--used-slots must be a non-negative integer');
    input.usedSlots = Number(flags.usedSlots);
  }
  return input;
}

/**
 * Builds the `scp-policy` command-line program (exported for tests: pass captured streams).
 *
 * @param io - Output streams. @defaultValue the process's
 * @internal
 */
export function buildProgram(io?: CliIo): Command {
  const program = createCliProgram({
    name: 'scp-policy',
    version: packageJson.version,
    description:
      "Revoke federated users' active AWS sessions with sized, packed, proven SCP and IAM deny policies",
    ...(io ? { io } : {}),
  });

  addRevokeFlags(
    program
      .command('revoke')
      .description('generate minified deny policies (one JSON file per document) with their proof')
      .option('--target <target>', 'scp, iam (management account) or permission-set', 'scp')
      .option(
        '--used-slots <n>',
        'documents already attached to the target by others (default: 1 for scp, FullAWSAccess)',
      )
      .option('--previous <file>', 'earlier generated document to extend (repeatable)', collect)
      .option('--out-dir <dir>', 'write <target>-revoke-<n>.json files here'),
  ).action(
    async (flags: RevokeFlags & { target: string; previous?: string[]; outDir?: string }, cmd: Command) => {
      const out = cliOutput(cmd);
      if (!['scp', 'iam', 'permission-set'].includes(flags.target))
        throw usageError('--target must be scp, iam or permission-set');
      const previous = await Promise.all((flags.previous ?? []).map((f) => readFile(f, 'utf8')));
      const result = revokeSessions({
        ...(await revokeInput(flags)),
        target: flags.target as RevokeSessionsInput['target'],
        previous,
      });
      const files: string[] = [];
      if (flags.outDir) {
        await mkdir(flags.outDir, { recursive: true });
        for (const d of result.documents) {
          const file = join(flags.outDir, `${flags.target}-revoke-${d.index + 1}.json`);
          await writeFile(file, d.json);
          files.push(file);
        }
      }
      const summary = {
        target: result.target,
        limitProfile: result.limitProfile,
        limit: result.limit,
        documents: result.documents.map((d, i) => ({
          file: files[i],
          size: d.size,
          maxSize: d.maxSize,
          entries: d.entries.length,
        })),
        lowerBound: result.lowerBound,
        entries: result.entries.length,
        proof: result.proof,
        findings: result.findings,
        ...(flags.outDir ? {} : { json: result.documents.map((d) => d.json) }),
      };
      out.result(summary, (s) =>
        [
          `${s.entries} entries in ${s.documents.length} ${s.target} document(s) (lower bound ${s.lowerBound}, profile ${s.limitProfile})`,
          ...s.documents.map(
            (d, i) =>
              `  #${i + 1}: ${d.size}/${d.maxSize} characters, ${d.entries} entries${d.file ? ` -> ${d.file}` : ''}`,
          ),
          `proof: ${s.proof.passed ? 'passed' : 'FAILED'} (${s.proof.mustDeny} must-deny, ${s.proof.mustNotDeny} must-not-deny cases)`,
          ...s.findings.map((f) => `${f.severity}: ${f.message}`),
          ...(s.json ? s.json : []),
        ].join('\n'),
      );
    },
  );

  program
    .command('validate')
    .description('validate policy files: size, ASCII, Sids, SCP rules, condition types, over-broad patterns')
    .argument('<file...>', 'policy JSON files')
    .option('--type <type>', 'scp, iam or permission-set', 'scp')
    .option('--limits <profile>', 'aws-2026-05 or legacy', 'aws-2026-05')
    .action(async (files: string[], flags: { type: string; limits: string }, cmd: Command) => {
      const out = cliOutput(cmd);
      if (!['scp', 'iam', 'permission-set'].includes(flags.type))
        throw usageError('--type must be scp, iam or permission-set');
      if (flags.limits !== 'aws-2026-05' && flags.limits !== 'legacy')
        throw usageError('--limits must be aws-2026-05 or legacy');
      const results = [];
      for (const file of files) {
        const v = validatePolicy(await readFile(file, 'utf8'), {
          type: flags.type as 'scp',
          limits: flags.limits as LimitProfileName,
        });
        results.push({ file, ...v });
      }
      if (results.some((r) => !r.valid)) out.setExitCode(ExitCode.FINDINGS);
      out.result({ files: results }, (r) =>
        r.files
          .map((f) =>
            [
              `${f.file}: ${f.valid ? 'valid' : 'INVALID'} (${f.size}/${f.maxSize})`,
              ...f.findings.map((x) => `  ${x.severity} ${x.code}: ${x.message}`),
            ].join('\n'),
          )
          .join('\n'),
      );
    });

  program
    .command('evaluate')
    .description('evaluate a request context against policies; prints the decision and matching statements')
    .argument('<policy...>', 'policy JSON files')
    .requiredOption(
      '--context <file>',
      'request context JSON: {"action": "...", "resource": "...", "keys": {...}}',
    )
    .action(async (files: string[], flags: { context: string }, cmd: Command) => {
      const out = cliOutput(cmd);
      let context: RequestContext;
      try {
        context = JSON.parse(await readFile(flags.context, 'utf8')) as RequestContext;
      } catch {
        throw usageError('--context must be a JSON file');
      }
      if (typeof context?.action !== 'string' || typeof context.keys !== 'object' || context.keys === null) {
        throw usageError('--context needs "action" (string) and "keys" (object)');
      }
      const policies = await Promise.all(files.map(async (f) => parsePolicy(await readFile(f, 'utf8'), f)));
      const result = compilePolicies(policies).evaluate(context);
      out.result(
        {
          decision: result.decision,
          matched: result.matched.map((m) => ({ ...m, file: files[m.policyIndex] })),
        },
        (r) =>
          [
            r.decision,
            ...r.matched.map(
              (m) => `  ${m.effect} ${m.file} Statement[${m.statementIndex}]${m.sid ? ` (${m.sid})` : ''}`,
            ),
          ].join('\n'),
      );
    });

  program
    .command('prune')
    .description('remove provably expired entries from generated documents')
    .argument('<file...>', 'documents generated by revoke')
    .requiredOption('--now <time>', 'the current time (ISO-8601)')
    .option('--write', 'rewrite changed files in place (emptied files are reported, not deleted)')
    .action(async (files: string[], flags: { now: string; write?: boolean }, cmd: Command) => {
      const out = cliOutput(cmd);
      if (Number.isNaN(Date.parse(flags.now))) throw usageError('--now must be an ISO-8601 time');
      const contents = await Promise.all(files.map((f) => readFile(f, 'utf8')));
      const result = prune(contents, flags.now);
      const report = result.documents.map((d) => ({
        file: files[d.index] as string,
        changed: d.changed,
        empty: d.json === null,
        removed: d.removed,
        kept: d.kept.length,
      }));
      if (flags.write) {
        for (const d of result.documents)
          if (d.changed && d.json !== null) await writeFile(files[d.index] as string, d.json);
      }
      out.result({ removed: result.removedCount, kept: result.keptCount, files: report }, (r) =>
        [
          `${r.removed} expired entries removed, ${r.kept} kept`,
          ...r.files.map(
            (f) =>
              `  ${f.file}: ${f.empty ? 'empty (detach and delete it)' : f.changed ? `${f.removed.length} removed` : 'unchanged'}`,
          ),
        ].join('\n'),
      );
    });

  for (const name of ['plan', 'apply'] as const) {
    const command = addRevokeFlags(
      program
        .command(name)
        .description(
          name === 'plan'
            ? 'show the canonical diff against the live SCPs of an Organizations target'
            : 'apply the diff in two phases (documents gaining entries first); --dry-run lists the calls',
        )
        .requiredOption('--target-id <id>', 'root (r-…), OU (ou-…) or account ID the SCPs attach to')
        .option('--prune-at <time>', 'also remove entries expired at this time (ISO-8601 or "now")')
        .option('--policy-name-prefix <prefix>', 'names of the SCPs this tool owns', 'secblocks-revoke')
        .option('--region <region>', 'Organizations API Region', 'us-east-1')
        .option('--endpoint-url <url>', 'Organizations endpoint (for emulators and tests)'),
    );
    if (name === 'apply') command.option('--dry-run', 'list the calls without making them');
    command.action(
      async (
        flags: RevokeFlags & {
          targetId: string;
          prunePrefix?: string;
          pruneAt?: string;
          policyNamePrefix: string;
          region: string;
          endpointUrl?: string;
          dryRun?: boolean;
        },
        cmd: Command,
      ) => {
        const out = cliOutput(cmd);
        const input = await revokeInput(flags);
        const hasNew =
          (input.users?.length ?? 0) +
            (input.sourceIdentities?.length ?? 0) +
            (input.identityStoreUserIds?.length ?? 0) +
            (input.roles?.length ?? 0) +
            (input.permissionSets?.length ?? 0) >
          0;
        const applier = createOrganizationsApplier({
          targetId: flags.targetId,
          policyNamePrefix: flags.policyNamePrefix,
          limits: input.limits as LimitProfileName,
          clientConfig: {
            region: flags.region,
            ...(flags.endpointUrl ? { endpoint: flags.endpointUrl } : {}),
          },
        });
        const { limits: _limits, usedSlots: _used, ...revoke } = input;
        const plan = await applier.plan({
          ...(hasNew ? { revoke } : {}),
          ...(flags.pruneAt ? { pruneAt: flags.pruneAt === 'now' ? Date.now() : flags.pruneAt } : {}),
        });
        const steps = plan.steps.map((s) => ({
          action: s.action,
          name: s.name,
          policyId: s.policyId,
          phase: s.phase,
          gained: s.gained,
          lost: s.lost,
          size: s.content?.length,
        }));
        if (name === 'plan') {
          out.result(
            { targetId: plan.targetId, changed: plan.changed, slots: plan.slots, proof: plan.proof, steps },
            (r) =>
              [
                `${r.targetId}: ${r.changed ? 'changes' : 'no changes'}; slots: ${r.slots.other} other + ${r.slots.managed} revocation of ${r.slots.limit}`,
                ...r.steps.map(
                  (s) =>
                    `  phase ${s.phase} ${s.action} ${s.name}: +${s.gained.length} -${s.lost.length}${s.size ? ` (${s.size} chars)` : ''}`,
                ),
                `proof: ${r.proof ? (r.proof.passed ? 'passed' : 'FAILED') : 'n/a'}`,
              ].join('\n'),
          );
          return;
        }
        const result = await applier.apply(plan, { dryRun: flags.dryRun === true });
        out.result({ targetId: plan.targetId, ...result, steps }, (r) =>
          [
            `${r.dryRun ? 'would call' : 'called'}:`,
            ...r.calls.map((c) => `  ${c.operation} ${c.name}${c.policyId ? ` (${c.policyId})` : ''}`),
            ...(r.skipped.length ? [`skipped (already live): ${r.skipped.join(', ')}`] : []),
          ].join('\n'),
        );
      },
    );
  }
  return program;
}
