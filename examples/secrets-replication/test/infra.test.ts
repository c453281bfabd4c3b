import * as cdk from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { SecretsReplicationStack } from '../infra/secrets-replication-stack.js';

// Synthesizes offline: inline code instead of the bundle, no lookups, no Docker.
const synth = (props: Partial<ConstructorParameters<typeof SecretsReplicationStack>[2]> = {}) => {
  const app = new cdk.App();
  const stack = new SecretsReplicationStack(app, 'SecretsReplication', {
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    ...props,
  });
  return Template.fromStack(stack);
};

type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};
const statementsOf = (t: Template): Statement[] =>
  Object.values(t.findResources('AWS::IAM::Policy')).flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
        .Statement,
  );
const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourceText = (s: Statement): string => JSON.stringify(s.Resource);

describe('SecretsReplicationStack', () => {
  let template: Template;
  beforeAll(() => {
    template = synth();
  });

  it('runs the handler on an EventBridge schedule with one run at a time', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      Timeout: 300,
      ReservedConcurrentExecutions: 1,
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Replicator'), 'Arn'] } })],
    });
  });

  it('configures the function with a connection secret outside the replicated prefix', () => {
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0] as {
      Properties: { Environment: { Variables: Record<string, unknown> } };
    };
    const config = JSON.parse(fn.Properties.Environment.Variables.VAULT_SYNC_CONFIG as string);
    expect(config).toMatchObject({
      instanceId: 'prod-vault-sync',
      vault: { connectionSecretId: 'ops/vault-sync/connection' },
      target: { nameTemplate: 'vault/{{path}}' },
      deletion: { policy: 'schedule', recoveryWindowInDays: 7 },
    });
    expect(fn.Properties.Environment.Variables.FAILURE_TOPIC_ARN).toEqual({
      Ref: expect.stringMatching(/^FailureTopic/),
    });
  });

  it('alarms on function errors to the failure topic, which only accepts TLS', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Threshold: 1,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^FailureTopic') }],
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('conditions secret creation on the owner request tag and writes on the owner resource tag', () => {
    const statements = statementsOf(template);
    const create = statements.find((s) => s.Sid === 'CreateOwnedSecrets');
    expect(create?.Condition).toEqual({
      StringEquals: { 'aws:RequestTag/vault-sync:owner': 'prod-vault-sync' },
    });
    expect(resourceText(create as Statement)).toContain(':secret:vault/*');
    const write = statements.find((s) => s.Sid === 'WriteOwnedSecrets') as Statement;
    expect(actionsOf(write)).toEqual(
      expect.arrayContaining(['secretsmanager:PutSecretValue', 'secretsmanager:DeleteSecret']),
    );
    expect(write.Condition).toEqual({
      StringEquals: { 'secretsmanager:ResourceTag/vault-sync:owner': 'prod-vault-sync' },
    });
    const denies = statements.filter((s) => s.Effect === 'Deny').map((s) => s.Sid);
    expect(denies).toEqual(expect.arrayContaining(['KeepOwnerTag', 'NoForeignOwner']));
  });

  it('never grants a write on the connection secret, and only reads it', () => {
    const statements = statementsOf(template).filter((s) => s.Effect === 'Allow');
    const onConnection = statements.filter((s) => resourceText(s).includes('ops/vault-sync/connection'));
    expect(onConnection.flatMap(actionsOf).sort()).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    const writes = /Put|Create|Update|Delete|Restore|Tag/;
    for (const s of statements.filter((x) =>
      actionsOf(x).some((a) => a.startsWith('secretsmanager:') && writes.test(a)),
    )) {
      expect(resourceText(s)).toContain(':secret:vault/*');
    }
    // The only wildcard resource is ListSecrets, which has no resource-level permissions.
    const star = statements.filter((s) => s.Resource === '*');
    expect(star.flatMap(actionsOf)).toEqual(['secretsmanager:ListSecrets']);
  });

  it('refuses a connection secret inside the replicated prefix', () => {
    expect(() => synth({ connectionSecretName: 'vault/vault-connection' })).toThrow(
      /must lie outside "vault\/"/,
    );
  });
});
