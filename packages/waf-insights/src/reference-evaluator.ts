import {
  type Dimension,
  isMultiValued,
  type Predicate,
  type Question,
  SCALAR_FIELD_PATHS,
  type ScalarField,
} from './question.js';
import { orderRows, type QuestionResult, type QuestionRow } from './question-result.js';
import type { WafLogRecord } from './schema.js';

/** Reads a scalar field, `undefined` when absent or not a string/number. */
export function scalarValue(record: WafLogRecord, field: ScalarField): string | undefined {
  let v: unknown = record;
  for (const p of SCALAR_FIELD_PATHS[field]) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[p];
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** The referer-host pattern every engine uses: scheme, `://`, then the host up to `/ : ? #`. */
export const REFERER_HOST_PATTERN = '^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#]+)';
const REFERER_HOST = new RegExp(REFERER_HOST_PATTERN);

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Formats epoch ms as Logs Insights shows `bin()` values: `YYYY-MM-DD HH:MM:SS.000` (UTC). */
export function formatBucket(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

function dimensionValues(record: WafLogRecord, d: Dimension): string[] {
  switch (d.kind) {
    case 'field':
      return [scalarValue(record, d.field) ?? '-'];
    case 'timeBin': {
      const w = d.minutes * 60_000;
      return [formatBucket(Math.floor(record.timestamp / w) * w)];
    }
    case 'header': {
      const want = d.name.toLowerCase();
      return record.httpRequest.headers.filter((h) => h.name.toLowerCase() === want).map((h) => h.value);
    }
    case 'refererHost': {
      const out: string[] = [];
      for (const h of record.httpRequest.headers) {
        if (h.name.toLowerCase() !== 'referer') continue;
        const m = REFERER_HOST.exec(h.value);
        if (m?.[1]) out.push(m[1].toLowerCase());
      }
      return out;
    }
    case 'label':
      return (record.labels ?? [])
        .map((l) => l.name)
        .filter((n) => d.prefix === undefined || n.startsWith(d.prefix));
    case 'countedRule':
      return record.nonTerminatingMatchingRules.filter((r) => r.action === 'COUNT').map((r) => r.ruleId);
    case 'countedGroupRule':
      return record.ruleGroupList.flatMap((g) =>
        (g.nonTerminatingMatchingRules ?? [])
          .filter((r) => r.action === 'COUNT')
          .map((r) => `${g.ruleGroupId}:${r.ruleId}`),
      );
  }
}

function matches(record: WafLogRecord, p: Predicate): boolean {
  switch (p.kind) {
    case 'in': {
      const v = scalarValue(record, p.field);
      return v !== undefined && p.values.includes(v);
    }
    case 'startsWith':
      return scalarValue(record, p.field)?.startsWith(p.prefix) ?? false;
    case 'present':
      return scalarValue(record, p.field) !== undefined;
    case 'hasLabel':
      return (record.labels ?? []).some((l) => l.name === p.name);
  }
}

/**
 * Answers a question over in-memory records: the independent TypeScript reference every engine's output
 * is compared against, and the engine of the `--local` CLI when DuckDB is not installed.
 *
 * @param question - The question.
 * @param records - Parsed records.
 * @returns The ordered result.
 * @example
 * ```ts
 * const result = evaluateQuestion(getQuestion('top-ips'), records);
 * ```
 */
export function evaluateQuestion(question: Question, records: Iterable<WafLogRecord>): QuestionResult {
  const groups = new Map<string, { keys: string[]; n: number; distinct?: Set<string> }>();
  const measure = question.measure;
  const multiIndex = question.groupBy.findIndex((g) => isMultiValued(g.dimension));
  for (const record of records) {
    if (!question.where.every((p) => matches(record, p))) continue;
    const perKey = question.groupBy.map((g) => dimensionValues(record, g.dimension));
    const combos: string[][] = [];
    if (multiIndex < 0) combos.push(perKey.map((v) => v[0] as string));
    else
      for (const v of perKey[multiIndex] as string[])
        combos.push(perKey.map((vals, i) => (i === multiIndex ? v : (vals[0] as string))));
    for (const keys of combos) {
      const id = JSON.stringify(keys);
      let g = groups.get(id);
      if (!g) {
        g = { keys, n: 0 };
        if (measure.kind === 'countDistinct') g.distinct = new Set();
        groups.set(id, g);
      }
      if (measure.kind === 'count') g.n++;
      else {
        const v = scalarValue(record, measure.field);
        if (v !== undefined) g.distinct?.add(v);
      }
    }
  }
  const rows: QuestionRow[] = [];
  for (const g of groups.values()) {
    const value = measure.kind === 'count' ? g.n : (g.distinct?.size ?? 0);
    if (question.minimum !== undefined && value < question.minimum) continue;
    const row: QuestionRow = {};
    question.groupBy.forEach((k, i) => {
      row[k.as] = g.keys[i] as string;
    });
    row[measure.as] = value;
    rows.push(row);
  }
  return {
    questionId: question.id,
    columns: [...question.groupBy.map((g) => g.as), measure.as],
    rows: orderRows(question, rows),
  };
}
