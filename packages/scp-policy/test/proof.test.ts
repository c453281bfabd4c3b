import { describe, expect, it } from 'vitest';
import {
  buildProofCases,
  isScpPolicyError,
  mapOrganizationsError,
  revokeSessions,
  runProof,
  ScpPolicyError,
  ScpPolicyErrorCode,
} from '../src/index.js';
import { now } from './helpers.js';

const entries = [
  { kind: 'session-name' as const, value: 'jdoe@example.com' },
  { kind: 'source-identity' as const, value: 'jdoe' },
];

describe('runProof', () => {
  it('reports the must-deny case of an entry a document forgot', () => {
    const missing = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny' as const,
          Action: '*',
          Resource: '*',
          Condition: { StringLike: { 'aws:userid': '*:jdoe@example.com' } },
        },
      ],
    };
    const report = runProof([missing], buildProofCases(entries, '2026-09-14T12:00:00Z'));
    expect(report.passed).toBe(false);
    expect(report.failures).toEqual([
      {
        description: 'chained session carrying sourceIdentity jdoe',
        expect: 'deny',
        decision: 'implicit-deny',
      },
    ]);
  });

  it('reports must-not-deny cases when a pattern is over-broad', () => {
    const broad = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny' as const,
          Action: '*',
          Resource: '*',
          Condition: { StringLike: { 'aws:userid': '*jdoe@*' } },
        },
      ],
    };
    const report = runProof([broad], buildProofCases(entries.slice(0, 1), '2026-09-14T12:00:00Z'));
    expect(report.failures.map((f) => f.description)).toContain(
      'near-miss session name xjdoe@example.com (revoked: jdoe@example.com)',
    );
    expect(report.failures.map((f) => f.description)).toContain(
      'near-miss session name jdoe@xexample.com (revoked: jdoe@example.com)',
    );
  });

  it('includes sessions issued at and after T and IAM-user keys as must-not-deny cases for roles', () => {
    const cases = buildProofCases(
      [
        {
          kind: 'role-arn',
          value: 'arn:aws:iam::111122223333:role/Admin',
          issuedBefore: '2026-09-14T10:00:00Z',
        },
      ],
      '2026-09-14T12:00:00Z',
    );
    expect(cases.filter((c) => c.expect === 'not-deny').map((c) => c.description)).toEqual(
      expect.arrayContaining([
        'session of arn:aws:iam::111122223333:role/Admin issued exactly at 2026-09-14T10:00:00Z',
        'session of arn:aws:iam::111122223333:role/Admin issued after 2026-09-14T10:00:00Z',
        'IAM user with long-term keys (no TokenIssueTime)',
        'AWS service principal',
      ]),
    );
  });
});

describe('revokeSessions previous', () => {
  it('throws UNSUPPORTED_POLICY when a previous document was not written by this package', () => {
    const foreign = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}';
    expect(() => revokeSessions({ users: ['jdoe'], previous: [foreign], now })).toThrow(
      expect.objectContaining({
        code: ScpPolicyErrorCode.UNSUPPORTED_POLICY,
        path: 'previous[0].Statement[0]',
      }),
    );
  });
});

describe('isScpPolicyError', () => {
  it('recognises its own errors and nothing else', () => {
    expect(isScpPolicyError(new ScpPolicyError('INVALID_INPUT', 'x'))).toBe(true);
    expect(isScpPolicyError(new Error('x'))).toBe(false);
    expect(isScpPolicyError({ code: 'INVALID_INPUT' })).toBe(false);
  });
});

describe('mapOrganizationsError', () => {
  it('keeps the AWS error as cause and names only the operation and error type', () => {
    const aws = Object.assign(new Error('detail'), { name: 'AccessDeniedException' });
    const mapped = mapOrganizationsError(aws, 'UpdatePolicy');
    expect([mapped.code, mapped.message, mapped.cause]).toEqual([
      ScpPolicyErrorCode.ACCESS_DENIED,
      'UpdatePolicy failed: AccessDeniedException',
      aws,
    ]);
  });
});
