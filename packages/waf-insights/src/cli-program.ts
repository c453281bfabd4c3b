import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type CliIo, cliOutput, createCliProgram, ExitCode, usageError } from '@secblocks/core';
import { compileContributorInsightsRule } from './compile-contributor-insights.js';
import { compileLogsInsights } from './compile-logs-insights.js';
import { compileSql } from './compile-sql.js';
import { expandLocalPaths, readWafLogFiles } from './local-files.js';
import { getQuestion, QUESTION_CATALOG } from './question.js';
import type { QuestionResult } from './question-result.js';
import { evaluateQuestion } from './reference-evaluator.js';
import { generateSampleLines } from './sample-generator.js';
import { detectSchemaDrift } from './schema.js';
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
export function buildProgram(io?: CliIo): Command {
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
    .description('print the CloudWatch Logs Insights query for a question')
    .action((id: string, _o, cmd: Command) => {
      const query = compileLogsInsights(getQuestion(id));
      cliOutput(cmd).result({ question: id, query }, (r) => r.query);
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
    .description('answer a question from local log files (plain or .gz NDJSON)')
    .requiredOption('--local <paths...>', 'files, directories or dir/*.gz patterns')
    .option('--limit <n>', 'rows to show')
    .action(async (id: string, o: { local: string[]; limit?: string }, cmd: Command) => {
      const q = getQuestion(id);
      const question = o.limit ? { ...q, limit: positiveInt('--limit', o.limit) } : q;
      const { records, stats } = await readWafLogFiles(await expandLocalPaths(o.local));
      const result = evaluateQuestion(
        question,
        records.map((r) => r.record),
      );
      const out = cliOutput(cmd);
      const skipped = Object.values(stats.skipped).reduce((a, b) => a + b, 0);
      if (skipped > 0) out.warn(`skipped ${skipped} malformed line(s): ${JSON.stringify(stats.skipped)}`);
      out.result({ ...result, stats }, (r: QuestionResult) => formatTable(question, r));
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
        const perFile = Math.ceil(records / files);
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

  return program;
}
