import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@secblocks/core';
import { createCapturingIo } from '@secblocks/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram, parseParams } from '../src/cli-program.js';

let dir: string;
const cli = async (...argv: string[]) => {
  const cap = createCapturingIo();
  const code = await runCli(buildProgram({ version: '0.1.0', io: cap.io }), argv);
  return { code, stdout: cap.stdout(), stderr: cap.stderr() };
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'macie-cli-'));
  const r = await cli(
    'sample',
    '--records',
    '400',
    '--out',
    join(dir, 'corpus'),
    '--records-per-file',
    '100',
    '--json',
  );
  expect(r.code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('macie-query CLI', () => {
  it('prints the summary of a generated sample as JSON', async () => {
    const r = await cli('sample', '--records', '10', '--out', join(dir, 'small'), '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({ records: 10 });
  });

  it('lists the question catalog', async () => {
    const r = await cli('questions', '--json');
    const list = JSON.parse(r.stdout) as { id: string }[];
    expect(list.map((q) => q.id)).toContain('coverage-gaps');
  });

  it('answers a question locally as a table, JSON, CSV and a chart', async () => {
    const corpus = join(dir, 'corpus');
    const table = await cli('run', 'top-types', '--local', corpus);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('Top sensitive data types');
    expect(table.stdout).toContain('(5 rows)');
    const json = await cli('run', 'detections-by-account', '--local', corpus, '--json');
    const parsed = JSON.parse(json.stdout) as { rows: { detections: number }[] };
    expect(typeof parsed.rows[0]?.detections).toBe('number');
    const csv = await cli('run', 'coverage-gaps', '--local', corpus, '--format', 'csv', '--param', 'top=2');
    expect(csv.stdout.split('\r\n')[0]).toBe(
      'status_code,status_reason,account_id,bucket,extension,objects,bytes_not_analyzed,remediation',
    );
    const chart = await cli('run', 'top-types', '--local', corpus, '--format', 'chart');
    expect(chart.stdout).toContain('█');
  });

  it('prints the Athena SQL and parameters without running when --sql is given', async () => {
    const r = await cli(
      'run',
      'top-types',
      '--athena',
      '--sql',
      '--param',
      'accounts=111122223333',
      '--param',
      'top=3',
      '--json',
    );
    const emitted = JSON.parse(r.stdout) as { sql: string; params: string[] };
    expect(emitted.sql).toContain('CROSS JOIN UNNEST');
    expect(emitted.sql).toContain('LIMIT 3');
    expect(emitted.params).toEqual(['111122223333', '111122223333']);
  });

  it('exits 1 with --fail-on-rows when credentials are found', async () => {
    const r = await cli('run', 'credentials', '--local', join(dir, 'corpus'), '--fail-on-rows', '--json');
    expect(r.code).toBe(1);
  });

  it('writes the HTML report', async () => {
    const file = join(dir, 'report.html');
    const r = await cli('report', '--local', join(dir, 'corpus'), '--html', file, '--json');
    expect(r.code).toBe(0);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('<svg');
  });

  it('prints the projected DDL', async () => {
    const r = await cli(
      'ddl',
      '--bucket',
      'macie-results-1',
      '--variant',
      'projected',
      '--admin-account',
      '111122223333',
      '--results-region',
      'us-east-1',
    );
    expect(r.stdout).toContain("'projection.enabled'='true'");
  });

  it.each([
    [['run', 'top-types', '--local', 'x', '--param', 'accounts=12345']],
    [['run', 'nope', '--local', 'x']],
    [['run', 'top-types', '--param', 'colour=blue', '--local', 'x']],
    [['run', 'top-types']],
    [['run', 'job-category-type', '--athena', '--sql']],
  ])('exits 2 with a message naming the problem for %j', async (argv) => {
    const r = await cli(...argv, '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe('USAGE');
  });

  it('exits 2 naming the folder when it holds no result files', async () => {
    const r = await cli('run', 'top-types', '--local', join(dir, 'nothing-here'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing-here');
  });
});

describe('parseParams', () => {
  it('parses lists, dates, top and account labels', () => {
    expect(
      parseParams([
        'accounts=111122223333,444455556666',
        'since=2025-01-01',
        'top=7',
        'accountLabels=111122223333:dev',
        'labels=dev,test',
      ]),
    ).toEqual({
      filters: { accounts: ['111122223333', '444455556666'], since: '2025-01-01' },
      top: 7,
      accountLabels: { '111122223333': 'dev' },
      labels: ['dev', 'test'],
    });
  });
});
