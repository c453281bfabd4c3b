import { invalidOption } from './errors.js';

/** Size and count limits of one kind of policy document. */
export interface DocumentLimit {
  /** Largest document, in the unit AWS counts (see `countsWhitespace`). */
  maxSize: number;
  /** How many documents of this kind one target can carry (SCP slots per root/OU/account, managed policies per role, …). */
  maxDocuments: number;
  /** `true` when whitespace counts toward `maxSize` (Organizations); `false` for IAM. */
  countsWhitespace: boolean;
}

/** Limits for every target this package writes. */
export interface LimitProfile {
  /** Profile name, e.g. `aws-2026-05`. */
  name: string;
  /** Service control policies. */
  scp: DocumentLimit;
  /** IAM customer managed policies (management account). */
  iamManaged: DocumentLimit;
  /** IAM role inline policies: the aggregate budget of all inline policies on one role. */
  roleInline: DocumentLimit;
  /** The one inline policy of an IAM Identity Center permission set (lands on the provisioned role's inline budget). */
  permissionSetInline: DocumentLimit;
}

/** Names of the built-in limit profiles. */
export type LimitProfileName = 'aws-2026-05' | 'legacy';

const IAM_MANAGED: DocumentLimit = { maxSize: 6144, maxDocuments: 10, countsWhitespace: false };
const ROLE_INLINE: DocumentLimit = { maxSize: 10240, maxDocuments: 1, countsWhitespace: false };
const PERMISSION_SET_INLINE: DocumentLimit = { maxSize: 10240, maxDocuments: 1, countsWhitespace: false };

/**
 * Built-in limit profiles. `aws-2026-05` (the default) has the SCP quotas AWS doubled on 2026-05-15:
 * 10,240 characters and 10 SCPs per root, OU or account. `legacy` has the older 5,120 and 5.
 * Both: IAM managed policies 6,144 non-whitespace characters; role inline aggregate 10,240.
 *
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 * @example
 * ```ts
 * LIMIT_PROFILES['legacy'].scp.maxSize; // 5120
 * ```
 */
export const LIMIT_PROFILES: Readonly<Record<LimitProfileName, LimitProfile>> = Object.freeze({
  'aws-2026-05': {
    name: 'aws-2026-05',
    scp: { maxSize: 10240, maxDocuments: 10, countsWhitespace: true },
    iamManaged: IAM_MANAGED,
    roleInline: ROLE_INLINE,
    permissionSetInline: PERMISSION_SET_INLINE,
  },
  legacy: {
    name: 'legacy',
    scp: { maxSize: 5120, maxDocuments: 5, countsWhitespace: true },
    iamManaged: IAM_MANAGED,
    roleInline: ROLE_INLINE,
    permissionSetInline: PERMISSION_SET_INLINE,
  },
});

/** A custom profile: a built-in one to start from, with some limits replaced. */
export interface CustomLimitProfile {
  /** Profile to start from. @defaultValue `'aws-2026-05'` */
  base?: LimitProfileName;
  /** Name to report. @defaultValue `'custom'` */
  name?: string;
  scp?: Partial<DocumentLimit>;
  iamManaged?: Partial<DocumentLimit>;
  roleInline?: Partial<DocumentLimit>;
  permissionSetInline?: Partial<DocumentLimit>;
}

const KINDS = ['scp', 'iamManaged', 'roleInline', 'permissionSetInline'] as const;

/**
 * Resolves a profile name or a custom profile to a full {@link LimitProfile}, validating every number.
 *
 * @param limits - `'aws-2026-05'` (default), `'legacy'` or a {@link CustomLimitProfile}.
 * @param option - The option name errors report.
 * @throws {@link ScpPolicyError} `INVALID_OPTION` for an unknown name or a non-positive limit.
 * @example
 * ```ts
 * resolveLimits({ scp: { maxSize: 8000 } }).scp; // { maxSize: 8000, maxDocuments: 10, countsWhitespace: true }
 * ```
 */
export function resolveLimits(
  limits: LimitProfileName | CustomLimitProfile | undefined,
  option = 'limits',
): LimitProfile {
  if (limits === undefined) return LIMIT_PROFILES['aws-2026-05'];
  if (typeof limits === 'string') {
    const found = (LIMIT_PROFILES as Record<string, LimitProfile>)[limits];
    if (!found) throw invalidOption(option, `'aws-2026-05', 'legacy' or a custom profile object`);
    return found;
  }
  if (typeof limits !== 'object' || limits === null) {
    throw invalidOption(option, `'aws-2026-05', 'legacy' or a custom profile object`);
  }
  const base = resolveLimits(limits.base ?? 'aws-2026-05', `${option}.base`);
  const out: LimitProfile = { ...base, name: limits.name ?? 'custom' };
  for (const kind of KINDS) {
    const merged = { ...base[kind], ...(limits[kind] ?? {}) };
    for (const field of ['maxSize', 'maxDocuments'] as const) {
      if (!Number.isInteger(merged[field]) || merged[field] < 1) {
        throw invalidOption(`${option}.${kind}.${field}`, 'a positive integer');
      }
    }
    out[kind] = merged;
  }
  return out;
}
