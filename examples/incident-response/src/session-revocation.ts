// Part 2 of the incident: the stuffed credentials worked for two federated users, and one of them
// chained into a deployment role. Deny every session issued before now — in member accounts with an
// SCP, and in the management account (which SCPs never reach) with an IAM policy — and prove both.
import { type RevokeSessionsResult, revokeSessions } from '@secblocks/scp-policy';

/** The compromised identities. */
export const COMPROMISED = {
  users: ['j.doe@example.com', 'm.rossi@example.com'],
  // The identity provider sets SourceIdentity; it survives role chaining, so chained sessions are caught too.
  sourceIdentities: ['j.doe', 'm.rossi'],
  chainedRole: 'arn:aws:iam::111122223333:role/ci-deploy',
};

/** Both documents with their proofs. */
export interface Revocation {
  scp: RevokeSessionsResult;
  managementAccount: RevokeSessionsResult;
}

/** Generates the SCP and the management-account policy; `now` is the revocation time. */
export function revokeCompromisedSessions(now: number): Revocation {
  const input = {
    users: COMPROMISED.users,
    sourceIdentities: COMPROMISED.sourceIdentities,
    roles: [{ arn: COMPROMISED.chainedRole, issuedBefore: new Date(now) }],
    revokedAt: new Date(now),
    now: () => now,
  };
  return {
    scp: revokeSessions({ ...input, target: 'scp' }),
    managementAccount: revokeSessions({ ...input, target: 'iam' }),
  };
}
