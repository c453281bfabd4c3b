// The Lambda function EventBridge invokes on a schedule. Copy this file: it is the whole function.
//
// Configuration comes from the environment (set by infra/secrets-replication-stack.ts):
//   VAULT_SYNC_CONFIG  the vault-sync JSON configuration (no secret in it: the Vault address and token live
//                      in the connection secret it names, outside the replicated prefix)
//   FAILURE_TOPIC_ARN  the SNS topic told about failures, conflicts and drift (names and reason codes only)
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { createJsonLogger, type Logger } from '@secblocks/core';
import {
  createScheduledHandler,
  parseConfig,
  type RunNotification,
  type ScheduledHandler,
} from '@secblocks/vault-sync';

/** What {@link createReplicationHandler} needs; everything but `env` is injectable for tests. */
export interface ReplicationHandlerOptions {
  /** Usually `process.env`. */
  env: Record<string, string | undefined>;
  /** Secrets Manager client (target and connection secret). @defaultValue built from the Lambda's region */
  secretsManager?: SecretsManagerClient;
  /** Sends one notification. @defaultValue SNS `Publish` to `FAILURE_TOPIC_ARN` */
  publish?: (notification: RunNotification) => Promise<unknown>;
  /** @defaultValue JSON lines on stderr (CloudWatch Logs), values redacted */
  logger?: Logger;
}

/** Builds the scheduled handler from the environment; throws at cold start when the configuration is bad. */
export function createReplicationHandler(options: ReplicationHandlerOptions): ScheduledHandler {
  const { env } = options;
  if (!env.VAULT_SYNC_CONFIG) throw new Error('VAULT_SYNC_CONFIG is not set');
  const config = parseConfig(JSON.parse(env.VAULT_SYNC_CONFIG));
  const topicArn = env.FAILURE_TOPIC_ARN;
  let sns: SNSClient | undefined;
  const publishToTopic = (n: RunNotification): Promise<unknown> => {
    sns ??= new SNSClient({});
    return sns.send(new PublishCommand({ TopicArn: topicArn, Subject: n.subject, Message: n.message }));
  };
  const publish = options.publish ?? (topicArn ? publishToTopic : undefined);
  return createScheduledHandler({
    config,
    client: options.secretsManager ?? new SecretsManagerClient({}),
    ...(publish ? { notify: publish } : {}),
    logger: options.logger ?? createJsonLogger({ fields: { service: 'vault-sync' } }),
  });
}

let built: ScheduledHandler | undefined;

/**
 * The Lambda entry point. The handler (and the Vault token read from the connection secret) is built
 * once per container. It throws when any secret failed or conflicted, so the Lambda `Errors` metric and
 * the alarm in the stack see the failure.
 */
export const handler: ScheduledHandler = (event) => {
  built ??= createReplicationHandler({ env: process.env });
  return built(event);
};
