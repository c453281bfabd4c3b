// `pnpm demo`: three runs of the replicator against the Vault and Secrets Manager emulators.
import type { PlanAction, SyncPlan } from '@secblocks/vault-sync';
import {
  CONNECTION_SECRET,
  changeVaultAndDrift,
  deleteFromVault,
  type ScenarioRun,
  startScenario,
} from './scenario.js';

const describeAction = (a: PlanAction): string =>
  `    ${a.type.padEnd(8)} ${a.name.padEnd(32)} ${a.reason}${a.recoveryWindowInDays ? ` (recovery window ${a.recoveryWindowInDays} days)` : ''}`;

const printPlan = (p: SyncPlan): void => {
  const changes = p.actions.filter((a) => a.type !== 'skip');
  const counts = Object.entries(p.summary)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
  console.log(`  plan ${p.hash.slice(0, 12)}: ${counts || 'nothing to do'}`);
  for (const a of changes) console.log(describeAction(a));
};

const sum = (a: Record<string, number>, b: Record<string, number>): Record<string, number> => {
  const out = { ...a };
  for (const [k, n] of Object.entries(b)) out[k] = (out[k] ?? 0) + n;
  return out;
};

const printReport = (r: ScenarioRun): void => {
  const { outcome } = r.report;
  // The plan lists and reads metadata; the apply reads values and writes. Together: the run's cost.
  const apiCalls = {
    vault: sum(r.plan.apiCalls.vault, r.report.apiCalls.vault),
    secretsManager: sum(r.plan.apiCalls.secretsManager, r.report.apiCalls.secretsManager),
  };
  console.log(
    `  report: ok=${r.report.ok} done ${outcome.done}, skipped ${outcome.skipped}, failed ${outcome.failed}, conflicts ${outcome.conflict}`,
  );
  const sm = Object.entries(apiCalls.secretsManager)
    .filter(([, n]) => n > 0)
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
  const vault = Object.entries(apiCalls.vault)
    .filter(([, n]) => n > 0)
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
  console.log(`  API calls: Secrets Manager {${sm}}; Vault {${vault}}`);
  if (r.notification) console.log(`  SNS notification: ${r.notification.subject}`);
};

const s = await startScenario();
try {
  console.log(`Vault KV v2 mount "secret", 9 secrets under apps/; connection secret "${CONNECTION_SECRET}"`);
  console.log('(outside the replicated prefix vault/, so no Vault key can ever overwrite it).\n');

  console.log('Run 1: initial sync');
  const r1 = await s.run('initial sync', printPlan);
  printReport(r1);
  const owned = s.sm.secret('vault/apps/billing/db');
  console.log(`  vault/apps/billing/db tags: ${JSON.stringify(owned?.tags)}`);

  console.log('\nRun 2: a new version in Vault + an out-of-band edit in Secrets Manager');
  await changeVaultAndDrift(s);
  const r2 = await s.run('update and drift', printPlan);
  printReport(r2);
  const healed = JSON.parse(s.sm.secret('vault/apps/web/session')?.currentString ?? '{}') as {
    signingKey?: string;
  };
  console.log(`  vault/apps/web/session back to the Vault value: ${healed.signingKey !== 'edited-by-hand'}`);

  console.log('\nRun 3: apps/legacy/ftp deleted from Vault');
  deleteFromVault(s);
  const r3 = await s.run('deletion', printPlan);
  printReport(r3);
  const deleted = s.sm.secret('vault/apps/legacy/ftp');
  // DeletedDate is when the deletion was requested; the secret goes for good a recovery window later.
  const purge = new Date((deleted?.deletedDate?.getTime() ?? 0) + 7 * 86_400_000);
  console.log(
    `  vault/apps/legacy/ftp marked deleted; RestoreSecret works until ${purge.toISOString().slice(0, 10)}, when it is purged`,
  );

  const ok = r1.report.ok && r2.report.ok && r3.report.ok;
  if (!ok || r3.report.outcome.done !== 1 || !deleted?.deletedDate) {
    console.error('Unexpected outcome');
    process.exitCode = 1;
  }
} finally {
  await s.close();
}
