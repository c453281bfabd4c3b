import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalizePolicy,
  measurePolicy,
  type PolicyDocument,
  parsePolicy,
  prune,
  revokeSessions,
  serializePolicy,
} from '../src/index.js';
import { now } from './helpers.js';

const value = fc.string({ unit: fc.constantFrom('a', 'B', '*', ':', '"', '\\', 'é', ' '), maxLength: 6 });
const statement = fc.record(
  {
    Sid: fc.string({ unit: fc.constantFrom('A', 'b', '1'), minLength: 1, maxLength: 4 }),
    Effect: fc.constantFrom('Allow' as const, 'Deny' as const),
    Action: fc.oneof(value, fc.array(value, { minLength: 1, maxLength: 4 })),
    Resource: fc.oneof(value, fc.array(value, { minLength: 1, maxLength: 3 })),
    Condition: fc.dictionary(
      fc.constantFrom('StringLike', 'StringEquals', 'ArnLike'),
      fc.dictionary(
        fc.constantFrom('aws:userid', 'aws:SourceIdentity'),
        fc.oneof(value, fc.array(value, { minLength: 1, maxLength: 4 })),
      ),
    ),
  },
  { requiredKeys: ['Effect', 'Action'] },
);
const doc = fc.record({
  Statement: fc.array(statement, { minLength: 1, maxLength: 3 }),
  Version: fc.constant('2012-10-17'),
}) as fc.Arbitrary<PolicyDocument>;

describe('serializePolicy', () => {
  it('is idempotent and order-insensitive (property)', () => {
    fc.assert(
      fc.property(doc, (d) => {
        const once = serializePolicy(d);
        expect(serializePolicy(JSON.parse(once))).toBe(once);
        const shuffled = JSON.parse(JSON.stringify(d), (_k, v) =>
          Array.isArray(v) && v.every((x) => typeof x === 'string') ? [...v].reverse() : v,
        );
        expect(serializePolicy(shuffled)).toBe(once);
      }),
      { numRuns: 200 },
    );
  });

  it('writes Version before Statement and collapses one-element arrays', () => {
    expect(
      serializePolicy({
        Statement: [{ Resource: ['*'], Action: ['*', '*'], Effect: 'Deny' }],
        Version: '2012-10-17',
      }),
    ).toBe('{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}');
  });

  it('keeps a single Statement object as an object', () => {
    expect(
      canonicalizePolicy({ Version: '2012-10-17', Statement: { Effect: 'Deny', Action: '*', Resource: '*' } })
        .Statement,
    ).toEqual({ Effect: 'Deny', Action: '*', Resource: '*' });
  });
});

describe('measurePolicy', () => {
  it('counts UTF-8 bytes with whitespace for Organizations and non-whitespace for IAM', () => {
    expect(measurePolicy('{ "a": "é" }', true)).toBe(13);
    expect(measurePolicy('{ "a": "é" }', false)).toBe(9);
  });
});

describe('parsePolicy', () => {
  it('throws MALFORMED_POLICY naming the label when there is no Statement', () => {
    expect(() => parsePolicy('{"Version":"2012-10-17"}', 'a.json')).toThrow(
      expect.objectContaining({ code: 'MALFORMED_POLICY', path: 'a.json.Statement' }),
    );
  });
});

describe('prune', () => {
  const generated = () =>
    revokeSessions({
      users: ['keepme'],
      sourceIdentities: ['jdoe'],
      roles: [{ arn: 'arn:aws:iam::111122223333:role/Admin', issuedBefore: '2026-09-14T11:00:00Z' }],
      sessionLifetime: { maxSessionDurationSeconds: 3600 },
      now,
    });

  it('removes expired sourceIdentity and role entries and keeps Keep entries', () => {
    const result = prune(
      generated().documents.map((d) => d.json),
      '2026-09-20T00:00:00Z',
    );
    expect(result.removedCount).toBe(2);
    expect(result.documents[0]?.kept.map((e) => e.value)).toEqual(['keepme']);
    expect(result.documents[0]?.json).toBe(
      '{"Version":"2012-10-17","Statement":[{"Sid":"UKeep","Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:userid":"*:keepme"}}}]}',
    );
  });

  it('returns the input text unchanged when nothing has expired', () => {
    const docs = generated().documents.map((d) => d.json);
    const result = prune(docs, '2026-09-14T12:30:00Z');
    expect(result.documents.map((d) => [d.changed, d.json])).toEqual(docs.map((j) => [false, j]));
  });

  it('never removes statements without an expiry Sid', () => {
    const docs = revokeSessions({ sourceIdentities: ['jdoe'], statementIds: 'none', now }).documents.map(
      (d) => d.json,
    );
    expect(prune(docs, '2099-01-01T00:00:00Z').removedCount).toBe(0);
  });

  it('returns a null document when every entry expired', () => {
    const docs = revokeSessions({ sourceIdentities: ['jdoe'], now }).documents.map((d) => d.json);
    expect(prune(docs, '2099-01-01T00:00:00Z').documents[0]).toMatchObject({
      changed: true,
      document: null,
      json: null,
    });
  });

  it('throws UNSUPPORTED_POLICY for a document it did not write', () => {
    expect(() =>
      prune(
        ['{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'],
        Date.now(),
      ),
    ).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_POLICY' }));
  });

  it('throws INVALID_OPTION for an unparseable time', () => {
    expect(() => prune([], 'soon')).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', path: 'now' }));
  });
});
