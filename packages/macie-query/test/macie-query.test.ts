import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AthenaClient } from '@aws-sdk/client-athena';
import {
  assertNoSentinel,
  createMemoryLogger,
  createSentinel,
  testCredentials,
} from '@secblocks/core/testing';
import { createAthenaRunner, createDuckDbRunner, type DuckDbRunner } from '@secblocks/query-runner';
import { type AthenaEmulator, startAthenaEmulator } from '@secblocks/query-runner/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMacieQuery, detections, isMacieQueryError, resolveResultFiles } from '../src/index.js';
import { duckDbAthenaResponder, parseAthenaParameter, type SampleCorpus } from '../src/testing/index.js';
import { normalize, testCorpus } from './corpus.js';

let corpus: SampleCorpus;
let duck: DuckDbRunner;
let scratch: string;

beforeAll(() => {
  corpus = testCorpus(600);
  duck = createDuckDbRunner({ memoryLimit: '512MB', threads: 2 });
  scratch = mkdtempSync(join(tmpdir(), 'macie-query-test-'));
});
afterAll(async () => {
  await duck.close();
  corpus.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const caught = async (p: Promise<unknown>): Promise<Error & { code?: string }> => {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a rejection');
};

describe('createMacieQuery', () => {
  it('answers a catalog question from a local folder with numbers for counts', async () => {
    const mq = createMacieQuery({ local: corpus.dir, duckDbRunner: duck });
    const result = await mq.ask('top-types', { top: 3 });
    expect(result).toMatchObject({ id: 'top-types', engine: 'duckdb', truncated: false, skippedFiles: [] });
    expect(result.rows).toHaveLength(3);
    expect(typeof result.rows[0]?.detections).toBe('number');
    expect(result.columns.map((c) => c.name)).toEqual(['type', 'detections', 'objects']);
    await mq.close();
  });

  it('answers a builder question typed by its dimensions and measures', async () => {
    const mq = createMacieQuery({ local: `${corpus.dir}/**/*.jsonl.gz`, duckDbRunner: duck });
    const q = detections()
      .by('account')
      .measure('detections', 'buckets')
      .where({ categories: ['CREDENTIALS'] });
    const result = await mq.ask<typeof q.row>(q);
    expect(result.id).toBe('custom');
    const total: number = result.rows.reduce((s, r) => s + r.detections, 0);
    expect(total).toBeGreaterThan(0);
    expect(result.rows.every((r) => /^\d{12}$/.test(String(r.account_id)))).toBe(true);
  });

  it('adds a remediation hint to every coverage-gap row', async () => {
    const mq = createMacieQuery({ local: corpus.dir, duckDbRunner: duck });
    const result = await mq.ask('coverage-gaps');
    expect(result.columns.at(-1)).toEqual({ name: 'remediation', kind: 'string' });
    expect(result.rows.length).toBeGreaterThan(0);
    for (const row of result.rows) expect(String(row.remediation).length).toBeGreaterThan(20);
  });

  it('leaves out empty, non-gzip and corrupt files, reports them, and still answers', async () => {
    const dir = join(scratch, 'bad');
    mkdirSync(dir, { recursive: true });
    for (const f of corpus.files.slice(0, 3))
      writeFileSync(join(dir, f.split('/').pop() as string), readFileSync(f));
    writeFileSync(join(dir, 'empty.jsonl.gz'), '');
    writeFileSync(join(dir, 'plain.jsonl.gz'), '{"id":"x"}\n');
    const good = gzipSync(Array.from({ length: 500 }, (_, i) => `{"id":"${i * 7919}"}`).join('\n'));
    const corrupt = Buffer.from(good);
    corrupt.fill(0x41, 15, Math.min(60, good.length - 8));
    writeFileSync(join(dir, 'corrupt.jsonl.gz'), corrupt);
    const logger = createMemoryLogger();
    const mq = createMacieQuery({ local: dir, duckDbRunner: duck, logger });
    const result = await mq.ask('data-quality');
    const reasons = Object.fromEntries(result.skippedFiles.map((s) => [s.file.split('/').pop(), s.reason]));
    expect(reasons['empty.jsonl.gz']).toBe('empty');
    expect(reasons['plain.jsonl.gz']).toBe('not-gzip');
    expect(Object.keys(reasons)).toContain('corrupt.jsonl.gz');
    expect(Number(result.rows[0]?.objects)).toBeGreaterThan(0);
  });

  it('counts malformed lines and unknown status codes in data-quality instead of failing', async () => {
    const dir = join(scratch, 'malformed');
    mkdirSync(dir, { recursive: true });
    const lines = [
      '{"id":"a","classificationDetails":{"result":{"status":{"code":"COMPLETE"}}}}',
      '{"id": "b", "classificationDetails": {',
      'not json at all',
      '{"id":"c","unknownTopLevel":{"x":1},"classificationDetails":{"result":{"status":{"code":"QUEUED","reason":"NEW_REASON"}}}}',
    ];
    writeFileSync(join(dir, 'r.jsonl.gz'), gzipSync(`${lines.join('\n')}\n`));
    const mq = createMacieQuery({ local: dir, duckDbRunner: duck });
    const { rows } = await mq.ask('data-quality');
    expect(rows[0]).toMatchObject({ objects: 4, malformed_records: 2, unknown_reasons: 1 });
    expect(Number(rows[0]?.unknown_status_codes)).toBe(3);
  });

  it('reports keys the schema does not describe instead of dropping them silently', async () => {
    const dir = join(scratch, 'drift');
    mkdirSync(dir, { recursive: true });
    const lines = [
      '{"id":"a","futureTopLevel":1,"classificationDetails":{"result":{"status":{"code":"COMPLETE"},"brandNewField":true}}}',
      '{"id":"b","resourcesAffected":{"s3Object":{"key":"k","objectLockMode":"GOVERNANCE"}}}',
      'not json',
    ];
    writeFileSync(join(dir, 'r.jsonl.gz'), gzipSync(`${lines.join('\n')}\n`));
    const mq = createMacieQuery({ local: dir, duckDbRunner: duck });
    expect(await mq.unknownFields()).toEqual([
      { path: '', key: 'futureTopLevel', records: 1 },
      { path: 'classificationDetails.result', key: 'brandNewField', records: 1 },
      { path: 'resourcesAffected.s3Object', key: 'objectLockMode', records: 1 },
    ]);
    expect(await createMacieQuery({ local: corpus.dir, duckDbRunner: duck }).unknownFields()).toEqual([]);
  });

  it('throws NO_RESULT_FILES naming the folder when it holds no results', async () => {
    const empty = join(scratch, 'empty-folder');
    mkdirSync(empty, { recursive: true });
    const e = await caught(createMacieQuery({ local: empty, duckDbRunner: duck }).ask('top-types'));
    expect(isMacieQueryError(e)).toBe(true);
    expect(e.code).toBe('NO_RESULT_FILES');
    expect(e.message).toContain('empty-folder');
    expect(() => resolveResultFiles(join(scratch, 'missing.jsonl.gz'))).toThrow('No such file');
  });

  it('throws INVALID_FILTER before running when a filter is not an account ID', async () => {
    const e = await caught(
      createMacieQuery({ local: corpus.dir, duckDbRunner: duck }).ask('top-types', {
        filters: { accounts: ['1111'] },
      }),
    );
    expect(e.code).toBe('INVALID_FILTER');
  });

  it('never surfaces occurrence locations (JSON paths, column names) in answers', async () => {
    const secret = createSentinel('jsonpath');
    const dir = join(scratch, 'privacy');
    mkdirSync(dir, { recursive: true });
    const record = JSON.parse(
      readFileSync(join(import.meta.dirname, 'fixtures/reveal-records.jsonl'), 'utf8').split(
        '\n',
      )[1] as string,
    );
    record.classificationDetails.result.sensitiveData[0].detections[0].occurrences.records[0].jsonPath = `$['${secret}']`;
    record.classificationDetails.result.sensitiveData[0].detections[0].occurrences.cells = [
      { row: '1', column: '1', columnName: secret },
    ];
    writeFileSync(join(dir, 'r.jsonl.gz'), gzipSync(`${JSON.stringify(record)}\n`));
    const logger = createMemoryLogger();
    const mq = createMacieQuery({ local: dir, duckDbRunner: duck, logger });
    const answers = [];
    for (const id of ['top-types', 'object-detail-listing', 'credentials', 'first-last-seen'])
      answers.push(await mq.ask(id));
    assertNoSentinel(secret, answers, logger.text());
  });

  it('throws INVALID_OPTION when neither or both engines are configured', () => {
    expect(() => createMacieQuery({})).toThrow('"local"');
  });
});

describe('createMacieQuery on Athena', () => {
  let emu: AthenaEmulator;
  let client: AthenaClient;
  let responder: ReturnType<typeof duckDbAthenaResponder>;

  beforeAll(async () => {
    responder = duckDbAthenaResponder({ files: corpus.files });
    emu = await startAthenaEmulator({ respond: responder.respond });
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
    await responder.close();
  });

  it('gives the same rows over the real Athena protocol as locally', async () => {
    const runner = createAthenaRunner({
      client,
      database: 'security',
      workgroup: 'macie',
      pageSize: 7,
      poll: { baseDelayMs: 1, maxDelayMs: 2 },
    });
    const remote = createMacieQuery({ athena: { runner, table: { table: 'macie_results' } } });
    const local = createMacieQuery({ local: corpus.files, duckDbRunner: duck });
    const params = { filters: { accounts: ['111111111111', '222222222223'] } };
    const a = await remote.ask('detections-by-bucket-category-type', params);
    const d = await local.ask('detections-by-bucket-category-type', params);
    expect(a.rows.length).toBeGreaterThan(7);
    expect(normalize(a.rows)).toEqual(normalize(d.rows));
    expect(a.statistics.dataScannedBytes).toBe(10 * 1024 * 1024);
    const sent = emu.queries.at(-1);
    expect(sent?.executionParameters.map(parseAthenaParameter)).toEqual([
      '111111111111',
      '222222222223',
      '111111111111',
      '222222222223',
    ]);
    expect(sent?.queryString).not.toContain('111111111111');
  });

  it('refuses a question over the scan budget before it starts', async () => {
    const runner = createAthenaRunner({ client, database: 'security', maxScanBytes: 1024 ** 3 });
    const mq = createMacieQuery({ athena: { runner, table: { table: 'macie_results' } } });
    const before = emu.aws.count('StartQueryExecution');
    const e = await caught(mq.ask('top-types', {}, { estimatedScanBytes: 2 * 1024 ** 3 }));
    expect(e.code).toBe('SCAN_BUDGET_EXCEEDED');
    expect(emu.aws.count('StartQueryExecution')).toBe(before);
  });
});
