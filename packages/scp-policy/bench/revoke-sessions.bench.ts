/**
 * Benchmark: generation + packing + proof for N users with realistic emails, documents produced vs the
 * lower bound, and evaluator throughput. Set SCP_POLICY_BENCH_USERS for a smaller run (default 10,000).
 * Prints figures and ratios; asserts nothing about time.
 */
import { buildProofCases, compilePolicies, revokeSessions } from '../src/index.js';

const count = Number(process.env.SCP_POLICY_BENCH_USERS ?? 10_000);
const first = [
  'james',
  'mary',
  'robert',
  'patricia',
  'john',
  'jennifer',
  'michael',
  'linda',
  'david',
  'elizabeth',
  'wei',
  'aisha',
  'carlos',
  'yuki',
  'olga',
];
const last = [
  'smith',
  'johnson',
  'williams',
  'brown',
  'garcia',
  'miller',
  'davis',
  'rodriguez',
  'martinez',
  'nguyen',
  'kim',
  'okafor',
  'schmidt',
  'rossi',
  'tanaka',
];
const domains = ['example.com', 'corp.example.com', 'eu.example.org'];
// Deterministic pseudo-random (xorshift32), so every run packs the same input.
let seed = 42;
const rand = (n: number): number => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
};
const users = new Set<string>();
while (users.size < count) {
  users.add(
    `${first[rand(first.length)]}.${last[rand(last.length)]}${rand(1000)}@${domains[rand(domains.length)]}`,
  );
}
const list = [...users];

const time = <T>(fn: () => T): [T, number] => {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
};

// The real SCP quota is 10 per target; lift it here so packing itself is measured at any size.
const limits = { scp: { maxDocuments: 100_000 } };
const [result, totalMs] = time(() => revokeSessions({ users: list, limits }));
const [legacy, legacyMs] = time(() =>
  revokeSessions({ users: list, limits: { base: 'legacy' as const, scp: { maxDocuments: 100_000 } } }),
);
const [noSid, noSidMs] = time(() => revokeSessions({ users: list, limits, statementIds: 'none' }));

const fill = (r: typeof result) =>
  r.documents.reduce((s, d) => s + d.size, 0) / (r.documents.length * r.limit.maxSize);
console.log(`users: ${count}`);
for (const [name, r, ms] of [
  ['aws-2026-05 (10,240)', result, totalMs],
  ['legacy (5,120)', legacy, legacyMs],
  ['aws-2026-05, no Sids', noSid, noSidMs],
] as const) {
  console.log(
    `${name}: ${r.documents.length} documents, lower bound ${r.lowerBound} (${r.documents.length - r.lowerBound} over), ` +
      `fill ${(fill(r) * 100).toFixed(1)}%, generation+packing+proof ${ms.toFixed(0)} ms, proof ${r.proof.mustDeny}+${r.proof.mustNotDeny} cases ${r.proof.passed ? 'passed' : 'FAILED'}`,
  );
}

// Baseline: the same users one per line in pretty-printed (4-space) JSON, as many hand-written SCPs are.
const prettySize = JSON.stringify(
  result.documents.map((d) => d.document),
  null,
  4,
).length;
const minSize = result.documents.reduce((s, d) => s + d.size, 0);
console.log(
  `bytes: minified ${minSize} vs pretty-printed ${prettySize} (pretty would need ×${(prettySize / minSize).toFixed(2)} the space)`,
);

// Incremental: adding one user to the packed set changes at most one document.
const [added, addMs] = time(() =>
  revokeSessions({
    users: ['new.person@example.com'],
    previous: result.documents.map((d) => d.json),
    limits,
  }),
);
const changed = added.documents.filter((d, i) => d.json !== result.documents[i]?.json).length;
console.log(
  `add one user to ${result.documents.length} documents: ${changed} changed, ${addMs.toFixed(0)} ms`,
);

// Evaluator throughput: the proof's contexts against every document.
const cases = buildProofCases(result.entries, result.revokedAt);
const compiled = compilePolicies(result.documents.map((d) => d.json));
const [denied, evalMs] = time(
  () => cases.filter((c) => compiled.evaluate(c.context).decision === 'explicit-deny').length,
);
console.log(
  `evaluator: ${cases.length} contexts against ${result.documents.length} documents in ${evalMs.toFixed(0)} ms = ${Math.round(cases.length / (evalMs / 1000))} contexts/s (${denied} denied)`,
);
// Baseline for the evaluator: a naive scan testing every pattern as a fresh RegExp per context.
const patterns = result.entries.map(
  (e) => new RegExp(`^.*:${e.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
);
const sample = cases.slice(0, Math.min(cases.length, 2000));
const [, naiveMs] = time(
  () => sample.filter((c) => patterns.some((p) => p.test(String(c.context.keys['aws:userid'] ?? '')))).length,
);
const naiveRate = sample.length / (naiveMs / 1000);
console.log(
  `naive regex scan: ${Math.round(naiveRate)} contexts/s; compiled evaluator is ×${(cases.length / (evalMs / 1000) / naiveRate).toFixed(1)} faster`,
);
