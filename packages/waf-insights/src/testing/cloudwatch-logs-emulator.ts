import { type AwsJsonEmulator, AwsServiceError, startAwsJsonEmulator } from '@secblocks/core/testing';
import { type LogsInsightsEvent, runLogsInsightsQuery } from '../logs-insights-evaluator.js';

/** Options of {@link startCloudWatchLogsEmulator}. */
export interface CloudWatchLogsEmulatorOptions {
  /** Events per log group name. */
  logGroups: Record<string, LogsInsightsEvent[]>;
  /**
   * GetQueryResults calls answering `Scheduled`, then `Running`, before `Complete`.
   * @defaultValue `1` (one Running poll)
   */
  pollsBeforeComplete?: number;
  /**
   * Final status to report instead of `Complete` (to test `Failed`, `Timeout`, `Unknown`).
   */
  finalStatus?: 'Complete' | 'Failed' | 'Timeout' | 'Unknown';
  /**
   * Row cap per query (Logs Insights: 10,000).
   * @defaultValue `10000`
   */
  rowCap?: number;
}

/** A running CloudWatch Logs emulator; see {@link startCloudWatchLogsEmulator}. */
export interface CloudWatchLogsEmulator extends AwsJsonEmulator {
  /** Ids of queries stopped with StopQuery. */
  readonly stopped: string[];
  /** Queries started: id, query string and time range (epoch seconds). */
  readonly queries: Array<{ queryId: string; queryString: string; startTime: number; endTime: number }>;
}

/**
 * Starts a loopback CloudWatch Logs emulator (AWS JSON 1.1, target prefix `Logs_20140328`) that answers
 * StartQuery, GetQueryResults and StopQuery by running the query with the local Logs Insights evaluator
 * over the given events: the real `@aws-sdk/client-cloudwatch-logs` client talks to it over HTTP. It
 * enforces the StartQuery limits (1-50 log groups, 10,000-character query, `limit` 1-10,000), reports
 * `Scheduled` → `Running` → `Complete` (or the chosen final status), honours StopQuery (`Cancelled`), and
 * truncates results at the row cap like the service.
 *
 * @param options - Log groups and behaviour.
 * @example
 * ```ts
 * const emu = await startCloudWatchLogsEmulator({ logGroups: { 'aws-waf-logs-test': events } });
 * const client = new CloudWatchLogsClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials: testCredentials() });
 * ```
 */
export async function startCloudWatchLogsEmulator(
  options: CloudWatchLogsEmulatorOptions,
): Promise<CloudWatchLogsEmulator> {
  const rowCap = options.rowCap ?? 10_000;
  const pollsBefore = options.pollsBeforeComplete ?? 1;
  const stopped: string[] = [];
  const queries: CloudWatchLogsEmulator['queries'] = [];
  const state = new Map<
    string,
    {
      polls: number;
      cancelled: boolean;
      rows: Array<Array<{ field: string; value: string }>>;
      matched: number;
      scanned: number;
      bytes: number;
    }
  >();
  let seq = 0;
  const emulator = await startAwsJsonEmulator({
    targetPrefix: 'Logs_20140328',
    handlers: {
      StartQuery(input) {
        const names =
          (input.logGroupNames as string[] | undefined) ??
          (input.logGroupName ? [input.logGroupName as string] : []);
        if (names.length < 1 || names.length > 50)
          throw new AwsServiceError(
            'InvalidParameterException',
            'logGroupNames must contain 1-50 log groups',
          );
        const queryString = String(input.queryString ?? '');
        if (queryString.length < 1 || queryString.length > 10_000)
          throw new AwsServiceError('InvalidParameterException', 'queryString must be 1-10000 characters');
        const limit = input.limit === undefined ? rowCap : Number(input.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
          throw new AwsServiceError('InvalidParameterException', 'limit must be 1-10000');
        const startTime = Number(input.startTime);
        const endTime = Number(input.endTime);
        if (!Number.isFinite(startTime) || !Number.isFinite(endTime) || endTime < startTime)
          throw new AwsServiceError('InvalidParameterException', 'endTime must be >= startTime');
        const events: LogsInsightsEvent[] = [];
        for (const n of names) {
          const group = options.logGroups[n];
          if (!group) throw new AwsServiceError('ResourceNotFoundException', `Log group ${n} does not exist`);
          for (const e of group)
            if (e.timestamp >= startTime * 1000 && e.timestamp < (endTime + 1) * 1000) events.push(e);
        }
        let result: ReturnType<typeof runLogsInsightsQuery>;
        try {
          result = runLogsInsightsQuery(queryString, events);
        } catch {
          throw new AwsServiceError('MalformedQueryException', 'The query could not be parsed');
        }
        const queryId = `q-${++seq}`;
        queries.push({ queryId, queryString, startTime, endTime });
        state.set(queryId, {
          polls: 0,
          cancelled: false,
          rows: result.rows
            .slice(0, Math.min(limit, rowCap))
            .map((r) =>
              result.fields.filter((f) => r[f] !== undefined).map((f) => ({ field: f, value: String(r[f]) })),
            ),
          matched: result.rows.length,
          scanned: events.length,
          bytes: events.reduce((s, e) => s + e.message.length, 0),
        });
        return { queryId };
      },
      GetQueryResults(input) {
        const q = state.get(String(input.queryId));
        if (!q) throw new AwsServiceError('ResourceNotFoundException', 'Query not found');
        q.polls++;
        const statistics = { recordsMatched: q.matched, recordsScanned: q.scanned, bytesScanned: q.bytes };
        if (q.cancelled) return { status: 'Cancelled', results: [], statistics };
        if (q.polls <= pollsBefore)
          return {
            status: q.polls === 1 && pollsBefore > 1 ? 'Scheduled' : 'Running',
            results: [],
            statistics,
          };
        const status = options.finalStatus ?? 'Complete';
        return { status, results: status === 'Complete' ? q.rows : [], statistics };
      },
      StopQuery(input) {
        const id = String(input.queryId);
        const q = state.get(id);
        if (!q) throw new AwsServiceError('ResourceNotFoundException', 'Query not found');
        q.cancelled = true;
        stopped.push(id);
        return { success: true };
      },
    },
  });
  return Object.assign(emulator, { stopped, queries });
}
