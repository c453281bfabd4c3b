import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildProofCases,
  compilePolicies,
  measurePolicy,
  prune,
  type RevokeSessionsInput,
  revokeSessions,
} from '../src/index.js';
import { samlRoleSessionContext } from '../src/testing/index.js';
import { now } from './helpers.js';

const nameChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789+=,.@_-'.split(''));
const sessionName = fc.string({ unit: nameChar, minLength: 2, maxLength: 40 });
const userId = fc.uuid().map((u) => u.toLowerCase());
const role = fc.record({
  arn: fc
    .tuple(
      fc.constantFrom('111122223333', '444455556666'),
      fc.string({ unit: fc.constantFrom('A', 'b', 'C', '1', '_'), minLength: 1, maxLength: 20 }),
    )
    .map(([a, n]) => `arn:aws:iam::${a}:role/${n}`),
  issuedBefore: fc.integer({
    min: 1_600_000_000,
    max: Math.floor(Date.parse('2026-09-14T12:00:00Z') / 1000),
  }),
});

const inputArb = fc
  .record({
    users: fc.uniqueArray(sessionName, { maxLength: 40 }),
    sourceIdentities: fc.uniqueArray(sessionName, { maxLength: 15 }),
    identityStoreUserIds: fc.uniqueArray(userId, { maxLength: 8 }),
    roles: fc.uniqueArray(role, { maxLength: 5, selector: (r) => `${r.arn}|${r.issuedBefore}` }),
    permissionSets: fc.uniqueArray(
      fc.record({
        name: fc.string({ unit: fc.constantFrom('A', 'd', 'm', '_', '1', '-'), minLength: 1, maxLength: 12 }),
        issuedBefore: role.map((r) => r.issuedBefore),
      }),
      { maxLength: 3, selector: (p) => `${p.name}|${p.issuedBefore}` },
    ),
    maxSize: fc.integer({ min: 900, max: 4000 }),
    statementIds: fc.constantFrom('expiry' as const, 'none' as const),
    sourceIdentityEnforced: fc.boolean(),
  })
  .filter(
    (r) =>
      r.users.length +
        r.sourceIdentities.length +
        r.identityStoreUserIds.length +
        r.roles.length +
        r.permissionSets.length >
      0,
  )
  .map(
    (r): RevokeSessionsInput => ({
      users: r.users,
      sourceIdentities: r.sourceIdentities,
      identityStoreUserIds: r.identityStoreUserIds,
      roles: r.roles,
      permissionSets: r.permissionSets,
      limits: { scp: { maxSize: r.maxSize, maxDocuments: 1000 } },
      statementIds: r.statementIds,
      sessionLifetime: { sourceIdentityEnforced: r.sourceIdentityEnforced },
      now,
    }),
  );

const reversed = (input: RevokeSessionsInput): RevokeSessionsInput => ({
  ...input,
  users: [...(input.users ?? [])].reverse(),
  sourceIdentities: [...(input.sourceIdentities ?? [])].reverse(),
  identityStoreUserIds: [...(input.identityStoreUserIds ?? [])].reverse(),
  roles: [...(input.roles ?? [])].reverse(),
  permissionSets: [...(input.permissionSets ?? [])].reverse(),
});

describe('revokeSessions (properties)', () => {
  it('keeps every document within its limit, ASCII, and sized exactly', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const result = revokeSessions(input);
        for (const d of result.documents) {
          expect(d.size).toBeLessThanOrEqual(result.limit.maxSize);
          expect(d.size).toBe(measurePolicy(d.json, true));
          expect(d.json).toMatch(/^[\x20-\x7e]+$/);
          expect(JSON.stringify(JSON.parse(d.json))).toBe(d.json);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('gives byte-identical output for the same input in any order', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const a = revokeSessions(input).documents.map((d) => d.json);
        const b = revokeSessions(reversed(input)).documents.map((d) => d.json);
        expect(b).toEqual(a);
      }),
      { numRuns: 40 },
    );
  });

  it('uses at most the lower bound plus one document for a list of users', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(sessionName, { minLength: 1, maxLength: 300, size: 'medium' }),
        fc.integer({ min: 600, max: 10240 }),
        (users, maxSize) => {
          const result = revokeSessions({ users, limits: { scp: { maxSize, maxDocuments: 1000 } }, now });
          expect(result.documents.length).toBeGreaterThanOrEqual(result.lowerBound);
          expect(result.documents.length).toBeLessThanOrEqual(result.lowerBound + 1);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('never uses fewer documents than the lower bound and at most one extra per statement group', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const result = revokeSessions(input);
        const groups = new Set(
          result.documents.flatMap((d) =>
            (Array.isArray(d.document.Statement) ? d.document.Statement : [d.document.Statement]).map(
              (s) => JSON.stringify(s.Condition && Object.keys(s.Condition)) + (s.Sid ?? ''),
            ),
          ),
        );
        expect(result.documents.length).toBeGreaterThanOrEqual(result.lowerBound);
        expect(result.documents.length).toBeLessThanOrEqual(result.lowerBound + groups.size);
      }),
      { numRuns: 60 },
    );
  });

  it('agrees with the evaluator on every proof case and denies no unrelated session', () => {
    fc.assert(
      fc.property(inputArb, fc.uniqueArray(sessionName, { maxLength: 10 }), (input, others) => {
        const result = revokeSessions(input);
        const compiled = compilePolicies(result.documents.map((d) => d.json));
        for (const c of buildProofCases(result.entries, result.revokedAt)) {
          expect(compiled.evaluate(c.context).decision === 'explicit-deny').toBe(c.expect === 'deny');
        }
        const revoked = new Set(input.users);
        for (const other of others) {
          const c = samlRoleSessionContext({
            roleName: 'Unrelated',
            sessionName: other,
            issuedAt: '2026-09-14T11:00:00Z',
          });
          expect(compiled.evaluate(c).decision === 'explicit-deny').toBe(revoked.has(other));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('changes at most one document when one entry is added to previous documents', () => {
    fc.assert(
      fc.property(inputArb, sessionName, (input, extra) => {
        fc.pre(!(input.users ?? []).includes(extra));
        const first = revokeSessions(input);
        const second = revokeSessions({
          ...input,
          users: [extra],
          sourceIdentities: [],
          identityStoreUserIds: [],
          roles: [],
          permissionSets: [],
          previous: first.documents.map((d) => d.json),
        });
        const changed = second.documents.filter((d, i) => d.json !== first.documents[i]?.json);
        expect(changed.length).toBeLessThanOrEqual(1);
        expect(second.documents.length - first.documents.length).toBeLessThanOrEqual(1);
        expect(second.entries.length).toBe(first.entries.length + 1);
      }),
      { numRuns: 40 },
    );
  });
});

describe('prune (properties)', () => {
  it('never removes an entry before every session it targets has expired', () => {
    fc.assert(
      fc.property(
        fc.record({
          maxSessionDurationSeconds: fc.integer({ min: 900, max: 43200 }),
          roleChaining: fc.boolean(),
          sourceIdentityEnforced: fc.boolean(),
          propagationMarginSeconds: fc.integer({ min: 0, max: 3600 }),
          portal: fc.option(fc.integer({ min: 900, max: 7_776_000 }), { nil: undefined }),
        }),
        fc.integer({ min: 0, max: 120 * 86400 }),
        (l, elapsed) => {
          const lifetime = {
            maxSessionDurationSeconds: l.maxSessionDurationSeconds,
            roleChaining: l.roleChaining,
            sourceIdentityEnforced: l.sourceIdentityEnforced,
            propagationMarginSeconds: l.propagationMarginSeconds,
            ...(l.portal
              ? { identityCenter: { portalSessionSeconds: l.portal, permissionSetSessionSeconds: 3600 } }
              : {}),
          };
          const result = revokeSessions({
            users: ['jdoe'],
            sourceIdentities: ['jdoe'],
            sessionLifetime: lifetime,
            now,
          });
          const at = Date.parse(result.revokedAt) + elapsed * 1000;
          const pruned = prune(
            result.documents.map((d) => d.json),
            at,
          );
          const longest =
            Math.max(l.maxSessionDurationSeconds, l.roleChaining ? 3600 : 0, l.portal ? 3600 : 0) +
            (l.portal ?? 0) +
            l.propagationMarginSeconds;
          for (const e of pruned.documents.flatMap((d) => d.removed)) {
            expect(at).toBeGreaterThanOrEqual(Date.parse(result.revokedAt) + longest * 1000);
            if (e.kind === 'session-name') expect(l.roleChaining && !l.sourceIdentityEnforced).toBe(false);
          }
          if (elapsed * 1000 < longest * 1000) {
            expect(pruned.removedCount).toBe(0);
            expect(pruned.documents.map((d) => d.json)).toEqual(result.documents.map((d) => d.json));
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
