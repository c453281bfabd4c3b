import { type DuckDbRunner, duckDbStringLiteral } from '@secblocks/query-runner';
import { MACIE_RESULT_SCHEMA, type SchemaField } from './schema.js';

/** A key found in result files that the schema does not describe. */
export interface UnknownField {
  /** The object it was found in, e.g. `classificationDetails.result` (`` for the top level). */
  path: string;
  /** The key. */
  key: string;
  /** Records that have it. */
  records: number;
}

/** Object paths (outside arrays) whose keys are checked, with their known keys. */
function objectPaths(
  field: SchemaField = MACIE_RESULT_SCHEMA,
  prefix = '',
): { path: string; known: Set<string> }[] {
  if (field.kind !== 'struct') return [];
  const here = { path: prefix, known: new Set(Object.keys(field.fields)) };
  return [
    here,
    ...Object.entries(field.fields).flatMap(([name, f]) =>
      f.kind === 'struct' && name !== 'publicAccess'
        ? objectPaths(f, prefix ? `${prefix}.${name}` : name)
        : [],
    ),
  ];
}

/**
 * Finds keys in local result files that {@link MACIE_RESULT_SCHEMA} does not describe (a new Macie field,
 * say), in the record and its nested objects outside arrays. The explicit schema ignores such keys when
 * querying, so this is how they get noticed and reported instead of silently dropped.
 *
 * @param files - Result files.
 * @param runner - A DuckDB runner.
 * @returns Unknown keys with the number of records holding each, sorted.
 * @example
 * ```ts
 * for (const f of await findUnknownFields(files, duck)) console.warn(`${f.path}.${f.key} in ${f.records} records`);
 * ```
 */
export async function findUnknownFields(
  files: readonly string[],
  runner: DuckDbRunner,
): Promise<UnknownField[]> {
  if (files.length === 0) return [];
  // One scan: every record yields (object path, key) pairs for all checked objects at once.
  const source = `read_ndjson_objects([${files.map(duckDbStringLiteral).join(', ')}], ignore_errors = true)`;
  const paths = objectPaths();
  const lists = paths.map(
    (p) =>
      `list_transform(coalesce(json_keys(json, ${duckDbStringLiteral(p.path ? `$.${p.path}` : '$')}), []), x -> {'p': ${duckDbStringLiteral(p.path)}, 'k': x})`,
  );
  const { rows } = await runner.run(
    `SELECT e.p AS p, e.k AS k, count(*) AS n FROM (SELECT unnest(flatten([${lists.join(', ')}])) AS e FROM ${source}) GROUP BY e.p, e.k ORDER BY 1, 2`,
    { maxRows: 10_000 },
  );
  const known = new Map(paths.map((p) => [p.path, p.known]));
  return rows
    .filter((r) => !known.get(String(r.p))?.has(String(r.k)))
    .map((r) => ({ path: String(r.p), key: String(r.k), records: Number(r.n) }));
}
