import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { createFakeClock, createMemoryLogger, testCredentials } from '@secblocks/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createLogsInsightsRunner,
  evaluateQuestion,
  generateSampleRecords,
  getQuestion,
  isWafInsightsError,
  type WafLogRecord,
} from '../src/index.js';
import {
  type CloudWatchLogsEmulator,
  startCloudWatchLogsEmulator,
  toLogEvents,
} from '../src/testing/index.js';

const GROUP = 'aws-waf-logs-test';
let emulator: CloudWatchLogsEmulator | undefined;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function setup(
  records: WafLogRecord[],
  extra: Partial<Parameters<typeof startCloudWatchLogsEmulator>[0]> = {},
) {
  emulator = await startCloudWatchLogsEmulator({ logGroups: { [GROUP]: toLogEvents(records) }, ...extra });
  const client = new CloudWatchLogsClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: testCredentials(),
    maxAttempts: 1,
  });
  return { emulator, client };
}

const records = generateSampleRecords({ records: 3000, seed: 11 });
const start = records[0]!.timestamp;
const end = records[records.length - 1]!.timestamp + 1000;

describe('createLogsInsightsRunner', () => {
  it('answers a question equal to the reference through a real SDK client when the query completes', async () => {
    const { client, emulator } = await setup(records, { pollsBeforeComplete: 2 });
    const clock = createFakeClock();
    const runner = createLogsInsightsRunner({
      logGroupNames: [GROUP],
      client,
      sleep: clock.sleep,
      pollIntervalMs: 500,
    });
    const q = getQuestion('top-ips');
    const result = await runner.runQuestion(q, { start, end });
    expect(result.rows).toEqual(evaluateQuestion(q, records).rows);
    expect(result.queries).toBe(1);
    expect(emulator.count('GetQueryResults')).toBe(3);
    expect(clock.sleeps).toEqual([500, 500]);
    expect(emulator.queries[0]?.startTime).toBe(Math.floor(start / 1000));
  });

  it('splits the range and merges exactly when a slice hits the row cap', async () => {
    const { client, emulator } = await setup(records, { rowCap: 200, pollsBeforeComplete: 0 });
    const runner = createLogsInsightsRunner({
      logGroupNames: [GROUP],
      client,
      rowCap: 200,
      pollIntervalMs: 0,
      minSliceMs: 60_000,
    });
    const q = getQuestion('top-ips');
    const result = await runner.runQuestion({ ...q, limit: 50 }, { start, end });
    expect(emulator.queries.length).toBeGreaterThan(1);
    expect(result.queries).toBe(emulator.queries.length);
    expect(result.rows).toEqual(evaluateQuestion({ ...q, limit: 50 }, records).rows);
    expect(result.approximate).toBeUndefined();
  });

  it('marks distinct counts approximate and applies the minimum after merging', async () => {
    const { client } = await setup(records, { pollsBeforeComplete: 0 });
    const runner = createLogsInsightsRunner({ logGroupNames: [GROUP], client, pollIntervalMs: 0 });
    const q = getQuestion('token-reuse');
    const result = await runner.runQuestion(q, { start, end });
    expect(result.approximate).toBe(true);
    expect(result.rows).toEqual(evaluateQuestion(q, records).rows);
  });

  for (const status of ['Failed', 'Timeout', 'Unknown'] as const) {
    it(`throws QUERY_FAILED naming the status when the query ends ${status}`, async () => {
      const { client } = await setup(records, { finalStatus: status, pollsBeforeComplete: 0 });
      const runner = createLogsInsightsRunner({ logGroupNames: [GROUP], client, pollIntervalMs: 0 });
      await expect(runner.runQuery('stats count(*) as n', { start, end })).rejects.toSatisfy(
        (e: unknown) => isWafInsightsError(e) && e.code === 'QUERY_FAILED' && e.message.includes(status),
      );
    });
  }

  it('stops the query with StopQuery when aborted while running', async () => {
    const { client, emulator } = await setup(records, { pollsBeforeComplete: 1000 });
    const controller = new AbortController();
    let polls = 0;
    const runner = createLogsInsightsRunner({
      logGroupNames: [GROUP],
      client,
      pollIntervalMs: 1,
      sleep: async () => {
        if (++polls === 3) controller.abort();
      },
    });
    await expect(
      runner.runQuery('stats count(*) as n', { start, end, signal: controller.signal }),
    ).rejects.toSatisfy((e: unknown) => isWafInsightsError(e) && e.code === 'ABORTED');
    expect(emulator.stopped).toEqual(['q-1']);
  });

  it('stops the query and fails when it is still running after maxPolls', async () => {
    const { client, emulator } = await setup(records, { pollsBeforeComplete: 1000 });
    const runner = createLogsInsightsRunner({
      logGroupNames: [GROUP],
      client,
      pollIntervalMs: 0,
      maxPolls: 4,
    });
    await expect(runner.runQuery('stats count(*) as n', { start, end })).rejects.toSatisfy(
      (e: unknown) => isWafInsightsError(e) && e.code === 'QUERY_FAILED',
    );
    expect(emulator.count('GetQueryResults')).toBe(4);
    expect(emulator.stopped).toHaveLength(1);
  });

  it('retries StartQuery when throttled and logs no query text', async () => {
    const { client, emulator } = await setup(records, { pollsBeforeComplete: 0 });
    emulator.failNext('StartQuery', { type: 'LimitExceededException', message: 'too many queries' }, 2);
    const logger = createMemoryLogger();
    const runner = createLogsInsightsRunner({
      logGroupNames: [GROUP],
      client,
      pollIntervalMs: 0,
      logger,
      sleep: createFakeClock().sleep,
    });
    const out = await runner.runQuery('filter action = "BLOCK" | stats count(*) as n', { start, end });
    expect(out.rows).toEqual([{ n: String(records.filter((r) => r.action === 'BLOCK').length) }]);
    expect(emulator.count('StartQuery')).toBe(3);
    expect(logger.text()).not.toContain('BLOCK');
  });

  it('runs at most `concurrency` queries at once', async () => {
    const { client } = await setup(records, { pollsBeforeComplete: 3 });
    let active = 0;
    let peak = 0;
    const runner = createLogsInsightsRunner({
      logGroupNames: [GROUP],
      client,
      concurrency: 2,
      sleep: async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 1));
        active--;
      },
    });
    await Promise.all(
      Array.from({ length: 5 }, () => runner.runQuery('stats count(*) as n', { start, end })),
    );
    expect(peak).toBeLessThanOrEqual(2);
  });

  it('names logGroupNames when more than 50 are given', () => {
    try {
      createLogsInsightsRunner({ logGroupNames: Array.from({ length: 51 }, (_, i) => `aws-waf-logs-${i}`) });
      expect.unreachable();
    } catch (e) {
      expect(isWafInsightsError(e) && e.parameter === 'logGroupNames').toBe(true);
    }
  });
});
