import { assertNoSentinel, createMemoryLogger, createSentinel } from '@secblocks/core/testing';
import { describe, expect, it } from 'vitest';
import { evaluate, revokeSessions } from '../src/index.js';
import {
  chainedSessionContext,
  iamUserContext,
  identityCenterSessionContext,
  rootContext,
  samlRoleSessionContext,
  serviceContext,
} from '../src/testing/index.js';
import { now } from './helpers.js';

describe('request-context builders', () => {
  it('builds a SAML session with userid role-id:session-name and the role ARN as PrincipalArn', () => {
    const c = samlRoleSessionContext({
      roleName: 'Admin',
      rolePath: '/team/',
      sessionName: 'jdoe@example.com',
      issuedAt: '2026-09-14T11:00:00Z',
    });
    expect(c.keys['aws:userid']).toMatch(/^AROA[A-Z2-7]{17}:jdoe@example\.com$/);
    expect(c.keys['aws:PrincipalArn']).toBe('arn:aws:iam::111122223333:role/team/Admin');
    expect(c.keys['aws:TokenIssueTime']).toBe('2026-09-14T11:00:00Z');
  });

  it('builds an Identity Center session with the aws-reserved role path and identitystore:userId', () => {
    const c = identityCenterSessionContext({
      userName: 'jdoe',
      userId: 'u-1',
      permissionSetName: 'Admin',
      region: 'eu-central-1',
      issuedAt: '2026-09-14T11:00:00Z',
    });
    expect(c.keys['aws:PrincipalArn']).toMatch(
      /^arn:aws:iam::111122223333:role\/aws-reserved\/sso\.amazonaws\.com\/eu-central-1\/AWSReservedSSO_Admin_[0-9a-f]{16}$/,
    );
    expect(c.keys['identitystore:userId']).toBe('u-1');
  });

  it('builds IAM user, root and service contexts without TokenIssueTime', () => {
    for (const c of [iamUserContext({ userName: 'ci' }), rootContext(), serviceContext()])
      expect(c.keys['aws:TokenIssueTime']).toBeUndefined();
    expect(rootContext({ accountId: '444455556666' }).keys['aws:userid']).toBe('444455556666');
    expect(serviceContext().keys['aws:userid']).toBeUndefined();
  });

  it('lets consumers test their own policy with the builders', () => {
    const { documents } = revokeSessions({ sourceIdentities: ['jdoe'], now });
    const chained = chainedSessionContext({
      roleName: 'Deploy',
      sessionName: 'pipeline',
      sourceIdentity: 'jdoe',
      issuedAt: '2026-09-14T11:00:00Z',
    });
    expect(
      evaluate(
        documents.map((d) => d.json),
        chained,
      ).decision,
    ).toBe('explicit-deny');
  });
});

describe('secrecy', () => {
  it('never echoes a rejected input value in errors', () => {
    const sentinel = `${createSentinel('user')}*`;
    let caught: unknown;
    try {
      revokeSessions({ users: [sentinel], now });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeDefined();
    assertNoSentinel(sentinel.slice(0, -1), caught);
  });

  it('keeps identities out of the injected logger of the applier', async () => {
    const logger = createMemoryLogger();
    const sentinel = createSentinel('user').slice(0, 60);
    const { createOrganizationsApplier } = await import('../src/index.js');
    const { startOrganizationsEmulator } = await import('../src/testing/index.js');
    const { OrganizationsClient } = await import('@aws-sdk/client-organizations');
    const orgs = await startOrganizationsEmulator();
    try {
      const applier = createOrganizationsApplier({
        targetId: 'r-exam',
        client: new OrganizationsClient(orgs.clientConfig()),
        logger,
        now,
      });
      await applier.apply(await applier.plan({ revoke: { users: [sentinel] } }));
      assertNoSentinel(sentinel, logger.text());
    } finally {
      await orgs.close();
    }
  });
});
