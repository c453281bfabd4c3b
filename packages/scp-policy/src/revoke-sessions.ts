import { invalidOption, ScpPolicyError, ScpPolicyErrorCode } from './errors.js';
import type { Finding } from './finding.js';
import {
  checkIdentityStoreUserId,
  checkPermissionSetName,
  checkRoleArn,
  checkSessionName,
  checkSourceIdentity,
  parseTime,
} from './input-validation.js';
import {
  type CustomLimitProfile,
  type DocumentLimit,
  type LimitProfileName,
  resolveLimits,
} from './limits.js';
import {
  measurePolicy,
  type PolicyDocument,
  type PolicyStatement,
  parsePolicy,
  serializePolicy,
} from './policy-document.js';
import { buildProofCases, type ProofReport, runProof } from './proof.js';
import {
  bucketToken,
  buildStatement,
  conditionValue,
  entryKey,
  KIND_ORDER,
  type RevocationEntry,
  type RevocationKind,
  readRevocationEntries,
} from './revocation-entry.js';
import { removableAfter, resolveLifetime, type SessionLifetime } from './session-lifetime.js';

/**
 * Where the generated documents go:
 * - `scp`: service control policies (Organizations counts every character, whitespace included);
 * - `iam`: identity policies in the Organizations management account, which SCPs never reach;
 * - `permission-set`: the inline policy of an IAM Identity Center permission set (its roles can't be
 *   edited in IAM; provision the permission set after updating it).
 */
export type RevocationTarget = 'scp' | 'iam' | 'permission-set';

/** A role whose sessions issued before a time are revoked. */
export interface RoleRevocation {
  /** The role ARN (`aws:PrincipalArn` is the role ARN for every session of the role). */
  arn: string;
  /** Sessions issued strictly before this time are denied: ISO-8601, epoch seconds, a `Date` or `now`. */
  issuedBefore: string | number | Date;
}

/** An Identity Center permission set whose sessions issued before a time are revoked. */
export interface PermissionSetRevocation {
  /** The permission set name (as in `AWSReservedSSO_<name>_…`). */
  name: string;
  /** Sessions issued strictly before this time are denied: ISO-8601, epoch seconds, a `Date` or `now`. */
  issuedBefore: string | number | Date;
}

/** Input of {@link revokeSessions}. */
export interface RevokeSessionsInput {
  /** Role session names or emails (as the IdP sends `RoleSessionName`), denied via `aws:userid` `*:<name>`. */
  users?: readonly string[];
  /** Source identities, denied via `aws:SourceIdentity` (follows role chaining). */
  sourceIdentities?: readonly string[];
  /** IAM Identity Center user IDs, denied via `identitystore:userId` (what AWS recommends for Identity Center). */
  identityStoreUserIds?: readonly string[];
  /** Roles whose older sessions are denied via `aws:PrincipalArn` and `aws:TokenIssueTime`. */
  roles?: readonly RoleRevocation[];
  /**
   * IAM Identity Center permission sets whose role sessions (in every account) issued before a time are
   * denied, via an `ArnLike aws:PrincipalArn` pattern of the `AWSReservedSSO_<name>_<16 hex>` roles.
   */
  permissionSets?: readonly PermissionSetRevocation[];
  /** Target document type. @defaultValue `'scp'` */
  target?: RevocationTarget;
  /** Limit profile. @defaultValue `'aws-2026-05'` (SCP 10,240 characters, 10 per target) */
  limits?: LimitProfileName | CustomLimitProfile;
  /**
   * For `target: 'iam'`: a customer managed policy (6,144 non-whitespace characters, several per role) or
   * one role inline policy sharing the role's 10,240-character inline budget.
   * @defaultValue `'managed'`
   */
  iamPolicyKind?: 'managed' | 'role-inline';
  /**
   * Documents of this kind already attached to the target and not written by this package (for SCPs:
   * `FullAWSAccess`, Control Tower guardrails, …). They use up slots.
   * @defaultValue `0` for `iam`/`permission-set`, `1` for `scp` (the `FullAWSAccess` policy)
   */
  usedSlots?: number;
  /** For role-inline and permission-set targets: non-whitespace size of the inline policies already there. @defaultValue `0` */
  existingInlinePolicySize?: number;
  /** When the users were disabled at the IdP; expiry is counted from here. @defaultValue now */
  revokedAt?: string | number | Date;
  /** What bounds the sessions' lifetime, for expiry. */
  sessionLifetime?: SessionLifetime;
  /**
   * `expiry` writes short alphanumeric Sids encoding the kind and the hour after which the statement's
   * entries may be pruned (`U2026091412`, `UKeep`); `none` writes no Sids (smaller, but nothing can be
   * pruned statelessly).
   * @defaultValue `'expiry'`
   */
  statementIds?: 'expiry' | 'none';
  /**
   * Documents generated earlier (or read back from AWS) to extend: their entries stay where they are and
   * new entries go into the first document with room, so adding one entry changes at most one document.
   */
  previous?: readonly (PolicyDocument | string)[];
  /** Clock, for tests. @defaultValue `Date.now` */
  now?: () => number;
}

/** One generated document. */
export interface GeneratedPolicy {
  /** Position in the set; stable across runs with `previous`. */
  index: number;
  document: PolicyDocument;
  /** The exact minified canonical JSON to send to AWS. */
  json: string;
  /** Size as AWS counts it for this target. */
  size: number;
  /** The limit this document had to fit in. */
  maxSize: number;
  /** The entries this document denies. */
  entries: RevocationEntry[];
  /** The position in `previous` of the document this one extends; absent for a new document. */
  previousIndex?: number;
}

/** What {@link revokeSessions} returns. */
export interface RevokeSessionsResult {
  target: RevocationTarget;
  /** The limit profile used. */
  limitProfile: string;
  /** The effective limit: size per document and documents available (after used slots / inline budget). */
  limit: DocumentLimit;
  documents: GeneratedPolicy[];
  /** Every entry, in canonical order, with its document index. */
  entries: (RevocationEntry & { documentIndex: number })[];
  /** ⌈total entry bytes / capacity⌉: no packing can use fewer documents. */
  lowerBound: number;
  /** The proof that the documents deny exactly the targeted sessions. */
  proof: ProofReport;
  /** Warnings about what the documents can't catch (case sensitivity, management account, …). */
  findings: Finding[];
  /** When the revocation counts from (`YYYY-MM-DDTHH:MM:SSZ`). */
  revokedAt: string;
}

interface Group {
  kind: RevocationKind;
  removableAfter: string | null | undefined;
  issuedBefore: string | undefined;
  values: Map<string, RevocationEntry>;
  valueBytes: number;
}

interface Bin {
  groups: Map<string, Group>;
  size: number;
  previousIndex: number | undefined;
}

const SKELETON = serializePolicy({ Version: '2012-10-17', Statement: [] }).length;
const fixedCache = new Map<string, number>();

/** Size of a statement excluding its value list, for a group shape (cached per shape). */
function statementFixed(
  kind: RevocationKind,
  bucket: string | null | undefined,
  issuedBefore: string | undefined,
): number {
  const cacheKey = `${kind}|${bucket === undefined ? '-' : bucketToken(bucket)}|${issuedBefore ?? ''}`;
  let fixed = fixedCache.get(cacheKey);
  if (fixed === undefined) {
    // One dummy value: everything but the value is the fixed part.
    fixed =
      JSON.stringify(buildStatement(kind, ['ab'], bucket, issuedBefore)).length -
      JSON.stringify(conditionValue(kind, 'ab')).length;
    fixedCache.set(cacheKey, fixed);
  }
  return fixed;
}

const valueBytes = (e: RevocationEntry): number => JSON.stringify(conditionValue(e.kind, e.value)).length;

function groupSize(fixed: number, count: number, bytes: number): number {
  if (count === 0) return 0;
  return fixed + (count === 1 ? bytes : 2 + bytes + (count - 1));
}

const groupKeyOf = (e: RevocationEntry): string =>
  `${KIND_ORDER.indexOf(e.kind)}|${e.removableAfter === undefined ? '-' : bucketToken(e.removableAfter)}|${e.issuedBefore ?? ''}`;

/** Size of a bin after adding `e` (exact, as serialized). */
function sizeWith(bin: Bin, e: RevocationEntry): number {
  const key = groupKeyOf(e);
  const group = bin.groups.get(key);
  const bytes = valueBytes(e);
  if (group) {
    const fixed = statementFixed(group.kind, group.removableAfter, group.issuedBefore);
    return (
      bin.size -
      groupSize(fixed, group.values.size, group.valueBytes) +
      groupSize(fixed, group.values.size + 1, group.valueBytes + bytes)
    );
  }
  const fixed = statementFixed(e.kind, e.removableAfter, e.issuedBefore);
  return bin.size + (bin.groups.size > 0 ? 1 : 0) + groupSize(fixed, 1, bytes);
}

function add(bin: Bin, e: RevocationEntry): void {
  const size = sizeWith(bin, e);
  const key = groupKeyOf(e);
  let group = bin.groups.get(key);
  if (!group) {
    group = {
      kind: e.kind,
      removableAfter: e.removableAfter,
      issuedBefore: e.issuedBefore,
      values: new Map(),
      valueBytes: 0,
    };
    bin.groups.set(key, group);
  }
  group.values.set(e.value, e);
  group.valueBytes += valueBytes(e);
  bin.size = size;
}

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function binDocument(bin: Bin): { document: PolicyDocument; entries: RevocationEntry[] } {
  const keys = [...bin.groups.keys()].sort(byteOrder);
  const statements: PolicyStatement[] = [];
  const entries: RevocationEntry[] = [];
  for (const key of keys) {
    const g = bin.groups.get(key) as Group;
    statements.push(buildStatement(g.kind, [...g.values.keys()], g.removableAfter, g.issuedBefore));
    entries.push(...[...g.values.values()].sort((a, b) => byteOrder(a.value, b.value)));
  }
  return { document: { Version: '2012-10-17', Statement: statements }, entries };
}

const later = (a: string | null | undefined, b: string | null | undefined): string | null | undefined => {
  if (a === null || b === null) return null;
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
};

function checkList(value: unknown, option: string): readonly unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalidOption(option, 'an array');
  return value;
}

/**
 * Generates the deny policies that revoke the active sessions of federated users: a Deny-all keyed on
 * `aws:userid` (`StringLike "*:<RoleSessionName>"`), `aws:SourceIdentity` (`StringEquals`),
 * `identitystore:userId` (`StringEquals`), and `aws:PrincipalArn` (`ArnEquals`) with `DateLessThan
 * aws:TokenIssueTime` for roles. Output is minified canonical ASCII JSON, sized as AWS counts it, packed
 * deterministically into the fewest documents, and proven with the built-in evaluator.
 *
 * @param input - Who to revoke, the target and its limits.
 * @returns The documents with their exact JSON and size, the entries, the proof and findings.
 * @throws {@link ScpPolicyError} `INVALID_INPUT` (bad identity, wildcard, malformed ARN, bad or future date;
 * `path` names the position), `DUPLICATE_ENTRY`, `EMPTY_INPUT`, `INVALID_OPTION`, `CAPACITY_EXCEEDED`
 * (the entries need more documents than the free slots), `UNSUPPORTED_POLICY` (a `previous` document
 * this package didn't write), `PROOF_FAILED`.
 * @see https://aws.amazon.com/blogs/security/how-to-revoke-federated-users-active-aws-sessions/
 * @example
 * ```ts
 * const result = revokeSessions({ users: ['jdoe@example.com'], sourceIdentities: ['jdoe'] });
 * result.documents[0].json; // '{"Version":"2012-10-17","Statement":[{"Sid":"UKeep",…}]}'
 * result.proof.passed; // true
 * ```
 */
export function revokeSessions(input: RevokeSessionsInput): RevokeSessionsResult {
  if (typeof input !== 'object' || input === null) throw invalidOption('input', 'an object');
  const now = input.now ?? Date.now;
  if (typeof now !== 'function') throw invalidOption('now', 'a function returning epoch milliseconds');
  const nowMs = now();
  const target = input.target ?? 'scp';
  if (!['scp', 'iam', 'permission-set'].includes(target))
    throw invalidOption('target', `'scp', 'iam' or 'permission-set'`);
  const iamKind = input.iamPolicyKind ?? 'managed';
  if (iamKind !== 'managed' && iamKind !== 'role-inline')
    throw invalidOption('iamPolicyKind', `'managed' or 'role-inline'`);
  const statementIds = input.statementIds ?? 'expiry';
  if (statementIds !== 'expiry' && statementIds !== 'none')
    throw invalidOption('statementIds', `'expiry' or 'none'`);
  const profile = resolveLimits(input.limits);
  const lifetime = resolveLifetime(input.sessionLifetime);
  const base =
    target === 'scp'
      ? profile.scp
      : target === 'permission-set'
        ? profile.permissionSetInline
        : iamKind === 'managed'
          ? profile.iamManaged
          : profile.roleInline;
  const usedSlots = input.usedSlots ?? (target === 'scp' ? 1 : 0);
  if (!Number.isInteger(usedSlots) || usedSlots < 0) throw invalidOption('usedSlots', 'an integer ≥ 0');
  const existingInline = input.existingInlinePolicySize ?? 0;
  if (!Number.isInteger(existingInline) || existingInline < 0)
    throw invalidOption('existingInlinePolicySize', 'an integer ≥ 0');
  const inlineBudget = target === 'permission-set' || (target === 'iam' && iamKind === 'role-inline');
  const limit: DocumentLimit = {
    maxSize: inlineBudget ? base.maxSize - existingInline : base.maxSize,
    maxDocuments: inlineBudget ? 1 : base.maxDocuments - usedSlots,
    countsWhitespace: base.countsWhitespace,
  };
  const revokedAt = parseTime(input.revokedAt ?? 'now', 'revokedAt', { nowMs });

  // 1. Validate and normalise the entries, naming the position of anything wrong.
  const fresh: RevocationEntry[] = [];
  const seen = new Map<string, string>();
  const findings: Finding[] = [];
  const push = (entry: RevocationEntry, path: string): void => {
    const key = entryKey(entry);
    const first = seen.get(key);
    if (first !== undefined) {
      throw new ScpPolicyError(ScpPolicyErrorCode.DUPLICATE_ENTRY, `${path} duplicates ${first}`, { path });
    }
    seen.set(key, path);
    fresh.push(entry);
  };
  const stamp = (kind: RevocationKind, from: string): string | null | undefined =>
    statementIds === 'none' ? undefined : removableAfter(kind, from, lifetime);
  checkList(input.users, 'users').forEach((v, i) => {
    const value = checkSessionName(v, `users[${i}]`);
    if (/[A-Z]/.test(value)) {
      findings.push({
        severity: 'warning',
        code: 'CASE_SENSITIVE_MATCH',
        message: `users[${i}] has upper-case letters; aws:userid matching is case-sensitive, so the session name must match the IdP's exact case`,
        path: `users[${i}]`,
      });
    }
    push({ kind: 'session-name', value, removableAfter: stamp('session-name', revokedAt) }, `users[${i}]`);
  });
  checkList(input.sourceIdentities, 'sourceIdentities').forEach((v, i) => {
    const value = checkSourceIdentity(v, `sourceIdentities[${i}]`);
    push(
      { kind: 'source-identity', value, removableAfter: stamp('source-identity', revokedAt) },
      `sourceIdentities[${i}]`,
    );
  });
  checkList(input.identityStoreUserIds, 'identityStoreUserIds').forEach((v, i) => {
    const value = checkIdentityStoreUserId(v, `identityStoreUserIds[${i}]`);
    push(
      { kind: 'identity-store-user', value, removableAfter: stamp('identity-store-user', revokedAt) },
      `identityStoreUserIds[${i}]`,
    );
  });
  checkList(input.roles, 'roles').forEach((r, i) => {
    if (typeof r !== 'object' || r === null)
      throw invalidOption(`roles[${i}]`, 'an object with arn and issuedBefore');
    const role = r as RoleRevocation;
    const value = checkRoleArn(role.arn, `roles[${i}].arn`);
    const issuedBefore = parseTime(role.issuedBefore, `roles[${i}].issuedBefore`, { nowMs });
    push(
      { kind: 'role-arn', value, issuedBefore, removableAfter: stamp('role-arn', issuedBefore) },
      `roles[${i}]`,
    );
  });
  checkList(input.permissionSets, 'permissionSets').forEach((r, i) => {
    if (typeof r !== 'object' || r === null)
      throw invalidOption(`permissionSets[${i}]`, 'an object with name and issuedBefore');
    const set = r as PermissionSetRevocation;
    const value = checkPermissionSetName(set.name, `permissionSets[${i}].name`);
    const issuedBefore = parseTime(set.issuedBefore, `permissionSets[${i}].issuedBefore`, { nowMs });
    push(
      { kind: 'permission-set', value, issuedBefore, removableAfter: stamp('permission-set', issuedBefore) },
      `permissionSets[${i}]`,
    );
  });
  if (statementIds === 'none') for (const e of fresh) delete e.removableAfter;

  // 2. Previous documents keep their entries in place.
  const bins: Bin[] = [];
  const placed = new Map<string, number>();
  checkList(input.previous, 'previous').forEach((p, i) => {
    const doc = parsePolicy(p as PolicyDocument | string, `previous[${i}]`);
    const bin: Bin = { groups: new Map(), size: SKELETON, previousIndex: i };
    for (const e of readRevocationEntries(doc, `previous[${i}]`)) {
      const key = entryKey(e);
      if (placed.has(key)) continue;
      if (statementIds === 'none') delete e.removableAfter;
      placed.set(key, bins.length);
      add(bin, e);
    }
    bins.push(bin);
  });
  const previousEntries = bins.flatMap((b) => [...b.groups.values()].flatMap((g) => [...g.values.values()]));
  if (fresh.length === 0 && previousEntries.length === 0) {
    throw new ScpPolicyError(
      ScpPolicyErrorCode.EMPTY_INPUT,
      'Nothing to revoke: give users, sourceIdentities, identityStoreUserIds, roles or permissionSets',
    );
  }

  // Re-revoking an entry that is already placed only extends its expiry, in its own document.
  const toPlace: RevocationEntry[] = [];
  for (const e of fresh) {
    const at = placed.get(entryKey(e));
    if (at === undefined) {
      toPlace.push(e);
      continue;
    }
    const bin = bins[at] as Bin;
    const old = [...bin.groups.values()]
      .flatMap((g) => [...g.values.values()])
      .find((x) => entryKey(x) === entryKey(e));
    const merged = later(old?.removableAfter, e.removableAfter);
    if (old && merged !== old.removableAfter) {
      const rebuilt: Bin = { groups: new Map(), size: SKELETON, previousIndex: bin.previousIndex };
      for (const x of [...bin.groups.values()].flatMap((g) => [...g.values.values()])) {
        add(rebuilt, entryKey(x) === entryKey(e) ? { ...x, removableAfter: merged } : x);
      }
      bins[at] = rebuilt;
    }
  }

  // 3. First-fit, grouped by statement shape and decreasing size, in a total order (deterministic).
  toPlace.sort(
    (a, b) =>
      byteOrder(groupKeyOf(a), groupKeyOf(b)) || valueBytes(b) - valueBytes(a) || byteOrder(a.value, b.value),
  );
  for (const e of toPlace) {
    let target_: Bin | undefined;
    for (const bin of bins) {
      if (sizeWith(bin, e) <= limit.maxSize) {
        target_ = bin;
        break;
      }
    }
    if (!target_) {
      target_ = { groups: new Map(), size: SKELETON, previousIndex: undefined };
      if (sizeWith(target_, e) > limit.maxSize) {
        throw new ScpPolicyError(
          ScpPolicyErrorCode.CAPACITY_EXCEEDED,
          `One ${e.kind} entry does not fit in an empty document of ${limit.maxSize} characters`,
        );
      }
      bins.push(target_);
    }
    add(target_, e);
  }
  const used = bins.filter((b) => b.groups.size > 0);
  if (used.length > limit.maxDocuments) {
    throw new ScpPolicyError(
      ScpPolicyErrorCode.CAPACITY_EXCEEDED,
      `The entries need ${used.length} documents of ${limit.maxSize} characters but only ${Math.max(0, limit.maxDocuments)} are available ` +
        `(${base.maxDocuments} allowed${inlineBudget ? '' : `, ${usedSlots} already used`}, profile ${profile.name})`,
    );
  }

  // 4. Serialize, measure and cross-check the exact size accounting.
  const documents: GeneratedPolicy[] = [];
  const entries: (RevocationEntry & { documentIndex: number })[] = [];
  const docOf = new Map<string, number>();
  bins.forEach((bin, index) => {
    if (bin.groups.size === 0) return;
    const { document, entries: docEntries } = binDocument(bin);
    const json = serializePolicy(document);
    const size = measurePolicy(json, limit.countsWhitespace);
    if (size !== bin.size || size > limit.maxSize || !/^[\x20-\x7e]*$/.test(json)) {
      throw new ScpPolicyError(
        ScpPolicyErrorCode.CAPACITY_EXCEEDED,
        `Internal size accounting mismatch for document ${index}`,
      );
    }
    const docIndex = documents.length;
    const generated: GeneratedPolicy = {
      index: docIndex,
      document,
      json,
      size,
      maxSize: limit.maxSize,
      entries: docEntries,
    };
    if (bin.previousIndex !== undefined) generated.previousIndex = bin.previousIndex;
    documents.push(generated);
    for (const e of docEntries) {
      entries.push({ ...e, documentIndex: docIndex });
      docOf.set(entryKey(e), docIndex);
    }
  });
  entries.sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      byteOrder(a.value, b.value) ||
      byteOrder(a.issuedBefore ?? '', b.issuedBefore ?? ''),
  );

  // 5. Lower bound. With cap = maxSize - skeleton, E = sum of (value bytes + 1) over entries and F_g the
  // fixed size of statement group g, a document's content is at least (its groups' F) + (its entries'
  // bytes + 1) - 1, so D(cap + 1) >= sum over documents of their groups' F + E. Every group appears in at
  // least one document and every document holds at least one group, hence
  // D >= (sum_g F_g + E) / (cap + 1) and D >= E / (cap + 1 - min_g F_g). No packing can do better.
  const allEntries = entries;
  const fixedOf = new Map<string, number>();
  let entryBytes = 0;
  for (const e of allEntries) {
    entryBytes += valueBytes(e) + 1;
    const key = groupKeyOf(e);
    if (!fixedOf.has(key)) fixedOf.set(key, statementFixed(e.kind, e.removableAfter, e.issuedBefore));
  }
  const capacity = limit.maxSize - SKELETON;
  const fixedTotal = [...fixedOf.values()].reduce((a, b) => a + b, 0);
  const minFixed = Math.min(...fixedOf.values());
  const lowerBound = Math.max(
    1,
    Math.ceil((fixedTotal + entryBytes) / (capacity + 1)),
    Math.ceil(entryBytes / (capacity + 1 - minFixed)),
  );

  // 6. Proof.
  const proofCases = buildProofCases(allEntries, revokedAt);
  const proof = runProof(
    documents.map((d) => d.document),
    proofCases,
    (key) => docOf.get(key),
  );
  if (!proof.passed) {
    const first = proof.failures[0];
    throw new ScpPolicyError(
      ScpPolicyErrorCode.PROOF_FAILED,
      `Generated policies failed ${proof.failures.length} proof case(s), first: ${first?.description} expected ${first?.expect}`,
    );
  }

  if (target === 'scp') {
    findings.push({
      severity: 'info',
      code: 'MANAGEMENT_ACCOUNT_EXEMPT',
      message:
        'SCPs do not apply to the management account or service-linked roles; also generate target "iam" for the management account',
      path: 'target',
    });
  }
  if (target === 'permission-set') {
    findings.push({
      severity: 'info',
      code: 'PROVISION_PERMISSION_SET',
      message:
        'Put the document with PutInlinePolicyToPermissionSet (merged with any existing inline policy), then ProvisionPermissionSet to every account',
      path: 'target',
    });
  }
  if (
    allEntries.some((e) => e.kind === 'session-name') &&
    !allEntries.some((e) => e.kind === 'source-identity')
  ) {
    findings.push({
      severity: 'warning',
      code: 'CHAINING_NOT_COVERED',
      message:
        'aws:userid rules miss role-chained sessions with another session name; add sourceIdentities if your IdP sets them',
      path: 'users',
    });
  }
  return {
    target,
    limitProfile: profile.name,
    limit,
    documents,
    entries,
    lowerBound,
    proof,
    findings,
    revokedAt,
  };
}
