import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { runCli } from '@secblocks/core';
import {
  assertNoSentinel,
  createCapturingIo,
  createSentinel,
  testCredentials,
} from '@secblocks/core/testing';
import { startAthenaEmulator } from '@secblocks/query-runner/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli-program.js';
import { evaluateQuestion, generateSampleRecords, getQuestion } from '../src/index.js';
import { buildWafLogRecord, startCloudWatchLogsEmulator, toLogEvents } from '../src/testing/index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'waf-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], deps: Parameters<typeof buildProgram>[1] = {}) {
  const cap = createCapturingIo();
  const code = await runCli(buildProgram(cap.io, deps), args);
  return { code, stdout: cap.stdout(), stderr: cap.stderr() };
}

describe('waf-insights CLI', () => {
  it('writes sample files and answers a question from them with --local', async () => {
    const out = join(dir, 'logs');
    const s = await run([
      'sample',
      '--records',
      '2000',
      '--out',
      out,
      '--files',
      '2',
      '--malformed-every',
      '100',
      '--json',
    ]);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout).files).toHaveLength(2);
    const r = await run(['run', 'top-countries', '--local', out, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.rows).toEqual(
      evaluateQuestion(getQuestion('top-countries'), generateSampleRecords({ records: 2000, seed: 42 })).rows,
    );
    expect(json.stats.skipped.invalid_json).toBe(4);
    expect(r.stderr).toContain('skipped 20 malformed line(s)');
  });

  it('answers from a CloudWatch Logs group through the Logs Insights runner', async () => {
    const records = generateSampleRecords({ records: 500, seed: 4, startTime: 1_764_547_200_000 });
    const emu = await startCloudWatchLogsEmulator({
      logGroups: { 'aws-waf-logs-cli': toLogEvents(records) },
      pollsBeforeComplete: 0,
    });
    try {
      const client = new CloudWatchLogsClient({
        endpoint: emu.endpoint,
        region: 'us-east-1',
        credentials: testCredentials(),
      });
      const r = await run(
        ['run', 'blocked-by-rule', '--log-group', 'aws-waf-logs-cli', '--since', '1d', '--json'],
        {
          logsClient: client,
          now: () => 1_764_547_200_000 + 3_600_000,
        },
      );
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).rows).toEqual(
        evaluateQuestion(getQuestion('blocked-by-rule'), records).rows,
      );
    } finally {
      await emu.close();
    }
  });

  it('prints the Logs Insights query and exits 1 with the reason for a refused Contributor Insights rule', async () => {
    const q = await run(['logs-insights', 'top-labels']);
    expect(q.stdout).toContain('unnest js.labels into lbl');
    const ci = await run(['contributor-insights', 'top-labels', '--log-group', 'aws-waf-logs-x']);
    expect(ci.code).toBe(1);
    expect(ci.stdout).toMatch(/^refused: /);
  });

  it('prints the CaptchaOnRBR rule and exits 2 naming the flag for a bad immunity time', async () => {
    const ok = await run(['rule', 'captcha', '--json']);
    expect(JSON.parse(ok.stdout).Name).toBe('CaptchaOnRBR');
    const bad = await run(['rule', 'captcha', '--immunity', '10']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('immunityTime');
  });

  it('prints a dashboard and a template', async () => {
    const d = await run(['dashboard', '--web-acl', 'acl', '--log-group', 'aws-waf-logs-x', '--json']);
    expect(JSON.parse(d.stdout).widgets.length).toBeGreaterThan(20);
    const t = await run(['template', '--json']);
    expect(JSON.parse(t.stdout).AWSTemplateFormatVersion).toBe('2010-09-09');
  });

  it('never prints cookies, authorization headers or WAF tokens in run, recommend, report or drift output', async () => {
    const secret = createSentinel('cookie');
    const records = Array.from({ length: 300 }, (_, i) =>
      buildWafLogRecord({
        timestamp: 1_764_547_200_000 + i * 200,
        labels: [{ name: 'awswaf:managed:aws:bot-control:bot:category:http_library' }],
        httpRequest: {
          clientIp: `192.0.2.${i % 3}`,
          uri: '/login',
          headers: [
            { name: 'User-Agent', value: 'curl/8' },
            { name: 'Cookie', value: `aws-waf-token=${secret}` },
            { name: 'Authorization', value: `Bearer ${secret}` },
          ],
        },
      }),
    );
    const file = join(dir, 'secret.log');
    writeFileSync(file, `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const html = join(dir, 'r.html');
    const outputs = [];
    for (const id of ['top-user-agents', 'top-ips', 'top-labels', 'top-uris'])
      outputs.push(await run(['run', id, '--local', file, '--json']));
    outputs.push(await run(['recommend', '--local', file, '--uri-prefix', '/login']));
    outputs.push(await run(['report', '--local', file, '--html', html]));
    outputs.push(await run(['schema-drift', '--local', file]));
    for (const o of outputs) expect(o.code).toBe(0);
    assertNoSentinel(secret, ...outputs.map((o) => o.stdout + o.stderr), readFileSync(html, 'utf8'));
  });

  it('gives the same answer with --engine duckdb and with the Logs Insights dry run', async () => {
    const out = join(dir, 'engines');
    await run(['sample', '--records', '1500', '--out', out, '--seed', '5', '--malformed-every', '60']);
    const ts = JSON.parse((await run(['run', 'top-user-agents', '--local', out, '--json'])).stdout);
    const duck = await run(['run', 'top-user-agents', '--local', out, '--engine', 'duckdb', '--json']);
    expect(duck.code).toBe(0);
    expect(JSON.parse(duck.stdout).rows).toEqual(ts.rows);
    const dry = await run(['logs-insights', 'top-user-agents', '--local', out, '--json']);
    const parsed = JSON.parse(dry.stdout);
    expect(parsed.query).toContain('tolower(hdr.name) = "user-agent"');
    expect(parsed.rows).toEqual(ts.rows);
  });

  it('queries Athena with --athena and prints the DDL', async () => {
    const emu = await startAthenaEmulator({
      respond: () => ({
        columns: [
          { name: 'clientIp', type: 'varchar' },
          { name: 'requests', type: 'bigint' },
        ],
        rows: [['198.51.100.9', 3]],
      }),
    });
    try {
      const athenaClient = new AthenaClient({
        endpoint: emu.endpoint,
        region: 'us-east-1',
        credentials: testCredentials(),
      });
      const r = await run(
        [
          'run',
          'top-ips',
          '--athena',
          '--database',
          'security',
          '--output-location',
          's3://results/',
          '--since',
          '2h',
          '--json',
        ],
        {
          athenaClient,
          now: () => 1_764_547_200_000,
        },
      );
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).rows).toEqual([{ clientIp: '198.51.100.9', requests: 3 }]);
      expect(emu.queries[0]?.queryString).toContain('"timestamp" >= 1764540000000');
    } finally {
      await emu.close();
    }
    const ddl = await run([
      'athena-ddl',
      '--location',
      's3://aws-waf-logs-x/AWSLogs/111122223333/WAFLogs/us-east-1/acl/',
    ]);
    expect(ddl.stdout).toContain("'projection.log_time.type'='date'");
  });

  it('exits 2 when neither --local nor --log-group is given', async () => {
    const r = await run(['run', 'top-ips']);
    expect(r.code).toBe(2);
  });
});
