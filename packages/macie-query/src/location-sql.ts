import { invalidOption } from './errors.js';
import { type QuestionFilters, validateFilters } from './filters.js';
import { CUSTOM_IDENTIFIER_CATEGORY } from './reason-codes.js';
import { type EmitTarget, type EmittedColumn, type EmittedSql, emitPlan } from './sql-plan.js';

const q = (id: string) => `"${id}"`;

const CARRY: [string, string[]][] = [
  ['job_id', ['classificationdetails', 'jobid']],
  ['bucket', ['resourcesaffected', 's3bucket', 'name']],
  ['object_key', ['resourcesaffected', 's3object', 'key']],
  ['archive_member', ['resourcesaffected', 's3object', 'embeddedfiledetails', 'filepath']],
];

// One branch per occurrence kind; every branch yields the same columns (NULL where a kind has no value).
const KINDS: { kind: string; list: string; cols: Record<string, string> }[] = [
  {
    kind: 'line',
    list: 'lineranges',
    cols: { line_start: 'CAST(o."start" AS BIGINT)', line_end: 'CAST(o."end" AS BIGINT)' },
  },
  { kind: 'page', list: 'pages', cols: { page_number: 'CAST(o."pagenumber" AS BIGINT)' } },
  {
    kind: 'record',
    list: 'records',
    cols: { record_index: 'CAST(o."recordindex" AS BIGINT)', json_path: 'o."jsonpath"' },
  },
  {
    kind: 'cell',
    list: 'cells',
    cols: {
      cell_row: 'CAST(o."row" AS BIGINT)',
      cell_column: 'CAST(o."column" AS BIGINT)',
      column_name: 'o."columnname"',
      cell_reference: 'o."cellreference"',
    },
  },
];
const LOCATION_COLUMNS: [string, 'BIGINT' | 'VARCHAR'][] = [
  ['line_start', 'BIGINT'],
  ['line_end', 'BIGINT'],
  ['page_number', 'BIGINT'],
  ['record_index', 'BIGINT'],
  ['json_path', 'VARCHAR'],
  ['cell_row', 'BIGINT'],
  ['cell_column', 'BIGINT'],
  ['column_name', 'VARCHAR'],
  ['cell_reference', 'VARCHAR'],
];

/** Output columns of the location questions. */
export const LOCATION_OUTPUT: readonly EmittedColumn[] = [
  ...CARRY.map(([name]) => ({ name, kind: 'string' as const })),
  { name: 'category', kind: 'string' },
  { name: 'type', kind: 'string' },
  { name: 'location_kind', kind: 'string' },
  ...LOCATION_COLUMNS.map(([name, t]) => ({
    name,
    kind: t === 'BIGINT' ? ('number' as const) : ('string' as const),
  })),
];

/**
 * Emits the "where exactly is the sensitive data" question (aws-samples #13 for managed identifiers, #14 for
 * custom ones, fixed: one row shape for both, every location kind in typed columns, `UNION ALL`). Reuses
 * the plan emitter for the record filters so the same validation and binding apply.
 *
 * @internal
 */
export function emitLocations(
  source: 'managed' | 'custom',
  filters: QuestionFilters,
  target: EmitTarget,
): EmittedSql {
  if (source !== 'managed' && source !== 'custom') throw invalidOption('source', "'managed' or 'custom'");
  validateFilters(filters);
  // Borrow the record-level WHERE clause (and its parameters) from an equivalent objects plan.
  const probe = emitPlan({ grain: 'objects', dimensions: [], measures: ['objects'], filters }, target);
  const fromMatch = /\nFROM ([\s\S]*?) r(?:\nWHERE ([\s\S]*?))?\nORDER BY/.exec(probe.sql);
  if (!fromMatch) throw new Error('unexpected plan shape');
  const from = fromMatch[1] as string;
  const where = fromMatch[2] ? `\n  WHERE ${fromMatch[2]}` : '';
  const carry = (alias: string) =>
    CARRY.map(([name, p]) => `${[alias, ...p.map(q)].join('.')} AS ${q(name)}`).join(', ');
  const names = CARRY.map(([n]) => q(n)).join(', ');
  const category = source === 'managed' ? 'sd."category"' : `'${CUSTOM_IDENTIFIER_CATEGORY}'`;
  const type = source === 'managed' ? 'd."type"' : 'd."name"';
  const athena = target.engine === 'athena';
  const ctes: string[] = [];
  if (athena) {
    const unnest =
      source === 'managed'
        ? 'CROSS JOIN UNNEST(r."classificationdetails"."result"."sensitivedata") AS u1 (sd)\n  CROSS JOIN UNNEST(sd."detections") AS u2 (d)'
        : 'CROSS JOIN UNNEST(r."classificationdetails"."result"."customdataidentifiers"."detections") AS u2 (d)';
    ctes.push(
      `detections AS (\n  SELECT ${carry('r')}, ${category} AS "category", ${type} AS "type", d."occurrences" AS "occ"\n  FROM ${from} r\n  ${unnest}${where}\n)`,
    );
  } else {
    const list =
      source === 'managed'
        ? 'r."classificationdetails"."result"."sensitivedata"'
        : 'r."classificationdetails"."result"."customdataidentifiers"."detections"';
    ctes.push(`src AS (\n  SELECT ${carry('r')}, ${list} AS "list"\n  FROM ${from} r${where}\n)`);
    if (source === 'managed') {
      ctes.push(`mdi AS (SELECT ${names}, unnest("list") AS sd FROM src)`);
      ctes.push(`det AS (SELECT ${names}, ${category} AS "category", unnest(sd."detections") AS d FROM mdi)`);
      ctes.push(
        `detections AS (SELECT ${names}, "category", ${type} AS "type", d."occurrences" AS "occ" FROM det)`,
      );
    } else {
      ctes.push(`det AS (SELECT ${names}, unnest("list") AS d FROM src)`);
      ctes.push(
        `detections AS (SELECT ${names}, ${category} AS "category", ${type} AS "type", d."occurrences" AS "occ" FROM det)`,
      );
    }
  }
  const branches = KINDS.map((k) => {
    const cols = LOCATION_COLUMNS.map(
      ([name, t]) => `${k.cols[name] ?? `CAST(NULL AS ${t})`} AS ${q(name)}`,
    ).join(', ');
    const head = `SELECT ${names}, "category", "type", '${k.kind}' AS "location_kind", ${cols}`;
    return athena
      ? `  ${head}\n  FROM detections x CROSS JOIN UNNEST(x."occ".${q(k.list)}) AS u3 (o)`
      : `  ${head}\n  FROM (SELECT ${names}, "category", "type", unnest("occ".${q(k.list)}) AS o FROM detections)`;
  });
  ctes.push(`locations AS (\n${branches.join('\n  UNION ALL\n')}\n)`);
  const all = LOCATION_OUTPUT.map((c) => q(c.name));
  const sql = `WITH ${ctes.join(',\n')}\nSELECT ${all.join(', ')}\nFROM locations\nORDER BY ${all.map((c) => `${c} ASC NULLS LAST`).join(', ')}`;
  return { engine: target.engine, sql, params: probe.params, columns: [...LOCATION_OUTPUT] };
}
