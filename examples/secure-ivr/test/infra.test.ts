import * as cdk from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { SecureIvrStack } from '../infra/secure-ivr-stack.js';

const INSTANCE = 'arn:aws:connect:us-east-1:111122223333:instance/11111111-2222-3333-4444-555555555555';
const BOT_ALIAS = 'arn:aws:lex:us-east-1:111122223333:bot-alias/BOTID12345/ALIASID123';

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Condition?: unknown };
const roleStatements = (t: Template, rolePrefix: string): Statement[] =>
  Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p) =>
      JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles).includes(rolePrefix),
    )
    .flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
          .Statement,
    );
const actions = (ss: Statement[]) => ss.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

describe('SecureIvrStack', () => {
  let template: Template;
  beforeAll(() => {
    const stack = new SecureIvrStack(new cdk.App(), 'SecureIvr', {
      code: lambda.Code.fromInline('exports.handler = async () => ({})'),
      connectInstanceArn: INSTANCE,
      lexBotAliasArn: BOT_ALIAS,
    });
    template = Template.fromStack(stack);
  });

  it('gives the code hook GenerateDataKey only, conditioned on the IVR encryption context', () => {
    const ss = roleStatements(template, 'EncryptRole');
    expect(actions(ss)).toEqual(['kms:GenerateDataKey']);
    expect(ss[0]?.Condition).toEqual({
      StringEquals: { 'kms:EncryptionContext:app': 'ivr-payments' },
      'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['app', 'contactId', 'field', 'binding'] },
    });
  });

  it('gives the operator Lambda Decrypt only, conditioned on the IVR encryption context', () => {
    const ss = roleStatements(template, 'DecryptRole');
    expect(actions(ss)).toEqual(['kms:Decrypt']);
    expect(ss[0]?.Condition).toEqual({ StringEquals: { 'kms:EncryptionContext:app': 'ivr-payments' } });
  });

  it('denies Decrypt in the key policy to every principal but the decrypt role', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'AllowCodeHookToGenerateDataKeys', Action: 'kms:GenerateDataKey' }),
          Match.objectLike({
            Sid: 'DenyDecryptToEveryoneElse',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'kms:Decrypt',
            Condition: {
              ArnNotEquals: {
                'aws:PrincipalArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('^DecryptRole'), 'Arn'] },
              },
            },
          }),
        ]),
      },
    });
  });

  it('lets only the bot alias invoke the code hook and only the Connect instance invoke the decrypt Lambda', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'lexv2.amazonaws.com',
      SourceArn: BOT_ALIAS,
      FunctionName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LexCodeHook'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'connect.amazonaws.com',
      SourceArn: INSTANCE,
      FunctionName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OperatorDecrypt'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'operator-decrypt.handler',
      Timeout: 8,
      Environment: { Variables: { INSTANCE_ARN: INSTANCE, KEY_ARN: Match.anyValue() } },
    });
  });

  it('creates the contact flow with logging disabled around capture and the bot and Lambda wired in', () => {
    const flow = Object.values(template.findResources('AWS::Connect::ContactFlow'))[0] as {
      Properties: { Content: { 'Fn::Sub': [string, Record<string, unknown>] } };
    };
    const [content, vars] = flow.Properties.Content['Fn::Sub'];
    const parsed = JSON.parse(content) as {
      StartAction: string;
      Actions: { Identifier: string; Type: string; Parameters: Record<string, unknown> }[];
    };
    const first = parsed.Actions.find((a) => a.Identifier === parsed.StartAction);
    expect(first).toMatchObject({
      Type: 'UpdateFlowLoggingBehavior',
      Parameters: { FlowLoggingBehavior: 'Disabled' },
    });
    const lex = parsed.Actions.find((a) => a.Type === 'ConnectParticipantWithLexBot');
    expect(lex?.Parameters.LexSessionAttributes).toEqual({ contactId: '$.ContactId' });
    expect(vars).toEqual({
      LexBotAliasArn: BOT_ALIAS,
      DecryptFunctionArn: { 'Fn::GetAtt': [expect.stringMatching(/^OperatorDecrypt/), 'Arn'] },
    });
  });
});
