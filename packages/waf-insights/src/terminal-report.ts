import type { Question } from './question.js';
import type { QuestionResult } from './question-result.js';

const BAR_WIDTH = 24;

/**
 * Renders a result as a terminal table with a bar chart column (plain text, no colours).
 *
 * @param question - The question answered.
 * @param result - Its result.
 * @example
 * ```ts
 * process.stdout.write(formatTable(q, evaluateQuestion(q, records)));
 * ```
 */
export function formatTable(question: Question, result: QuestionResult): string {
  const m = question.measure.as;
  const keys = question.groupBy.map((g) => g.as);
  const max = Math.max(1, ...result.rows.map((r) => Number(r[m])));
  const clip = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);
  const header = [...keys, m, ''];
  const body = result.rows.map((r) => [
    ...keys.map((k) => clip(String(r[k]))),
    String(r[m]),
    '#'.repeat(Math.max(1, Math.round((Number(r[m]) / max) * BAR_WIDTH))),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === keys.length ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [
    `${question.title}`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    `${result.rows.length} row(s)`,
  ].join('\n');
}
