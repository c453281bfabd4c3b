import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { assertNoSentinel, createMemoryLogger, createSentinel } from '@secblocks/core/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDuckDbRunner,
  type DuckDbRunner,
  type DuckDbRunnerOptions,
  duckDbReadJson,
  duckDbStringLiteral,
  isQueryRunnerError,
  type QueryRunnerError,
  quoteIdentifier,
} from '../src/index.js';

let duck: DuckDbRunner;
let dir: string;

beforeAll(() => {
  duck = createDuckDbRunner({ memoryLimit: '256MB', threads: 1 });
  dir = mkdtempSync(join(tmpdir(), 'query-runner-'));
});
afterAll(async () => {
  await duck.close();
  rmSync(dir, { recursive: true, force: true });
});

const caught = async (p: Promise<unknown>): Promise<QueryRunnerError> => {
  try {
    await p;
  } catch (e) {
    return e as QueryRunnerError;
  }
  throw new Error('expected a rejection');
};

describe('createDuckDbRunner', () => {
  it('returns counts as numbers when BIGINT and HUGEINT values fit in 2^53', async () => {
    const result = await duck.run(
      'SELECT count(*) AS n, sum(x) AS total, CAST(sum(x) AS BIGINT) AS total_bigint, 3000000000::BIGINT AS big FROM range(10) t(x)',
    );
    expect(result.engine).toBe('duckdb');
    expect(result.rows).toEqual([{ n: 10, total: 45, total_bigint: 45, big: 3_000_000_000 }]);
    expect(result.columns).toEqual([
      { name: 'n', type: 'bigint' },
      { name: 'total', type: 'hugeint' },
      { name: 'total_bigint', type: 'bigint' },
      { name: 'big', type: 'bigint' },
    ]);
  });

  it('keeps bigint when an integer is beyond 2^53', async () => {
    const { rows } = await duck.run('SELECT 9007199254740993::BIGINT AS n');
    expect(rows).toEqual([{ n: 9007199254740993n }]);
  });

  it('binds every parameter type when placeholders are used', async () => {
    const { rows } = await duck.run('SELECT ? AS s, ? AS i, ? AS f, ? AS b, ? AS n, ? AS big', {
      params: ["it's", 42, 1.5, true, null, 2n ** 62n],
    });
    expect(rows).toEqual([{ s: "it's", i: 42, f: 1.5, b: true, n: null, big: 2n ** 62n }]);
  });

  it('treats a bound string as data when it looks like SQL', async () => {
    const { rows } = await duck.run('SELECT count(*) AS n FROM range(3) t(x) WHERE CAST(x AS VARCHAR) = ?', {
      params: ["1' OR '1'='1"],
    });
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('prints dates as YYYY-MM-DD and keeps lists and structs as plain values', async () => {
    const { rows } = await duck.run(
      "SELECT DATE '2024-02-29' AS d, [1, 2]::BIGINT[] AS l, {'a': 1::BIGINT} AS s",
    );
    expect(rows).toEqual([{ d: '2024-02-29', l: [1, 2], s: { a: 1 } }]);
  });

  it('truncates and flags the result when there are more rows than maxRows', async () => {
    const result = await duck.run('SELECT x FROM range(5000) t(x)', { maxRows: 10 });
    expect(result.rows).toHaveLength(10);
    expect(result.truncated).toBe(true);
  });

  it('applies the memory limit when the instance is created', async () => {
    const { rows } = await duck.run("SELECT current_setting('memory_limit') AS m");
    expect(String(rows[0]?.m)).toMatch(/^2\d\d\.\d MiB$/);
  });

  it('reads gzip JSON lines through an explicit schema with numeric strings typed BIGINT', async () => {
    const file = join(dir, "o'brien.jsonl.gz");
    writeFileSync(
      file,
      gzipSync(
        `${JSON.stringify({ accountId: '111122223333', size: '3000000000', extra: 'ignored' })}\n${JSON.stringify({ accountId: '444455556666' })}\n`,
      ),
    );
    const from = duckDbReadJson([file], {
      columns: { accountId: 'VARCHAR', size: 'BIGINT', missing: 'STRUCT("reason" VARCHAR)' },
    });
    const { rows } = await duck.run(
      `SELECT accountId AS account, size, missing.reason AS reason FROM ${from} ORDER BY 1`,
    );
    expect(rows).toEqual([
      { account: '111122223333', size: 3_000_000_000, reason: null },
      { account: '444455556666', size: null, reason: null },
    ]);
  });

  it('throws ENGINE_FAILED naming the DuckDB error when the SQL is invalid', async () => {
    const e = await caught(duck.run('SELEC 1'));
    expect(e.code).toBe('ENGINE_FAILED');
    expect(e.message).toContain('syntax error');
  });

  it('throws INVALID_PARAMETER before running when the parameter count is wrong', async () => {
    const e = await caught(duck.run('SELECT ?', { params: [] }));
    expect(e.code).toBe('INVALID_PARAMETER');
  });

  it('throws ENGINE_MISSING naming the package when @duckdb/node-api cannot be loaded', async () => {
    const missing = createDuckDbRunner({
      loadEngine: () =>
        Promise.reject(
          Object.assign(new Error("Cannot find module '@duckdb/node-api'"), { code: 'ERR_MODULE_NOT_FOUND' }),
        ),
    });
    const e = await caught(missing.run('SELECT 1'));
    expect(isQueryRunnerError(e)).toBe(true);
    expect(e.code).toBe('ENGINE_MISSING');
    expect(e.message).toContain('@duckdb/node-api');
  });

  it('throws ABORTED when the signal is already aborted', async () => {
    const e = await caught(duck.run('SELECT 1', { signal: AbortSignal.abort() }));
    expect(e.code).toBe('ABORTED');
  });

  it('interrupts a running query and throws ABORTED when the signal fires', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 100);
    const e = await caught(
      duck.run('SELECT sum(a.x * b.x) AS s FROM range(1000000000) a(x), range(1000000) b(x)', {
        signal: controller.signal,
      }),
    );
    expect(e.code).toBe('ABORTED');
    expect((await duck.run('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('throws CLOSED when used after close', async () => {
    const other = createDuckDbRunner();
    await other.run('SELECT 1');
    await other.close();
    await other.close();
    expect((await caught(other.run('SELECT 1'))).code).toBe('CLOSED');
  });

  it('never hands bound parameter values to the logger or errors', async () => {
    const secret = createSentinel('duck');
    const logger = createMemoryLogger();
    const local = createDuckDbRunner({ logger });
    await local.run('SELECT length(?) AS n', { params: [secret] });
    const e = await caught(local.run('SELECT CAST(? AS INTEGER) AS n', { params: [secret] }));
    await local.close();
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(e.message).toContain('[REDACTED]');
    assertNoSentinel(secret, logger.text(), e, e.message);
  });

  it.each([
    [{ memoryLimit: 'lots' }, 'memoryLimit'],
    [{ threads: 0 }, 'threads'],
    [{ database: '' }, 'database'],
    [{ tempDirectory: '' }, 'tempDirectory'],
  ] as const)('throws INVALID_OPTION naming %j', (bad, option) => {
    expect(() => createDuckDbRunner(bad as DuckDbRunnerOptions)).toThrow(`"${option}"`);
  });
});

describe('duckDbStringLiteral', () => {
  it('round-trips any string through DuckDB when used as a literal', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\u0000')),
        async (s) => {
          const { rows } = await duck.run(`SELECT ${duckDbStringLiteral(s)} AS v`);
          expect(rows[0]?.v).toBe(s);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('quoteIdentifier', () => {
  it('round-trips any identifier through DuckDB when used as an alias', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !s.includes('\u0000')),
        async (s) => {
          const { columns } = await duck.run(`SELECT 1 AS ${quoteIdentifier(s)}`);
          expect(columns[0]?.name).toBe(s);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('duckDbReadJson', () => {
  it('rejects a type that would close the call', () => {
    expect(() => duckDbReadJson('a.json', { columns: { a: "VARCHAR'), read_text('/etc/passwd" } })).toThrow(
      '"columns.a"',
    );
    expect(() => duckDbReadJson([], { columns: { a: 'VARCHAR' } })).toThrow('"files"');
  });
});
