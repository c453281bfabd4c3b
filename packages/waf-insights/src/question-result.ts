import type { Question } from './question.js';

/** A row of a question's answer: key columns as strings, the measure as a number. */
export type QuestionRow = Record<string, string | number>;

/** The answer to a question from any engine, in the question's defined order. */
export interface QuestionResult {
  /** The question's id. */
  questionId: string;
  /** Column names: the group keys then the measure. */
  columns: string[];
  /** Rows, sorted as the question defines (measure desc then keys asc, or keys asc for time series). */
  rows: QuestionRow[];
  /** True when an engine may have approximated (Logs Insights `count_distinct`, a row cap hit). */
  approximate?: boolean;
}

/** Compares strings by Unicode code point, the order SQL engines with binary collation use. */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0) as number;
    const cy = y.value.codePointAt(0) as number;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/**
 * Sorts and truncates rows the way the question defines, so results from every engine compare equal.
 *
 * @param question - The question.
 * @param rows - Unordered rows.
 * @returns A new, ordered, limited array.
 * @example
 * ```ts
 * const ordered = orderRows(getQuestion('top-ips'), rows);
 * ```
 */
export function orderRows(question: Question, rows: QuestionRow[]): QuestionRow[] {
  const keys = question.groupBy.map((g) => g.as);
  const m = question.measure.as;
  const byKeys = (a: QuestionRow, b: QuestionRow): number => {
    for (const k of keys) {
      const c = compareCodePoints(String(a[k]), String(b[k]));
      if (c !== 0) return c;
    }
    return 0;
  };
  const sorted = [...rows].sort(
    question.order === 'time' ? byKeys : (a, b) => (b[m] as number) - (a[m] as number) || byKeys(a, b),
  );
  return sorted.slice(0, question.limit);
}

/**
 * Normalizes rows from any engine (Logs Insights strings, DuckDB bigints, Athena strings) into a
 * {@link QuestionResult}: keys as strings, the measure as a number, the question's order applied.
 *
 * @param question - The question the rows answer.
 * @param rows - Raw rows keyed by column name.
 * @example
 * ```ts
 * const result = toQuestionResult(q, await runner.query(compileLogsInsights(q)));
 * ```
 */
export function toQuestionResult(
  question: Question,
  rows: ReadonlyArray<Record<string, unknown>>,
  approximate = false,
): QuestionResult {
  const m = question.measure.as;
  const out: QuestionRow[] = rows.map((r) => {
    const row: QuestionRow = {};
    for (const g of question.groupBy) {
      const v = r[g.as];
      row[g.as] = v === undefined || v === null ? '-' : String(v);
    }
    row[m] = Number(r[m] ?? 0);
    return row;
  });
  const result: QuestionResult = {
    questionId: question.id,
    columns: [...question.groupBy.map((g) => g.as), m],
    rows: orderRows(question, out),
  };
  if (approximate) result.approximate = true;
  return result;
}
