import * as cdk from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { SecureApiStack } from '../infra/secure-api-stack.js';

const synth = (appOrigin = 'https://app.example.com') =>
  Template.fromStack(
    new SecureApiStack(new cdk.App(), 'SecureApi', {
      code: lambda.Code.fromInline('exports.handler = async () => ({})'),
      appOrigin,
      cognitoDomainPrefix: 'secblocks-test',
    }),
  );

type Policy = {
  Properties: {
    PolicyDocument: { Statement: { Sid?: string; Action: unknown; Resource: unknown }[] };
    Roles: unknown;
  };
};

describe('SecureApiStack', () => {
  let template: Template;
  beforeAll(() => {
    template = synth();
  });

  it('creates a confidential app client for the code grant with revocation and exact callback URLs', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: true,
      EnableTokenRevocation: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid'],
      CallbackURLs: ['https://app.example.com/oauth2/callback'],
      LogoutURLs: ['https://app.example.com/'],
    });
  });

  it('routes the session endpoints without authorization and /api/me through the cookie authorizer', () => {
    for (const key of [
      'GET /auth/login',
      'GET /oauth2/callback',
      'POST /auth/session/refresh',
      'POST /auth/session/logout',
    ]) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: key,
        AuthorizationType: 'NONE',
      });
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /api/me',
      AuthorizationType: 'CUSTOM',
      AuthorizerId: { Ref: Match.stringLikeRegexp('CookieAuthorizer') },
    });
    // Runs on every request (no identity source, no cache), so it sees the method for the CSRF check.
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      EnableSimpleResponses: true,
      AuthorizerPayloadFormatVersion: '2.0',
      IdentitySource: [],
      AuthorizerResultTtlInSeconds: 0,
    });
  });

  it('lets each function read only its own secrets, under the vault-sync prefix', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Policy[];
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    const session = statements.find((s) => s.Sid === 'ReadSessionSecrets');
    const authorizer = statements.find((s) => s.Sid === 'ReadCookieKeys');
    expect(session?.Action).toBe('secretsmanager:GetSecretValue');
    expect(JSON.stringify(session?.Resource)).toContain(':secret:vault/apps/secure-api/cognito-??????');
    expect(JSON.stringify(session?.Resource)).toContain(':secret:vault/apps/secure-api/cookie-keys-??????');
    expect(authorizer?.Action).toBe('secretsmanager:GetSecretValue');
    expect(JSON.stringify(authorizer?.Resource)).not.toContain('cognito');
    // No function may write a secret or read outside the prefix.
    for (const s of statements) {
      const actions = ([] as unknown[]).concat(s.Action) as string[];
      expect(
        actions.filter((a) => a.startsWith('secretsmanager:') && a !== 'secretsmanager:GetSecretValue'),
      ).toEqual([]);
    }
  });

  it('refuses a non-https app origin', () => {
    expect(() => synth('http://app.example.com')).toThrow(/appOrigin must be an https origin/);
  });
});
