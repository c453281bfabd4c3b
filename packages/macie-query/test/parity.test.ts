import { createHash } from 'node:crypto';
import { createDuckDbRunner, type DuckDbRunner, duckDbReadJson } from '@secblocks/query-runner';
import { HiveSQL, TrinoSQL } from 'dt-sql-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  athenaTableDdl,
  detections,
  duckDbColumns,
  emitQuestion,
  objects,
  QUESTIONS,
  type QuestionParams,
  STATUS_REASON_CODES,
} from '../src/index.js';
import type { SampleCorpus } from '../src/testing/index.js';
import { LABELS, normalize, testCorpus } from './corpus.js';

let corpus: SampleCorpus;
let duck: DuckDbRunner;
let source: string;
let fullSource: string;
let jobId: string;
// Each question gets only the parameters it needs, so the goldens cover the whole corpus.
const paramsFor = (id: string): QuestionParams => {
  const q = QUESTIONS.find((x) => x.id === id);
  const filters = {
    ...(q?.requires.includes('jobIds') ? { jobIds: [jobId] } : {}),
    ...(q?.requires.includes('since') ? { since: '2024-02-15' } : {}),
  };
  return { filters, accountLabels: LABELS, labels: ['dev'] };
};
const trino = new TrinoSQL();

beforeAll(async () => {
  corpus = testCorpus();
  duck = createDuckDbRunner({ memoryLimit: '1GB', threads: 2 });
  // The Athena SQL runs on DuckDB against a view named like the Athena table, over the same files.
  await duck.run(
    `CREATE VIEW macie_results AS SELECT * FROM ${duckDbReadJson(corpus.files, { columns: duckDbColumns(), ignoreErrors: true })}`,
  );
  source = duckDbReadJson(corpus.files, { columns: duckDbColumns({ slim: true }), ignoreErrors: true });
  fullSource = duckDbReadJson(corpus.files, { columns: duckDbColumns(), ignoreErrors: true });
  const jobs = await duck.run(
    'SELECT DISTINCT classificationdetails.jobid AS j FROM macie_results WHERE classificationdetails.jobid IS NOT NULL ORDER BY 1',
  );
  jobId = String(jobs.rows[1]?.j);
});
afterAll(async () => {
  await duck.close();
  corpus.cleanup();
});

const athenaTarget = { engine: 'athena', table: { table: 'macie_results' } } as const;

describe('emitQuestion', () => {
  it.each(QUESTIONS.map((q) => [q.id]))(
    'gives the same rows from the Athena SQL and the DuckDB SQL for %s',
    async (id) => {
      const athena = emitQuestion(id, athenaTarget, paramsFor(id));
      const reads = QUESTIONS.find((q) => q.id === id)?.readsOccurrences === true;
      const local = emitQuestion(
        id,
        { engine: 'duckdb', source: reads ? fullSource : source },
        paramsFor(id),
      );
      const a = await duck.run(athena.sql, { params: athena.params, maxRows: 1_000_000 });
      const d = await duck.run(local.sql, { params: local.params, maxRows: 1_000_000 });
      expect(a.columns.map((c) => c.name)).toEqual(d.columns.map((c) => c.name));
      const rows = normalize(d.rows);
      expect(normalize(a.rows)).toEqual(rows);
      expect(rows.length).toBeGreaterThan(0);
      const golden = {
        question: id,
        rows: rows.length,
        sha256: createHash('sha256').update(rows.join('\n')).digest('hex'),
        first: rows.slice(0, 25).map((r) => JSON.parse(r)),
      };
      await expect(`${JSON.stringify(golden, null, 1)}\n`).toMatchFileSnapshot(`golden/${id}.json`);
    },
  );

  it.each(QUESTIONS.map((q) => [q.id]))(
    'emits Athena SQL that parses with the Trino grammar for %s',
    (id) => {
      expect(trino.validate(emitQuestion(id, athenaTarget, paramsFor(id)).sql)).toEqual([]);
    },
  );

  it('emits projected-table SQL that parses with the Trino grammar and carries literal partition predicates', () => {
    const sql = emitQuestion(
      'job-category-type',
      {
        engine: 'athena',
        table: { table: 'macie_results_projected', database: 'security', projected: true },
      },
      { filters: { jobIds: ['0123456789abcdef0123456789abcdef'], accounts: ['111122223333'] } },
    ).sql;
    expect(sql).toContain(`r."p_job" IN ('0123456789abcdef0123456789abcdef')`);
    expect(sql).toContain(`r."p_account" IN ('111122223333')`);
    expect(trino.validate(sql)).toEqual([]);
  });

  it('emits DuckDB SQL with SELECT-list unnest, which the Trino grammar rejects', () => {
    const sql = emitQuestion('top-types', { engine: 'duckdb', source: 'macie_results' }).sql;
    expect(sql).toContain('unnest("sd_list")');
    expect(sql).not.toContain('CROSS JOIN UNNEST');
    expect(trino.validate(sql).length).toBeGreaterThan(0);
  });
});

describe('athenaTableDdl', () => {
  it.each(['plain', 'projected'] as const)(
    'generates %s DDL that parses with the Hive grammar',
    (variant) => {
      const ddl = athenaTableDdl({
        bucket: 'macie-results-111122223333',
        variant,
        adminAccounts: ['111122223333'],
        regions: ['us-east-1', 'eu-west-1'],
      });
      expect(new HiveSQL().validate(ddl)).toEqual([]);
    },
  );
});

describe('sample corpus through the questions', () => {
  it('covers all 21 reason codes in coverage-gaps', async () => {
    const q = emitQuestion('coverage-gaps', { engine: 'duckdb', source });
    const { rows } = await duck.run(q.sql, { params: q.params, maxRows: 100_000 });
    expect(new Set(rows.map((r) => r.status_reason))).toEqual(new Set(STATUS_REASON_CODES));
  });

  it('sums bytes above 2^31 without overflow', async () => {
    const q = objects().by('bucket').measure('bytesClassified').top(1).emit({ engine: 'duckdb', source });
    const { rows } = await duck.run(q.sql, { params: q.params });
    expect(Number(rows[0]?.bytes_classified)).toBeGreaterThan(2 ** 31);
  });

  it('counts the real-shaped custom identifier record as category CUSTOM_IDENTIFIER', async () => {
    const q = detections()
      .by('category', 'type')
      .where({ accounts: ['555555555555'] })
      .emit({ engine: 'duckdb', source });
    const { rows } = await duck.run(q.sql, { params: q.params });
    expect(rows).toEqual([
      { category: 'FINANCIAL_INFORMATION', type: 'CREDIT_CARD_NUMBER', detections: 7 },
      { category: 'FINANCIAL_INFORMATION', type: 'CREDIT_CARD_SECURITY_CODE', detections: 7 },
      { category: 'PERSONAL_INFORMATION', type: 'NAME', detections: 7 },
      { category: 'CUSTOM_IDENTIFIER', type: 'email check', detections: 1 },
    ]);
  });
});
