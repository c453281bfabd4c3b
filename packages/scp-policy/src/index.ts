export {
  isScpPolicyError,
  ScpPolicyError,
  ScpPolicyErrorCode,
  type ScpPolicyErrorOptions,
} from './errors.js';
export type { Finding, FindingSeverity } from './finding.js';
export {
  formatTime,
  IDENTITY_STORE_USER_ID_PATTERN,
  type ParseTimeOptions,
  PERMISSION_SET_NAME_PATTERN,
  parseTime,
  ROLE_ARN_PATTERN,
  SESSION_NAME_PATTERN,
} from './input-validation.js';
export {
  type CustomLimitProfile,
  type DocumentLimit,
  LIMIT_PROFILES,
  type LimitProfile,
  type LimitProfileName,
  resolveLimits,
} from './limits.js';
export {
  type ApplyCall,
  type ApplyPlan,
  type ApplyResult,
  createOrganizationsApplier,
  mapOrganizationsError,
  type OrganizationsApplier,
  type OrganizationsApplierOptions,
  type PlanRequest,
  type PlanStep,
} from './organizations-applier.js';
export {
  canonicalizePolicy,
  measurePolicy,
  type PolicyCondition,
  type PolicyDocument,
  type PolicyStatement,
  parsePolicy,
  serializePolicy,
  statementsOf,
} from './policy-document.js';
export {
  type CompiledPolicies,
  compilePolicies,
  type Decision,
  type EvaluationResult,
  evaluate,
  type MatchedStatement,
  type RequestContext,
  SUPPORTED_OPERATORS,
} from './policy-evaluator.js';
export { buildProofCases, type ProofCase, type ProofFailure, type ProofReport, runProof } from './proof.js';
export { type PrunedPolicy, type PruneResult, prune } from './prune.js';
export {
  buildRevocationDocument,
  KIND_CONDITION,
  permissionSetRolePattern,
  type RevocationEntry,
  type RevocationKind,
  readRevocationEntries,
} from './revocation-entry.js';
export {
  AWS_REVOKE_OLDER_SESSIONS,
  type RevokeOlderSessionsInput,
  type RevokeOlderSessionsResult,
  revokeOlderSessions,
} from './revoke-older-sessions.js';
export {
  type GeneratedPolicy,
  type PermissionSetRevocation,
  type RevocationTarget,
  type RevokeSessionsInput,
  type RevokeSessionsResult,
  type RoleRevocation,
  revokeSessions,
} from './revoke-sessions.js';
export type { SessionLifetime } from './session-lifetime.js';
export { type PolicyValidation, type ValidatePolicyOptions, validatePolicy } from './validate-policy.js';
