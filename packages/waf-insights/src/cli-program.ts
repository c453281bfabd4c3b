import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { type CliIo, cliOutput, createCliProgram, ExitCode, usageError } from '@secblocks/core';
import { buildCloudFormationTemplate } from './cloudformation.js';
import { compileContributorInsightsRule } from './compile-contributor-insights.js';
import { compileLogsInsights } from './compile-logs-insights.js';
import { compileSql } from './compile-sql.js';
import { buildDashboardBody } from './dashboard.js';
import { renderHtmlReport } from './html-report.js';
import { expandLocalPaths, readWafLogFiles } from './local-files.js';
import { runLogsInsightsQuery } from './logs-insights-evaluator.js';
import { createLogsInsightsRunner } from './logs-insights-runner.js';
import { getQuestion, QUESTION_CATALOG } from './question.js';
import type { QuestionResult } from './question-result.js';
import { toQuestionResult } from './question-result.js';
import { evaluateQuestion } from './reference-evaluator.js';
import { captchaOnRbrRule } from './rule-builders.js';
import { recommendRateBasedRule } from './rule-recommender.js';
import { generateSampleLines } from './sample-generator.js';
import { detectSchemaDrift } from './schema.js';
import { athenaTableDdl } from './schema-ddl.js';
import { attachWafLogs, runQuestionSql } from './sql-question-runner.js';
import { formatTable } from './terminal-report.js';

const VERSION = '0.1.0';

/** The commander command type, without depending on commander directly. */
type Command = ReturnType<typeof createCliProgram>;

const positiveInt = (flag: string, v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw usageError(`${flag} must be a positive integer`);
  return n;
};

/**
 * Builds the `waf-insights` command-line program (exported for tests; `cli.ts` runs it).
 *
 * @param io - Output streams.
 * @internal
 */
export function buildProgram(
  io?: CliIo,
  deps: { logsClient?: CloudWatchLogsClient; athenaClient?: AthenaClient; now?: () => number } = {},
): Command {
  const now = deps.now ?? Date.now;
  const program = createCliProgram({
    name: 'waf-insights',
    version: VERSION,
    description:
      'Answer AWS WAF log questions with Logs Insights, Contributor Insights, Athena, DuckDB or local files',
    ...(io ? { io } : {}),
  });

  program
    .command('questions')
    .description('list the question catalog')
    .action((_o, cmd: Command) => {
      const out = cliOutput(cmd);
      const list = QUESTION_CATALOG.map((q) => ({
        id: q.id,
        title: q.title,
        contributorInsights: compileContributorInsightsRule(q, { logGroupNames: ['aws-waf-logs-x'] }).exact,
      }));
      out.result(list, (l) =>
        l
          .map(
            (q) =>
              `${q.id.padEnd(26)} ${q.title}${q.contributorInsights ? '' : '  (no exact Contributor Insights rule)'}`,
          )
          .join('\n'),
      );
    });

  program
    .command('logs-insights <question>')
    .description('print the Logs Insights query for a question, or dry-run it locally with --local')
    .option('--local <paths...>', 'run the query with the local Logs Insights evaluator over these files')
    .action(async (id: string, o: { local?: string[] }, cmd: Command) => {
      const question = getQuestion(id);
      const query = compileLogsInsights(question);
      const out = cliOutput(cmd);
      if (!o.local) {
        out.result({ question: id, query }, (r) => r.query);
        return;
      }
      const { records } = await readWafLogFiles(await expandLocalPaths(o.local));
      const local = runLogsInsightsQuery(
        query,
        records.map((r) => ({ message: r.message, timestamp: r.record.timestamp })),
      );
      const result = toQuestionResult(question, local.rows);
      out.result({ query, ...result }, (r) => `${query}\n\n${formatTable(question, r)}`);
    });

  program
    .command('sql <question>')
    .description('print the Athena or DuckDB SQL for a question')
    .option('--dialect <dialect>', 'athena or duckdb', 'athena')
    .option('--table <name>', 'table name', 'waf_logs')
    .action((id: string, o: { dialect: string; table: string }, cmd: Command) => {
      if (o.dialect !== 'athena' && o.dialect !== 'duckdb')
        throw usageError('--dialect must be athena or duckdb');
      const sql = compileSql(getQuestion(id), o.dialect, { table: o.table });
      cliOutput(cmd).result({ question: id, dialect: o.dialect, sql }, (r) => r.sql);
    });

  program
    .command('contributor-insights <question>')
    .description('print the Contributor Insights rule body, or why there is no exact one')
    .requiredOption('--log-group <name>', 'WAF log group (aws-waf-logs-...)')
    .action((id: string, o: { logGroup: string }, cmd: Command) => {
      const r = compileContributorInsightsRule(getQuestion(id), { logGroupNames: [o.logGroup] });
      const out = cliOutput(cmd);
      out.result(r, (x) => (x.exact ? JSON.stringify(x.body, null, 2) : `refused: ${x.reason}`));
      if (!r.exact) out.setExitCode(ExitCode.FINDINGS);
    });

  program
    .command('run <question>')
    .description(
      'answer a question from local files (--local), CloudWatch Logs (--log-group) or Athena (--athena)',
    )
    .option('--local <paths...>', 'files, directories or dir/*.gz patterns (plain or gzip NDJSON)')
    .option('--engine <engine>', 'with --local: ts (built in) or duckdb (needs @duckdb/node-api)', 'ts')
    .option('--log-group <names...>', 'WAF log groups (aws-waf-logs-...) to query with Logs Insights')
    .option('--athena', 'query the Athena table (see --database, --table, --workgroup, --output-location)')
    .option('--database <name>', 'with --athena: Glue database')
    .option('--table <name>', 'with --athena: table', 'waf_logs')
    .option('--workgroup <name>', 'with --athena: workgroup')
    .option('--output-location <s3>', 'with --athena: query result location')
    .option('--since <duration>', 'with --log-group or --athena: how far back, e.g. 15m, 6h, 7d', '1h')
    .option('--region <region>', 'with --log-group or --athena: AWS Region (default from the environment)')
    .option('--limit <n>', 'rows to show')
    .action(
      async (
        id: string,
        o: {
          local?: string[];
          engine: string;
          logGroup?: string[];
          athena?: boolean;
          database?: string;
          table: string;
          workgroup?: string;
          outputLocation?: string;
          since: string;
          region?: string;
          limit?: string;
        },
        cmd: Command,
      ) => {
        const q = getQuestion(id);
        const question = o.limit ? { ...q, limit: positiveInt('--limit', o.limit) } : q;
        const out = cliOutput(cmd);
        if ((o.local ? 1 : 0) + (o.logGroup ? 1 : 0) + (o.athena ? 1 : 0) !== 1)
          throw usageError('give exactly one of --local, --log-group or --athena');
        const region = o.region ? { region: o.region } : {};
        if (o.logGroup) {
          const since = parseDuration(o.since);
          const runner = createLogsInsightsRunner({
            logGroupNames: o.logGroup,
            ...(deps.logsClient ? { client: deps.logsClient } : { clientConfig: region }),
          });
          const end = now();
          const result = await runner.runQuestion(question, { start: end - since, end });
          if (result.approximate)
            out.warn('result is approximate (distinct counts or a slice at the 10,000-row cap)');
          out.result(
            result,
            (r) =>
              `${formatTable(question, r)}\n${r.queries} quer${r.queries === 1 ? 'y' : 'ies'}, ${r.bytesScanned} bytes scanned`,
          );
          return;
        }
        if (o.athena) {
          if (!o.database) throw usageError('--athena needs --database');
          const since = parseDuration(o.since);
          // Loaded on demand: @secblocks/query-runner pulls in the Athena SDK (an optional peer).
          const { createAthenaRunner } = await import('@secblocks/query-runner');
          const athena = createAthenaRunner({
            database: o.database,
            ...(deps.athenaClient ? { client: deps.athenaClient } : { clientConfig: region }),
            ...(o.workgroup ? { workgroup: o.workgroup } : {}),
            ...(o.outputLocation ? { outputLocation: o.outputLocation } : {}),
          });
          const end = now();
          try {
            const result = await runQuestionSql(athena, question, {
              table: o.table,
              timeRange: { start: end - since, end },
            });
            out.result(
              result,
              (r) => `${formatTable(question, r)}\n${r.statistics.dataScannedBytes ?? 0} bytes scanned`,
            );
          } finally {
            await athena.close();
          }
          return;
        }
        const files = await expandLocalPaths(o.local as string[]);
        if (o.engine === 'duckdb') {
          const { createDuckDbRunner } = await import('@secblocks/query-runner');
          const duck = createDuckDbRunner();
          try {
            await attachWafLogs(duck, files);
            const result = await runQuestionSql(duck, question);
            out.result(result, (r) => formatTable(question, r));
          } finally {
            await duck.close();
          }
          return;
        }
        if (o.engine !== 'ts') throw usageError('--engine must be ts or duckdb');
        const { records, stats } = await readWafLogFiles(files);
        const result = evaluateQuestion(
          question,
          records.map((r) => r.record),
        );
        const skipped = Object.values(stats.skipped).reduce((a, b) => a + b, 0);
        if (skipped > 0) out.warn(`skipped ${skipped} malformed line(s): ${JSON.stringify(stats.skipped)}`);
        out.result({ ...result, stats }, (r: QuestionResult) => formatTable(question, r));
      },
    );

  program
    .command('athena-ddl')
    .description('print the Athena CREATE TABLE (partition projection) for WAF logs in S3')
    .requiredOption('--location <s3>', 's3://bucket/AWSLogs/<account>/WAFLogs/<region>/<web-acl>/')
    .option('--table <name>', 'table name', 'waf_logs')
    .action((o: { location: string; table: string }, cmd: Command) => {
      const ddl = athenaTableDdl({ location: o.location, table: o.table });
      cliOutput(cmd).result({ ddl }, (r) => r.ddl);
    });

  program
    .command('schema-drift')
    .description('report fields seen in local logs but absent from the schema')
    .requiredOption('--local <paths...>', 'files, directories or dir/*.gz patterns')
    .action(async (o: { local: string[] }, cmd: Command) => {
      const { records } = await readWafLogFiles(await expandLocalPaths(o.local));
      const drift = detectSchemaDrift(records.map((r) => JSON.parse(r.message) as unknown));
      const out = cliOutput(cmd);
      out.result(drift, (d) =>
        d.unknownFields.length === 0
          ? `no drift (schema ${d.schemaVersion}, ${d.records} records)`
          : d.unknownFields.map((f) => `${f.path}  (${f.records} records)`).join('\n'),
      );
      if (drift.unknownFields.length > 0) out.setExitCode(ExitCode.FINDINGS);
    });

  program
    .command('sample')
    .description('write deterministic sample WAF logs (gzip NDJSON, with malformed lines)')
    .requiredOption('--records <n>', 'number of records')
    .requiredOption('--out <dir>', 'output directory')
    .option('--seed <n>', 'PRNG seed', '42')
    .option('--files <n>', 'number of files', '1')
    .option('--malformed-every <n>', 'insert a malformed line every n records (0 = none)', '500')
    .action(
      async (
        o: { records: string; out: string; seed: string; files: string; malformedEvery: string },
        cmd: Command,
      ) => {
        const records = positiveInt('--records', o.records);
        const files = positiveInt('--files', o.files);
        const seed = Number(o.seed);
        if (!Number.isInteger(seed)) throw usageError('--seed must be an integer');
        const malformedEvery = Number(o.malformedEvery);
        if (!Number.isInteger(malformedEvery) || malformedEvery < 0)
          throw usageError('--malformed-every must be >= 0');
        await mkdir(o.out, { recursive: true });
        const lines = records + (malformedEvery > 0 ? Math.floor(records / malformedEvery) : 0);
        const perFile = Math.ceil(lines / files);
        const written: string[] = [];
        let buf: Buffer[] = [];
        let n = 0;
        let file = 0;
        const flush = async (): Promise<void> => {
          const path = join(o.out, `waflogs_sample_${String(file++).padStart(4, '0')}.log.gz`);
          await writeFile(path, gzipSync(Buffer.concat(buf)));
          written.push(path);
          buf = [];
        };
        for (const line of generateSampleLines({ records, seed, malformedEvery })) {
          buf.push(Buffer.from(line), Buffer.from('\n'));
          if (++n % perFile === 0) await flush();
        }
        if (buf.length > 0) await flush();
        cliOutput(cmd).result(
          { files: written, records },
          (r) => `wrote ${r.records} records to ${r.files.length} file(s) in ${o.out}`,
        );
      },
    );

  program
    .command('dashboard')
    .description('print a CloudWatch dashboard body (JSON for PutDashboard)')
    .requiredOption('--web-acl <name>', 'web ACL name')
    .requiredOption('--log-group <name>', 'WAF log group (aws-waf-logs-...)')
    .option('--region <region>', 'web ACL Region', 'us-east-1')
    .option('--cloudfront', 'CloudFront web ACL (no Region dimension)')
    .action((o: { webAcl: string; logGroup: string; region: string; cloudfront?: boolean }, cmd: Command) => {
      const body = buildDashboardBody({
        webAclName: o.webAcl,
        logGroupName: o.logGroup,
        region: o.region,
        scope: o.cloudfront ? 'CLOUDFRONT' : 'REGIONAL',
      });
      cliOutput(cmd).result(body, (b) => JSON.stringify(b, null, 2));
    });

  program
    .command('template')
    .description('print the CloudFormation template (dashboard, Contributor Insights rules, saved queries)')
    .option('--cloudfront', 'CloudFront web ACL (no Region dimension)')
    .action((o: { cloudfront?: boolean }, cmd: Command) => {
      const t = buildCloudFormationTemplate({ scope: o.cloudfront ? 'CLOUDFRONT' : 'REGIONAL' });
      cliOutput(cmd).result(t, (x) => JSON.stringify(x, null, 2));
    });

  const rule = program.command('rule').description('build WAFv2 rule JSON');
  rule
    .command('captcha')
    .description('rate-based CAPTCHA rule (the CaptchaOnRBR rule of the AWS CAPTCHA post)')
    .option('--limit <n>', 'requests per IP per 5 minutes', '100')
    .option('--immunity <seconds>', 'CAPTCHA immunity time (60-259200)', '300')
    .option('--uri-contains <text>', 'scope-down: URI path contains', '/store')
    .option('--name <name>', 'rule name', 'CaptchaOnRBR')
    .action((o: { limit: string; immunity: string; uriContains: string; name: string }, cmd: Command) => {
      const r = captchaOnRbrRule({
        limit: Number(o.limit),
        immunityTime: Number(o.immunity),
        uriContains: o.uriContains,
        name: o.name,
      });
      cliOutput(cmd).result(r, (x) => JSON.stringify(x, null, 2));
    });

  program
    .command('recommend')
    .description('propose a rate-based rule from local logs and replay it')
    .requiredOption('--local <paths...>', 'files, directories or dir/*.gz patterns')
    .option('--uri-prefix <prefix>', 'only consider URIs starting with this prefix')
    .option('--action <action>', 'COUNT, CAPTCHA, CHALLENGE or BLOCK', 'CAPTCHA')
    .option('--window <seconds>', 'evaluation window (60, 120, 300, 600)', '300')
    .action(
      async (o: { local: string[]; uriPrefix?: string; action: string; window: string }, cmd: Command) => {
        const { records } = await readWafLogFiles(await expandLocalPaths(o.local));
        const action = o.action.toUpperCase();
        if (!['COUNT', 'CAPTCHA', 'CHALLENGE', 'BLOCK'].includes(action))
          throw usageError('--action must be COUNT, CAPTCHA, CHALLENGE or BLOCK');
        const rec = recommendRateBasedRule(
          records.map((r) => r.record),
          {
            action: action as 'COUNT',
            evaluationWindowSec: Number(o.window),
            ...(o.uriPrefix !== undefined ? { uriPrefix: o.uriPrefix } : {}),
          },
        );
        cliOutput(cmd).result(rec, (r) =>
          [
            JSON.stringify(r.rule, null, 2),
            `per-IP requests per ${o.window}s window: p50 ${r.statistics.p50}, p95 ${r.statistics.p95}, p99 ${r.statistics.p99}, max ${r.statistics.max}`,
            `replay: ${r.replay.requests} request(s) from ${r.replay.keys.length} IP(s) would be acted on (${r.replay.previouslyAllowed} were allowed)`,
            ...r.replay.keys.slice(0, 10).map((k) => `  ${k.key}  ${k.requests}`),
          ].join('\n'),
        );
      },
    );

  program
    .command('report')
    .description('write a self-contained HTML report (inline SVG, works offline) from local logs')
    .requiredOption('--local <paths...>', 'files, directories or dir/*.gz patterns')
    .requiredOption('--html <file>', 'output file')
    .action(async (o: { local: string[]; html: string }, cmd: Command) => {
      const files = await expandLocalPaths(o.local);
      const { records, stats } = await readWafLogFiles(files);
      const plain = records.map((r) => r.record);
      const sections = QUESTION_CATALOG.map((question) => ({
        question,
        result: evaluateQuestion(question, plain),
      }));
      const skipped = Object.values(stats.skipped).reduce((a, b) => a + b, 0);
      await writeFile(
        o.html,
        renderHtmlReport(sections, {
          subtitle: `${stats.records} records from ${files.length} file(s); ${skipped} malformed line(s) skipped`,
        }),
      );
      cliOutput(cmd).result(
        { html: o.html, records: stats.records, skipped, sections: sections.length },
        (r) => `wrote ${r.html} (${r.sections} sections, ${r.records} records)`,
      );
    });

  return program;
}

/** Parses `90s`, `15m`, `6h`, `7d` into milliseconds. */
function parseDuration(text: string): number {
  const m = /^(\d+)([smhd])$/.exec(text);
  if (!m) throw usageError('--since must look like 15m, 6h or 7d');
  const n = Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's'];
  if (n < 60_000 || n > 90 * 86_400_000) throw usageError('--since must be between 1m and 90d');
  return n;
}
