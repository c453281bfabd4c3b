import { type Logger, silentLogger } from '@secblocks/core';
import {
  type AthenaRunner,
  createDuckDbRunner,
  type DuckDbRunner,
  type DuckDbRunnerOptions,
  duckDbReadJson,
  isQueryRunnerError,
  type QueryRow,
  type QueryStatistics,
  type RunOptions,
} from '@secblocks/query-runner';
import { emitQuestion, getQuestion, type QuestionParams } from './catalog.js';
import { invalidOption } from './errors.js';
import { type ResolvedFiles, resolveResultFiles, type SkippedFile } from './local-files.js';
import { QuestionBuilder } from './question-builder.js';
import { duckDbColumns } from './schema.js';
import { findUnknownFields, type UnknownField } from './schema-drift.js';
import {
  type AthenaTableRef,
  type EmitTarget,
  type EmittedColumn,
  type EmittedSql,
  emitPlan,
  type QueryPlan,
} from './sql-plan.js';

/** Athena settings of {@link createMacieQuery}. */
export interface MacieAthenaOptions {
  /** A runner from `createAthenaRunner` (database, workgroup, scan budget). */
  runner: AthenaRunner;
  /** The results table (from {@link athenaTableDdl}). */
  table: AthenaTableRef;
}

/** Options of {@link createMacieQuery}: exactly one of `local` or `athena`. */
export interface MacieQueryOptions {
  /** Local result files: a folder (searched recursively), a glob, a file, or a list of them. */
  local?: string | readonly string[];
  /** A DuckDB runner to use for `local` (its owner closes it). @defaultValue one created from `duckdb` */
  duckDbRunner?: DuckDbRunner;
  /** Options for the DuckDB runner created for `local`. @defaultValue `{ memoryLimit: '2GB' }` */
  duckdb?: DuckDbRunnerOptions;
  /** Run on Athena instead. */
  athena?: MacieAthenaOptions;
  /** Diagnostics (question IDs, row counts, skipped files); never filter values. @defaultValue silent */
  logger?: Logger;
}

/** Options of one {@link MacieQuery.ask}. */
export interface AskOptions extends Pick<RunOptions, 'signal' | 'maxRows'> {
  /** For Athena: the caller's scan estimate, checked against the runner's `maxScanBytes` before starting. */
  estimatedScanBytes?: number;
}

/** The answer to one question. */
export interface QuestionResult<Row extends QueryRow = QueryRow> {
  /** Catalog ID, or `custom`. */
  id: string;
  /** Title. */
  title: string;
  /** Engine that answered. */
  engine: 'athena' | 'duckdb';
  /** Output columns. */
  columns: EmittedColumn[];
  /** Rows (numbers for counts and bytes). */
  rows: Row[];
  /** True when `maxRows` cut the rows. */
  truncated: boolean;
  /** Engine statistics (Athena: bytes scanned, cost, execution ID). */
  statistics: QueryStatistics;
  /** The SQL that ran. */
  sql: string;
  /** Local files left out of the run (empty, not gzip, or rejected by the engine). */
  skippedFiles: SkippedFile[];
}

/** What a question can be: a catalog ID, a builder, or a plan. */
// biome-ignore lint/suspicious/noExplicitAny: a builder of any dimensions and measures is accepted.
export type QuestionInput = string | QuestionBuilder<any, any> | QueryPlan;

/** Answers questions over Macie results; see {@link createMacieQuery}. */
export interface MacieQuery {
  /** `athena` or `duckdb`. */
  readonly engine: 'athena' | 'duckdb';
  /**
   * Runs a catalog question (by ID), a builder or a plan.
   *
   * @throws {@link MacieQueryError} for unknown questions, missing or invalid parameters, missing files;
   *   `QueryRunnerError` / `AthenaQueryError` from the engine.
   */
  ask<Row extends QueryRow = QueryRow>(
    question: QuestionInput,
    params?: QuestionParams,
    options?: AskOptions,
  ): Promise<QuestionResult<Row>>;
  /** The SQL and parameters a question would run, without running it. */
  sql(question: QuestionInput, params?: QuestionParams): Promise<EmittedSql>;
  /** Local files found (DuckDB only). */
  files(): Promise<ResolvedFiles>;
  /** Keys in the local files that the schema does not describe (DuckDB only); see {@link findUnknownFields}. */
  unknownFields(): Promise<UnknownField[]>;
  /** Closes the DuckDB runner it created. */
  close(): Promise<void>;
}

const isBuilder = (q: unknown): q is QuestionBuilder<never, never> => q instanceof QuestionBuilder;

class MacieQueryImpl implements MacieQuery {
  readonly engine: 'athena' | 'duckdb';
  readonly #options: MacieQueryOptions;
  readonly #logger: Logger;
  #duck: DuckDbRunner | undefined;
  readonly #ownsDuck: boolean;
  #resolved: ResolvedFiles | undefined;
  readonly #engineSkipped: SkippedFile[] = [];

  constructor(options: MacieQueryOptions) {
    this.#options = options;
    this.engine = options.athena ? 'athena' : 'duckdb';
    this.#logger = options.logger ?? silentLogger;
    this.#duck = options.duckDbRunner;
    this.#ownsDuck = options.duckDbRunner === undefined;
  }

  async files(): Promise<ResolvedFiles> {
    if (this.engine !== 'duckdb') throw invalidOption('local', 'local files (this instance runs on Athena)');
    this.#resolved ??= resolveResultFiles(this.#options.local as string | readonly string[]);
    const usable = this.#resolved.files.filter((f) => !this.#engineSkipped.some((s) => s.file === f));
    return { files: usable, skipped: [...this.#resolved.skipped, ...this.#engineSkipped] };
  }

  async #target(question?: QuestionInput): Promise<EmitTarget> {
    if (this.#options.athena) return { engine: 'athena', table: this.#options.athena.table };
    const { files } = await this.files();
    // Slim schema unless the question reads occurrence locations: parsing less JSON is faster, and paths and
    // column names stay unread. Malformed lines become all-NULL rows (counted by data-quality), not failures.
    const slim = !(typeof question === 'string' && getQuestion(question).readsOccurrences);
    return {
      engine: 'duckdb',
      source: duckDbReadJson(files, { columns: duckDbColumns({ slim }), ignoreErrors: true }),
    };
  }

  #emit(
    question: QuestionInput,
    params: QuestionParams,
    target: EmitTarget,
  ): { id: string; title: string; emitted: EmittedSql } {
    if (typeof question === 'string') {
      const q = getQuestion(question);
      return { id: q.id, title: q.title, emitted: emitQuestion(q.id, target, params) };
    }
    const plan = isBuilder(question) ? question.plan() : question;
    return { id: 'custom', title: 'Custom question', emitted: emitPlan(plan, target) };
  }

  async sql(question: QuestionInput, params: QuestionParams = {}): Promise<EmittedSql> {
    return this.#emit(question, params, await this.#target(question)).emitted;
  }

  async ask<Row extends QueryRow = QueryRow>(
    question: QuestionInput,
    params: QuestionParams = {},
    options: AskOptions = {},
  ): Promise<QuestionResult<Row>> {
    const runOptions: RunOptions = {};
    if (options.signal) runOptions.signal = options.signal;
    if (options.maxRows !== undefined) runOptions.maxRows = options.maxRows;
    for (let attempt = 0; ; attempt++) {
      const target = await this.#target(question);
      const { id, title, emitted } = this.#emit(question, params, target);
      try {
        const result = this.#options.athena
          ? await this.#options.athena.runner.run(emitted.sql, {
              ...runOptions,
              params: emitted.params,
              ...(options.estimatedScanBytes !== undefined
                ? { estimatedScanBytes: options.estimatedScanBytes }
                : {}),
            })
          : await this.#duckRunner().run(emitted.sql, { ...runOptions, params: emitted.params });
        const decorate = typeof question === 'string' ? getQuestion(question).decorate : undefined;
        const rows = (decorate ? result.rows.map(decorate) : result.rows) as Row[];
        this.#logger.debug('question answered', { id, engine: this.engine, rows: rows.length });
        return {
          id,
          title,
          engine: this.engine,
          columns: emitted.columns,
          rows,
          truncated: result.truncated,
          statistics: result.statistics,
          sql: emitted.sql,
          skippedFiles: this.engine === 'duckdb' ? (await this.files()).skipped : [],
        };
      } catch (error) {
        // A file DuckDB cannot read at all (a corrupt gzip stream) fails the whole scan: leave that file out,
        // report it, and try again, so one bad file never hides the answer for the others.
        const bad = attempt < 3 ? await this.#badFiles(error) : [];
        if (bad.length > 0) {
          for (const b of bad) {
            this.#engineSkipped.push(b);
            this.#logger.warn('result file left out', { file: b.file, reason: b.reason });
          }
          continue;
        }
        throw error;
      }
    }
  }

  async #badFiles(error: unknown): Promise<SkippedFile[]> {
    if (this.engine !== 'duckdb' || !isQueryRunnerError(error) || error.code !== 'ENGINE_FAILED') return [];
    if (!/IO Error|Invalid Input Error/.test(error.message)) return [];
    const { files } = await this.files();
    const duck = this.#duckRunner();
    const reasonOf = (e: unknown) =>
      (e instanceof Error ? e.message.replace(/^DuckDB failed: /, '') : 'unreadable').slice(0, 200);
    // DuckDB does not always name the file a gzip error came from: bisect with a cheap scan to find it.
    const probe = async (group: string[]): Promise<SkippedFile[]> => {
      try {
        await duck.run(
          `SELECT count(*) AS n FROM ${duckDbReadJson(group, { columns: { id: 'VARCHAR' }, ignoreErrors: true })}`,
        );
        return [];
      } catch (e) {
        if (group.length === 1)
          return [
            {
              file: group[0] as string,
              reason: reasonOf(e)
                .split(group[0] as string)
                .join('<file>'),
            },
          ];
        const mid = Math.ceil(group.length / 2);
        return [...(await probe(group.slice(0, mid))), ...(await probe(group.slice(mid)))];
      }
    };
    return probe(files);
  }

  async unknownFields(): Promise<UnknownField[]> {
    const { files } = await this.files();
    return findUnknownFields(files, this.#duckRunner());
  }

  #duckRunner(): DuckDbRunner {
    this.#duck ??= createDuckDbRunner({ memoryLimit: '2GB', ...this.#options.duckdb });
    return this.#duck;
  }

  async close(): Promise<void> {
    if (this.#ownsDuck && this.#duck) await this.#duck.close();
    this.#duck = undefined;
  }
}

/**
 * Creates a question runner over Macie discovery results: locally on DuckDB (`local`: a folder, glob or
 * files, read with the explicit schema and the fast SQL form), or on Athena (`athena`: a runner and the
 * table). The same catalog questions, builders and plans run on both and give the same rows.
 *
 * @param options - `local` or `athena`.
 * @returns The runner; `close()` it when done.
 * @throws {@link MacieQueryError} `INVALID_OPTION` when neither or both engines are configured.
 * @example
 * ```ts
 * const mq = createMacieQuery({ local: './macie-results' });
 * const top = await mq.ask('top-types', { top: 5 });
 * console.table(top.rows);
 * await mq.close();
 * ```
 */
export function createMacieQuery(options: MacieQueryOptions): MacieQuery {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'an object');
  const hasLocal = options.local !== undefined;
  const hasAthena = options.athena !== undefined;
  if (hasLocal === hasAthena) throw invalidOption('local', 'exactly one of local or athena');
  if (hasAthena) {
    const a = options.athena as MacieAthenaOptions;
    if (typeof a.runner?.run !== 'function' || a.runner.engine !== 'athena')
      throw invalidOption('athena.runner', 'an Athena runner');
    if (typeof a.table?.table !== 'string') throw invalidOption('athena.table', 'a table reference');
  }
  if (options.duckDbRunner !== undefined && options.duckDbRunner.engine !== 'duckdb') {
    throw invalidOption('duckDbRunner', 'a DuckDB runner');
  }
  return new MacieQueryImpl(options);
}
