// `pnpm demo`: an incident on generated WAF logs, then the revocation of the compromised sessions.
import { formatTable, getQuestion } from '@secblocks/waf-insights';
import { ATTACKER_IP, incidentLogs } from './incident-logs.js';
import { applyToOrganization, revokeCompromisedSessions } from './session-revocation.js';
import { investigate } from './waf-investigation.js';

const incident = incidentLogs();
const ordinaryDay = incidentLogs({ seed: 11, background: 6000 }).filter(
  (r) => r.httpRequest.clientIp !== ATTACKER_IP,
);
console.log(`1. WAF logs: ${incident.length} requests (generated, with the incident planted in them)\n`);
const f = investigate(incident, ordinaryDay);

console.log('Top client IPs:');
console.log(formatTable(getQuestion('top-ips'), { ...f.topIps, rows: f.topIps.rows.slice(0, 5) }));
if (f.falsePositive) {
  const fp = f.falsePositive;
  console.log(
    `\nBot Control false-positive candidate: ${fp.clientIp} — ${fp.requests} requests, ${fp.blocked} blocked, only ${fp.uris.join(', ')}, UA "${fp.userAgent}"`,
  );
  console.log(
    '  -> exempt it from Bot Control with a scope-down on an IP set (see infra/), rather than disabling the rule.',
  );
}

const rec = f.recommendation;
const stmt = rec.rule.Statement as { RateBasedStatement: { Limit: number; EvaluationWindowSec: number } };
console.log(
  `\nRecommended rule ${rec.rule.Name}: CAPTCHA over ${stmt.RateBasedStatement.Limit} requests per IP per ${stmt.RateBasedStatement.EvaluationWindowSec} s on /login`,
);
console.log(
  `  from ${rec.statistics.windows} IP-windows: p50 ${rec.statistics.p50}, p95 ${rec.statistics.p95}, p99 ${rec.statistics.p99}, max ${rec.statistics.max}`,
);
console.log(
  `  replay on the incident: ${rec.replay.requests} requests challenged from ${rec.replay.keys.length} IP(s): ${rec.replay.keys
    .slice(0, 3)
    .map((k) => `${k.key} (${k.requests})`)
    .join(', ')}; ${rec.replay.previouslyAllowed} of them had been allowed`,
);
console.log(
  `  replay on an ordinary day: ${f.replayOnOrdinaryDay.requests} requests challenged out of ${f.replayOnOrdinaryDay.inScope} in scope`,
);

console.log('\n2. Revoke the sessions of 2 compromised federated users and 1 chained role');
const now = Date.now();
const { scp, managementAccount } = revokeCompromisedSessions(now);
for (const [title, r] of [
  ['SCP (member accounts)', scp],
  ['IAM policy (management account)', managementAccount],
] as const) {
  console.log(
    `\n${title}: ${r.documents.length} document(s), ${r.documents.map((d) => `${d.size}/${d.maxSize}`).join(', ')} characters`,
  );
  for (const d of r.documents) console.log(d.json);
  console.log(
    `  proof: ${r.proof.passed ? 'PASSED' : 'FAILED'} (${r.proof.mustDeny} must-deny and ${r.proof.mustNotDeny} must-not-deny cases)`,
  );
  for (const finding of r.findings) console.log(`  ${finding.severity}: ${finding.message}`);
}

console.log('\n3. Roll the SCP out on the organization root (Organizations emulator, real SDK client)');
const rollout = await applyToOrganization(now);
console.log(
  `  plan: ${rollout.plan.steps.map((st) => `${st.action} ${st.name} (phase ${st.phase})`).join(', ')}; slots used by others ${rollout.plan.slots.other}/${rollout.plan.slots.limit}; proof ${rollout.plan.proof?.passed ? 'PASSED' : 'FAILED'}`,
);
console.log(`  calls: ${rollout.result.calls.map((c) => `${c.operation} ${c.name}`).join(', ')}`);
console.log(
  `  attached to the root: ${rollout.attached.join(', ')}; re-running the plan changes nothing: ${!rollout.rerunChanged}`,
);

const ok =
  rollout.plan.proof?.passed === true &&
  !rollout.rerunChanged &&
  f.falsePositive !== undefined &&
  rec.replay.keys[0]?.key === ATTACKER_IP &&
  scp.proof.passed &&
  managementAccount.proof.passed;
if (!ok) {
  console.error('\nUnexpected outcome');
  process.exitCode = 1;
}
