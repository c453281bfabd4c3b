import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compilePolicies,
  evaluate,
  isScpPolicyError,
  type PolicyStatement,
  ScpPolicyErrorCode,
} from '../src/index.js';
import { iamUserContext, roleSessionContext, rootContext, serviceContext } from '../src/testing/index.js';

const deny = (Condition: PolicyStatement['Condition'], extra: Partial<PolicyStatement> = {}) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny' as const, Action: '*', Resource: '*', Condition, ...extra }],
});
const ctx = (keys: Record<string, string | string[]>, action = 's3:GetObject', resource?: string) => ({
  action,
  keys,
  ...(resource ? { resource } : {}),
});
const decide = (policy: object, keys: Record<string, string | string[]>) =>
  evaluate([policy as never], ctx(keys)).decision;

describe('evaluate', () => {
  it('denies when StringLike matches a wildcard pattern', () => {
    expect(
      decide(deny({ StringLike: { 'aws:userid': '*:jdoe@example.com' } }), {
        'aws:userid': 'AROAX:jdoe@example.com',
      }),
    ).toBe('explicit-deny');
  });

  it('does not deny when StringLike matches only case-insensitively', () => {
    expect(
      decide(deny({ StringLike: { 'aws:userid': '*:jdoe@example.com' } }), {
        'aws:userid': 'AROAX:JDoe@example.com',
      }),
    ).toBe('implicit-deny');
  });

  it('matches ? as exactly one character in StringLike', () => {
    const p = deny({ StringLike: { 'aws:userid': 'AROA?:x' } });
    expect(decide(p, { 'aws:userid': 'AROAB:x' })).toBe('explicit-deny');
    expect(decide(p, { 'aws:userid': 'AROA:x' })).toBe('implicit-deny');
  });

  it('matches condition keys case-insensitively', () => {
    expect(
      decide(deny({ StringEquals: { 'AWS:SourceIdentity': 'jdoe' } }), { 'aws:sourceidentity': 'jdoe' }),
    ).toBe('explicit-deny');
  });

  it('compares StringEqualsIgnoreCase without case', () => {
    expect(
      decide(deny({ StringEqualsIgnoreCase: { 'aws:SourceIdentity': 'JDOE' } }), {
        'aws:SourceIdentity': 'jdoe',
      }),
    ).toBe('explicit-deny');
  });

  it('does not match a positive operator when the key is missing', () => {
    expect(decide(deny({ StringEquals: { 'aws:SourceIdentity': 'jdoe' } }), {})).toBe('implicit-deny');
  });

  it('matches a negated operator when the key is missing', () => {
    expect(decide(deny({ StringNotEquals: { 'aws:SourceIdentity': 'jdoe' } }), {})).toBe('explicit-deny');
  });

  it('matches an IfExists operator when the key is missing', () => {
    const p = deny({ StringNotEqualsIfExists: { 'aws:SourceIdentity': 'jdoe' } });
    expect(decide(p, {})).toBe('explicit-deny');
    expect(decide(p, { 'aws:SourceIdentity': 'jdoe' })).toBe('implicit-deny');
    expect(decide(p, { 'aws:SourceIdentity': 'other' })).toBe('explicit-deny');
  });

  it('ORs the values of one key and ANDs the keys and operators', () => {
    const p = deny({
      StringEquals: { 'aws:SourceIdentity': ['a1', 'b2'], 'aws:PrincipalAccount': '111122223333' },
      Bool: { 'aws:MultiFactorAuthPresent': 'false' },
    });
    const base = { 'aws:PrincipalAccount': '111122223333', 'aws:MultiFactorAuthPresent': 'false' };
    expect(decide(p, { ...base, 'aws:SourceIdentity': 'b2' })).toBe('explicit-deny');
    expect(decide(p, { ...base, 'aws:SourceIdentity': 'c3' })).toBe('implicit-deny');
    expect(decide(p, { ...base, 'aws:SourceIdentity': 'a1', 'aws:MultiFactorAuthPresent': 'true' })).toBe(
      'implicit-deny',
    );
  });

  it('compares DateLessThan strictly and mixes ISO and epoch seconds', () => {
    const iso = deny({ DateLessThan: { 'aws:TokenIssueTime': '2026-09-14T12:00:00Z' } });
    const epoch = deny({
      DateLessThan: { 'aws:TokenIssueTime': String(Date.parse('2026-09-14T12:00:00Z') / 1000) },
    });
    for (const p of [iso, epoch]) {
      expect(decide(p, { 'aws:TokenIssueTime': '2026-09-14T11:59:59Z' })).toBe('explicit-deny');
      expect(decide(p, { 'aws:TokenIssueTime': '2026-09-14T12:00:00Z' })).toBe('implicit-deny');
      expect(decide(p, { 'aws:TokenIssueTime': String(Date.parse('2026-09-14T11:00:00Z') / 1000) })).toBe(
        'explicit-deny',
      );
    }
  });

  it('compares DateGreaterThan', () => {
    const p = deny({ DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } });
    expect(decide(p, { 'aws:CurrentTime': '2026-06-01T00:00:00Z' })).toBe('explicit-deny');
    expect(decide(p, { 'aws:CurrentTime': '2025-06-01T00:00:00Z' })).toBe('implicit-deny');
  });

  it('does not deny an IAM user with long-term keys under a TokenIssueTime deny', () => {
    const p = deny({ DateLessThan: { 'aws:TokenIssueTime': '2026-09-14T12:00:00Z' } });
    expect(evaluate([p as never], iamUserContext({ userName: 'ci' })).decision).toBe('implicit-deny');
    expect(
      evaluate([p as never], iamUserContext({ userName: 'ci', sessionIssuedAt: '2026-09-14T10:00:00Z' }))
        .decision,
    ).toBe('explicit-deny');
  });

  it('matches ArnLike component by component', () => {
    const p = deny({
      ArnLike: {
        'aws:PrincipalArn': 'arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Admin_*',
      },
    });
    expect(
      decide(p, {
        'aws:PrincipalArn':
          'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef',
      }),
    ).toBe('explicit-deny');
    expect(
      decide(p, {
        'aws:PrincipalArn':
          'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef',
      }),
    ).toBe('explicit-deny');
    expect(decide(p, { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_x' })).toBe(
      'implicit-deny',
    );
    expect(decide(p, { 'aws:PrincipalArn': 'not-an-arn' })).toBe('implicit-deny');
  });

  it('does not let a * in the account component of ArnLike cross a colon', () => {
    const p = deny({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin' } });
    expect(decide(p, { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/Admin' })).toBe('explicit-deny');
    expect(decide(p, { 'aws:PrincipalArn': 'arn:aws:iam::1:2:role/Admin' })).toBe('implicit-deny');
  });

  it('tests presence with Null', () => {
    const p = deny({ Null: { 'aws:SourceIdentity': 'true' } });
    expect(decide(p, {})).toBe('explicit-deny');
    expect(decide(p, { 'aws:SourceIdentity': 'x' })).toBe('implicit-deny');
  });

  it('applies NotAction and NotResource', () => {
    const p = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', NotAction: ['iam:*', 'sts:*'], NotResource: 'arn:aws:s3:::public/*' }],
    };
    expect(evaluate([p as never], ctx({}, 's3:GetObject', 'arn:aws:s3:::private/x')).decision).toBe(
      'explicit-deny',
    );
    expect(evaluate([p as never], ctx({}, 'IAM:ListRoles', 'arn:aws:s3:::private/x')).decision).toBe(
      'implicit-deny',
    );
    expect(evaluate([p as never], ctx({}, 's3:GetObject', 'arn:aws:s3:::public/x')).decision).toBe(
      'implicit-deny',
    );
  });

  it('reports allow when only an Allow statement matches and lists matched statements', () => {
    const allow = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'A', Effect: 'Allow', Action: 's3:*', Resource: '*' }],
    };
    const result = evaluate([allow as never], ctx({}, 's3:PutObject'));
    expect(result).toEqual({
      decision: 'allow',
      matched: [{ policyIndex: 0, statementIndex: 0, sid: 'A', effect: 'Allow' }],
    });
  });

  it('supports ForAnyValue and ForAllValues on multi-valued keys', () => {
    const any = deny({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a', 'b'] } });
    const all = deny({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } });
    expect(decide(any, { 'aws:TagKeys': ['c', 'b'] })).toBe('explicit-deny');
    expect(decide(all, { 'aws:TagKeys': ['c', 'b'] })).toBe('implicit-deny');
    expect(decide(all, { 'aws:TagKeys': ['a'] })).toBe('explicit-deny');
  });

  it('does not deny root or service principals under a userid deny', () => {
    const p = deny({ StringLike: { 'aws:userid': '*:jdoe' } });
    expect(evaluate([p as never], rootContext()).decision).toBe('implicit-deny');
    expect(evaluate([p as never], serviceContext()).decision).toBe('implicit-deny');
  });

  it.each([
    [deny({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } })],
    [deny({ StringLike: { 'aws:userid': `*:$${'{'}aws:username}` } })],
    [deny({ DateLessThan: { 'aws:TokenIssueTime': 'yesterday' } })],
    [deny({}, { Principal: '*' })],
  ])('throws UNSUPPORTED_POLICY for constructs outside the fragment (%#)', (policy) => {
    try {
      compilePolicies([policy as never]);
      expect.unreachable();
    } catch (e) {
      expect(isScpPolicyError(e) && e.code).toBe(ScpPolicyErrorCode.UNSUPPORTED_POLICY);
    }
  });

  it('throws MALFORMED_POLICY for text that is not JSON', () => {
    expect(() => evaluate(['{nope'], ctx({}))).toThrow(expect.objectContaining({ code: 'MALFORMED_POLICY' }));
  });

  it('agrees with a reference glob implementation for StringLike (property)', () => {
    const chars = fc.constantFrom('a', 'b', ':', '@', '.', '*', '?');
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: chars, maxLength: 6 }), { minLength: 1, maxLength: 4 }),
        fc.string({ unit: fc.constantFrom('a', 'b', ':', '@', '.'), maxLength: 8 }),
        (patterns, value) => {
          const reference = patterns.some((p) => {
            // Dynamic programming glob match, independent of the regex-based implementation.
            const dp: boolean[][] = Array.from({ length: p.length + 1 }, () =>
              Array(value.length + 1).fill(false),
            );
            (dp[0] as boolean[])[0] = true;
            for (let i = 1; i <= p.length; i++) {
              const c = p[i - 1];
              for (let j = 0; j <= value.length; j++) {
                const row = dp[i] as boolean[];
                const prev = dp[i - 1] as boolean[];
                if (c === '*') row[j] = (prev[j] as boolean) || (j > 0 && (row[j - 1] as boolean));
                else if (j > 0 && (c === '?' || c === value[j - 1])) row[j] = prev[j - 1] as boolean;
              }
            }
            return (dp[p.length] as boolean[])[value.length] as boolean;
          });
          const got = decide(deny({ StringLike: { k: patterns } }), { k: value }) === 'explicit-deny';
          expect(got).toBe(reference);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('denies exactly the sessions whose TokenIssueTime is before T (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000_000 }),
        fc.integer({ min: 0, max: 2_000_000_000 }),
        (t, issued) => {
          const p = deny({ DateLessThan: { 'aws:TokenIssueTime': new Date(t * 1000).toISOString() } });
          const c = roleSessionContext({ roleName: 'R', sessionName: 'ss', issuedAt: String(issued) });
          expect(evaluate([p as never], c).decision === 'explicit-deny').toBe(issued < t);
        },
      ),
      { numRuns: 200 },
    );
  });
});
