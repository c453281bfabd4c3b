import { ScpPolicyError, ScpPolicyErrorCode } from './errors.js';
import type { PolicyDocument, PolicyStatement } from './policy-document.js';

/**
 * What one revocation entry matches:
 * - `session-name`: a role session name or email, denied through `StringLike aws:userid "*:<name>"`;
 * - `source-identity`: `StringEquals aws:SourceIdentity` (follows role chaining);
 * - `identity-store-user`: an IAM Identity Center user ID, `StringEquals identitystore:userId`;
 * - `role-arn`: every session of a role issued before a time, `ArnEquals aws:PrincipalArn` plus
 *   `DateLessThan aws:TokenIssueTime`;
 * - `permission-set`: every session of an IAM Identity Center permission set's roles, in every account,
 *   issued before a time: `ArnLike aws:PrincipalArn
 *   "arn:*:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_<name>_????????????????"` plus
 *   `DateLessThan aws:TokenIssueTime` (the 16 `?` match exactly the role's hex suffix, so a permission
 *   set named `<name>_Other` is not caught).
 */
export type RevocationKind =
  | 'session-name'
  | 'source-identity'
  | 'identity-store-user'
  | 'role-arn'
  | 'permission-set';

/** One identity (or role) a generated policy denies. */
export interface RevocationEntry {
  kind: RevocationKind;
  /** The session name, source identity, user ID or role ARN. */
  value: string;
  /** For `role-arn` and `permission-set`: sessions issued strictly before this time (`YYYY-MM-DDTHH:MM:SSZ`) are denied. */
  issuedBefore?: string;
  /**
   * When the entry may be removed (`YYYY-MM-DDTHH:00:00Z`, rounded up to the hour), or `null` when it can
   * never be proven safe to remove (role chaining possible and sourceIdentity not enforced).
   * `undefined` when the document carries no expiry (statement IDs disabled).
   */
  removableAfter?: string | null;
}

/** Condition operator and key per kind, exactly as the AWS blog post and Identity Center docs write them. */
export const KIND_CONDITION: Readonly<
  Record<RevocationKind, { operator: string; key: string; sid: string }>
> = {
  'session-name': { operator: 'StringLike', key: 'aws:userid', sid: 'U' },
  'source-identity': { operator: 'StringEquals', key: 'aws:SourceIdentity', sid: 'S' },
  'identity-store-user': { operator: 'StringEquals', key: 'identitystore:userId', sid: 'I' },
  'role-arn': { operator: 'ArnEquals', key: 'aws:PrincipalArn', sid: 'R' },
  'permission-set': { operator: 'ArnLike', key: 'aws:PrincipalArn', sid: 'P' },
};

/** Kinds whose statements also carry `DateLessThan aws:TokenIssueTime`. */
export const isTimedKind = (kind: RevocationKind): boolean =>
  kind === 'role-arn' || kind === 'permission-set';

const PERMISSION_SET_PREFIX = 'arn:*:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_';
const PERMISSION_SET_SUFFIX = '_????????????????';

/**
 * The `aws:PrincipalArn` pattern of every role Identity Center provisions for a permission set, in any
 * partition, account and Region path form (`…/sso.amazonaws.com/AWSReservedSSO_…` and
 * `…/sso.amazonaws.com/<region>/AWSReservedSSO_…`). The 16 `?` match exactly the role's hex suffix.
 * Only a permission set whose own name ends in `AWSReservedSSO_<name>` could also match.
 *
 * @param name - The permission set name.
 * @example
 * ```ts
 * permissionSetRolePattern('Admin'); // 'arn:*:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Admin_????????????????'
 * ```
 */
export function permissionSetRolePattern(name: string): string {
  return `${PERMISSION_SET_PREFIX}${name}${PERMISSION_SET_SUFFIX}`;
}

/** Kinds in canonical statement order. */
export const KIND_ORDER: readonly RevocationKind[] = [
  'session-name',
  'source-identity',
  'identity-store-user',
  'role-arn',
  'permission-set',
];

/** The condition value for an entry (`*:<name>` for session names). */
export function conditionValue(kind: RevocationKind, value: string): string {
  if (kind === 'session-name') return `*:${value}`;
  return kind === 'permission-set' ? permissionSetRolePattern(value) : value;
}

/** `2026-09-14T12:00:00Z` → `2026091412`; `null` → `Keep`. */
export function bucketToken(removableAfter: string | null): string {
  if (removableAfter === null) return 'Keep';
  return removableAfter.slice(0, 13).replace(/[-T]/g, '');
}

/** `2026091412` → `2026-09-14T12:00:00Z`; `Keep` → `null`; anything else → `undefined`. */
export function parseBucketToken(token: string): string | null | undefined {
  if (token === 'Keep') return null;
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})$/.exec(token);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:00:00Z`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

/** `2026-09-14T12:34:56Z` → `20260914123456`. */
const compactTime = (iso: string): string => iso.replace(/[-T:Z]/g, '');

/** The statement ID encoding kind and expiry bucket (and the issue time for role statements). */
export function statementId(
  kind: RevocationKind,
  removableAfter: string | null | undefined,
  issuedBefore?: string,
): string | undefined {
  if (removableAfter === undefined) return undefined;
  const base = `${KIND_CONDITION[kind].sid}${bucketToken(removableAfter)}`;
  return isTimedKind(kind) && issuedBefore ? `${base}I${compactTime(issuedBefore)}` : base;
}

/** The statement for one group of entries (same kind, bucket and issue time). */
export function buildStatement(
  kind: RevocationKind,
  values: readonly string[],
  removableAfter: string | null | undefined,
  issuedBefore?: string,
): PolicyStatement {
  const { operator, key } = KIND_CONDITION[kind];
  const sorted = [...new Set(values.map((v) => conditionValue(kind, v)))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const condition: PolicyStatement['Condition'] = {
    [operator]: { [key]: sorted.length === 1 ? (sorted[0] as string) : sorted },
  };
  if (isTimedKind(kind)) condition.DateLessThan = { 'aws:TokenIssueTime': issuedBefore as string };
  const statement: PolicyStatement = { Effect: 'Deny', Action: '*', Resource: '*', Condition: condition };
  const sid = statementId(kind, removableAfter, issuedBefore);
  return sid === undefined ? statement : { Sid: sid, ...statement };
}

/** A stable identity key for an entry: kind, value and (for roles) issue time. */
export function entryKey(entry: Pick<RevocationEntry, 'kind' | 'value' | 'issuedBefore'>): string {
  return `${entry.kind}\u0000${entry.value}\u0000${entry.issuedBefore ?? ''}`;
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/**
 * Reads the revocation entries back from a document this package generated (as stored in AWS, possibly
 * re-formatted by the console): each statement must be a `Deny` of `*` on `*` with exactly one of the
 * revocation conditions. The expiry bucket is read from the statement ID.
 *
 * @param document - A parsed policy.
 * @param label - How errors name the document.
 * @throws {@link ScpPolicyError} `UNSUPPORTED_POLICY` when a statement is not one this package writes.
 * @example
 * ```ts
 * readRevocationEntries(parsePolicy(content)); // [{ kind: 'session-name', value: 'jdoe@example.com', … }]
 * ```
 */
export function readRevocationEntries(document: PolicyDocument, label = 'policy'): RevocationEntry[] {
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const entries: RevocationEntry[] = [];
  statements.forEach((statement, index) => {
    const path = `${label}.Statement[${index}]`;
    const unsupported = (why: string): ScpPolicyError =>
      new ScpPolicyError(
        ScpPolicyErrorCode.UNSUPPORTED_POLICY,
        `${path} is not a revocation statement: ${why}`,
        {
          path,
        },
      );
    if (statement.Effect !== 'Deny') throw unsupported('Effect is not Deny');
    if (asArray(statement.Action).join() !== '*' || asArray(statement.Resource).join() !== '*') {
      throw unsupported('it does not deny Action "*" on Resource "*"');
    }
    const condition = statement.Condition ?? {};
    const operators = Object.keys(condition);
    let removableAfter: string | null | undefined;
    let kind: RevocationKind | undefined;
    for (const k of KIND_ORDER) {
      const { operator, key } = KIND_CONDITION[k];
      const block = condition[operator];
      if (!block) continue;
      const keys = Object.keys(block);
      if (keys.length === 1 && keys[0]?.toLowerCase() === key.toLowerCase()) kind = k;
    }
    if (!kind) throw unsupported('no revocation condition');
    const expected = isTimedKind(kind) ? 2 : 1;
    if (operators.length !== expected) throw unsupported('unexpected condition operators');
    let issuedBefore: string | undefined;
    if (isTimedKind(kind)) {
      const date = condition.DateLessThan;
      const dateKeys = date ? Object.keys(date) : [];
      if (!date || dateKeys.length !== 1 || dateKeys[0]?.toLowerCase() !== 'aws:tokenissuetime') {
        throw unsupported('role statement without DateLessThan aws:TokenIssueTime');
      }
      const raw = asArray(date[dateKeys[0] as string]);
      if (raw.length !== 1 || typeof raw[0] !== 'string') throw unsupported('TokenIssueTime is not one date');
      issuedBefore = raw[0];
    }
    if (typeof statement.Sid === 'string') {
      const sid = statement.Sid;
      const prefix = KIND_CONDITION[kind].sid;
      const token = sid.startsWith(prefix) ? (sid.slice(1).split('I')[0] ?? '') : '';
      const parsed = parseBucketToken(token);
      removableAfter = parsed;
    }
    const { operator, key } = KIND_CONDITION[kind];
    const block = condition[operator] as Record<string, unknown>;
    const actualKey = Object.keys(block).find((k) => k.toLowerCase() === key.toLowerCase()) as string;
    for (const raw of asArray(block[actualKey])) {
      if (typeof raw !== 'string') throw unsupported('non-string condition value');
      let value = raw;
      if (kind === 'session-name') {
        if (!raw.startsWith('*:')) throw unsupported(`aws:userid value does not start with "*:"`);
        value = raw.slice(2);
      }
      if (kind === 'permission-set') {
        if (!raw.startsWith(PERMISSION_SET_PREFIX) || !raw.endsWith(PERMISSION_SET_SUFFIX)) {
          throw unsupported('aws:PrincipalArn pattern is not a permission-set role pattern');
        }
        value = raw.slice(PERMISSION_SET_PREFIX.length, -PERMISSION_SET_SUFFIX.length);
      }
      const entry: RevocationEntry = { kind, value };
      if (issuedBefore !== undefined) entry.issuedBefore = issuedBefore;
      if (removableAfter !== undefined) entry.removableAfter = removableAfter;
      entries.push(entry);
    }
  });
  return entries;
}

/**
 * Builds the canonical document for a list of entries: one statement per kind, expiry bucket and issue
 * time, in canonical order. The same entries always give the same document.
 *
 * @param entries - Entries to deny.
 * @example
 * ```ts
 * buildRevocationDocument([{ kind: 'source-identity', value: 'jdoe' }]);
 * ```
 */
export function buildRevocationDocument(entries: readonly RevocationEntry[]): PolicyDocument {
  const groups = new Map<string, RevocationEntry[]>();
  for (const e of entries) {
    const key = `${KIND_ORDER.indexOf(e.kind)}|${e.removableAfter === undefined ? '-' : bucketToken(e.removableAfter)}|${e.issuedBefore ?? ''}`;
    const list = groups.get(key) ?? [];
    list.push(e);
    groups.set(key, list);
  }
  const statements = [...groups.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => {
      const list = groups.get(key) as RevocationEntry[];
      const first = list[0] as RevocationEntry;
      return buildStatement(
        first.kind,
        list.map((e) => e.value),
        first.removableAfter,
        first.issuedBefore,
      );
    });
  return { Version: '2012-10-17', Statement: statements };
}
