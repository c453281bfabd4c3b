import { invalidOption, ScpPolicyError, ScpPolicyErrorCode } from './errors.js';
import { parseTime } from './input-validation.js';
import { measurePolicy, type PolicyDocument, serializePolicy } from './policy-document.js';
import { compilePolicies } from './policy-evaluator.js';
import { roleSessionContext } from './request-context.js';

/** The name the IAM console gives the role-wide revocation inline policy. */
export const AWS_REVOKE_OLDER_SESSIONS = 'AWSRevokeOlderSessions';

/** Input of {@link revokeOlderSessions}. */
export interface RevokeOlderSessionsInput {
  /** Sessions issued strictly before this time are denied: ISO-8601, epoch seconds, a `Date` or `now`. */
  issuedBefore: string | number | Date;
  /** Clock, for tests. @defaultValue `Date.now` */
  now?: () => number;
}

/** What {@link revokeOlderSessions} returns. */
export interface RevokeOlderSessionsResult {
  /** `AWSRevokeOlderSessions`, so operators recognise the policy. */
  policyName: string;
  document: PolicyDocument;
  json: string;
  /** Non-whitespace characters (IAM counts those). */
  size: number;
  issuedBefore: string;
}

/**
 * Generates the IAM console's "Revoke active sessions" inline policy, `AWSRevokeOlderSessions`, in the
 * exact shape the console writes (a single Statement object): deny everything to every session of the
 * role issued before the time. Put it on the role with `PutRolePolicy` (or in a permission set's inline
 * policy). It denies **all** users of the role, not just one; sessions issued later are unaffected. Not
 * for service-linked roles. The result is proven: a session issued 1 s before is denied, one issued at
 * the time and an IAM user's long-term keys are not.
 *
 * @param input - The time.
 * @throws {@link ScpPolicyError} `INVALID_INPUT` for a bad or future time, `PROOF_FAILED`.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html
 * @example
 * ```ts
 * const { policyName, json } = revokeOlderSessions({ issuedBefore: 'now' });
 * // iam.putRolePolicy({ RoleName, PolicyName: policyName, PolicyDocument: json })
 * ```
 */
export function revokeOlderSessions(input: RevokeOlderSessionsInput): RevokeOlderSessionsResult {
  if (typeof input !== 'object' || input === null)
    throw invalidOption('input', 'an object with issuedBefore');
  const nowMs = (input.now ?? Date.now)();
  const issuedBefore = parseTime(input.issuedBefore, 'issuedBefore', { nowMs });
  const document: PolicyDocument = {
    Version: '2012-10-17',
    Statement: {
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { DateLessThan: { 'aws:TokenIssueTime': issuedBefore } },
    },
  };
  const json = serializePolicy(document);
  const compiled = compilePolicies([document]);
  const at = (deltaSeconds: number): string =>
    new Date(Date.parse(issuedBefore) + deltaSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const session = (issuedAt: string) =>
    roleSessionContext({ roleName: 'Role', sessionName: 'proof', issuedAt });
  const ok =
    compiled.evaluate(session(at(-1))).decision === 'explicit-deny' &&
    compiled.evaluate(session(at(0))).decision !== 'explicit-deny' &&
    compiled.evaluate({ action: 's3:GetObject', keys: { 'aws:userid': 'AIDAEXAMPLE' } }).decision !==
      'explicit-deny';
  if (!ok)
    throw new ScpPolicyError(
      ScpPolicyErrorCode.PROOF_FAILED,
      'AWSRevokeOlderSessions policy failed its proof',
    );
  return {
    policyName: AWS_REVOKE_OLDER_SESSIONS,
    document,
    json,
    size: measurePolicy(json, false),
    issuedBefore,
  };
}
