import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compileLogsInsights,
  compileSql,
  duckDbColumns,
  evaluateQuestion,
  generateSampleLines,
  type ParsedWafLog,
  parseWafLogs,
  QUESTION_CATALOG,
  runLogsInsightsQuery,
  toQuestionResult,
} from '../src/index.js';

// The acceptance run uses 100,000 records (WAF_PARITY_RECORDS=100000, or `pnpm run parity`); the default
// keeps the whole test project inside its time budget on a shared 2-core machine.
const RECORDS = Number(process.env.WAF_PARITY_RECORDS ?? 15_000);

let parsed: ParsedWafLog[];
let dir: string;
let connection: Awaited<ReturnType<DuckDBInstance['connect']>>;
let instance: DuckDBInstance;

beforeAll(async () => {
  const lines: Buffer[] = [];
  for (const l of generateSampleLines({ records: RECORDS, seed: 2026, malformedEvery: 1000 }))
    lines.push(Buffer.from(l), Buffer.from('\n'));
  const { records, stats } = parseWafLogs(Buffer.concat(lines));
  expect(stats.records).toBe(RECORDS);
  parsed = records;
  dir = mkdtempSync(join(tmpdir(), 'waf-parity-'));
  const file = join(dir, 'clean.ndjson');
  writeFileSync(file, records.map((r) => JSON.stringify(r.record)).join('\n'));
  instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  connection = await instance.connect();
  await connection.run(
    `CREATE TABLE waf_logs AS SELECT * FROM read_json('${file}', format='newline_delimited', columns=${duckDbColumns()})`,
  );
});

afterAll(() => {
  connection?.closeSync();
  instance?.closeSync();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('QUESTION_CATALOG parity', () => {
  for (const question of QUESTION_CATALOG) {
    it(`gives equal answers from DuckDB, the TS reference and the Logs Insights evaluator for ${question.id}`, async () => {
      const reference = evaluateQuestion(
        question,
        parsed.map((p) => p.record),
      );
      expect(reference.rows.length).toBeGreaterThan(0);

      const reader = await connection.runAndReadAll(compileSql(question, 'duckdb'));
      const duck = toQuestionResult(question, reader.getRowObjectsJS());
      expect(duck.rows).toEqual(reference.rows);

      const local = runLogsInsightsQuery(
        compileLogsInsights(question),
        parsed.map((p) => ({ message: p.message, timestamp: p.record.timestamp })),
      );
      expect(toQuestionResult(question, local.rows).rows).toEqual(reference.rows);
    });
  }
});
