import { writeFileSync } from 'node:fs';
import type { AthenaClient } from '@aws-sdk/client-athena';
import { type CliIo, cliOutput, createCliProgram, ExitCode, usageError } from '@secblocks/core';
import { createAthenaRunner } from '@secblocks/query-runner';
import { QUESTIONS, type QuestionParams } from './catalog.js';
import { athenaTableDdl } from './ddl.js';
import { isMacieQueryError } from './errors.js';
import type { ArchiveMembers, QuestionFilters } from './filters.js';
import { buildHtmlReport } from './html-report.js';
import { createMacieQuery, type MacieQuery } from './macie-query.js';
import { formatBarChart, formatTable, toCsv, toJson } from './render.js';
import { writeSampleCorpus } from './sample-generator.js';
import { estimateScanBytes, syncResults } from './sync.js';

type Command = ReturnType<typeof createCliProgram>;

/** @internal Options of {@link buildProgram}. */
export interface ProgramOptions {
  version: string;
  io?: CliIo;
  /** Injected Athena client (tests). */
  athenaClient?: AthenaClient;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];
const LISTS = [
  'accounts',
  'regions',
  'jobIds',
  'buckets',
  'categories',
  'types',
  'statusCodes',
  'labels',
] as const;

/** @internal Parses repeated `--param key=value` flags into question parameters. */
export function parseParams(pairs: readonly string[]): QuestionParams {
  const filters: Record<string, unknown> = {};
  const params: QuestionParams = {};
  const labels: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usageError(`--param must be key=value, got ${JSON.stringify(pair.slice(0, 40))}`);
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (key === 'top') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw usageError('--param top must be a positive integer');
      params.top = n;
    } else if (key === 'labels') {
      params.labels = value.split(',').filter(Boolean);
    } else if (key === 'accountLabels') {
      for (const item of value.split(',').filter(Boolean)) {
        const [account, label] = item.split(':');
        if (!account || !label) throw usageError('--param accountLabels must be account:label,account:label');
        labels[account] = label;
      }
    } else if ((LISTS as readonly string[]).includes(key)) {
      filters[key] = value.split(',').filter(Boolean);
    } else if (key === 'since' || key === 'until') {
      filters[key] = value;
    } else if (key === 'archiveMembers') {
      filters.archiveMembers = value as ArchiveMembers;
    } else {
      throw usageError(
        `Unknown --param ${JSON.stringify(key.slice(0, 40))}; known: ${[...LISTS, 'since', 'until', 'archiveMembers', 'top', 'accountLabels'].join(', ')}`,
      );
    }
  }
  if (Object.keys(filters).length) params.filters = filters as QuestionFilters;
  if (Object.keys(labels).length) params.accountLabels = labels;
  return params;
}

interface EngineFlags {
  local?: string[];
  athena?: boolean;
  database?: string;
  workgroup?: string;
  outputLocation?: string;
  table?: string;
  projected?: boolean;
  maxScanBytes?: string;
  memoryLimit?: string;
}

function engineOptions(cmd: Command): Command {
  return cmd
    .option('--local <path>', 'result files: folder, glob or file (repeatable)', collect)
    .option('--athena', 'run on Amazon Athena (AWS credentials and Region from the environment)')
    .option('--database <name>', 'Athena database', 'default')
    .option('--workgroup <name>', 'Athena workgroup', 'primary')
    .option('--output-location <s3url>', 'Athena query result location')
    .option('--table <name>', 'Athena table', 'macie_results')
    .option('--projected', 'the Athena table uses partition projection (needs jobIds and accounts)')
    .option('--max-scan-bytes <n>', 'refuse Athena queries that scan more than this')
    .option(
      '--results-bucket <name>',
      'with --athena and --max-scan-bytes: estimate the scan from this bucket first',
    )
    .option(
      '--admin-account <id>',
      'with --results-bucket: administrator account prefix (repeatable)',
      collect,
    )
    .option('--memory-limit <size>', 'DuckDB memory limit', '2GB')
    .option(
      '--param <key=value>',
      'filter or parameter (repeatable), e.g. accounts=111122223333,since=2025-01-01',
      collect,
    );
}

function openEngine(flags: EngineFlags, athenaClient: AthenaClient | undefined): MacieQuery {
  if (flags.athena && flags.local?.length) throw usageError('Use either --local or --athena, not both');
  if (flags.athena) {
    const maxScanBytes = flags.maxScanBytes === undefined ? undefined : Number(flags.maxScanBytes);
    const runner = createAthenaRunner({
      ...(athenaClient ? { client: athenaClient } : {}),
      database: flags.database ?? 'default',
      workgroup: flags.workgroup ?? 'primary',
      ...(flags.outputLocation ? { outputLocation: flags.outputLocation } : {}),
      ...(maxScanBytes !== undefined ? { maxScanBytes } : {}),
    });
    return createMacieQuery({
      athena: {
        runner,
        table: { table: flags.table ?? 'macie_results', projected: flags.projected === true },
      },
    });
  }
  if (!flags.local?.length) throw usageError('Give --local <folder|glob> or --athena');
  return createMacieQuery({ local: flags.local, duckdb: { memoryLimit: flags.memoryLimit ?? '2GB' } });
}

// Bad input from the command line (a filter that is not an account ID, an unknown question, an empty
// folder) is a usage error: exit code 2 with the message, never a stack.
const USER_ERRORS = new Set([
  'INVALID_FILTER',
  'MISSING_PARAMETER',
  'UNKNOWN_QUESTION',
  'NO_RESULT_FILES',
  'INVALID_OPTION',
  'PROJECTION_FILTER_REQUIRED',
]);
const asUsage = async (fn: () => Promise<void>): Promise<void> => {
  try {
    await fn();
  } catch (error) {
    if (isMacieQueryError(error) && USER_ERRORS.has(error.code)) throw usageError(error.message);
    throw error;
  }
};

/** @internal Builds the `macie-query` program. */
export function buildProgram(options: ProgramOptions): Command {
  const program = createCliProgram({
    name: 'macie-query',
    version: options.version,
    description:
      'Ask questions of Amazon Macie sensitive data discovery results, locally on DuckDB or on Athena',
    ...(options.io ? { io: options.io } : {}),
  });

  program
    .command('ddl')
    .description('print the corrected Athena CREATE TABLE for discovery results')
    .requiredOption('--bucket <name>', 'the discovery results bucket')
    .option('--variant <plain|projected>', 'table variant', 'plain')
    .option('--admin-account <id>', 'administrator account (repeatable)', collect)
    .option('--results-region <region>', 'Region with results (repeatable)', collect)
    .option('--table <name>', 'table name')
    .option('--database <name>', 'database name')
    .action((flags, cmd: Command) => {
      const ddl = athenaTableDdl({
        bucket: flags.bucket,
        variant: flags.variant,
        ...(flags.adminAccount ? { adminAccounts: flags.adminAccount } : {}),
        ...(flags.resultsRegion ? { regions: flags.resultsRegion } : {}),
        ...(flags.table ? { table: flags.table } : {}),
        ...(flags.database ? { database: flags.database } : {}),
      });
      cliOutput(cmd).result({ ddl }, (d) => d.ddl);
    });

  program
    .command('questions')
    .description('list the question catalog')
    .action((_flags, cmd: Command) => {
      const list = QUESTIONS.map((q) => ({
        id: q.id,
        title: q.title,
        source: q.source,
        requires: [...q.requires],
      }));
      cliOutput(cmd).result(list, (l) =>
        l
          .map(
            (q) =>
              `${q.id.padEnd(36)} ${q.title}${q.requires.length ? ` (needs ${q.requires.join(', ')})` : ''}`,
          )
          .join('\n'),
      );
    });

  engineOptions(
    program
      .command('run')
      .description('answer one question')
      .argument('<question>', 'question ID (see `macie-query questions`)'),
  )
    .option('--format <table|json|csv|chart>', 'output format', 'table')
    .option('--sql', 'print the SQL and parameters instead of running')
    .option('--max-rows <n>', 'rows to keep', '100000')
    .option('--fail-on-rows', 'exit 1 when the answer has rows (e.g. for credentials in CI)')
    .action((question: string, flags, cmd: Command) =>
      asUsage(async () => {
        const out = cliOutput(cmd);
        const params = parseParams(flags.param ?? []);
        const format = out.json ? 'json' : flags.format;
        if (!['table', 'json', 'csv', 'chart'].includes(format))
          throw usageError('--format must be table, json, csv or chart');
        const mq = openEngine(flags, options.athenaClient);
        try {
          if (flags.sql) {
            const emitted = await mq.sql(question, params);
            out.result(emitted, (e) => `${e.sql}\n-- params: ${toJson(e.params)}`);
            return;
          }
          let estimatedScanBytes: number | undefined;
          if (flags.athena && flags.resultsBucket && flags.maxScanBytes) {
            estimatedScanBytes = await estimateScanBytes({
              bucket: flags.resultsBucket,
              ...(flags.adminAccount ? { adminAccounts: flags.adminAccount } : {}),
            });
            out.info(`estimated scan: ${estimatedScanBytes} bytes`);
          }
          const result = await mq.ask(question, params, {
            maxRows: Number(flags.maxRows),
            ...(estimatedScanBytes !== undefined ? { estimatedScanBytes } : {}),
          });
          for (const s of result.skippedFiles) out.warn(`left out ${s.file}: ${s.reason}`);
          if (result.truncated) out.warn(`only the first ${result.rows.length} rows are shown (--max-rows)`);
          if (result.statistics.dataScannedBytes !== undefined) {
            out.info(
              `scanned ${result.statistics.dataScannedBytes} bytes (≈ $${(result.statistics.costUsd ?? 0).toFixed(4)})`,
            );
          }
          if (format === 'json')
            out.result(
              JSON.parse(
                toJson({
                  id: result.id,
                  columns: result.columns,
                  rows: result.rows,
                  statistics: result.statistics,
                }),
              ),
            );
          else if (format === 'csv') out.result(result, (r) => toCsv(r.columns, r.rows).replace(/\r\n$/, ''));
          else if (format === 'chart') {
            const label = result.columns.find((c) => c.kind === 'string')?.name ?? '';
            const value = result.columns.find((c) => c.kind === 'number')?.name ?? '';
            out.result(result, (r) => formatBarChart(r.rows, label, value));
          } else out.result(result, (r) => `${r.title}\n\n${formatTable(r.columns, r.rows)}`);
          if (flags.failOnRows && result.rows.length > 0) out.setExitCode(ExitCode.FINDINGS);
        } finally {
          await mq.close();
        }
      }),
    );

  engineOptions(
    program.command('report').description('write the self-contained HTML report of the default questions'),
  )
    .requiredOption('--html <file>', 'where to write the report')
    .option('--title <text>', 'report title')
    .action((flags, cmd: Command) =>
      asUsage(async () => {
        const out = cliOutput(cmd);
        const mq = openEngine(flags, options.athenaClient);
        try {
          const { html, results } = await buildHtmlReport(
            mq,
            parseParams(flags.param ?? []),
            flags.title ? { title: flags.title } : {},
          );
          writeFileSync(flags.html, html);
          out.result(
            {
              file: flags.html,
              bytes: Buffer.byteLength(html),
              questions: results.map((r) => ({ id: r.id, rows: r.rows.length })),
            },
            (s) => `wrote ${s.file} (${s.bytes} bytes, ${s.questions.length} questions)`,
          );
        } finally {
          await mq.close();
        }
      }),
    );

  program
    .command('sample')
    .description('write a deterministic sample corpus of discovery results')
    .requiredOption('--records <n>', 'number of records')
    .requiredOption('--out <dir>', 'output folder')
    .option('--seed <n>', 'PRNG seed', '1')
    .option('--records-per-file <n>', 'records per .jsonl.gz file', '1000')
    .action((flags, cmd: Command) => {
      const records = Number(flags.records);
      const seed = Number(flags.seed);
      const perFile = Number(flags.recordsPerFile);
      if (!Number.isInteger(records) || records < 0)
        throw usageError('--records must be a non-negative integer');
      if (!Number.isInteger(seed)) throw usageError('--seed must be an integer');
      if (!Number.isInteger(perFile) || perFile < 1)
        throw usageError('--records-per-file must be a positive integer');
      const summary = writeSampleCorpus({ outDir: flags.out, records, seed, recordsPerFile: perFile });
      cliOutput(cmd).result(
        summary,
        (s) => `wrote ${s.records} records in ${s.files} files (${s.bytes} bytes) to ${flags.out}`,
      );
    });

  program
    .command('sync')
    .description('download new or changed result files from the results bucket into a local folder')
    .requiredOption('--bucket <name>', 'the discovery results bucket')
    .requiredOption('--to <dir>', 'local cache folder')
    .option('--admin-account <id>', 'administrator account (repeatable)', collect)
    .option('--results-region <region>', 'Region (repeatable)', collect)
    .option('--job-id <id>', 'job ID (repeatable)', collect)
    .option('--account <id>', 'bucket-owner account (repeatable)', collect)
    .option('--since <date>', 'only objects modified on or after this date')
    .option('--concurrency <n>', 'parallel downloads', '4')
    .action(async (flags, cmd: Command) => {
      const out = cliOutput(cmd);
      const progress = out.progress('sync');
      const summary = await syncResults({
        bucket: flags.bucket,
        to: flags.to,
        concurrency: Number(flags.concurrency),
        ...(flags.adminAccount ? { adminAccounts: flags.adminAccount } : {}),
        ...(flags.resultsRegion ? { regions: flags.resultsRegion } : {}),
        ...(flags.jobId ? { jobIds: flags.jobId } : {}),
        ...(flags.account ? { accounts: flags.account } : {}),
        ...(flags.since ? { since: flags.since } : {}),
        onProgress: () => progress.tick(),
      });
      progress.done();
      out.result(
        summary,
        (s) =>
          `${s.listed} result files: ${s.downloaded} downloaded (${s.bytes} bytes), ${s.unchanged} unchanged`,
      );
    });

  return program;
}
