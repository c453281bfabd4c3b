import { createErrorGuard, SecblocksError, type SecblocksErrorOptions } from '@secblocks/core';

/** Codes of the errors `@secblocks/scp-policy` throws. */
export const ScpPolicyErrorCode = {
  /** An option passed to a factory or function is missing or out of range. */
  INVALID_OPTION: 'INVALID_OPTION',
  /** A session name, source identity, user ID, role ARN or date in the input is invalid. */
  INVALID_INPUT: 'INVALID_INPUT',
  /** The input asks for nothing to revoke. */
  EMPTY_INPUT: 'EMPTY_INPUT',
  /** The same identity appears twice in the input. */
  DUPLICATE_ENTRY: 'DUPLICATE_ENTRY',
  /** The entries don't fit in the documents the limit profile and free slots allow. */
  CAPACITY_EXCEEDED: 'CAPACITY_EXCEEDED',
  /** A generated policy failed its proof: a must-deny context was allowed or a must-not-deny one denied. */
  PROOF_FAILED: 'PROOF_FAILED',
  /** A policy document could not be parsed or uses a construct the evaluator does not support. */
  UNSUPPORTED_POLICY: 'UNSUPPORTED_POLICY',
  /** A policy document is not JSON or not a policy. */
  MALFORMED_POLICY: 'MALFORMED_POLICY',
  /** A plan would uncover a revoked principal between two writes (a cycle of moved entries). */
  UNSAFE_PLAN: 'UNSAFE_PLAN',
  /** A plan no longer matches the live policies it was computed from. */
  STALE_PLAN: 'STALE_PLAN',
  /** No free SCP attachment slot on the target (`MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED`). */
  SLOT_LIMIT_EXCEEDED: 'SLOT_LIMIT_EXCEEDED',
  /** AWS rejected a document as too large (`POLICY_CONTENT_LIMIT_EXCEEDED`). */
  POLICY_TOO_LARGE: 'POLICY_TOO_LARGE',
  /** The last SCP of a target can't be detached (`MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED`). */
  LAST_POLICY_ATTACHMENT: 'LAST_POLICY_ATTACHMENT',
  /** The organization has reached its number of policies (`POLICY_NUMBER_LIMIT_EXCEEDED`). */
  POLICY_NUMBER_LIMIT_EXCEEDED: 'POLICY_NUMBER_LIMIT_EXCEEDED',
  /** SCPs need an organization with all features enabled (`ORGANIZATION_NOT_IN_ALL_FEATURES_MODE`). */
  ORGANIZATION_NOT_ALL_FEATURES: 'ORGANIZATION_NOT_ALL_FEATURES',
  /** Any other `ConstraintViolationException` reason; the reason is on the error. */
  CONSTRAINT_VIOLATION: 'CONSTRAINT_VIOLATION',
  /** The SCP policy type is not enabled on the organization root. */
  POLICY_TYPE_NOT_ENABLED: 'POLICY_TYPE_NOT_ENABLED',
  /** The caller lacks permission for an Organizations call. */
  ACCESS_DENIED: 'ACCESS_DENIED',
  /** The target (root, OU or account) does not exist. */
  TARGET_NOT_FOUND: 'TARGET_NOT_FOUND',
  /** Organizations kept throttling or reporting concurrent changes after every retry. */
  THROTTLED: 'THROTTLED',
  /** Any other Organizations failure; the AWS error is the cause. */
  AWS_ERROR: 'AWS_ERROR',
  /** The optional peer `@aws-sdk/client-organizations` is not installed. */
  MISSING_PEER: 'MISSING_PEER',
} as const;

/** One of {@link ScpPolicyErrorCode}. */
export type ScpPolicyErrorCode = (typeof ScpPolicyErrorCode)[keyof typeof ScpPolicyErrorCode];

/** Extra fields of a {@link ScpPolicyError}. */
export interface ScpPolicyErrorOptions extends SecblocksErrorOptions {
  /**
   * Where the offending value sits, e.g. `users[3]` or `Statement[0].Condition`. Never the value of a
   * secret (this package handles identifiers, not secrets).
   */
  path?: string;
  /** The `ConstraintViolationException.Reason` AWS gave, for constraint-violation errors. */
  reason?: string;
}

/**
 * Error thrown by `@secblocks/scp-policy`. Check `code` (one of {@link ScpPolicyErrorCode}); `path`
 * names the offending input position and `reason` carries an Organizations constraint reason.
 *
 * @example
 * ```ts
 * try { revokeSessions({ users: ['a*'] }); }
 * catch (e) { if (isScpPolicyError(e)) console.log(e.code, e.path); } // INVALID_INPUT users[0]
 * ```
 */
export class ScpPolicyError extends SecblocksError<ScpPolicyErrorCode> {
  /** The offending input position, when there is one. */
  readonly path: string | undefined;
  /** The Organizations `ConstraintViolationException.Reason`, when AWS gave one. */
  readonly reason: string | undefined;

  constructor(code: ScpPolicyErrorCode, message: string, options: ScpPolicyErrorOptions = {}) {
    super('scp-policy', code, message, options);
    this.path = options.path;
    this.reason = options.reason;
  }
}

/**
 * Type guard for {@link ScpPolicyError}, safe across duplicate ESM/CJS copies of the package.
 *
 * @example
 * ```ts
 * if (isScpPolicyError(e) && e.code === ScpPolicyErrorCode.CAPACITY_EXCEEDED) splitTheIncident();
 * ```
 */
export const isScpPolicyError: (value: unknown) => value is ScpPolicyError =
  createErrorGuard<ScpPolicyError>('scp-policy');

/** @internal */
export function invalidOption(option: string, expectation: string): ScpPolicyError {
  return new ScpPolicyError(
    ScpPolicyErrorCode.INVALID_OPTION,
    `Invalid option "${option}": expected ${expectation}`,
    { path: option },
  );
}
