import type { QueryRow, QueryValue } from '@secblocks/query-runner';
import { QUESTIONS, type QuestionParams } from './catalog.js';
import type { MacieQuery, QuestionResult } from './macie-query.js';

/** Options of {@link renderHtmlReport}. */
export interface HtmlReportOptions {
  /** @defaultValue `'Macie sensitive data discovery results'` */
  title?: string;
  /** Timestamp printed in the header. @defaultValue now */
  generatedAt?: string;
  /** Rows shown per table. @defaultValue `50` */
  maxTableRows?: number;
  /** Notes printed under the header (e.g. skipped files). */
  notes?: readonly string[];
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Escapes text for HTML element content and quoted attributes. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c] as string);

const cell = (v: QueryValue | undefined): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(3);
  if (typeof v === 'bigint') return v.toLocaleString('en-US');
  return escapeHtml(typeof v === 'object' ? JSON.stringify(v) : String(v));
};

function barChart(result: QuestionResult): string {
  const label = result.columns.find((c) => c.kind === 'string');
  const value = result.columns.find((c) => c.kind === 'number');
  if (!label || !value || result.rows.length === 0) return '';
  const rows = result.rows.slice(0, 15);
  const labelOf = (r: QueryRow) =>
    result.columns
      .filter((c) => c.kind === 'string' && c.name !== 'remediation')
      .slice(0, 2)
      .map((c) => String(r[c.name] ?? '(none)'))
      .join(' · ');
  const max = Math.max(1, ...rows.map((r) => Number(r[value.name] ?? 0)));
  const barH = 18;
  const gap = 6;
  const height = rows.length * (barH + gap);
  const bars = rows
    .map((r, i) => {
      const v = Number(r[value.name] ?? 0);
      const w = Math.max(1, Math.round((v / max) * 420));
      const y = i * (barH + gap);
      const name = labelOf(r);
      const short = name.length > 46 ? `${name.slice(0, 45)}…` : name;
      return `<g><title>${escapeHtml(`${name}: ${v}`)}</title><text x="0" y="${y + 13}" class="l">${escapeHtml(short)}</text><rect x="300" y="${y}" width="${w}" height="${barH}" rx="2"/><text x="${306 + w}" y="${y + 13}" class="v">${cell(v)}</text></g>`;
    })
    .join('');
  return `<svg role="img" aria-label="${escapeHtml(`${value.name} by ${label.name}`)}" viewBox="0 0 820 ${height}" width="820" height="${height}">${bars}</svg>`;
}

function table(result: QuestionResult, max: number): string {
  const head = result.columns
    .map((c) => `<th${c.kind === 'number' ? ' class="n"' : ''}>${escapeHtml(c.name)}</th>`)
    .join('');
  const body = result.rows
    .slice(0, max)
    .map(
      (r) =>
        `<tr>${result.columns.map((c) => `<td${c.kind === 'number' ? ' class="n"' : ''}>${cell(r[c.name])}</td>`).join('')}</tr>`,
    )
    .join('\n');
  const more =
    result.rows.length > max
      ? `<p class="m">${result.rows.length - max} more rows not shown; export with --format csv.</p>`
      : '';
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>${more}`;
}

const CSS = `body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#1d2330;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin:2.2rem 0 .3rem;border-bottom:1px solid #d8dce4;padding-bottom:.2rem}
.d{color:#5a6275;margin:.2rem 0 .8rem}.m{color:#5a6275;font-size:.9em}table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border-bottom:1px solid #eceef3;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f5f6f9}.n{text-align:right;font-variant-numeric:tabular-nums}
svg rect{fill:#3b6fd8}svg .l{font-size:12px;fill:#1d2330}svg .v{font-size:12px;fill:#5a6275}nav a{margin-right:.8rem}
@media print{nav{display:none}}`;

/**
 * Renders question results as one self-contained HTML page: inline CSS and inline SVG bar charts, no
 * script, no external URL (no CDN, fonts or images), so it works offline and can be mailed or attached to
 * a ticket. Every value is HTML-escaped.
 *
 * @param results - Question results, in display order.
 * @param options - Title, timestamp, rows per table.
 * @returns The HTML document.
 * @example
 * ```ts
 * writeFileSync('report.html', renderHtmlReport([await mq.ask('top-types')]));
 * ```
 */
export function renderHtmlReport(
  results: readonly QuestionResult[],
  options: HtmlReportOptions = {},
): string {
  const title = options.title ?? 'Macie sensitive data discovery results';
  const generatedAt = options.generatedAt ?? new Date().toISOString();
  const max = options.maxTableRows ?? 50;
  const anchor = (r: QuestionResult) => `q-${r.id.replace(/[^a-z0-9-]/g, '')}`;
  const sections = results
    .map((r) => {
      const description = QUESTIONS.find((q) => q.id === r.id)?.description ?? '';
      const stats =
        r.statistics.dataScannedBytes !== undefined
          ? ` · scanned ${cell(r.statistics.dataScannedBytes)} bytes (≈ $${(r.statistics.costUsd ?? 0).toFixed(4)})`
          : '';
      return `<section id="${anchor(r)}"><h2>${escapeHtml(r.title)}</h2><p class="d">${escapeHtml(description)}</p><p class="m">${r.rows.length} rows · ${r.engine}${stats}</p>${barChart(r)}${table(r, max)}</section>`;
    })
    .join('\n');
  const nav = results.map((r) => `<a href="#${anchor(r)}">${escapeHtml(r.id)}</a>`).join('');
  const notes = (options.notes ?? []).map((n) => `<p class="m">${escapeHtml(n)}</p>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body><h1>${escapeHtml(title)}</h1><p class="m">Generated ${escapeHtml(generatedAt)} by @secblocks/macie-query</p>${notes}<nav>${nav}</nav>
${sections}
</body></html>
`;
}

/**
 * Runs every question marked `inReport` (top types, detections per account and per bucket, coverage gaps,
 * exposed buckets, credentials, bytes per job, trend, data quality) and renders the HTML report.
 *
 * @param mq - From {@link createMacieQuery}.
 * @param params - Filters applied to every question.
 * @param options - Report options.
 * @returns The HTML and the results it shows.
 * @example
 * ```ts
 * const { html } = await buildHtmlReport(createMacieQuery({ local: './results' }));
 * ```
 */
export async function buildHtmlReport(
  mq: MacieQuery,
  params: QuestionParams = {},
  options: HtmlReportOptions = {},
): Promise<{ html: string; results: QuestionResult[] }> {
  const results: QuestionResult[] = [];
  for (const q of QUESTIONS.filter((x) => x.inReport)) results.push(await mq.ask(q.id, params));
  const skipped = results[0]?.skippedFiles ?? [];
  const notes = [...(options.notes ?? [])];
  if (skipped.length) notes.push(`${skipped.length} result file(s) could not be read and were left out.`);
  if (mq.engine === 'duckdb') {
    for (const f of await mq.unknownFields()) {
      notes.push(
        `Field not in the schema (ignored): ${f.path ? `${f.path}.` : ''}${f.key} in ${f.records} record(s).`,
      );
    }
  }
  return { html: renderHtmlReport(results, { ...options, notes }), results };
}
