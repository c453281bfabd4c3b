// Part 2 of the incident: the stuffed credentials worked for two federated users, and one of them
// chained into a deployment role. Deny every session issued before now — in member accounts with an
// SCP, and in the management account (which SCPs never reach) with an IAM policy — and prove both.
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import {
  type ApplyPlan,
  type ApplyResult,
  createOrganizationsApplier,
  type RevokeSessionsResult,
  revokeSessions,
} from '@secblocks/scp-policy';
import { startOrganizationsEmulator } from '@secblocks/scp-policy/testing';

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

/** What applying the SCP to the organization root did (on the Organizations emulator in the demo). */
export interface OrganizationRollout {
  plan: ApplyPlan;
  result: ApplyResult;
  /** A second plan right after: nothing left to change. */
  rerunChanged: boolean;
  /** The SCPs attached to the root afterwards, by name. */
  attached: string[];
}

/**
 * Plans and applies the revocation SCP on the organization root through `createOrganizationsApplier`, here
 * against `startOrganizationsEmulator` (real SDK client over HTTP); in production pass a client for the
 * management account or the delegated administrator.
 */
export async function applyToOrganization(now: number): Promise<OrganizationRollout> {
  const orgs = await startOrganizationsEmulator({ rootId: 'r-ab12' });
  const client = new OrganizationsClient(orgs.clientConfig());
  try {
    const applier = createOrganizationsApplier({ targetId: 'r-ab12', client });
    const request = {
      revoke: {
        users: COMPROMISED.users,
        sourceIdentities: COMPROMISED.sourceIdentities,
        roles: [{ arn: COMPROMISED.chainedRole, issuedBefore: new Date(now) }],
        revokedAt: new Date(now),
      },
    };
    const plan = await applier.plan(request);
    const result = await applier.apply(plan);
    const rerun = await applier.plan(request);
    return {
      plan,
      result,
      rerunChanged: rerun.changed,
      attached: orgs
        .policies()
        .filter((p) => p.targets.includes('r-ab12'))
        .map((p) => p.name),
    };
  } finally {
    client.destroy();
    await orgs.close();
  }
}
