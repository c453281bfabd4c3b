import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { createMemoryLogger } from '@secblocks/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  compilePolicies,
  createOrganizationsApplier,
  isScpPolicyError,
  type OrganizationsApplierOptions,
  ScpPolicyErrorCode,
} from '../src/index.js';
import {
  chainedSessionContext,
  type OrganizationsEmulator,
  samlRoleSessionContext,
  startOrganizationsEmulator,
} from '../src/testing/index.js';
import { NOW, now } from './helpers.js';

let emulator: OrganizationsEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function setup(
  options: Parameters<typeof startOrganizationsEmulator>[0] = {},
  applier: Partial<OrganizationsApplierOptions> = {},
) {
  emulator = await startOrganizationsEmulator(options);
  const client = new OrganizationsClient(emulator.clientConfig());
  const sleeps: number[] = [];
  const created = createOrganizationsApplier({
    targetId: 'r-exam',
    client,
    now,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...applier,
  });
  return { emulator, applier: created, sleeps };
}

const WRITES = ['CreatePolicy', 'UpdatePolicy', 'AttachPolicy', 'DetachPolicy', 'DeletePolicy'];
const writes = (e: OrganizationsEmulator) =>
  e.calls.filter((c) => WRITES.includes(c.operation)).map((c) => c.operation);

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (e) {
    if (isScpPolicyError(e)) return e.code;
    throw e;
  }
  return undefined;
}

describe('createOrganizationsApplier', () => {
  it('creates and attaches one revocation SCP next to FullAWSAccess when planning new users', async () => {
    const { emulator: orgs, applier } = await setup();
    const plan = await applier.plan({ revoke: { users: ['jdoe@example.com'], sourceIdentities: ['jdoe'] } });
    expect(plan.steps.map((s) => [s.action, s.name, s.phase])).toEqual([['create', 'secblocks-revoke-1', 1]]);
    expect(plan.slots).toEqual({ other: 1, managed: 1, limit: 10 });
    expect(plan.proof?.passed).toBe(true);
    const result = await applier.apply(plan);
    expect(result.calls.map((c) => c.operation)).toEqual(['CreatePolicy', 'AttachPolicy']);
    const attached = orgs.attachedContents();
    expect(attached).toHaveLength(2);
    expect(attached[1]).toBe(plan.documents[0]?.json);
    const created = orgs.policies().find((p) => p.name === 'secblocks-revoke-1');
    expect(created?.tags).toEqual([{ Key: 'secblocks:managed-by', Value: 'scp-policy' }]);
  });

  it('makes no write when the same revocation is planned and applied again', async () => {
    const { emulator: orgs, applier } = await setup();
    await applier.apply(await applier.plan({ revoke: { users: ['jdoe@example.com'] } }));
    const before = writes(orgs).length;
    const again = await applier.plan({ revoke: { users: ['jdoe@example.com'] } });
    expect(again.changed).toBe(false);
    expect(again.steps.map((s) => s.action)).toEqual(['unchanged']);
    await applier.apply(again);
    expect(writes(orgs).length).toBe(before);
  });

  it('updates exactly one policy in place when one user is added', async () => {
    const { emulator: orgs, applier } = await setup();
    await applier.apply(await applier.plan({ revoke: { users: ['jdoe@example.com'] } }));
    const plan = await applier.plan({ revoke: { users: ['asmith@example.com'] } });
    expect(plan.steps.map((s) => [s.action, s.gained.map((e) => e.value), s.lost.length])).toEqual([
      ['update', ['asmith@example.com'], 0],
    ]);
    const before = writes(orgs).length;
    await applier.apply(plan);
    expect(writes(orgs).slice(before)).toEqual(['UpdatePolicy']);
    const denied = compilePolicies(orgs.attachedContents());
    expect(
      denied.evaluate(
        samlRoleSessionContext({
          roleName: 'Admin',
          sessionName: 'jdoe@example.com',
          issuedAt: '2026-09-14T11:00:00Z',
        }),
      ).decision,
    ).toBe('explicit-deny');
    expect(
      denied.evaluate(
        samlRoleSessionContext({
          roleName: 'Admin',
          sessionName: 'asmith@example.com',
          issuedAt: '2026-09-14T11:00:00Z',
        }),
      ).decision,
    ).toBe('explicit-deny');
  });

  it('lists the calls without making them when dryRun is set', async () => {
    const { emulator: orgs, applier } = await setup();
    const plan = await applier.plan({ revoke: { users: ['jdoe@example.com'] } });
    const result = await applier.apply(plan, { dryRun: true });
    expect(result).toEqual({
      dryRun: true,
      calls: [
        { operation: 'CreatePolicy', name: 'secblocks-revoke-1' },
        { operation: 'AttachPolicy', name: 'secblocks-revoke-1' },
      ],
      skipped: [],
    });
    expect(writes(orgs)).toEqual([]);
  });

  it('never uncovers a still-revoked session while pruning, deleting and adding', async () => {
    const mustStayDenied = [
      chainedSessionContext({
        roleName: 'Deploy',
        sessionName: 's',
        sourceIdentity: 'keep1',
        issuedAt: '2026-09-14T11:00:00Z',
      }),
      chainedSessionContext({
        roleName: 'Deploy',
        sessionName: 's',
        sourceIdentity: 'keep2',
        issuedAt: '2026-09-14T11:00:00Z',
      }),
    ];
    const violations: string[] = [];
    let armed = false;
    const { applier, emulator: orgs } = await setup(
      {
        onWrite: (operation, e) => {
          if (!armed) return;
          const compiled = compilePolicies(e.attachedContents());
          for (const c of mustStayDenied)
            if (compiled.evaluate(c).decision !== 'explicit-deny') violations.push(operation);
        },
      },
      { limits: { scp: { maxSize: 260 } } },
    );
    // Entries that expire (sourceIdentity) and entries kept forever, spread over several small documents.
    const first = await applier.plan({
      revoke: {
        sourceIdentities: ['old1', 'old2', 'old3', 'old4'],
        sessionLifetime: { maxSessionDurationSeconds: 3600 },
      },
    });
    await applier.apply(first);
    const second = await applier.plan({
      revoke: { sourceIdentities: ['keep1', 'keep2'], sessionLifetime: { maxSessionDurationSeconds: 43200 } },
    });
    await applier.apply(second);
    armed = true;
    const managedBefore = orgs.policies().filter((p) => p.name.startsWith('secblocks-revoke')).length;
    const cleanup = await applier.plan({
      pruneAt: NOW + 3 * 3600_000,
      revoke: { sourceIdentities: ['new1'] },
    });
    expect(cleanup.steps.map((s) => s.action).sort()).toEqual(['delete', 'update']);
    const phases = cleanup.steps.filter((s) => s.action !== 'unchanged').map((s) => s.phase);
    expect([...phases].sort()).toEqual(phases);
    const writesBefore = writes(orgs).length;
    await applier.apply(cleanup);
    expect(writes(orgs).length - writesBefore).toBeGreaterThan(1);
    expect(violations).toEqual([]);
    const left = compilePolicies(orgs.attachedContents());
    expect(
      left.evaluate(
        chainedSessionContext({
          roleName: 'D',
          sessionName: 's',
          sourceIdentity: 'old1',
          issuedAt: '2026-09-14T11:00:00Z',
        }),
      ).decision,
    ).toBe('allow');
    expect(
      left.evaluate(
        chainedSessionContext({
          roleName: 'D',
          sessionName: 's',
          sourceIdentity: 'new1',
          issuedAt: '2026-09-14T11:00:00Z',
        }),
      ).decision,
    ).toBe('explicit-deny');
    expect(orgs.policies().filter((p) => p.name.startsWith('secblocks-revoke')).length).toBeLessThanOrEqual(
      managedBefore,
    );
  });

  it('detaches and deletes a policy whose entries all expired', async () => {
    const { emulator: orgs, applier } = await setup();
    await applier.apply(
      await applier.plan({
        revoke: { sourceIdentities: ['jdoe'], sessionLifetime: { maxSessionDurationSeconds: 3600 } },
      }),
    );
    const plan = await applier.plan({ pruneAt: NOW + 86400_000 });
    expect(plan.steps.map((s) => s.action)).toEqual(['delete']);
    await applier.apply(plan);
    expect(orgs.policies().map((p) => p.name)).toEqual(['FullAWSAccess']);
  });

  it('retries throttling and concurrent modification, then succeeds', async () => {
    const { emulator: orgs, applier, sleeps } = await setup();
    orgs.failNext(
      'CreatePolicy',
      {
        type: 'TooManyRequestsException',
        message:
          "AWS Organizations can't complete your request because another request is already in progress.",
      },
      2,
    );
    orgs.failNext('AttachPolicy', { type: 'ConcurrentModificationException' }, 1);
    await applier.apply(await applier.plan({ revoke: { users: ['jdoe'] } }));
    expect(orgs.count('CreatePolicy')).toBe(3);
    expect(orgs.count('AttachPolicy')).toBe(2);
    expect(sleeps).toHaveLength(3);
    expect(orgs.attachedContents()).toHaveLength(2);
  });

  it('throws THROTTLED when throttling outlasts every attempt', async () => {
    const { emulator: orgs, applier } = await setup({}, { maxAttempts: 3 });
    orgs.failNext('ListPoliciesForTarget', { type: 'TooManyRequestsException' }, 5);
    expect(await codeOf(applier.plan({ revoke: { users: ['jdoe'] } }))).toBe(ScpPolicyErrorCode.THROTTLED);
    expect(orgs.count('ListPoliciesForTarget')).toBe(3);
  });

  it.each([
    ['MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED', ScpPolicyErrorCode.SLOT_LIMIT_EXCEEDED],
    ['POLICY_CONTENT_LIMIT_EXCEEDED', ScpPolicyErrorCode.POLICY_TOO_LARGE],
    ['MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED', ScpPolicyErrorCode.LAST_POLICY_ATTACHMENT],
    ['POLICY_NUMBER_LIMIT_EXCEEDED', ScpPolicyErrorCode.POLICY_NUMBER_LIMIT_EXCEEDED],
    ['ORGANIZATION_NOT_IN_ALL_FEATURES_MODE', ScpPolicyErrorCode.ORGANIZATION_NOT_ALL_FEATURES],
    ['TAG_POLICY_VIOLATION', ScpPolicyErrorCode.CONSTRAINT_VIOLATION],
  ])('maps ConstraintViolationException %s to %s', async (reason, code) => {
    const { emulator: orgs, applier } = await setup();
    orgs.failNextWithConstraint('CreatePolicy', reason);
    const plan = await applier.plan({ revoke: { users: ['jdoe'] } });
    try {
      await applier.apply(plan);
      expect.unreachable();
    } catch (e) {
      expect(isScpPolicyError(e) && [e.code, e.reason]).toEqual([code, reason]);
    }
  });

  it('reports the attachment limit the real emulator enforces as SLOT_LIMIT_EXCEEDED', async () => {
    const others = Array.from({ length: 9 }, (_, i) => ({
      name: `guardrail-${i}`,
      content: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"x:Y","Resource":"*"}]}',
      targets: ['r-exam'],
    }));
    const { applier } = await setup({ policies: others }, { limits: { scp: { maxDocuments: 11 } } });
    expect(await codeOf(applier.apply(await applier.plan({ revoke: { users: ['jdoe'] } })))).toBe(
      ScpPolicyErrorCode.SLOT_LIMIT_EXCEEDED,
    );
  });

  it('counts slots used by other policies across pages and refuses a plan that needs more', async () => {
    const others = Array.from({ length: 8 }, (_, i) => ({
      name: `guardrail-${i}`,
      content: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"x:Y","Resource":"*"}]}',
      targets: ['r-exam'],
    }));
    const { applier, emulator: orgs } = await setup(
      { policies: others, defaultPageSize: 3 },
      { limits: { scp: { maxSize: 600 } } },
    );
    const users = Array.from({ length: 30 }, (_, i) => `user${i}@example.com`);
    expect(await codeOf(applier.plan({ revoke: { users } }))).toBe(ScpPolicyErrorCode.CAPACITY_EXCEEDED);
    expect(orgs.count('ListPoliciesForTarget')).toBe(3);
  });

  it('throws STALE_PLAN when a policy changed between plan and apply', async () => {
    const { emulator: orgs, applier } = await setup();
    await applier.apply(await applier.plan({ revoke: { users: ['jdoe'] } }));
    const plan = await applier.plan({ revoke: { users: ['asmith'] } });
    const client = new OrganizationsClient(orgs.clientConfig());
    const { UpdatePolicyCommand } = await import('@aws-sdk/client-organizations');
    const id = orgs.policies().find((p) => p.name === 'secblocks-revoke-1')?.id;
    await client.send(
      new UpdatePolicyCommand({
        PolicyId: id,
        Content:
          '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:userid":"*:someone"}}}]}',
      }),
    );
    expect(await codeOf(applier.apply(plan))).toBe(ScpPolicyErrorCode.STALE_PLAN);
  });

  it('adopts a policy created by an interrupted run instead of failing on the duplicate name', async () => {
    const { emulator: orgs, applier } = await setup();
    const plan = await applier.plan({ revoke: { users: ['jdoe'] } });
    orgs.failNext('AttachPolicy', { type: 'ServiceException', status: 400, message: 'boom' }, 1);
    expect(await codeOf(applier.apply(plan))).toBe(ScpPolicyErrorCode.AWS_ERROR);
    const retryPlan = await applier.plan({ revoke: { users: ['jdoe'] } });
    const result = await applier.apply(retryPlan);
    expect(result.calls.map((c) => c.operation)).toEqual(['CreatePolicy', 'UpdatePolicy', 'AttachPolicy']);
    expect(orgs.policies().filter((p) => p.name === 'secblocks-revoke-1')).toHaveLength(1);
    expect(orgs.attachedContents()).toHaveLength(2);
  });

  it('throws TARGET_NOT_FOUND for an unknown target', async () => {
    const { applier } = await setup({}, { targetId: 'ou-ab12-cdefgh34' });
    expect(await codeOf(applier.plan({ revoke: { users: ['jdoe'] } }))).toBe(
      ScpPolicyErrorCode.TARGET_NOT_FOUND,
    );
  });

  it('throws POLICY_TYPE_NOT_ENABLED when SCPs are not enabled on the root', async () => {
    const { applier } = await setup({ scpEnabled: false });
    expect(await codeOf(applier.plan({ revoke: { users: ['jdoe'] } }))).toBe(
      ScpPolicyErrorCode.POLICY_TYPE_NOT_ENABLED,
    );
  });

  it('logs identifiers and counts only', async () => {
    const logger = createMemoryLogger();
    const { applier } = await setup({}, { logger });
    await applier.apply(await applier.plan({ revoke: { users: ['jdoe@example.com'] } }));
    expect(logger.text()).not.toContain('jdoe@example.com');
    expect(logger.lines.map((l) => l.message)).toEqual([
      'read live revocation SCPs',
      'applied revocation SCPs',
    ]);
  });

  it.each([
    [{ targetId: 'root' }, 'targetId'],
    [{ targetId: 'r-exam', policyNamePrefix: 'bad prefix' }, 'policyNamePrefix'],
    [{ targetId: 'r-exam', maxAttempts: 0 }, 'maxAttempts'],
    [{ targetId: 'r-exam', client: {} }, 'client'],
    [{ targetId: 'r-exam', limits: 'nope' }, 'limits'],
  ])('throws INVALID_OPTION naming %j', (options, path) => {
    try {
      createOrganizationsApplier(options as never);
      expect.unreachable();
    } catch (e) {
      expect(isScpPolicyError(e) && [e.code, e.path]).toEqual([ScpPolicyErrorCode.INVALID_OPTION, path]);
    }
  });
});
