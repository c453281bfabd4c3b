import type {
  CloudWatchLogsClient,
  CloudWatchLogsClientConfig,
  GetQueryResultsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  createConcurrencyLimit,
  sleep as defaultSleep,
  isRetryableAwsError,
  type Logger,
  retry,
  silentLogger,
} from '@secblocks/core';
import { compileLogsInsights } from './compile-logs-insights.js';
import { invalidOption, WafInsightsError, WafInsightsErrorCode } from './errors.js';
import type { Question } from './question.js';
import { type QuestionResult, type QuestionRow, toQuestionResult } from './question-result.js';

/** Logs Insights returns at most this many rows per query. */
export const LOGS_INSIGHTS_ROW_CAP = 10_000;
/** StartQuery accepts at most this many log groups. */
export const LOGS_INSIGHTS_MAX_LOG_GROUPS = 50;

/** Options of {@link createLogsInsightsRunner}. */
export interface LogsInsightsRunnerOptions {
  /** Log groups to query (1-50). WAF log groups are named `aws-waf-logs-*`. */
  logGroupNames: string[];
  /** A CloudWatch Logs client; built lazily from `clientConfig` when absent. */
  client?: CloudWatchLogsClient;
  /** Config for the default client (region, credentials, endpoint). */
  clientConfig?: CloudWatchLogsClientConfig;
  /**
   * Queries in flight at once (the account quota is 30 including dashboards).
   * @defaultValue `4`
   */
  concurrency?: number;
  /**
   * Delay between GetQueryResults polls, in ms.
   * @defaultValue `1000`
   */
  pollIntervalMs?: number;
  /**
   * Give up (StopQuery, then `QUERY_FAILED`) after this many polls of one query.
   * @defaultValue `3600` (one hour at the default interval: the Logs Insights timeout)
   */
  maxPolls?: number;
  /**
   * Smallest time slice, in ms, when splitting a range whose result hit the 10,000-row cap. A slice this
   * small that still hits the cap makes the result `approximate`.
   * @defaultValue `60_000`
   */
  minSliceMs?: number;
  /**
   * The service's row cap; a result this long is treated as truncated and its range split. Lower it only
   * to exercise splitting in tests.
   * @defaultValue `10000`
   */
  rowCap?: number;
  /** Diagnostics (query ids, statuses, row counts); never query text or result values. @defaultValue silent */
  logger?: Logger;
  /** Sleep used between polls (tests pass a fake clock's). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Options of one run. */
export interface LogsInsightsRunOptions {
  /** Start of the range, epoch ms (inclusive). */
  start: number;
  /** End of the range, epoch ms (exclusive). Logs Insights works in whole seconds: the range is widened to them. */
  end: number;
  /** Aborts the run; queries in flight are stopped with StopQuery. */
  signal?: AbortSignal;
}

/** Raw output of {@link LogsInsightsRunner.runQuery}. */
export interface LogsInsightsQueryOutput {
  queryId: string;
  rows: Array<Record<string, string>>;
  statistics: { recordsMatched: number; recordsScanned: number; bytesScanned: number };
}

/** A Logs Insights runner; see {@link createLogsInsightsRunner}. */
export interface LogsInsightsRunner {
  /** Runs one query string over the range, polling until a final status. */
  runQuery(
    queryString: string,
    options: LogsInsightsRunOptions & { limit?: number },
  ): Promise<LogsInsightsQueryOutput>;
  /**
   * Answers a question: compiles it, runs it, and when a result reaches the 10,000-row cap splits the time
   * range in halves and merges the slices exactly (counts are summed per group; distinct counts are
   * marked approximate because they cannot be merged).
   */
  runQuestion(
    question: Question,
    options: LogsInsightsRunOptions,
  ): Promise<QuestionResult & { queries: number; bytesScanned: number }>;
}

const FINAL_FAILURES = new Set(['Failed', 'Cancelled', 'Timeout', 'Unknown']);

/**
 * Creates a CloudWatch Logs Insights runner (StartQuery / GetQueryResults / StopQuery) with a concurrency
 * limit, retries on throttling, StopQuery on abort and on poll exhaustion, every query status handled, and
 * exact splitting of long ranges whose result hits the 10,000-row cap.
 *
 * @param options - Log groups, client, limits.
 * @throws {@link WafInsightsError} `INVALID_OPTION` naming the bad option.
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_StartQuery.html
 * @example
 * ```ts
 * const runner = createLogsInsightsRunner({ logGroupNames: ['aws-waf-logs-prod'], clientConfig: { region: 'us-east-1' } });
 * const top = await runner.runQuestion(getQuestion('top-ips'), { start: Date.now() - 3_600_000, end: Date.now() });
 * ```
 */
export function createLogsInsightsRunner(options: LogsInsightsRunnerOptions): LogsInsightsRunner {
  const groups = options.logGroupNames;
  if (!Array.isArray(groups) || groups.length < 1 || groups.length > LOGS_INSIGHTS_MAX_LOG_GROUPS)
    throw invalidOption('logGroupNames', `1 to ${LOGS_INSIGHTS_MAX_LOG_GROUPS} log group names`);
  for (const g of groups) {
    if (typeof g !== 'string' || !/^[\w\-./#]{1,512}$/.test(g))
      throw invalidOption('logGroupNames', 'valid log group names');
  }
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 30)
    throw invalidOption('concurrency', 'an integer from 1 to 30');
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  if (!Number.isFinite(pollIntervalMs) || pollIntervalMs < 0)
    throw invalidOption('pollIntervalMs', 'a number >= 0');
  const maxPolls = options.maxPolls ?? 3600;
  if (!Number.isInteger(maxPolls) || maxPolls < 1) throw invalidOption('maxPolls', 'a positive integer');
  const minSliceMs = options.minSliceMs ?? 60_000;
  if (!Number.isInteger(minSliceMs) || minSliceMs < 1000)
    throw invalidOption('minSliceMs', 'an integer >= 1000');
  const rowCap = options.rowCap ?? LOGS_INSIGHTS_ROW_CAP;
  if (!Number.isInteger(rowCap) || rowCap < 1 || rowCap > LOGS_INSIGHTS_ROW_CAP)
    throw invalidOption('rowCap', 'an integer from 1 to 10,000');
  const logger = options.logger ?? silentLogger;
  const wait = options.sleep ?? defaultSleep;
  const limit = createConcurrencyLimit(concurrency);
  const state: { client?: CloudWatchLogsClient; sdk?: typeof import('@aws-sdk/client-cloudwatch-logs') } = {};
  if (options.client) state.client = options.client;

  const sdk = async (): Promise<typeof import('@aws-sdk/client-cloudwatch-logs')> => {
    state.sdk ??= await import('@aws-sdk/client-cloudwatch-logs');
    return state.sdk;
  };
  const client = async (): Promise<CloudWatchLogsClient> => {
    if (!state.client) {
      const { CloudWatchLogsClient: Ctor } = await sdk();
      state.client = new Ctor(options.clientConfig ?? {});
    }
    return state.client;
  };
  const send = async <T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> =>
    retry(fn, {
      maxAttempts: 5,
      isRetryable: (e) =>
        isRetryableAwsError(e) || (e as { name?: string }).name === 'LimitExceededException',
      sleep: wait,
      ...(signal ? { signal } : {}),
    });

  const validateRange = (o: LogsInsightsRunOptions): void => {
    if (!Number.isSafeInteger(o.start) || !Number.isSafeInteger(o.end) || o.end <= o.start)
      throw invalidOption('start/end', 'integer epoch milliseconds with start < end');
  };

  const runQuery: LogsInsightsRunner['runQuery'] = (queryString, o) =>
    limit(async () => {
      validateRange(o);
      const { StartQueryCommand, GetQueryResultsCommand, StopQueryCommand } = await sdk();
      const c = await client();
      if (o.signal?.aborted) throw aborted(o.signal);
      const started = await send(
        () =>
          c.send(
            new StartQueryCommand({
              logGroupNames: groups,
              queryString,
              // StartQuery takes epoch seconds, both ends inclusive: the range [start, end) in ms is widened
              // to whole seconds, [floor(start), ceil(end) - 1], so consecutive slices never overlap or gap.
              startTime: Math.floor(o.start / 1000),
              endTime: Math.ceil(o.end / 1000) - 1,
              limit: Math.min(o.limit ?? rowCap, rowCap),
            }),
          ),
        o.signal,
      );
      const queryId = started.queryId;
      if (!queryId)
        throw new WafInsightsError(WafInsightsErrorCode.QUERY_FAILED, 'StartQuery returned no queryId');
      logger.debug('logs insights query started', { queryId });
      const stop = async (): Promise<void> => {
        try {
          await c.send(new StopQueryCommand({ queryId }));
        } catch {
          // Already finished: nothing to stop.
        }
      };
      for (let poll = 1; ; poll++) {
        if (o.signal?.aborted) {
          await stop();
          throw aborted(o.signal);
        }
        let out: GetQueryResultsCommandOutput;
        try {
          out = await send(() => c.send(new GetQueryResultsCommand({ queryId })), o.signal);
        } catch (e) {
          if (o.signal?.aborted) {
            await stop();
            throw aborted(o.signal);
          }
          throw e;
        }
        const status = out.status ?? 'Unknown';
        if (status === 'Complete') {
          const rows = (out.results ?? []).map((fields) => {
            const row: Record<string, string> = {};
            for (const f of fields)
              if (f.field && f.field !== '@ptr' && f.value !== undefined) row[f.field] = f.value;
            return row;
          });
          const statistics = {
            recordsMatched: out.statistics?.recordsMatched ?? 0,
            recordsScanned: out.statistics?.recordsScanned ?? 0,
            bytesScanned: out.statistics?.bytesScanned ?? 0,
          };
          logger.debug('logs insights query complete', { queryId, rows: rows.length, polls: poll });
          return { queryId, rows, statistics };
        }
        if (FINAL_FAILURES.has(status)) {
          logger.warn('logs insights query ended', { queryId, status });
          throw new WafInsightsError(
            WafInsightsErrorCode.QUERY_FAILED,
            `Logs Insights query ${queryId} ended with status ${status}`,
          );
        }
        if (poll >= maxPolls) {
          await stop();
          throw new WafInsightsError(
            WafInsightsErrorCode.QUERY_FAILED,
            `Logs Insights query ${queryId} still ${status} after ${maxPolls} polls; stopped`,
          );
        }
        try {
          await wait(pollIntervalMs, o.signal);
        } catch {
          await stop();
          throw aborted(o.signal as AbortSignal);
        }
      }
    });

  return {
    runQuery,
    async runQuestion(question, o) {
      validateRange(o);
      // Slices run without the question's limit and minimum so they can be merged; both are applied after.
      const sliceQuestion: Question = { ...question, limit: rowCap };
      delete sliceQuestion.minimum;
      const query = compileLogsInsights(sliceQuestion);
      let queries = 0;
      let bytesScanned = 0;
      let approximate = question.measure.kind === 'countDistinct';
      let sliced = false;
      const runSlice = async (start: number, end: number): Promise<Array<Record<string, string>>> => {
        const out = await runQuery(query, { start, end, ...(o.signal ? { signal: o.signal } : {}) });
        queries++;
        bytesScanned += out.statistics.bytesScanned;
        if (out.rows.length < rowCap) return out.rows;
        if (end - start <= minSliceMs) {
          approximate = true;
          logger.warn('logs insights slice still at the row cap', { start, end });
          return out.rows;
        }
        sliced = true;
        // Split on a whole second so both halves map to disjoint StartQuery ranges.
        const mid = Math.floor((Math.floor(start / 1000) + Math.ceil(end / 1000)) / 2) * 1000;
        if (mid <= start || mid >= end) {
          approximate = true;
          return out.rows;
        }
        const [a, b] = await Promise.all([runSlice(start, mid), runSlice(mid, end)]);
        return [...a, ...b];
      };
      const rows = await runSlice(o.start, o.end);
      const merged = mergeRows(question, rows);
      if (sliced && question.measure.kind === 'countDistinct') approximate = true;
      const min = question.minimum;
      const kept =
        min === undefined ? merged : merged.filter((r) => (r[question.measure.as] as number) >= min);
      return { ...toQuestionResult(question, kept, approximate), queries, bytesScanned };
    },
  };
}

function mergeRows(question: Question, rows: Array<Record<string, string>>): QuestionRow[] {
  const m = question.measure.as;
  const map = new Map<string, QuestionRow>();
  for (const r of rows) {
    const keys = question.groupBy.map((g) => r[g.as] ?? '-');
    const id = JSON.stringify(keys);
    const value = Number(r[m] ?? 0);
    const prev = map.get(id);
    if (prev) prev[m] = (prev[m] as number) + value;
    else {
      const row: QuestionRow = {};
      question.groupBy.forEach((g, i) => {
        row[g.as] = keys[i] as string;
      });
      row[m] = value;
      map.set(id, row);
    }
  }
  return [...map.values()];
}

function aborted(signal: AbortSignal): WafInsightsError {
  return new WafInsightsError(WafInsightsErrorCode.ABORTED, 'The Logs Insights run was aborted', {
    cause: signal.reason,
  });
}
