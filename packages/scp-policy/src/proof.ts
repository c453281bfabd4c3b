import type { PolicyDocument } from './policy-document.js';
import { compilePolicies, type RequestContext } from './policy-evaluator.js';
import {
  chainedSessionContext,
  iamUserContext,
  identityCenterSessionContext,
  rootContext,
  samlRoleSessionContext,
  serviceContext,
} from './request-context.js';
import { entryKey, type RevocationEntry } from './revocation-entry.js';

/** One proof case: a request and whether the generated policies must deny it. */
export interface ProofCase {
  /** What the case stands for, e.g. `SAML session of users[jdoe@example.com]`. */
  description: string;
  expect: 'deny' | 'not-deny';
  context: RequestContext;
  /** For must-deny cases: the key of the entry the case stands for. */
  entryKey?: string;
}

/** A proof case that did not hold. */
export interface ProofFailure {
  description: string;
  expect: 'deny' | 'not-deny';
  /** The decision the evaluator reached. */
  decision: string;
}

/** The proof attached to every generated policy set. */
export interface ProofReport {
  /** True when every case held. */
  passed: boolean;
  /** Cases evaluated: must-deny and must-not-deny. */
  mustDeny: number;
  mustNotDeny: number;
  failures: ProofFailure[];
}

const shift = (iso: string, seconds: number): string =>
  new Date(Date.parse(iso) + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

const SESSION_RE = /^[\w+=,.@-]{2,64}$/;

function nearMisses(value: string, taken: ReadonlySet<string>): string[] {
  const out = [`x${value}`, `${value}x`];
  const at = value.lastIndexOf('@');
  if (at > 0)
    out.push(`${value.slice(0, at)}@x${value.slice(at + 1)}`, `${value.slice(0, at)}x${value.slice(at)}`);
  const flipped = value.slice(0, -1) + (value.endsWith('a') ? 'b' : 'a');
  out.push(flipped);
  return [...new Set(out)].filter((v) => SESSION_RE.test(v) && !taken.has(v) && v !== value);
}

function otherUserId(value: string, taken: ReadonlySet<string>): string | undefined {
  for (const c of '0123456789abcdef') {
    const candidate = value.slice(0, -1) + c;
    if (candidate !== value && !taken.has(candidate)) return candidate;
  }
  return undefined;
}

/** The latest issue time among entries of the same kind and value (only that one bounds "not denied after"). */
function latestTime(entries: readonly RevocationEntry[], entry: RevocationEntry): string {
  return entries
    .filter((e) => e.kind === entry.kind && e.value === entry.value)
    .map((e) => e.issuedBefore as string)
    .sort()
    .at(-1) as string;
}

function roleParts(arn: string): { accountId: string; rolePath: string; roleName: string } {
  const [, , , , accountId = '', resource = ''] = arn.split(':');
  const path = resource.slice('role'.length);
  const slash = path.lastIndexOf('/');
  return { accountId, rolePath: path.slice(0, slash + 1), roleName: path.slice(slash + 1) };
}

/**
 * Builds the proof cases for a set of revocation entries: must-deny contexts (the SAML and Identity
 * Center sessions of each revoked session name, a chained session carrying each source identity, the
 * Identity Center session of each user ID, a session of each role issued one second before its time) and
 * must-not-deny contexts (near-miss names such as `x<name>` and other email domains, other user IDs,
 * sessions issued exactly at and after the time, IAM-user keys without TokenIssueTime, root, service).
 *
 * @param entries - The revoked entries.
 * @param revokedAt - When the revocation was made (sessions before it are the ones to deny).
 * @example
 * ```ts
 * const cases = buildProofCases(result.entries, '2026-09-14T12:00:00Z');
 * ```
 */
export function buildProofCases(entries: readonly RevocationEntry[], revokedAt: string): ProofCase[] {
  const cases: ProofCase[] = [];
  const names = new Set(entries.filter((e) => e.kind === 'session-name').map((e) => e.value));
  const sources = new Set(entries.filter((e) => e.kind === 'source-identity').map((e) => e.value));
  const userIds = new Set(entries.filter((e) => e.kind === 'identity-store-user').map((e) => e.value));
  const roles = new Set(entries.filter((e) => e.kind === 'role-arn').map((e) => e.value));
  const permissionSets = new Set(entries.filter((e) => e.kind === 'permission-set').map((e) => e.value));
  let proofRole = 'SecblocksProofRole';
  for (let i = 2; roles.has(`arn:aws:iam::111122223333:role/${proofRole}`); i++)
    proofRole = `SecblocksProofRole${i}`;
  let proofUser = 'secblocks-proof-user';
  for (let i = 2; names.has(proofUser) || sources.has(proofUser); i++) proofUser = `secblocks-proof-user${i}`;
  const before = shift(revokedAt, -60);
  const after = shift(revokedAt, 60);
  const permissionSetName = 'SecblocksProofSet';

  for (const entry of entries) {
    const start = cases.length;
    tagEntry(cases, start, entry);
    const v = entry.value;
    if (entry.kind === 'session-name') {
      cases.push({
        description: `SAML session named ${v}`,
        expect: 'deny',
        context: samlRoleSessionContext({ roleName: proofRole, sessionName: v, issuedAt: before }),
      });
      cases.push({
        description: `Identity Center session of ${v}`,
        expect: 'deny',
        context: identityCenterSessionContext({
          userName: v,
          userId: '00000000-0000-4000-8000-000000000000',
          permissionSetName,
          issuedAt: before,
        }),
      });
      for (const miss of nearMisses(v, names)) {
        if (sources.has(miss)) continue;
        cases.push({
          description: `near-miss session name ${miss} (revoked: ${v})`,
          expect: 'not-deny',
          context: samlRoleSessionContext({ roleName: proofRole, sessionName: miss, issuedAt: before }),
        });
      }
    } else if (entry.kind === 'source-identity') {
      cases.push({
        description: `chained session carrying sourceIdentity ${v}`,
        expect: 'deny',
        context: chainedSessionContext({
          roleName: proofRole,
          sessionName: proofUser,
          sourceIdentity: v,
          issuedAt: before,
        }),
      });
      for (const miss of nearMisses(v, sources)) {
        cases.push({
          description: `chained session carrying near-miss sourceIdentity ${miss} (revoked: ${v})`,
          expect: 'not-deny',
          context: chainedSessionContext({
            roleName: proofRole,
            sessionName: proofUser,
            sourceIdentity: miss,
            issuedAt: before,
          }),
        });
      }
    } else if (entry.kind === 'identity-store-user') {
      cases.push({
        description: `Identity Center session of user ID ${v}`,
        expect: 'deny',
        context: identityCenterSessionContext({
          userName: proofUser,
          userId: v,
          permissionSetName,
          issuedAt: before,
        }),
      });
      const other = otherUserId(v, userIds);
      if (other) {
        cases.push({
          description: `Identity Center session of other user ID ${other} (revoked: ${v})`,
          expect: 'not-deny',
          context: identityCenterSessionContext({
            userName: proofUser,
            userId: other,
            permissionSetName,
            issuedAt: before,
          }),
        });
      }
    } else if (entry.kind === 'permission-set') {
      const t = entry.issuedBefore as string;
      const latest = latestTime(entries, entry);
      for (const region of ['eu-west-1', 'us-east-1']) {
        cases.push({
          description: `Identity Center session of permission set ${v} (${region}) issued 1 s before ${t}`,
          expect: 'deny',
          context: identityCenterSessionContext({
            userName: proofUser,
            userId: '00000000-0000-4000-8000-000000000000',
            permissionSetName: v,
            region,
            issuedAt: shift(t, -1),
          }),
        });
      }
      if (latest === t) {
        cases.push({
          description: `Identity Center session of permission set ${v} issued exactly at ${t}`,
          expect: 'not-deny',
          context: identityCenterSessionContext({
            userName: proofUser,
            userId: '00000000-0000-4000-8000-000000000000',
            permissionSetName: v,
            issuedAt: t,
          }),
        });
      }
      for (const other of [`${v}x`, `${v}_Other`, `x${v}`].filter(
        (o) => o.length <= 32 && !permissionSets.has(o),
      )) {
        cases.push({
          description: `Identity Center session of near-miss permission set ${other} (revoked: ${v})`,
          expect: 'not-deny',
          context: identityCenterSessionContext({
            userName: proofUser,
            userId: '00000000-0000-4000-8000-000000000000',
            permissionSetName: other,
            issuedAt: shift(t, -1),
          }),
        });
      }
      cases.push({
        description: `customer role named like permission set ${v} outside aws-reserved`,
        expect: 'not-deny',
        context: samlRoleSessionContext({
          roleName: `AWSReservedSSO_${v}_0123456789abcdef`,
          sessionName: proofUser,
          issuedAt: shift(t, -1),
        }),
      });
    } else {
      const t = entry.issuedBefore as string;
      const { accountId, rolePath, roleName } = roleParts(v);
      const session = (issuedAt: string) =>
        samlRoleSessionContext({ accountId, rolePath, roleName, sessionName: proofUser, issuedAt });
      cases.push({
        description: `session of ${v} issued 1 s before ${t}`,
        expect: 'deny',
        context: session(shift(t, -1)),
      });
      // The same role may be listed with a later time too; only check "not denied" against the latest time.
      const latest = latestTime(entries, entry);
      if (latest === t) {
        cases.push({
          description: `session of ${v} issued exactly at ${t}`,
          expect: 'not-deny',
          context: session(t),
        });
        cases.push({
          description: `session of ${v} issued after ${t}`,
          expect: 'not-deny',
          context: session(shift(t, 3600)),
        });
      }
      const otherName = `${roleName}x`.slice(-64);
      const otherArn = `arn:aws:iam::${accountId}:role${rolePath}${otherName}`;
      if (!roles.has(otherArn)) {
        cases.push({
          description: `session of near-miss role ${otherArn} issued before ${t}`,
          expect: 'not-deny',
          context: samlRoleSessionContext({
            accountId,
            rolePath,
            roleName: otherName,
            sessionName: proofUser,
            issuedAt: shift(t, -1),
          }),
        });
      }
    }
  }
  if (entries.length > 0) tagEntry(cases, 0, undefined);
  cases.push(
    {
      description: 'unrelated federated user',
      expect: 'not-deny',
      context: samlRoleSessionContext({ roleName: proofRole, sessionName: proofUser, issuedAt: after }),
    },
    {
      description: 'IAM user with long-term keys (no TokenIssueTime)',
      expect: 'not-deny',
      context: iamUserContext({ userName: proofUser }),
    },
    { description: 'account root user', expect: 'not-deny', context: rootContext() },
    { description: 'AWS service principal', expect: 'not-deny', context: serviceContext() },
  );
  return cases;
}

const pending = new WeakMap<ProofCase[], { from: number; key: string }>();

/** Tags the deny cases added since the previous entry with that entry's key. */
function tagEntry(cases: ProofCase[], start: number, next: RevocationEntry | undefined): void {
  const previous = pending.get(cases);
  if (previous) {
    for (let i = previous.from; i < cases.length; i++) {
      const c = cases[i] as ProofCase;
      if (c.expect === 'deny') c.entryKey = previous.key;
    }
  }
  if (next) pending.set(cases, { from: start, key: entryKey(next) });
  else pending.delete(cases);
}

/**
 * Runs proof cases against the generated documents. A must-deny case is checked against the entry's own
 * document when `documentOf` is given (so every document stands on its own) and against the whole set;
 * a must-not-deny case is checked against the whole set.
 *
 * @param documents - The generated documents.
 * @param cases - From {@link buildProofCases}.
 * @example
 * ```ts
 * const report = runProof(result.documents.map((d) => d.document), cases);
 * ```
 */
export function runProof(
  documents: readonly PolicyDocument[],
  cases: readonly ProofCase[],
  documentOf?: (entryKey: string) => number | undefined,
): ProofReport {
  const all = compilePolicies(documents);
  const single = documents.map((d) => compilePolicies([d]));
  const failures: ProofFailure[] = [];
  let mustDeny = 0;
  let mustNotDeny = 0;
  for (const c of cases) {
    if (c.expect === 'deny') {
      mustDeny++;
      const index = c.entryKey === undefined ? undefined : documentOf?.(c.entryKey);
      const compiled = index === undefined ? all : (single[index] ?? all);
      const decision = compiled.evaluate(c.context).decision;
      if (decision !== 'explicit-deny')
        failures.push({ description: c.description, expect: c.expect, decision });
    } else {
      mustNotDeny++;
      const decision = all.evaluate(c.context).decision;
      if (decision === 'explicit-deny')
        failures.push({ description: c.description, expect: c.expect, decision });
    }
  }
  return { passed: failures.length === 0, mustDeny, mustNotDeny, failures };
}
