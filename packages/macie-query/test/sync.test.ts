import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { S3Client } from '@aws-sdk/client-s3';
import { testCredentials } from '@secblocks/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMacieQuery, estimateScanBytes, syncResults } from '../src/index.js';
import { type S3ResultsEmulator, startS3ResultsEmulator } from '../src/testing/index.js';

const ADMIN = '111122223333';
const JOB = '0123456789abcdef0123456789abcdef';
const OTHER_JOB = 'fedcba9876543210fedcba9876543210';
const key = (job: string, account: string, name: string) =>
  `AWSLogs/${ADMIN}/Macie/us-east-1/${job}/${account}/${name}.jsonl.gz`;
const record = (id: string, account: string) =>
  gzipSync(
    `${JSON.stringify({ id, accountId: account, classificationDetails: { jobId: JOB, result: { status: { code: 'COMPLETE' } } } })}\n`,
  );

let s3: S3ResultsEmulator;
let client: S3Client;
let dir: string;

beforeAll(async () => {
  s3 = await startS3ResultsEmulator({ bucket: 'macie-results', pageSize: 2 });
  client = new S3Client({
    endpoint: s3.endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: testCredentials(),
    maxAttempts: 1,
  });
  s3.put(key(JOB, '444455556666', 'a'), record('a', '444455556666'));
  s3.put(key(JOB, '444455556666', 'b'), record('b', '444455556666'));
  s3.put(key(JOB, '777788889999', 'c'), record('c', '777788889999'));
  s3.put(key(OTHER_JOB, '444455556666', 'd'), record('d', '444455556666'));
  s3.put(`AWSLogs/${ADMIN}/Macie/us-east-1/${JOB}/old-layout.jsonl.gz`, record('e', '444455556666'));
  s3.put(`AWSLogs/${ADMIN}/Macie/us-east-1/${JOB}/../../../../escape.jsonl.gz`, record('x', '444455556666'));
  s3.put('AWSLogs/README.txt', 'not a result');
});
afterAll(async () => {
  client.destroy();
  await s3.close();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'macie-sync-'));
  s3.requests.length = 0;
});

describe('syncResults', () => {
  it('downloads every result file across pages, in both key layouts, and nothing else', async () => {
    const summary = await syncResults({ client, bucket: 'macie-results', to: dir });
    expect(summary).toEqual({ listed: 5, downloaded: 5, unchanged: 0, bytes: summary.bytes });
    expect(s3.requests.filter((r) => r.startsWith('LIST'))).toHaveLength(4);
    expect(existsSync(join(dir, key(JOB, '444455556666', 'a')))).toBe(true);
    expect(existsSync(join(dir, `AWSLogs/${ADMIN}/Macie/us-east-1/${JOB}/old-layout.jsonl.gz`))).toBe(true);
    expect(existsSync(join(dir, 'escape.jsonl.gz'))).toBe(false);
    expect(existsSync(join(dir, 'AWSLogs/README.txt'))).toBe(false);
    const mq = createMacieQuery({ local: dir });
    const { rows } = await mq.ask('data-quality');
    await mq.close();
    expect(rows[0]?.objects).toBe(5);
    rmSync(dir, { recursive: true, force: true });
  });

  it('downloads only new or changed objects on the next sync', async () => {
    await syncResults({ client, bucket: 'macie-results', to: dir });
    s3.requests.length = 0;
    expect(await syncResults({ client, bucket: 'macie-results', to: dir })).toMatchObject({
      downloaded: 0,
      unchanged: 5,
    });
    expect(s3.requests.filter((r) => r.startsWith('GET'))).toEqual([]);
    s3.put(key(JOB, '444455556666', 'b'), record('b2', '444455556666'));
    const again = await syncResults({ client, bucket: 'macie-results', to: dir });
    expect(again).toMatchObject({ downloaded: 1, unchanged: 4 });
    expect(readFileSync(join(dir, key(JOB, '444455556666', 'b'))).equals(record('b2', '444455556666'))).toBe(
      true,
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('narrows listing to the job prefix and filters bucket-owner accounts', async () => {
    const summary = await syncResults({
      client,
      bucket: 'macie-results',
      to: dir,
      adminAccounts: [ADMIN],
      regions: ['us-east-1'],
      jobIds: [JOB],
      accounts: ['444455556666'],
    });
    expect(summary).toMatchObject({ listed: 2, downloaded: 2 });
    expect(s3.requests.filter((r) => r.startsWith('LIST'))).toEqual(
      Array(s3.requests.filter((r) => r.startsWith('LIST')).length).fill(
        `LIST AWSLogs/${ADMIN}/Macie/us-east-1/${JOB}/`,
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('retries when S3 answers 503 SlowDown', async () => {
    s3.failNext(2);
    const summary = await syncResults({ client, bucket: 'macie-results', to: dir });
    expect(summary.downloaded).toBe(5);
    expect(s3.requests.filter((r) => r.startsWith('FAULT'))).toHaveLength(2);
    rmSync(dir, { recursive: true, force: true });
  });

  it('throws SYNC_FAILED naming the operation when the bucket does not exist', async () => {
    await expect(syncResults({ client, bucket: 'no-such-bucket', to: dir })).rejects.toMatchObject({
      code: 'SYNC_FAILED',
    });
    rmSync(dir, { recursive: true, force: true });
  });

  it('throws INVALID_FILTER when a job ID filter is not a job ID', async () => {
    await expect(
      syncResults({ client, bucket: 'macie-results', to: dir, jobIds: ['../..'] }),
    ).rejects.toMatchObject({
      code: 'INVALID_FILTER',
    });
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('estimateScanBytes', () => {
  it('sums the sizes of the result files under the prefixes in scope', async () => {
    const all = await estimateScanBytes({ client, bucket: 'macie-results' });
    const oneJob = await estimateScanBytes({
      client,
      bucket: 'macie-results',
      adminAccounts: [ADMIN],
      regions: ['us-east-1'],
      jobIds: [OTHER_JOB],
    });
    expect(oneJob).toBe(record('d', '444455556666').length);
    expect(all).toBeGreaterThan(oneJob);
  });

  it('lets the Athena runner refuse a question over budget before it starts', async () => {
    const { AthenaClient } = await import('@aws-sdk/client-athena');
    const { createAthenaRunner } = await import('@secblocks/query-runner');
    const athena = new AthenaClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      credentials: testCredentials(),
      maxAttempts: 1,
    });
    const runner = createAthenaRunner({ client: athena, database: 'security', maxScanBytes: 10 });
    const mq = createMacieQuery({ athena: { runner, table: { table: 'macie_results' } } });
    const estimatedScanBytes = await estimateScanBytes({ client, bucket: 'macie-results' });
    await expect(mq.ask('top-types', {}, { estimatedScanBytes })).rejects.toMatchObject({
      code: 'SCAN_BUDGET_EXCEEDED',
    });
    athena.destroy();
  });
});
