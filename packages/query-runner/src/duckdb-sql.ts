import { invalidOption } from './errors.js';

/**
 * Quotes a string as a DuckDB (and Trino) SQL string literal: wrapped in `'`, with every `'` doubled.
 * Use it only for values that cannot be bound as parameters, such as file paths inside `read_json(...)`.
 *
 * @param value - Any string without NUL characters.
 * @returns The literal, e.g. `'it''s'`.
 * @throws {@link QueryRunnerError} `INVALID_OPTION` when the string contains a NUL character.
 * @example
 * ```ts
 * duckDbStringLiteral("/data/o'brien.jsonl.gz"); // "'/data/o''brien.jsonl.gz'"
 * ```
 */
export function duckDbStringLiteral(value: string): string {
  if (typeof value !== 'string' || value.includes('\u0000'))
    throw invalidOption('value', 'a string without NUL');
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Quotes an identifier for DuckDB and Trino: wrapped in `"`, with every `"` doubled.
 *
 * @param name - The identifier.
 * @returns The quoted identifier.
 * @throws {@link QueryRunnerError} `INVALID_OPTION` when empty or containing NUL.
 * @example
 * ```ts
 * quoteIdentifier('count'); // '"count"'
 * ```
 */
export function quoteIdentifier(name: string): string {
  if (typeof name !== 'string' || name === '' || name.includes('\u0000')) {
    throw invalidOption('identifier', 'a non-empty string without NUL');
  }
  return `"${name.replace(/"/g, '""')}"`;
}

/** Options of {@link duckDbReadJson}. */
export interface DuckDbReadJsonOptions {
  /**
   * The explicit schema: top-level key → DuckDB type (e.g. `VARCHAR`, `BIGINT`, `STRUCT("code" VARCHAR)[]`).
   * Always pass one for data whose keys vary between records: auto-detection drops keys that no sampled
   * record contains, and types numeric strings as VARCHAR.
   */
  columns: Readonly<Record<string, string>>;
  /** @defaultValue `'newline_delimited'` */
  format?: 'newline_delimited' | 'array' | 'auto';
  /** Adds a `filename` column with each row's source file. @defaultValue `false` */
  filename?: boolean;
  /**
   * Skip malformed lines instead of failing the query. @defaultValue `false`
   */
  ignoreErrors?: boolean;
  /** Largest JSON object in bytes. @defaultValue `67108864` (64 MiB; DuckDB's own default is 16 MiB) */
  maximumObjectSize?: number;
}

// A DuckDB type expression: names, nested STRUCT/MAP/LIST/DECIMAL, quoted field names; no literals,
// statement separators or comments, so a type can never close the surrounding call.
const TYPE = /^(?:[A-Za-z0-9_ ,()[\]]|"(?:[A-Za-z0-9_ .$-]|"")*")+$/;

/**
 * Builds a `read_json(...)` table-function call over local files with an explicit schema. File paths and
 * column names are emitted as escaped string literals; types are checked against a strict grammar.
 *
 * @param files - One path or glob, or a list of them.
 * @param options - Schema and reader options.
 * @returns SQL text to use in a `FROM` clause.
 * @throws {@link QueryRunnerError} `INVALID_OPTION` naming a bad file list, column name or type.
 * @example
 * ```ts
 * const from = duckDbReadJson(['a.jsonl.gz'], { columns: { accountId: 'VARCHAR', size: 'BIGINT' } });
 * await duck.run(`SELECT count(*) AS n FROM ${from}`);
 * ```
 */
export function duckDbReadJson(files: string | readonly string[], options: DuckDbReadJsonOptions): string {
  const list = typeof files === 'string' ? [files] : [...files];
  if (list.length === 0 || list.some((f) => typeof f !== 'string' || f === '')) {
    throw invalidOption('files', 'one or more non-empty paths');
  }
  const entries = Object.entries(options.columns ?? {});
  if (entries.length === 0) throw invalidOption('columns', 'at least one column');
  for (const [name, type] of entries) {
    if (typeof type !== 'string' || !TYPE.test(type)) throw invalidOption(`columns.${name}`, 'a DuckDB type');
  }
  const max = options.maximumObjectSize ?? 64 * 1024 * 1024;
  if (!Number.isInteger(max) || max <= 0) throw invalidOption('maximumObjectSize', 'a positive integer');
  const columns = entries.map(([n, t]) => `${duckDbStringLiteral(n)}: ${duckDbStringLiteral(t)}`).join(', ');
  const args = [
    `[${list.map(duckDbStringLiteral).join(', ')}]`,
    `columns = {${columns}}`,
    `format = ${duckDbStringLiteral(options.format ?? 'newline_delimited')}`,
    `maximum_object_size = ${max}`,
  ];
  if (options.filename) args.push('filename = true');
  if (options.ignoreErrors) args.push('ignore_errors = true');
  return `read_json(${args.join(', ')})`;
}
