import type { Question } from './question.js';
import type { QuestionResult } from './question-result.js';

/** One section of an HTML report. */
export interface ReportSection {
  question: Question;
  result: QuestionResult;
}

/** Options of {@link renderHtmlReport}. */
export interface HtmlReportOptions {
  /** Page title. @defaultValue `'AWS WAF log report'` */
  title?: string;
  /** A line under the title (source files, time range). */
  subtitle?: string;
  /** Rows charted per section. @defaultValue `15` */
  chartRows?: number;
}

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

function barChart(section: ReportSection, rows: number): string {
  const { question, result } = section;
  const m = question.measure.as;
  const keys = question.groupBy.map((g) => g.as);
  const data = result.rows.slice(0, rows);
  const max = Math.max(1, ...data.map((r) => Number(r[m])));
  const rowH = 22;
  const labelW = 360;
  const barW = 300;
  const h = data.length * rowH + 10;
  const bars = data
    .map((r, i) => {
      const label = keys.map((k) => String(r[k])).join(' · ');
      const short = label.length > 56 ? `${label.slice(0, 55)}…` : label;
      const w = Math.max(1, Math.round((Number(r[m]) / max) * barW));
      const y = i * rowH + 5;
      return `<g><title>${escapeHtml(label)}: ${Number(r[m])}</title><text x="${labelW - 6}" y="${y + 15}" text-anchor="end">${escapeHtml(short)}</text><rect x="${labelW}" y="${y + 3}" width="${w}" height="${rowH - 6}" rx="2"></rect><text x="${labelW + w + 6}" y="${y + 15}">${Number(r[m])}</text></g>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(question.title)}" width="${labelW + barW + 80}" height="${h}" viewBox="0 0 ${labelW + barW + 80} ${h}">${bars}</svg>`;
}

/**
 * Renders results as one self-contained HTML page: inline CSS and SVG bar charts, no scripts, no external
 * resources, so it opens offline and can be mailed or archived. All values are HTML-escaped (log fields
 * are attacker-controlled: URIs and user agents routinely carry `<script>`).
 *
 * @param sections - Question results to render, in order.
 * @param options - Title, subtitle, rows per chart.
 * @example
 * ```ts
 * writeFileSync('report.html', renderHtmlReport(QUESTION_CATALOG.map((q) => ({ question: q, result: evaluateQuestion(q, records) }))));
 * ```
 */
export function renderHtmlReport(
  sections: readonly ReportSection[],
  options: HtmlReportOptions = {},
): string {
  const title = options.title ?? 'AWS WAF log report';
  const chartRows = options.chartRows ?? 15;
  const body = sections
    .map((s) => {
      const cols = s.result.columns;
      const table = `<table><thead><tr>${cols.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${s.result.rows
        .slice(0, 100)
        .map((r) => `<tr>${cols.map((c) => `<td>${escapeHtml(String(r[c]))}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
      const note = s.result.approximate ? '<p class="note">Approximate: an engine limit applied.</p>' : '';
      return `<section id="${escapeHtml(s.question.id)}"><h2>${escapeHtml(s.question.title)}</h2><p>${escapeHtml(s.question.description)}</p>${note}${
        s.result.rows.length ? barChart(s, chartRows) : '<p class="note">No rows.</p>'
      }<details><summary>${s.result.rows.length} row(s)</summary>${table}</details></section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2rem auto;max-width:960px;color:#222}h2{margin-top:2rem;border-bottom:1px solid #ddd}
svg text{font:12px system-ui,sans-serif;fill:#333}svg rect{fill:#e8772e}table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;max-width:480px;overflow-wrap:anywhere}
.note{color:#a33}nav a{margin-right:.8rem}</style></head>
<body><h1>${escapeHtml(title)}</h1>${options.subtitle ? `<p>${escapeHtml(options.subtitle)}</p>` : ''}
<nav>${sections.map((s) => `<a href="#${escapeHtml(s.question.id)}">${escapeHtml(s.question.title)}</a>`).join('')}</nav>
${body}
</body></html>
`;
}
