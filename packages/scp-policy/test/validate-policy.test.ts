import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { revokeSessions, validatePolicy } from '../src/index.js';
import { now } from './helpers.js';

const codes = (input: string | object, type: 'scp' | 'iam' = 'scp') =>
  validatePolicy(typeof input === 'string' ? input : JSON.stringify(input), { type }).findings.map(
    (f) => `${f.code} ${f.path}`,
  );
const deny = (Condition: object, extra: object = {}) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition, ...extra }],
});

describe('validatePolicy', () => {
  it('accepts every document revokeSessions generates', () => {
    const result = revokeSessions({
      users: ['jdoe@example.com'],
      sourceIdentities: ['jdoe'],
      roles: [{ arn: 'arn:aws:iam::111122223333:role/Admin', issuedBefore: '2026-09-14T11:00:00Z' }],
      now,
    });
    for (const d of result.documents)
      expect(validatePolicy(d.json, { type: 'scp' })).toEqual({
        valid: true,
        size: d.size,
        maxSize: 10240,
        findings: [],
      });
  });

  it('counts whitespace for SCPs but not for IAM when a pretty-printed file is near the limit', () => {
    const users = Array.from({ length: 250 }, (_, i) => `*:user${String(i).padStart(4, '0')}@example.com`);
    const pretty = JSON.stringify(deny({ StringLike: { 'aws:userid': users } }), null, 4);
    const scp = validatePolicy(pretty, { type: 'scp' });
    const iam = validatePolicy(pretty, { type: 'iam', iamPolicyKind: 'role-inline' });
    expect(scp.size).toBe(pretty.length);
    expect(scp.findings.map((f) => f.code)).toEqual(['SIZE_LIMIT_EXCEEDED']);
    expect(iam.size).toBeLessThan(pretty.length);
    expect(iam.valid).toBe(true);
  });

  it('flags the legacy 5,120 limit when the legacy profile is used', () => {
    const users = Array.from({ length: 300 }, (_, i) => `*:u${i}@example.com`);
    const doc = JSON.stringify(deny({ StringLike: { 'aws:userid': users } }));
    expect(validatePolicy(doc, { type: 'scp' }).valid).toBe(true);
    expect(validatePolicy(doc, { type: 'scp', limits: 'legacy' }).findings[0]?.code).toBe(
      'SIZE_LIMIT_EXCEEDED',
    );
  });

  it('rejects Principal in an SCP', () => {
    expect(codes(deny({}, { Principal: '*' }))).toContain('PRINCIPAL_IN_SCP Statement[0].Principal');
  });

  it('rejects non-alphanumeric and duplicate Sids', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Deny-1', Effect: 'Deny', Action: '*', Resource: '*' },
        { Sid: 'A', Effect: 'Deny', Action: '*', Resource: '*' },
        { Sid: 'A', Effect: 'Deny', Action: '*', Resource: '*' },
      ],
    };
    expect(codes(doc)).toEqual(['SID_CHARSET Statement[0].Sid', 'SID_DUPLICATE Statement[2].Sid']);
  });

  it('rejects non-ASCII in an SCP', () => {
    expect(codes(deny({ StringLike: { 'aws:userid': '*:jösé@example.com' } }))).toContain(
      'INVALID_CHARACTER $',
    );
  });

  it('rejects a malformed TokenIssueTime', () => {
    expect(codes(deny({ DateLessThan: { 'aws:TokenIssueTime': '07/02/2022' } }))).toEqual([
      'DATE_FORMAT Statement[0].Condition.DateLessThan.aws:TokenIssueTime[0]',
    ]);
  });

  it('rejects unknown operators, object values and non-boolean Bool values', () => {
    expect(codes(deny({ StringLikeIgnoreCase: { 'aws:userid': 'x' } }))).toEqual([
      'UNKNOWN_OPERATOR Statement[0].Condition.StringLikeIgnoreCase',
    ]);
    expect(codes(deny({ StringEquals: { 'aws:SourceIdentity': { a: 1 } } }))).toEqual([
      'CONDITION_VALUE_TYPE Statement[0].Condition.StringEquals.aws:SourceIdentity',
    ]);
    expect(codes(deny({ Bool: { 'aws:SecureTransport': 'yes' } }))).toEqual([
      'BOOLEAN_FORMAT Statement[0].Condition.Bool.aws:SecureTransport[0]',
    ]);
  });

  it('flags over-broad userid patterns', () => {
    expect(codes(deny({ StringLike: { 'aws:userid': ['*', '*:*@corp.com', '*:jdoe'] } }))).toEqual([
      'OVER_BROAD_PATTERN Statement[0].Condition.StringLike.aws:userid[0]',
      'OVER_BROAD_PATTERN Statement[0].Condition.StringLike.aws:userid[1]',
      'SHADOWED_VALUE Statement[0].Condition.StringLike.aws:userid[1]',
      'SHADOWED_VALUE Statement[0].Condition.StringLike.aws:userid[2]',
    ]);
  });

  it('flags duplicates and values shadowed by another pattern', () => {
    expect(codes(deny({ StringLike: { 'aws:userid': ['*:jdoe', '*:jdoe', 'AROAX:jdoe'] } }))).toEqual([
      'DUPLICATE_VALUE Statement[0].Condition.StringLike.aws:userid[1]',
      'SHADOWED_VALUE Statement[0].Condition.StringLike.aws:userid[2]',
    ]);
  });

  it('flags a wildcard under StringEquals, which never matches', () => {
    expect(codes(deny({ StringEquals: { 'aws:userid': '*:jdoe' } }))).toEqual([
      'WILDCARD_WITH_EQUALS Statement[0].Condition.StringEquals.aws:userid[0]',
    ]);
  });

  it('warns about set operators on single-valued keys', () => {
    expect(codes(deny({ 'ForAnyValue:StringLike': { 'aws:userid': '*:jdoe' } }))).toEqual([
      'SET_OPERATOR_ON_SINGLE_VALUED_KEY Statement[0].Condition.ForAnyValue:StringLike.aws:userid',
    ]);
  });

  it('reports malformed JSON, a missing Version and missing Action/Resource as findings', () => {
    expect(codes('{"Statement": [')).toEqual(['MALFORMED_JSON $']);
    expect(codes({ Statement: [{ Effect: 'Deny' }] })).toEqual([
      'VERSION_MISSING Version',
      'ACTION_MISSING Statement[0]',
      'RESOURCE_MISSING Statement[0]',
    ]);
  });

  it('accepts the console AWSRevokeOlderSessions shape as an IAM policy', () => {
    const text = readFileSync(
      new URL('./fixtures/console-aws-revoke-older-sessions.json', import.meta.url),
      'utf8',
    );
    expect(validatePolicy(text, { type: 'iam' }).findings).toEqual([]);
  });

  it('throws INVALID_OPTION for an unknown type', () => {
    expect(() => validatePolicy('{}', { type: 'rcp' as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', path: 'type' }),
    );
  });
});
