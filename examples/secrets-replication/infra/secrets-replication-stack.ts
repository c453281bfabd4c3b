// The deployable side of the scenario: the vault-sync Lambda on an EventBridge schedule, an SNS topic for
// failures, and an execution role that can only touch secrets it owns under the replicated prefix.
import { OWNER_TAG, type VaultSyncConfig } from '@secblocks/vault-sync';
import * as cdk from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

/** Settings of {@link SecretsReplicationStack}. */
export interface SecretsReplicationStackProps extends cdk.StackProps {
  /** The bundled `src/handler.ts` (`pnpm bundle` writes `dist/lambda/`). */
  code: lambda.Code;
  /** The `vault-sync:owner` tag value: this replicator only ever writes secrets carrying it. @defaultValue `'prod-vault-sync'` */
  instanceId?: string;
  /** Secrets Manager name prefix of the replicated secrets (the literal start of the name template). @defaultValue `'vault/'` */
  replicatedPrefix?: string;
  /**
   * Existing secret holding `{"address","token"}` (or AppRole / AWS IAM settings) for Vault. It must lie
   * outside `replicatedPrefix`, so no Vault key can ever be replicated over it.
   * @defaultValue `'ops/vault-sync/connection'`
   */
  connectionSecretName?: string;
  /** Vault KV v2 mount and folder to replicate. @defaultValue `'secret'`, `'apps'` */
  vaultMount?: string;
  vaultBasePath?: string;
  /** @defaultValue every 15 minutes */
  schedule?: events.Schedule;
  /** Days a secret deleted in Vault stays restorable in Secrets Manager. @defaultValue `7` */
  recoveryWindowInDays?: number;
  /** Optional e-mail subscribed to the failure topic. */
  alarmEmail?: string;
}

/** The scheduled vault-sync replicator. */
export class SecretsReplicationStack extends cdk.Stack {
  readonly function: lambda.Function;
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: SecretsReplicationStackProps) {
    super(scope, id, props);
    const instanceId = props.instanceId ?? 'prod-vault-sync';
    const prefix = props.replicatedPrefix ?? 'vault/';
    const connectionSecretName = props.connectionSecretName ?? 'ops/vault-sync/connection';
    if (!/^[A-Za-z0-9/_+=.@-]+\/$/.test(prefix)) {
      throw new Error(`replicatedPrefix must be a secret-name prefix ending in "/", got "${prefix}"`);
    }
    if (connectionSecretName.startsWith(prefix)) {
      // The defect of the original sample (its connection secret lived inside the replicated names).
      throw new Error(`connectionSecretName "${connectionSecretName}" must lie outside "${prefix}"`);
    }

    const config: VaultSyncConfig = {
      instanceId,
      vault: {
        mount: props.vaultMount ?? 'secret',
        basePath: props.vaultBasePath ?? 'apps',
        connectionSecretId: connectionSecretName,
      },
      target: { nameTemplate: `${prefix}{{path}}` },
      drift: 'revert',
      deletion: { policy: 'schedule', recoveryWindowInDays: props.recoveryWindowInDays ?? 7 },
    };

    this.topic = new sns.Topic(this, 'FailureTopic', {
      displayName: 'vault-sync failures, conflicts and drift',
      enforceSSL: true,
    });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.THREE_MONTHS });
    this.function = new lambda.Function(this, 'Replicator', {
      description: `vault-sync ${instanceId}: Vault KV v2 -> Secrets Manager ${prefix}*`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: props.code,
      memorySize: 256,
      timeout: cdk.Duration.minutes(5),
      // One run at a time: two overlapping runs would race on the same secrets.
      reservedConcurrentExecutions: 1,
      logGroup,
      environment: {
        VAULT_SYNC_CONFIG: JSON.stringify(config),
        FAILURE_TOPIC_ARN: this.topic.topicArn,
        NODE_OPTIONS: '--enable-source-maps',
      },
    });

    const role = this.function.role as iam.IRole;
    const prefixArn = this.formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${prefix}*`,
      arnFormat: cdk.ArnFormat.COLON_RESOURCE_NAME,
    });
    // ListSecrets has no resource-level permissions; it returns names and tags, never values.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ListSecrets',
        actions: ['secretsmanager:ListSecrets'],
        resources: ['*'],
      }),
    );
    // Metadata of any secret under the prefix, to tell "owned by someone else" from "absent".
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeUnderPrefix',
        actions: ['secretsmanager:DescribeSecret'],
        resources: [prefixArn],
      }),
    );
    // Creating (with tags) is allowed only when the request stamps this instance as the owner.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'CreateOwnedSecrets',
        actions: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'],
        resources: [prefixArn],
        conditions: { StringEquals: { [`aws:RequestTag/${OWNER_TAG}`]: instanceId } },
      }),
    );
    // Every other write only on secrets already tagged as owned by this instance.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnedSecrets',
        actions: [
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecret',
          'secretsmanager:UpdateSecretVersionStage',
          'secretsmanager:DeleteSecret',
          'secretsmanager:RestoreSecret',
          'secretsmanager:TagResource',
          'secretsmanager:UntagResource',
        ],
        resources: [prefixArn],
        conditions: { StringEquals: { [`secretsmanager:ResourceTag/${OWNER_TAG}`]: instanceId } },
      }),
    );
    // …and never remove its owner tag or stamp another owner (which would disown or hand away secrets).
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'NoForeignOwner',
        effect: iam.Effect.DENY,
        actions: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'],
        resources: ['*'],
        conditions: {
          Null: { [`aws:RequestTag/${OWNER_TAG}`]: 'false' },
          StringNotEquals: { [`aws:RequestTag/${OWNER_TAG}`]: instanceId },
        },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'KeepOwnerTag',
        effect: iam.Effect.DENY,
        actions: ['secretsmanager:UntagResource'],
        resources: ['*'],
        conditions: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': [OWNER_TAG] } },
      }),
    );
    // The Vault connection secret: read-only, and outside the prefix so no write statement covers it.
    const connection = secretsmanager.Secret.fromSecretNameV2(this, 'VaultConnection', connectionSecretName);
    connection.grantRead(role);
    this.topic.grantPublish(role);

    new events.Rule(this, 'Schedule', {
      description: `Runs vault-sync ${instanceId}`,
      schedule: props.schedule ?? events.Schedule.rate(cdk.Duration.minutes(15)),
      // No async retries: the next scheduled run is the retry, and runs are idempotent.
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 0 })],
    });

    // The handler publishes its own aggregated notification; this alarm catches crashes and timeouts too.
    const alarm = new cloudwatch.Alarm(this, 'RunErrors', {
      alarmDescription: 'vault-sync run failed (see the SNS notification and the logs)',
      metric: this.function.metricErrors({ period: cdk.Duration.minutes(15) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new cwActions.SnsAction(this.topic));

    new cdk.CfnOutput(this, 'FunctionName', { value: this.function.functionName });
    new cdk.CfnOutput(this, 'FailureTopicArn', { value: this.topic.topicArn });
  }
}
