import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type Logger, silentLogger } from '@secblocks/core';
import { type ConfiguredSync, createFromConfig, type VaultSyncConfig } from './config.js';
import { check, isVaultSyncError, VaultSyncError, VaultSyncErrorCode } from './errors.js';
import { type SyncReport, sync } from './sync-engine.js';

/** The one aggregated notification of a run with problems: names and reasons only. */
export interface RunNotification {
  /** ≤ 100 characters (the SNS subject limit). */
  subject: string;
  message: string;
}

/** Options of {@link createScheduledHandler}. */
export interface ScheduledHandlerConfig {
  /** A configuration (built once per container, connection secret included)… */
  config?: VaultSyncConfig;
  /** …or a ready source, target and options. */
  sync?: ConfiguredSync;
  /** Client for the target and the connection secret when `config` is used. */
  client?: SecretsManagerClient;
  /**
   * Called once per run with failures, conflicts or drift, e.g.
   * `(n) => sns.send(new PublishCommand({ TopicArn, Subject: n.subject, Message: n.message }))`.
   * @defaultValue none
   */
  notify?: (notification: RunNotification) => Promise<unknown>;
  /** @defaultValue silent */
  logger?: Logger;
}

/** The function Lambda calls on each EventBridge schedule. */
export type ScheduledHandler = (event?: unknown) => Promise<SyncReport>;

const MAX_LISTED = 50;

/**
 * Formats the notification of a run: counts, then each failed, conflicting or drifting secret with its
 * reason code (never a value).
 *
 * @param report - A run report.
 * @param context - Account or region labels for the subject.
 * @example
 * ```ts
 * const n = formatNotification(report);
 * ```
 */
export function formatNotification(report: SyncReport, context = ''): RunNotification {
  const problems = report.results.filter(
    (r) => r.status === 'failed' || r.status === 'conflict' || r.status === 'reported',
  );
  const lines = problems
    .slice(0, MAX_LISTED)
    .map((r) => `- ${r.name}${r.path ? ` (${r.path})` : ''}: ${r.status} ${r.error?.code ?? r.reason}`);
  if (problems.length > MAX_LISTED) lines.push(`… and ${problems.length - MAX_LISTED} more`);
  const subject = `vault-sync ${report.instanceId}${context ? ` ${context}` : ''}: ${report.outcome.failed} failed, ${report.outcome.conflict} conflicts, ${report.outcome.reported} drift`;
  return {
    subject: subject.slice(0, 100),
    message: [
      `Instance ${report.instanceId} run at ${report.startedAt}: ${report.outcome.done} done, ${report.outcome.failed} failed, ${report.outcome.conflict} conflicts, ${report.outcome.reported} drifted.`,
      ...(report.breaker
        ? [`Mass-deletion breaker tripped: ${report.breaker.deletions} deletions refused.`]
        : []),
      ...lines,
    ].join('\n'),
  };
}

/**
 * Creates the Lambda handler for an EventBridge schedule: each invocation plans and applies, logs the
 * report, sends one aggregated notification when anything failed, conflicted or drifted, and **throws**
 * `RUN_FAILED` when any secret failed or conflicted, so Lambda's `Errors` metric, retries and DLQs see it.
 * A run that cannot even list (Vault sealed, token refused) notifies and rethrows.
 *
 * @param config - Configuration or ready parts, notifier, logger.
 * @throws {@link VaultSyncError} `INVALID_OPTION` when neither `config` nor `sync` is given.
 * @example
 * ```ts
 * export const handler = createScheduledHandler({
 *   config: JSON.parse(process.env.VAULT_SYNC_CONFIG!),
 *   notify: (n) => sns.send(new PublishCommand({ TopicArn: process.env.TOPIC_ARN, Subject: n.subject, Message: n.message })),
 *   logger: createJsonLogger(),
 * });
 * ```
 */
export function createScheduledHandler(config: ScheduledHandlerConfig): ScheduledHandler {
  check(typeof config === 'object' && config !== null, 'config', 'an object');
  check(config.config !== undefined || config.sync !== undefined, 'config', 'a config or a ready sync');
  check(config.notify === undefined || typeof config.notify === 'function', 'notify', 'a function');
  const logger = config.logger ?? silentLogger;
  let parts: Promise<ConfiguredSync> | undefined = config.sync ? Promise.resolve(config.sync) : undefined;
  const notify = async (n: RunNotification): Promise<void> => {
    if (!config.notify) return;
    try {
      await config.notify(n);
    } catch (error) {
      logger.error('vault-sync: notification failed', {
        error: (error as { name?: string }).name ?? 'Error',
      });
    }
  };
  return async () => {
    let report: SyncReport;
    try {
      parts ??= createFromConfig(config.config as VaultSyncConfig, {
        ...(config.client ? { client: config.client } : {}),
        logger,
      }).catch((error) => {
        parts = undefined;
        throw error;
      });
      const { source, target, options } = await parts;
      report = await sync(source, target, { ...options, logger });
    } catch (error) {
      const code = isVaultSyncError(error) ? error.code : 'UNEXPECTED';
      const message = isVaultSyncError(error)
        ? error.message
        : `Unexpected ${(error as { name?: string })?.name ?? 'error'}`;
      logger.error('vault-sync: run failed before completing', { code, message });
      await notify({
        subject: `vault-sync: run failed (${code})`.slice(0, 100),
        message: `The run failed before completing: [${code}] ${message}`,
      });
      throw error;
    }
    logger.info('vault-sync: run report', {
      instanceId: report.instanceId,
      outcome: report.outcome,
      summary: report.summary,
      apiCalls: report.apiCalls,
      throttles: report.throttles,
      durationMs: report.durationMs,
      maxLagMs: report.maxLagMs,
    });
    if (report.outcome.failed + report.outcome.conflict + report.outcome.reported > 0)
      await notify(formatNotification(report));
    if (!report.ok) {
      throw new VaultSyncError(
        VaultSyncErrorCode.RUN_FAILED,
        `vault-sync run of "${report.instanceId}": ${report.outcome.failed} failed, ${report.outcome.conflict} conflicts`,
      );
    }
    return report;
  };
}
