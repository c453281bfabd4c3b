import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  canonicalizePolicy,
  evaluate,
  isScpPolicyError,
  LIMIT_PROFILES,
  type PolicyDocument,
  readRevocationEntries,
  revokeOlderSessions,
  revokeSessions,
  ScpPolicyErrorCode,
  serializePolicy,
} from '../src/index.js';
import {
  chainedSessionContext,
  identityCenterSessionContext,
  samlRoleSessionContext,
} from '../src/testing/index.js';
import { now, withoutSids } from './helpers.js';

const fixture = (name: string): PolicyDocument =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as PolicyDocument;

function thrown(fn: () => unknown): { code?: string; path?: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isScpPolicyError(e)) return { code: e.code, path: e.path, message: e.message };
    throw e;
  }
  throw new Error('expected a throw');
}

describe('revokeSessions', () => {
  it('reproduces the AWS blog post user and source-identity SCP when given the same users', () => {
    const result = revokeSessions({
      users: ['john.doe@example.com', 'jane.roe@example.com'],
      sourceIdentities: ['john.doe@example.com', 'jane.roe@example.com'],
      statementIds: 'none',
      now,
    });
    expect(result.documents).toHaveLength(1);
    expect(result.documents[0]?.document).toEqual(withoutSids(fixture('blog-revoke-users.json')));
  });

  it('reproduces the AWS blog post RevokeActiveSessions SCP for role ARNs and TokenIssueTime', () => {
    const result = revokeSessions({
      roles: [
        { arn: 'arn:aws:iam::111122223333:role/Admin', issuedBefore: '2022-07-02T18:55:10Z' },
        { arn: 'arn:aws:iam::111122223333:role/ReadOnly', issuedBefore: '2022-07-02T18:55:10Z' },
      ],
      statementIds: 'none',
      now,
    });
    expect(result.documents[0]?.document).toEqual(withoutSids(fixture('blog-revoke-roles.json')));
  });

  it('reproduces the Identity Center identitystore:userId deny AWS recommends', () => {
    const result = revokeSessions({
      identityStoreUserIds: ['9067729b3d-94f1e788-c6e1-4fc0-9ad5-1a2b3c4d5e6f'],
      statementIds: 'none',
      target: 'permission-set',
      now,
    });
    expect(result.documents[0]?.json).toBe(serializePolicy(fixture('identity-center-deny.json')));
  });

  it('writes minified canonical ASCII JSON whose size is its exact length when the target is scp', () => {
    const result = revokeSessions({ users: ['jdoe@example.com'], sourceIdentities: ['jdoe'], now });
    const doc = result.documents[0];
    expect(doc?.json).toBe(
      '{"Version":"2012-10-17","Statement":[{"Sid":"UKeep","Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:userid":"*:jdoe@example.com"}}},' +
        '{"Sid":"S2026091501","Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:SourceIdentity":"jdoe"}}}]}',
    );
    expect(doc?.size).toBe(doc?.json.length);
    expect(result.proof.passed).toBe(true);
  });

  it('denies the revoked sessions and not their near misses when evaluated', () => {
    const result = revokeSessions({ users: ['jdoe@example.com'], sourceIdentities: ['jdoe'], now });
    const docs = result.documents.map((d) => d.json);
    const issuedAt = '2026-09-14T11:00:00Z';
    expect(
      evaluate(docs, samlRoleSessionContext({ roleName: 'Admin', sessionName: 'jdoe@example.com', issuedAt }))
        .decision,
    ).toBe('explicit-deny');
    expect(
      evaluate(
        docs,
        chainedSessionContext({ roleName: 'Deploy', sessionName: 'other', sourceIdentity: 'jdoe', issuedAt }),
      ).decision,
    ).toBe('explicit-deny');
    expect(
      evaluate(
        docs,
        samlRoleSessionContext({ roleName: 'Admin', sessionName: 'xjdoe@example.com', issuedAt }),
      ).decision,
    ).toBe('implicit-deny');
    expect(
      evaluate(docs, samlRoleSessionContext({ roleName: 'Admin', sessionName: 'jdoe@example.co', issuedAt }))
        .decision,
    ).toBe('implicit-deny');
    expect(
      evaluate(
        docs,
        identityCenterSessionContext({
          userName: 'jdoe@example.com',
          userId: '00000000-0000-4000-8000-000000000001',
          permissionSetName: 'Admin',
          issuedAt,
        }),
      ).decision,
    ).toBe('explicit-deny');
  });

  it('counts whitespace for scp and not for iam when measuring', () => {
    const scp = revokeSessions({ users: ['jdoe'], now });
    const iam = revokeSessions({ users: ['jdoe'], target: 'iam', now });
    expect(iam.documents[0]?.json).toBe(scp.documents[0]?.json);
    expect(scp.limit).toEqual({ maxSize: 10240, maxDocuments: 9, countsWhitespace: true });
    expect(iam.limit).toEqual({ maxSize: 6144, maxDocuments: 10, countsWhitespace: false });
  });

  it('uses the role inline budget minus existing inline policies when iamPolicyKind is role-inline', () => {
    const result = revokeSessions({
      users: ['jdoe'],
      target: 'iam',
      iamPolicyKind: 'role-inline',
      existingInlinePolicySize: 4000,
      now,
    });
    expect(result.limit).toEqual({ maxSize: 6240, maxDocuments: 1, countsWhitespace: false });
  });

  it('packs into documents of the legacy size when the legacy profile is chosen', () => {
    const users = Array.from({ length: 300 }, (_, i) => `user${String(i).padStart(4, '0')}@example.com`);
    const modern = revokeSessions({ users, now });
    const legacy = revokeSessions({ users, limits: 'legacy', now });
    expect(modern.documents.every((d) => d.size <= LIMIT_PROFILES['aws-2026-05'].scp.maxSize)).toBe(true);
    expect(legacy.documents.every((d) => d.size <= 5120)).toBe(true);
    expect(legacy.documents.length).toBeGreaterThan(modern.documents.length);
    expect(legacy.documents.length).toBeLessThanOrEqual(legacy.lowerBound + 1);
  });

  it('throws CAPACITY_EXCEEDED when the entries need more documents than free slots', () => {
    const users = Array.from({ length: 400 }, (_, i) => `user${String(i).padStart(4, '0')}@example.com`);
    const error = thrown(() => revokeSessions({ users, limits: 'legacy', usedSlots: 3, now }));
    expect(error.code).toBe(ScpPolicyErrorCode.CAPACITY_EXCEEDED);
    expect(error.message).toMatch(/only 2 are available/);
  });

  it('throws CAPACITY_EXCEEDED when a permission set inline budget is already used up', () => {
    expect(
      thrown(() =>
        revokeSessions({ users: ['jdoe'], target: 'permission-set', existingInlinePolicySize: 10200, now }),
      ).code,
    ).toBe(ScpPolicyErrorCode.CAPACITY_EXCEEDED);
  });

  it.each([
    [{ users: ['a*'] }, 'users[0]'],
    [{ users: ['ok-name', 'x'] }, 'users[1]'],
    [{ users: ['has space'] }, 'users[0]'],
    [{ users: ['a'.repeat(65)] }, 'users[0]'],
    [{ sourceIdentities: ['jd?e'] }, 'sourceIdentities[0]'],
    [{ sourceIdentities: ['$' + '{aws:username}'] }, 'sourceIdentities[0]'],
    [{ identityStoreUserIds: ['not-a-user-id'] }, 'identityStoreUserIds[0]'],
    [{ roles: [{ arn: 'arn:aws:iam::12345:role/Admin', issuedBefore: 'now' }] }, 'roles[0].arn'],
    [{ roles: [{ arn: 'arn:aws:iam::111122223333:role/*', issuedBefore: 'now' }] }, 'roles[0].arn'],
    [
      {
        roles: [
          { arn: 'arn:aws:iam::111122223333:role/aws-service-role/x.amazonaws.com/R', issuedBefore: 'now' },
        ],
      },
      'roles[0].arn',
    ],
    [
      { roles: [{ arn: 'arn:aws:iam::111122223333:role/Admin', issuedBefore: 'yesterday' }] },
      'roles[0].issuedBefore',
    ],
    [
      { roles: [{ arn: 'arn:aws:iam::111122223333:role/Admin', issuedBefore: '2030-01-01T00:00:00Z' }] },
      'roles[0].issuedBefore',
    ],
  ])('throws INVALID_INPUT naming the position when the input is %j', (input, path) => {
    const error = thrown(() => revokeSessions({ ...input, now }));
    expect(error.code).toBe(ScpPolicyErrorCode.INVALID_INPUT);
    expect(error.path).toBe(path);
  });

  it('throws DUPLICATE_ENTRY naming both positions when a user is listed twice', () => {
    const error = thrown(() => revokeSessions({ users: ['jdoe', 'asmith', 'jdoe'], now }));
    expect(error.code).toBe(ScpPolicyErrorCode.DUPLICATE_ENTRY);
    expect(error.message).toBe('users[2] duplicates users[0]');
  });

  it('throws EMPTY_INPUT when nothing is to be revoked', () => {
    expect(thrown(() => revokeSessions({ users: [], now })).code).toBe(ScpPolicyErrorCode.EMPTY_INPUT);
  });

  it.each([
    [{ target: 'org' }, 'target'],
    [{ limits: 'aws-2024' }, 'limits'],
    [{ limits: { scp: { maxSize: 0 } } }, 'limits.scp.maxSize'],
    [{ usedSlots: -1 }, 'usedSlots'],
    [{ statementIds: 'long' }, 'statementIds'],
    [{ sessionLifetime: { maxSessionDurationSeconds: 100 } }, 'sessionLifetime.maxSessionDurationSeconds'],
  ])('throws INVALID_OPTION naming the option when given %j', (options, path) => {
    const error = thrown(() => revokeSessions({ users: ['jdoe'], now, ...(options as object) }));
    expect(error.code).toBe(ScpPolicyErrorCode.INVALID_OPTION);
    expect(error.path).toBe(path);
  });

  it('rounds a sub-second issuedBefore up so no session in the fraction escapes', () => {
    const result = revokeSessions({
      roles: [{ arn: 'arn:aws:iam::111122223333:role/Admin', issuedBefore: '2026-09-14T10:00:00.250Z' }],
      now,
    });
    expect(result.entries[0]?.issuedBefore).toBe('2026-09-14T10:00:01Z');
  });

  it('accepts epoch seconds for issuedBefore and writes one canonical ISO form', () => {
    const result = revokeSessions({
      roles: [{ arn: 'arn:aws:iam::111122223333:role/Admin', issuedBefore: 1656788110 }],
      now,
    });
    expect(result.entries[0]?.issuedBefore).toBe('2022-07-02T18:55:10Z');
  });

  it('keeps previous entries in place and changes one document when one user is added', () => {
    const users = Array.from({ length: 500 }, (_, i) => `u${i}.person@example.com`);
    const first = revokeSessions({ users, now });
    const second = revokeSessions({
      users: ['zz.new@example.com'],
      previous: first.documents.map((d) => d.json),
      now,
    });
    const changed = second.documents.filter((d, i) => d.json !== first.documents[i]?.json);
    expect(second.documents.length).toBeGreaterThanOrEqual(first.documents.length);
    expect(changed).toHaveLength(1);
    expect(second.entries).toHaveLength(501);
  });

  it('marks session-name entries Keep when chaining is possible without enforced sourceIdentity', () => {
    const result = revokeSessions({ users: ['jdoe'], now });
    expect(result.entries[0]?.removableAfter).toBeNull();
    const enforced = revokeSessions({
      users: ['jdoe'],
      sessionLifetime: { sourceIdentityEnforced: true },
      now,
    });
    // 12 h role session + 15 min margin after 12:00, rounded up to the hour.
    expect(enforced.entries[0]?.removableAfter).toBe('2026-09-15T01:00:00Z');
  });

  it('adds the Identity Center portal session to the expiry when identityCenter is set', () => {
    const result = revokeSessions({
      sourceIdentities: ['jdoe'],
      sessionLifetime: {
        identityCenter: { portalSessionSeconds: 86400, permissionSetSessionSeconds: 3600 },
        maxSessionDurationSeconds: 3600,
      },
      now,
    });
    // max(1 h role, 1 h chain, 1 h permission set) + 24 h portal + 15 min → 2026-09-15T13:15 → 14:00.
    expect(result.entries[0]?.removableAfter).toBe('2026-09-15T14:00:00Z');
  });

  it('warns when a session name has upper-case letters', () => {
    const result = revokeSessions({ users: ['John.Doe@example.com'], now });
    expect(result.findings.map((f) => f.code)).toContain('CASE_SENSITIVE_MATCH');
  });

  it('round-trips its own documents through readRevocationEntries', () => {
    const result = revokeSessions({
      users: ['jdoe'],
      sourceIdentities: ['jdoe'],
      roles: [{ arn: 'arn:aws:iam::111122223333:role/path/Admin', issuedBefore: '2026-09-14T11:00:00Z' }],
      now,
    });
    const read = readRevocationEntries(canonicalizePolicy(JSON.parse(result.documents[0]?.json ?? '')));
    expect(read.map((e) => [e.kind, e.value, e.removableAfter])).toEqual(
      result.entries.map((e) => [e.kind, e.value, e.removableAfter]),
    );
  });
});

describe('revokeOlderSessions', () => {
  it('reproduces the IAM console AWSRevokeOlderSessions policy', () => {
    const result = revokeOlderSessions({ issuedBefore: '2014-05-07T23:47:00Z', now });
    expect(result.policyName).toBe('AWSRevokeOlderSessions');
    expect(result.json).toBe(JSON.stringify(fixture('console-aws-revoke-older-sessions.json')));
    expect(result.json).toHaveLength(157);
  });

  it('throws INVALID_INPUT when the time is in the future', () => {
    expect(thrown(() => revokeOlderSessions({ issuedBefore: '2099-01-01T00:00:00Z', now })).code).toBe(
      ScpPolicyErrorCode.INVALID_INPUT,
    );
  });
});

describe('revokeSessions permissionSets', () => {
  const result = revokeSessions({
    permissionSets: [{ name: 'AdministratorAccess', issuedBefore: '2026-09-14T11:00:00Z' }],
    now,
  });
  const docs = result.documents.map((d) => d.json);

  it('denies older sessions of the permission set roles in every account and Region', () => {
    expect(result.documents[0]?.document).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'P2026091500I20260914110000',
          Effect: 'Deny',
          Action: '*',
          Resource: '*',
          Condition: {
            ArnLike: {
              'aws:PrincipalArn':
                'arn:*:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_AdministratorAccess_????????????????',
            },
            DateLessThan: { 'aws:TokenIssueTime': '2026-09-14T11:00:00Z' },
          },
        },
      ],
    });
    for (const arn of [
      'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef',
      'arn:aws:iam::444455556666:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_fedcba9876543210',
      'arn:aws-us-gov:iam::444455556666:role/aws-reserved/sso.amazonaws.com/us-gov-west-1/AWSReservedSSO_AdministratorAccess_fedcba9876543210',
    ]) {
      expect(
        evaluate(docs, {
          action: 'ec2:RunInstances',
          keys: { 'aws:PrincipalArn': arn, 'aws:TokenIssueTime': '2026-09-14T10:00:00Z' },
        }).decision,
      ).toBe('explicit-deny');
    }
  });

  it('does not deny another permission set whose name starts the same', () => {
    const arn =
      'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_Limited_0123456789abcdef';
    expect(
      evaluate(docs, {
        action: 's3:GetObject',
        keys: { 'aws:PrincipalArn': arn, 'aws:TokenIssueTime': '2026-09-14T10:00:00Z' },
      }).decision,
    ).toBe('implicit-deny');
  });

  it('reads the permission set back from the pattern', () => {
    expect(readRevocationEntries(JSON.parse(docs[0] as string)).map((e) => [e.kind, e.value])).toEqual([
      ['permission-set', 'AdministratorAccess'],
    ]);
  });

  it('throws INVALID_INPUT for a wildcard in a permission set name', () => {
    expect(
      thrown(() => revokeSessions({ permissionSets: [{ name: 'Admin*', issuedBefore: 'now' }], now })).path,
    ).toBe('permissionSets[0].name');
  });
});
