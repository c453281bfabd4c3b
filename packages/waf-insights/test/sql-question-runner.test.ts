import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AthenaClient } from '@aws-sdk/client-athena';
import { testCredentials } from '@secblocks/core/testing';
import { createAthenaRunner, createDuckDbRunner } from '@secblocks/query-runner';
import { startAthenaEmulator } from '@secblocks/query-runner/testing';
// Deep import: only the Trino grammar, not the seven other dialects the package index loads.
import { TrinoSQL } from 'dt-sql-parser/dist/parser/trino/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attachWafLogs,
  compileSql,
  evaluateQuestion,
  generateSampleLines,
  getQuestion,
  isWafInsightsError,
  parseWafLogs,
  QUESTION_CATALOG,
  runQuestionSql,
} from '../src/index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'waf-sql-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const writeGz = (name: string, lines: Uint8Array[]): string => {
  const file = join(dir, name);
  writeFileSync(file, gzipSync(Buffer.concat(lines.flatMap((l) => [Buffer.from(l), Buffer.from('\n')]))));
  return file;
};

describe('compileSql (athena)', () => {
  it('parses with the Trino grammar for every catalog question', () => {
    const trino = new TrinoSQL();
    expect(trino.validate('SELECT FROM WHERE').length).toBeGreaterThan(0);
    for (const q of QUESTION_CATALOG) {
      const sql = compileSql(q, 'athena', {
        timeRange: { start: 1_764_547_200_000, end: 1_764_633_600_000 },
      });
      expect({ id: q.id, errors: trino.validate(sql) }).toEqual({ id: q.id, errors: [] });
    }
  });
});

describe('runQuestionSql', () => {
  it('answers from gzip files through the query-runner DuckDB runner, equal to the reference', async () => {
    const lines = [...generateSampleLines({ records: 3000, seed: 77, malformedEvery: 0 })];
    const file = writeGz('clean.log.gz', lines);
    const { records } = parseWafLogs(
      Buffer.concat(lines.flatMap((l) => [Buffer.from(l), Buffer.from('\n')])),
    );
    const duck = createDuckDbRunner({ threads: 1 });
    try {
      await attachWafLogs(duck, [file]);
      for (const id of ['top-ips', 'top-user-agents', 'counted-by-managed-rule', 'token-reuse']) {
        const q = getQuestion(id);
        const got = await runQuestionSql(duck, q);
        expect(got.rows).toEqual(
          evaluateQuestion(
            q,
            records.map((r) => r.record),
          ).rows,
        );
      }
    } finally {
      await duck.close();
    }
  });

  it('skips the same malformed lines as the TypeScript parser when reading raw files', async () => {
    const lines = [...generateSampleLines({ records: 1000, seed: 78, malformedEvery: 50 })];
    const file = writeGz('dirty.log.gz', lines);
    const { stats } = parseWafLogs(Buffer.concat(lines.flatMap((l) => [Buffer.from(l), Buffer.from('\n')])));
    const duck = createDuckDbRunner({ threads: 1 });
    try {
      await attachWafLogs(duck, file, { parquetCache: join(dir, 'cache.parquet') });
      const { rows } = await duck.run('SELECT count(*) AS n FROM waf_logs');
      expect(
        stats.skipped.not_utf8 + stats.skipped.invalid_json + stats.skipped.uri_too_long,
      ).toBeGreaterThan(0);
      expect(Number(rows[0]?.n)).toBe(stats.records);
    } finally {
      await duck.close();
    }
  });

  it('sends partition-pruned SQL to Athena and converts the varchar results', async () => {
    const emu = await startAthenaEmulator({
      respond: () => ({
        columns: [
          { name: 'clientIp', type: 'varchar' },
          { name: 'requests', type: 'bigint' },
        ],
        rows: [
          ['198.51.100.1', 7],
          ['198.51.100.2', 7],
        ],
        dataScannedBytes: 2048,
      }),
    });
    try {
      const client = new AthenaClient({
        endpoint: emu.endpoint,
        region: 'us-east-1',
        credentials: testCredentials(),
      });
      const athena = createAthenaRunner({
        client,
        database: 'security',
        outputLocation: 's3://results/',
        poll: { baseDelayMs: 1, maxDelayMs: 2 },
      });
      const got = await runQuestionSql(athena, getQuestion('top-ips'), {
        timeRange: { start: 1_764_547_200_000, end: 1_764_550_800_000 },
      });
      expect(got.rows).toEqual([
        { clientIp: '198.51.100.1', requests: 7 },
        { clientIp: '198.51.100.2', requests: 7 },
      ]);
      expect(got.statistics.dataScannedBytes).toBe(2048);
      expect(emu.queries[0]?.queryString).toContain(`"log_time" >= '2025/11/30/23/55'`);
    } finally {
      await emu.close();
    }
  });

  it('names runner when given something else', async () => {
    await expect(runQuestionSql({} as never, getQuestion('top-ips'))).rejects.toSatisfy(
      (e: unknown) => isWafInsightsError(e) && e.parameter === 'runner',
    );
  });
});
