import { QueryRunnerError, QueryRunnerErrorCode } from './errors.js';
import type { QueryParam } from './query-result.js';

/**
 * Counts the `?` placeholders in `sql`, ignoring those inside string literals (`'…'` with `''` escapes),
 * quoted identifiers (`"…"`), and `--` / `/* *\/` comments. Both runners check it against the number of
 * parameters before sending anything, so a missing or extra value never reaches the engine.
 *
 * @param sql - The statement.
 * @returns The number of positional placeholders.
 * @example
 * ```ts
 * countPlaceholders("SELECT * FROM t WHERE a = ? AND b = '?'"); // 1
 * ```
 */
export function countPlaceholders(sql: string): number {
  let count = 0;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      i++;
      while (i < n) {
        if (sql[i] === c) {
          if (sql[i + 1] === c) {
            i += 2;
            continue;
          }
          break;
        }
        i++;
      }
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else {
      if (c === '?') count++;
      i++;
    }
  }
  return count;
}

/** @internal */
export function checkParams(sql: string, params: readonly QueryParam[]): void {
  const expected = countPlaceholders(sql);
  if (expected !== params.length) {
    throw new QueryRunnerError(
      QueryRunnerErrorCode.INVALID_PARAMETER,
      `The SQL has ${expected} placeholder(s) but ${params.length} parameter(s) were given`,
    );
  }
  params.forEach((p, i) => {
    validateParam(p, i);
  });
}

function validateParam(p: QueryParam, index: number): void {
  const bad = (what: string) =>
    new QueryRunnerError(QueryRunnerErrorCode.INVALID_PARAMETER, `Parameter #${index + 1} ${what}`);
  if (p === null || typeof p === 'boolean' || typeof p === 'bigint') return;
  if (typeof p === 'number') {
    if (!Number.isFinite(p)) throw bad('is not a finite number');
    return;
  }
  if (typeof p === 'string') {
    // A NUL byte cannot be represented in Athena's parameter text and truncates C strings.
    if (p.includes('\u0000')) throw bad('contains a NUL character');
    return;
  }
  throw bad(`has unsupported type ${typeof p}`);
}

/**
 * Formats a parameter as the SQL literal text Athena expects in `ExecutionParameters`: strings are
 * single-quoted with `'` doubled, numbers and bigints are decimal text, booleans `true`/`false`, null
 * `NULL`. Athena substitutes the literal as a value, so a quote inside a string stays data.
 *
 * @param param - The value.
 * @param index - Its 0-based position, for the error message.
 * @returns The literal text.
 * @throws {@link QueryRunnerError} `INVALID_PARAMETER` for non-finite numbers, NUL characters or other types.
 * @see https://docs.aws.amazon.com/athena/latest/ug/querying-with-prepared-statements.html
 * @example
 * ```ts
 * formatAthenaParameter("O'Brien"); // "'O''Brien'"
 * ```
 */
export function formatAthenaParameter(param: QueryParam, index = 0): string {
  validateParam(param, index);
  if (param === null) return 'NULL';
  if (typeof param === 'string') return `'${param.replace(/'/g, "''")}'`;
  if (typeof param === 'boolean') return param ? 'true' : 'false';
  if (typeof param === 'bigint') return param.toString();
  // Integers print without exponent up to 1e21; larger or fractional values use a DOUBLE literal.
  if (Number.isInteger(param) && Math.abs(param) < 1e21) return param.toFixed(0);
  return `DOUBLE '${String(param)}'`;
}
