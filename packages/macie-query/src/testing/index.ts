import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createDuckDbRunner,
  type DuckDbRunner,
  duckDbReadJson,
  type QueryParam,
} from '@secblocks/query-runner';
import type { ReceivedQuery, ScriptedQuery, ScriptedValue } from '@secblocks/query-runner/testing';
import { resolveResultFiles } from '../local-files.js';
import { type SampleCorpusSummary, writeSampleCorpus } from '../sample-generator.js';
import { duckDbColumns } from '../schema.js';

/** A generated corpus on disk; see {@link createSampleCorpus}. */
export interface SampleCorpus {
  /** The folder holding `AWSLogs/...`. */
  dir: string;
  /** The `.jsonl.gz` files written, sorted. */
  files: string[];
  /** Counts written. */
  summary: SampleCorpusSummary;
  /** Deletes the folder. */
  cleanup(): void;
}

/** Options of {@link createSampleCorpus}. */
export interface SampleCorpusOptions {
  /** @defaultValue `500` */
  records?: number;
  /** @defaultValue `1` */
  seed?: number;
  /** @defaultValue `100` */
  recordsPerFile?: number;
  /** Parent folder. @defaultValue the OS temp folder */
  parent?: string;
}

/**
 * Writes a deterministic sample corpus (every category, custom identifiers, SKIPPED/PARTIAL with all 21
 * reasons, archives, counts above 2^31) into a fresh temporary folder, for tests of code that runs questions.
 *
 * @param options - Size and seed.
 * @returns The folder, its files and a cleanup function.
 * @example
 * ```ts
 * const corpus = createSampleCorpus({ records: 200 });
 * const mq = createMacieQuery({ local: corpus.dir });
 * // …
 * corpus.cleanup();
 * ```
 */
export function createSampleCorpus(options: SampleCorpusOptions = {}): SampleCorpus {
  const dir = mkdtempSync(join(options.parent ?? tmpdir(), 'macie-sample-'));
  const summary = writeSampleCorpus({
    outDir: dir,
    records: options.records ?? 500,
    seed: options.seed ?? 1,
    recordsPerFile: options.recordsPerFile ?? 100,
  });
  return {
    dir,
    files: resolveResultFiles(dir).files,
    summary,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Reads one Athena `ExecutionParameters` literal back into a value (the inverse of query-runner's
 * `formatAthenaParameter`): `'text'` with doubled quotes, integers, `DOUBLE '1.5'`, `true`/`false`, `NULL`.
 *
 * @param literal - One element of `ExecutionParameters`.
 * @returns The value.
 * @example
 * ```ts
 * parseAthenaParameter("'O''Brien'"); // "O'Brien"
 * ```
 */
export function parseAthenaParameter(literal: string): QueryParam {
  if (literal === 'NULL') return null;
  if (literal === 'true' || literal === 'false') return literal === 'true';
  if (/^'.*'$/s.test(literal)) return literal.slice(1, -1).replace(/''/g, "'");
  const double = /^DOUBLE '(.*)'$/.exec(literal);
  if (double) return Number(double[1]);
  if (/^-?\d+$/.test(literal)) {
    const n = Number(literal);
    return Number.isSafeInteger(n) ? n : BigInt(literal);
  }
  throw new Error(`Unsupported ExecutionParameters literal: ${literal.slice(0, 40)}`);
}

const ATHENA_TYPE: Record<string, string> = {
  bigint: 'bigint',
  hugeint: 'bigint',
  integer: 'integer',
  double: 'double',
  varchar: 'varchar',
  boolean: 'boolean',
};

/** A responder for query-runner's `startAthenaEmulator`; see {@link duckDbAthenaResponder}. */
export interface DuckDbAthenaResponder {
  /** Pass as `startAthenaEmulator({ respond })`. */
  respond(query: ReceivedQuery): Promise<ScriptedQuery>;
  /** Closes the DuckDB runner. */
  close(): Promise<void>;
}

/**
 * Makes the Athena emulator of `@secblocks/query-runner/testing` answer queries for real: each received
 * Athena SQL runs on DuckDB (where the dialects overlap) over local result files exposed as a view named
 * like the Athena table, with `ExecutionParameters` bound. Test code that runs Athena questions end to end,
 * over HTTP with the real `AthenaClient`, without AWS.
 *
 * @param options - Result files and the table name the SQL uses.
 * @returns The responder.
 * @example
 * ```ts
 * const corpus = createSampleCorpus();
 * const responder = duckDbAthenaResponder({ files: corpus.files });
 * const emu = await startAthenaEmulator({ respond: responder.respond });
 * ```
 */
export function duckDbAthenaResponder(options: {
  files: readonly string[];
  table?: string;
  runner?: DuckDbRunner;
}): DuckDbAthenaResponder {
  const duck = options.runner ?? createDuckDbRunner({ memoryLimit: '1GB' });
  const table = options.table ?? 'macie_results';
  let ready: Promise<unknown> | undefined;
  return {
    async respond(query) {
      ready ??= duck.run(
        `CREATE OR REPLACE VIEW "${table.replace(/"/g, '')}" AS SELECT * FROM ${duckDbReadJson(options.files, { columns: duckDbColumns(), ignoreErrors: true })}`,
      );
      await ready;
      try {
        const result = await duck.run(query.queryString, {
          params: query.executionParameters.map(parseAthenaParameter),
          maxRows: 1_000_000,
        });
        return {
          columns: result.columns.map((c) => ({ name: c.name, type: ATHENA_TYPE[c.type] ?? 'varchar' })),
          rows: result.rows.map((r) => result.columns.map((c) => r[c.name] as ScriptedValue)),
          dataScannedBytes: 10 * 1024 * 1024,
        };
      } catch (error) {
        return {
          final: 'FAILED',
          reason: `SYNTAX_ERROR: ${(error as Error).message.slice(0, 200)}`,
          error: { category: 2 },
        };
      }
    },
    close: () => (options.runner ? Promise.resolve() : duck.close()),
  };
}

export { type S3ResultsEmulator, startS3ResultsEmulator } from './s3-results-emulator.js';
