import type { QueryRow, QueryValue } from '@secblocks/query-runner';
import type { EmittedColumn } from './sql-plan.js';

const text = (v: QueryValue | undefined): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  return String(v);
};

/**
 * Renders rows as an aligned plain-text table (no colour, so it is safe to pipe); numbers are right-aligned.
 *
 * @param columns - Output columns.
 * @param rows - Rows.
 * @returns The table, one line per row after a header and a rule.
 * @example
 * ```ts
 * console.log(formatTable(result.columns, result.rows));
 * ```
 */
export function formatTable(columns: readonly EmittedColumn[], rows: readonly QueryRow[]): string {
  const cells = rows.map((r) => columns.map((c) => text(r[c.name]).replace(/[\r\n\t]/g, ' ')));
  const widths = columns.map((c, i) =>
    Math.min(60, Math.max(c.name.length, ...cells.map((row) => (row[i] ?? '').length))),
  );
  const pad = (s: string, i: number) => {
    const w = widths[i] ?? 0;
    const cut = s.length > w ? `${s.slice(0, w - 1)}…` : s;
    return columns[i]?.kind === 'number' ? cut.padStart(w) : cut.padEnd(w);
  };
  const lines = [
    columns.map((c, i) => pad(c.name, i)).join('  '),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.map((row) => row.map((s, i) => pad(s, i)).join('  ')),
  ];
  return `${lines.map((l) => l.trimEnd()).join('\n')}\n(${rows.length} row${rows.length === 1 ? '' : 's'})`;
}

/**
 * Renders a horizontal bar chart for a terminal: one bar per row, scaled to the largest value.
 *
 * @param rows - Rows.
 * @param label - Column for bar labels.
 * @param value - Numeric column for bar lengths.
 * @param width - Width of the longest bar in characters.
 * @returns The chart.
 * @example
 * ```ts
 * console.log(formatBarChart(top.rows, 'type', 'detections'));
 * ```
 */
export function formatBarChart(rows: readonly QueryRow[], label: string, value: string, width = 40): string {
  const values = rows.map((r) => Number(r[value] ?? 0));
  const max = Math.max(0, ...values);
  const labels = rows.map((r) => text(r[label]) || '(none)');
  const lw = Math.min(40, Math.max(0, ...labels.map((l) => l.length)));
  return rows
    .map((_, i) => {
      const v = values[i] ?? 0;
      const n = max > 0 ? Math.round((v / max) * width) : 0;
      return `${(labels[i] ?? '').slice(0, lw).padEnd(lw)}  ${'█'.repeat(n)} ${v}`;
    })
    .join('\n');
}

// Cells that start with these characters are read as formulas by spreadsheet applications (CSV injection).
const FORMULA = /^[=+\-@\t\r]/;

/**
 * Renders rows as RFC 4180 CSV with a header row. Fields with commas, quotes or line breaks are quoted with
 * doubled quotes, and text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) is prefixed
 * with `'`. Numbers are written as numbers.
 *
 * @param columns - Output columns.
 * @param rows - Rows.
 * @returns CSV text ending with a line break.
 * @example
 * ```ts
 * writeFileSync('gaps.csv', toCsv(result.columns, result.rows));
 * ```
 */
export function toCsv(columns: readonly EmittedColumn[], rows: readonly QueryRow[]): string {
  const field = (v: QueryValue | undefined, numeric: boolean): string => {
    let s = text(v);
    if (!numeric && FORMULA.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [
    columns.map((c) => field(c.name, false)).join(','),
    ...rows.map((r) =>
      columns.map((c) => field(r[c.name], c.kind === 'number' && typeof r[c.name] !== 'string')).join(','),
    ),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * JSON for rows: `bigint` values (above 2^53) become strings, so nothing is lost or thrown.
 *
 * @param value - Rows or a result.
 * @returns JSON text.
 * @example
 * ```ts
 * process.stdout.write(toJson(result.rows));
 * ```
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}
