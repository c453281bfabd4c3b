import { AthenaClient } from '@aws-sdk/client-athena';
import {
  assertNoSentinel,
  createFakeClock,
  createMemoryLogger,
  createSentinel,
  testCredentials,
} from '@secblocks/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AthenaRunnerOptions,
  athenaQueryCostUsd,
  createAthenaRunner,
  isAthenaQueryError,
  isQueryRunnerError,
  type QueryRunnerError,
} from '../src/index.js';
import { type AthenaEmulator, type ScriptedQuery, startAthenaEmulator } from '../src/testing/index.js';

let emu: AthenaEmulator;
let script: (sql: string) => ScriptedQuery = () => ({});
let client: AthenaClient;

beforeAll(async () => {
  emu = await startAthenaEmulator({ respond: (q) => script(q.queryString) });
  // maxAttempts 1: the SDK does not retry, so every retry counted below is the runner's own.
  client = new AthenaClient({
    endpoint: emu.endpoint,
    region: 'us-east-1',
    credentials: testCredentials(),
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await emu.close();
});
beforeEach(() => {
  emu.aws.calls.length = 0;
  emu.queries.length = 0;
  emu.stopped.length = 0;
  script = () => ({});
});

const runner = (extra: Partial<AthenaRunnerOptions> = {}) => {
  const clock = createFakeClock();
  return {
    clock,
    athena: createAthenaRunner({
      client,
      database: 'macie_results',
      workgroup: 'security',
      sleep: clock.sleep,
      now: clock.now,
      random: () => 0.5,
      ...extra,
    }),
  };
};

const caught = async (p: Promise<unknown>): Promise<QueryRunnerError> => {
  try {
    await p;
  } catch (e) {
    return e as QueryRunnerError;
  }
  throw new Error('expected a rejection');
};

describe('createAthenaRunner', () => {
  it('returns typed rows with the header row skipped when the query succeeds', async () => {
    script = () => ({
      columns: [
        { name: 'type', type: 'varchar' },
        { name: 'total', type: 'bigint' },
        { name: 'share', type: 'double' },
        { name: 'public', type: 'boolean' },
        { name: 'note', type: 'varchar' },
      ],
      rows: [
        ['CREDIT_CARD_NUMBER', '3000000000', '0.5', 'true', null],
        ['NAME', '9007199254740993', 'NaN', 'false', ''],
      ],
      dataScannedBytes: 123_456_789,
    });
    const { athena } = runner();
    const result = await athena.run('SELECT * FROM t');
    expect(result.engine).toBe('athena');
    expect(result.columns.map((c) => c.type)).toEqual(['varchar', 'bigint', 'double', 'boolean', 'varchar']);
    expect(result.rows).toEqual([
      { type: 'CREDIT_CARD_NUMBER', total: 3_000_000_000, share: 0.5, public: true, note: null },
      { type: 'NAME', total: 9007199254740993n, share: Number.NaN, public: false, note: '' },
    ]);
    expect(result.statistics.dataScannedBytes).toBe(123_456_789);
    expect(result.statistics.costUsd).toBeCloseTo(athenaQueryCostUsd(123_456_789), 12);
    expect(result.statistics.queryExecutionId).toBe(emu.queries[0]?.queryExecutionId);
    expect(result.truncated).toBe(false);
  });

  it('sends the database, catalog, workgroup and output location when starting a query', async () => {
    const { athena } = runner({ outputLocation: 's3://athena-results-111122223333/macie/' });
    await athena.run('SELECT 1');
    expect(emu.queries[0]).toMatchObject({
      database: 'macie_results',
      catalog: 'AwsDataCatalog',
      workGroup: 'security',
      outputLocation: 's3://athena-results-111122223333/macie/',
      resultReuseMaxAgeMinutes: undefined,
    });
  });

  it('binds parameters through ExecutionParameters and leaves the SQL text untouched', async () => {
    const { athena } = runner();
    const sql = 'SELECT * FROM t WHERE accountid = ? AND name = ? AND n > ? AND flag = ? AND x IS ?';
    await athena.run(sql, { params: ['111122223333', "O'Brien", 3_000_000_000, true, null] });
    expect(emu.queries[0]?.queryString).toBe(sql);
    expect(emu.queries[0]?.executionParameters).toEqual([
      "'111122223333'",
      "'O''Brien'",
      '3000000000',
      'true',
      'NULL',
    ]);
  });

  it('omits ExecutionParameters when there are no parameters', async () => {
    const { athena } = runner();
    await athena.run('SELECT 1');
    expect(
      emu.aws.calls.find((c) => c.operation === 'StartQueryExecution')?.input.ExecutionParameters,
    ).toBeUndefined();
  });

  it('refuses a parameter count that does not match the placeholders before calling Athena', async () => {
    const { athena } = runner();
    const e = await caught(athena.run('SELECT ? , ?', { params: ['a'] }));
    expect(e.code).toBe('INVALID_PARAMETER');
    expect(emu.aws.count()).toBe(0);
  });

  it('iterates over every page when the result spans several GetQueryResults calls', async () => {
    script = () => ({
      columns: [{ name: 'n', type: 'integer' }],
      rows: Array.from({ length: 7 }, (_, i) => [i]),
    });
    const { athena } = runner({ pageSize: 3 });
    const pages: number[][] = [];
    for await (const page of athena.iterate('SELECT n FROM t'))
      pages.push(page.rows.map((r) => r.n as number));
    // 8 rows with the header: pages of 3, 3, 2; the header is dropped from the first page only.
    expect(pages).toEqual([
      [0, 1],
      [2, 3, 4],
      [5, 6],
    ]);
    expect(emu.aws.count('GetQueryResults')).toBe(3);
    const tokens = emu.aws.calls
      .filter((c) => c.operation === 'GetQueryResults')
      .map((c) => c.input.NextToken);
    expect(tokens).toEqual([undefined, 'page-3', 'page-6']);
  });

  it('keeps the first row when the statement is not DML', async () => {
    script = () => ({
      statementType: 'UTILITY',
      columns: [{ name: 'tab_name', type: 'string' }],
      rows: [['results']],
    });
    const { athena } = runner();
    expect((await athena.run('SHOW TABLES')).rows).toEqual([{ tab_name: 'results' }]);
  });

  it('truncates and flags the result when there are more rows than maxRows', async () => {
    script = () => ({ columns: [{ name: 'n', type: 'bigint' }], rows: [[1], [2], [3]] });
    const { athena } = runner();
    const result = await athena.run('SELECT n FROM t', { maxRows: 2 });
    expect(result.rows).toEqual([{ n: 1 }, { n: 2 }]);
    expect(result.truncated).toBe(true);
  });

  it('polls with growing, jittered, capped delays while the query is queued and running', async () => {
    script = () => ({ states: ['QUEUED', 'QUEUED', 'RUNNING', 'RUNNING', 'RUNNING', 'RUNNING', 'RUNNING'] });
    const { athena, clock } = runner({ poll: { baseDelayMs: 200, maxDelayMs: 1000 } });
    await athena.run('SELECT 1');
    expect(emu.aws.count('GetQueryExecution')).toBe(8);
    expect(clock.sleeps).toHaveLength(7);
    // random() = 0.5: half the ceiling plus half of the jittered other half.
    expect(clock.sleeps).toEqual([150, 300, 600, 750, 750, 750, 750]);
  });

  it('throws AthenaQueryError with state, reason, category and retryable when the query FAILED', async () => {
    script = () => ({
      final: 'FAILED',
      reason: "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved",
      error: { category: 2, type: 1006, retryable: false },
    });
    const { athena } = runner();
    const e = await caught(athena.run('SELECT nope FROM t'));
    expect(isAthenaQueryError(e)).toBe(true);
    expect(e).toMatchObject({
      code: 'QUERY_FAILED',
      state: 'FAILED',
      reason: "COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved",
      errorCategory: 'user',
      errorType: 1006,
      retryable: false,
      queryExecutionId: emu.queries[0]?.queryExecutionId,
    });
    expect(emu.aws.count('GetQueryResults')).toBe(0);
  });

  it('marks a system failure retryable when Athena gives no Retryable flag', async () => {
    script = () => ({ final: 'FAILED', reason: 'INTERNAL_ERROR_QUERY_ENGINE', error: { category: 1 } });
    const { athena } = runner();
    const e = await caught(athena.run('SELECT 1'));
    expect(e).toMatchObject({ errorCategory: 'system', retryable: true });
  });

  it('throws QUERY_CANCELLED when the query was cancelled elsewhere', async () => {
    script = () => ({ final: 'CANCELLED', reason: 'Query was cancelled by user' });
    const { athena } = runner();
    const e = await caught(athena.run('SELECT 1'));
    expect(e).toMatchObject({
      code: 'QUERY_CANCELLED',
      state: 'CANCELLED',
      retryable: false,
      errorCategory: 'unknown',
    });
  });

  it('retries throttled calls with backoff and succeeds when throttling stops', async () => {
    script = () => ({ columns: [{ name: 'n', type: 'bigint' }], rows: [[1]] });
    emu.aws.failNext('GetQueryExecution', { type: 'ThrottlingException' }, 2);
    emu.aws.failNext('GetQueryResults', { type: 'ThrottlingException' }, 1);
    const { athena } = runner();
    const result = await athena.run('SELECT 1');
    expect(result.rows).toEqual([{ n: 1 }]);
    expect(emu.aws.count('GetQueryResults')).toBe(2);
    expect(emu.aws.count('GetQueryExecution')).toBe(3 + 2);
  });

  it('reuses one ClientRequestToken when StartQueryExecution is retried', async () => {
    emu.aws.failNext('StartQueryExecution', { type: 'ThrottlingException' }, 1);
    const { athena } = runner();
    await athena.run('SELECT 1');
    const starts = emu.aws.calls.filter((c) => c.operation === 'StartQueryExecution');
    expect(starts).toHaveLength(2);
    expect(starts[0]?.input.ClientRequestToken).toBe(starts[1]?.input.ClientRequestToken);
    expect(emu.queries).toHaveLength(1);
  });

  it('throws AWS_ERROR when throttling outlasts maxAttempts', async () => {
    emu.aws.failNext('StartQueryExecution', { type: 'ThrottlingException' }, 3);
    const { athena } = runner({ maxAttempts: 3 });
    const e = await caught(athena.run('SELECT 1'));
    expect(e.code).toBe('AWS_ERROR');
    expect(e.message).toContain('ThrottlingException');
    expect(emu.aws.count('StartQueryExecution')).toBe(3);
  });

  it('does not retry a client error such as InvalidRequestException', async () => {
    emu.aws.failNext('StartQueryExecution', { type: 'InvalidRequestException', message: 'bad' }, 1);
    const { athena } = runner();
    const e = await caught(athena.run('SELECT 1'));
    expect(e.code).toBe('AWS_ERROR');
    expect(emu.aws.count('StartQueryExecution')).toBe(1);
  });

  it('stops the query with StopQueryExecution when the signal aborts while it runs', async () => {
    script = () => ({ states: Array(50).fill('RUNNING') });
    const controller = new AbortController();
    const clock = createFakeClock();
    let sleeps = 0;
    const athena = createAthenaRunner({
      client,
      database: 'db',
      now: clock.now,
      sleep: async (ms, signal) => {
        if (++sleeps === 3) controller.abort(new Error('user pressed ctrl-c'));
        await clock.sleep(ms, signal);
      },
    });
    const e = await caught(athena.run('SELECT 1', { signal: controller.signal }));
    expect(e.code).toBe('ABORTED');
    expect(emu.stopped).toEqual([emu.queries[0]?.queryExecutionId]);
    expect(emu.aws.count('StopQueryExecution')).toBe(1);
  });

  it('never starts a query when the signal is already aborted', async () => {
    const { athena } = runner();
    const e = await caught(athena.run('SELECT 1', { signal: AbortSignal.abort() }));
    expect(e.code).toBe('ABORTED');
    expect(emu.aws.count()).toBe(0);
  });

  it('refuses to start when the scan estimate is above maxScanBytes', async () => {
    const { athena } = runner({ maxScanBytes: 1_000_000 });
    const e = await caught(athena.run('SELECT 1', { estimatedScanBytes: 1_000_001 }));
    expect(e.code).toBe('SCAN_BUDGET_EXCEEDED');
    expect(emu.aws.count()).toBe(0);
  });

  it('stops a running query once it scanned more than maxScanBytes', async () => {
    script = () => ({ states: ['RUNNING', 'RUNNING', 'RUNNING'], dataScannedBytes: 5_000_000 });
    const { athena } = runner({ maxScanBytes: 1_000_000 });
    const e = await caught(athena.run('SELECT 1'));
    expect(e.code).toBe('SCAN_BUDGET_EXCEEDED');
    expect(emu.stopped).toHaveLength(1);
  });

  it('stops the query and throws TIMEOUT when it outlasts maxWaitMs', async () => {
    script = () => ({ states: Array(100).fill('RUNNING') });
    const { athena } = runner({ maxWaitMs: 10_000 });
    const e = await caught(athena.run('SELECT 1'));
    expect(e.code).toBe('TIMEOUT');
    expect(emu.stopped).toHaveLength(1);
  });

  it('requests result reuse and reports a reused result as free when reuse is enabled', async () => {
    script = () => ({ reused: true, dataScannedBytes: 0 });
    const { athena } = runner({ reuseResultsMaxAgeMinutes: 60 });
    const result = await athena.run('SELECT 1');
    expect(emu.queries[0]?.resultReuseMaxAgeMinutes).toBe(60);
    expect(result.statistics).toMatchObject({ reusedPreviousResult: true, costUsd: 0 });
    await athena.run('SELECT 1', { reuseResultsMaxAgeMinutes: 0 });
    expect(emu.queries[1]?.resultReuseMaxAgeMinutes).toBeUndefined();
  });

  it('never hands bound parameter values to the logger or to errors', async () => {
    const secret = createSentinel('param');
    const logger = createMemoryLogger();
    script = () => ({ final: 'FAILED', reason: 'GENERIC_USER_ERROR', error: { category: 2 } });
    const { athena } = runner({ logger });
    const e = await caught(athena.run('SELECT * FROM t WHERE owner = ?', { params: [secret] }));
    expect(logger.lines.length).toBeGreaterThan(0);
    assertNoSentinel(secret, logger.text(), e, e.message);
  });

  it.each([
    [{ database: '' }, 'database'],
    [{ database: 'db; DROP' }, 'database'],
    [{ workgroup: 'a b' }, 'workgroup'],
    [{ outputLocation: 'https://bucket/x' }, 'outputLocation'],
    [{ maxScanBytes: -1 }, 'maxScanBytes'],
    [{ reuseResultsMaxAgeMinutes: 20000 }, 'reuseResultsMaxAgeMinutes'],
    [{ pageSize: 1001 }, 'pageSize'],
    [{ poll: { baseDelayMs: 0 } }, 'poll.baseDelayMs'],
    [{ poll: { baseDelayMs: 500, maxDelayMs: 100 } }, 'poll.maxDelayMs'],
    [{ maxWaitMs: 0 }, 'maxWaitMs'],
    [{ maxAttempts: 0 }, 'maxAttempts'],
    [{ pricePerTerabyteUsd: -5 }, 'pricePerTerabyteUsd'],
  ] as const)('throws INVALID_OPTION naming %j', (bad, option) => {
    let error: unknown;
    try {
      createAthenaRunner({ database: 'db', ...bad } as AthenaRunnerOptions);
    } catch (e) {
      error = e;
    }
    expect(isQueryRunnerError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    expect((error as Error).message).toContain(`"${option}"`);
  });

  it('builds no client until the first query when none is injected', () => {
    const athena = createAthenaRunner({ database: 'db', clientConfig: { region: 'us-east-1' } });
    expect(athena.engine).toBe('athena');
    expect(JSON.stringify(athena)).not.toContain('AKIA');
  });
});
