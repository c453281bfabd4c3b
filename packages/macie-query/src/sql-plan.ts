import type { QueryParam } from '@secblocks/query-runner';
import { invalidOption, MacieQueryError, MacieQueryErrorCode } from './errors.js';
import { ACCOUNT_ID, type QuestionFilters, type ValidFilters, validateFilters } from './filters.js';
import { CUSTOM_IDENTIFIER_CATEGORY, STATUS_CODES, STATUS_REASON_CODES } from './reason-codes.js';

/** Where a plan's rows come from: one row per result record, or one per detection (type) in a record. */
export type Grain = 'objects' | 'detections';

/** Output column type of a dimension or measure. */
export type ColumnKind = 'string' | 'number';

interface DimensionDef {
  alias: string;
  /** Lower-case JSON path from the record root; `null` for detection-level dimensions. */
  path: readonly string[] | null;
  /** Wraps the rendered path (e.g. `substr(x, 1, 10)`). */
  wrap?: (expr: string) => string;
  description: string;
}

/** Dimensions a plan can group by; each becomes a `string` column named by its alias. */
export const DIMENSIONS = {
  account: { alias: 'account_id', path: ['accountid'], description: 'account that owns the bucket' },
  region: { alias: 'region', path: ['region'], description: 'Region of the bucket' },
  jobId: {
    alias: 'job_id',
    path: ['classificationdetails', 'jobid'],
    description: 'Macie job ID (null for automated discovery)',
  },
  originType: {
    alias: 'origin_type',
    path: ['classificationdetails', 'origintype'],
    description: 'job or automated discovery',
  },
  bucket: { alias: 'bucket', path: ['resourcesaffected', 's3bucket', 'name'], description: 'bucket name' },
  key: { alias: 'object_key', path: ['resourcesaffected', 's3object', 'key'], description: 'object key' },
  extension: {
    alias: 'extension',
    path: ['resourcesaffected', 's3object', 'extension'],
    description: 'file extension',
  },
  mimeType: {
    alias: 'mime_type',
    path: ['classificationdetails', 'result', 'mimetype'],
    description: 'MIME type Macie detected',
  },
  storageClass: {
    alias: 'storage_class',
    path: ['resourcesaffected', 's3object', 'storageclass'],
    description: 'S3 storage class',
  },
  statusCode: {
    alias: 'status_code',
    path: ['classificationdetails', 'result', 'status', 'code'],
    description: 'COMPLETE, PARTIAL or SKIPPED',
  },
  statusReason: {
    alias: 'status_reason',
    path: ['classificationdetails', 'result', 'status', 'reason'],
    description: 'why not COMPLETE',
  },
  archiveMember: {
    alias: 'archive_member',
    path: ['resourcesaffected', 's3object', 'embeddedfiledetails', 'filepath'],
    description: 'path of the file inside its archive (null for top-level objects)',
  },
  effectivePermission: {
    alias: 'effective_permission',
    path: ['resourcesaffected', 's3bucket', 'publicaccess', 'effectivepermission'],
    description: 'PUBLIC, NOT_PUBLIC or UNKNOWN',
  },
  bucketEncryption: {
    alias: 'bucket_encryption',
    path: ['resourcesaffected', 's3bucket', 'defaultserversideencryption', 'encryptiontype'],
    description: 'bucket default encryption',
  },
  allowsUnencryptedUploads: {
    alias: 'allows_unencrypted_uploads',
    path: ['resourcesaffected', 's3bucket', 'allowsunencryptedobjectuploads'],
    description: 'TRUE, FALSE or UNKNOWN',
  },
  objectEncryption: {
    alias: 'object_encryption',
    path: ['resourcesaffected', 's3object', 'serversideencryption', 'encryptiontype'],
    description: 'object encryption',
  },
  day: {
    alias: 'day',
    path: ['createdat'],
    wrap: (e) => `substr(${e}, 1, 10)`,
    description: 'result date (YYYY-MM-DD)',
  },
  category: {
    alias: 'category',
    path: null,
    description: 'sensitive data category (CUSTOM_IDENTIFIER for custom identifiers)',
  },
  type: { alias: 'type', path: null, description: 'sensitive data type, or the custom identifier name' },
  label: { alias: 'label', path: null, description: 'caller-supplied account label' },
} as const satisfies Record<string, DimensionDef>;

/** A dimension ID of {@link DIMENSIONS}. */
export type DimensionId = keyof typeof DIMENSIONS;

interface MeasureDef {
  alias: string;
  kind: ColumnKind;
  grains: readonly Grain[];
  description: string;
}

/** Measures a plan can compute; each becomes a column named by its alias. */
export const MEASURES = {
  objects: {
    alias: 'objects',
    kind: 'number',
    grains: ['objects', 'detections'],
    description: 'result records (objects)',
  },
  detections: {
    alias: 'detections',
    kind: 'number',
    grains: ['detections'],
    description: 'sum of detection counts (BIGINT)',
  },
  bytesClassified: {
    alias: 'bytes_classified',
    kind: 'number',
    grains: ['objects'],
    description: 'sum of sizeClassified',
  },
  gbClassified: {
    alias: 'gb_classified',
    kind: 'number',
    grains: ['objects'],
    description: 'sum of sizeClassified in GiB',
  },
  objectBytes: {
    alias: 'object_bytes',
    kind: 'number',
    grains: ['objects'],
    description: 'sum of object sizes',
  },
  bytesNotAnalyzed: {
    alias: 'bytes_not_analyzed',
    kind: 'number',
    grains: ['objects'],
    description: 'sum of max(size - sizeClassified, 0)',
  },
  firstSeen: {
    alias: 'first_seen',
    kind: 'string',
    grains: ['objects', 'detections'],
    description: 'earliest createdAt',
  },
  lastSeen: {
    alias: 'last_seen',
    kind: 'string',
    grains: ['objects', 'detections'],
    description: 'latest createdAt',
  },
  buckets: {
    alias: 'buckets',
    kind: 'number',
    grains: ['objects', 'detections'],
    description: 'distinct buckets',
  },
  jobs: { alias: 'jobs', kind: 'number', grains: ['objects', 'detections'], description: 'distinct job IDs' },
  accounts: {
    alias: 'accounts',
    kind: 'number',
    grains: ['objects', 'detections'],
    description: 'distinct accounts',
  },
  malformedRecords: {
    alias: 'malformed_records',
    kind: 'number',
    grains: ['objects'],
    description: 'records with no id (Athena returns malformed JSON lines as all-null rows)',
  },
  unknownStatusCodes: {
    alias: 'unknown_status_codes',
    kind: 'number',
    grains: ['objects'],
    description: 'records whose status code is not COMPLETE, PARTIAL or SKIPPED',
  },
  unknownReasons: {
    alias: 'unknown_reasons',
    kind: 'number',
    grains: ['objects'],
    description: 'records whose status reason is not one of the 21 known codes',
  },
} as const satisfies Record<string, MeasureDef>;

/** A measure ID of {@link MEASURES}. */
export type MeasureId = keyof typeof MEASURES;

/** A post-aggregation condition on a measure. */
export interface HavingClause {
  /** The measure compared. */
  measure: MeasureId;
  /** Comparison. */
  op: '>=' | '<' | '>';
  /** A date for `firstSeen`/`lastSeen`, a number otherwise; always bound. */
  value: string | number;
}

/** One ordering term. */
export interface OrderTerm {
  /** A dimension or measure in the plan. */
  by: DimensionId | MeasureId;
  /** @defaultValue `false` */
  desc?: boolean;
}

/** A logical query: what to count, by what, over which records. Both emitters render the same plan. */
export interface QueryPlan {
  /** Row source. */
  grain: Grain;
  /** Group-by columns, in output order. */
  dimensions: readonly DimensionId[];
  /** Aggregates, in output order after the dimensions. */
  measures: readonly MeasureId[];
  /** Record filters (bound parameters). */
  filters?: QuestionFilters;
  /** Keep only buckets that are public, allow unencrypted uploads, or have no default encryption. */
  exposedBucketsOnly?: boolean;
  /** Account ID → label (e.g. `dev`, `prod`), joined as a VALUES table; enables the `label` dimension. */
  accountLabels?: Readonly<Record<string, string>>;
  /** Keep only accounts with one of these labels (needs `accountLabels`). */
  labels?: readonly string[];
  /** Conditions on aggregates. */
  having?: readonly HavingClause[];
  /** @defaultValue the first measure descending, then every dimension ascending (nulls last) */
  orderBy?: readonly OrderTerm[];
  /** Row limit (1–1,000,000), emitted as a validated literal. */
  limit?: number;
}

/** An Athena table to query. */
export interface AthenaTableRef {
  /** Table name. */
  table: string;
  /** Database; omitted to use the runner's. */
  database?: string;
  /**
   * The table uses partition projection (`p_admin`, `p_region`, `p_job`, `p_account`): per-job and
   * per-account predicates are added, and `jobIds` and `accounts` filters become required.
   */
  projected?: boolean;
}

/** Target of {@link emitPlan}. */
export type EmitTarget =
  | { engine: 'athena'; table: AthenaTableRef }
  | {
      engine: 'duckdb';
      /** A `FROM` item: a table or view name, or a `read_json(...)` call from `duckDbReadJson`. */
      source: string;
    };

/** An output column of emitted SQL. */
export interface EmittedColumn {
  /** Column alias (snake_case). */
  name: string;
  /** `string` or `number`. */
  kind: ColumnKind;
}

/** SQL for one engine, with its parameters in placeholder order. */
export interface EmittedSql {
  /** `athena` or `duckdb`. */
  engine: 'athena' | 'duckdb';
  /** The statement, with `?` placeholders. */
  sql: string;
  /** Parameter values, in placeholder order. */
  params: QueryParam[];
  /** Output columns, in order. */
  columns: EmittedColumn[];
}

const IDENT = /^[a-z_][a-z0-9_]{0,127}$/;
const q = (id: string) => `"${id}"`;
const path = (alias: string, segments: readonly string[]) => [alias, ...segments.map(q)].join('.');
const KNOWN_STATUS = STATUS_CODES.map((c) => `'${c}'`).join(', ');
const KNOWN_REASONS = STATUS_REASON_CODES.map((c) => `'${c}'`).join(', ');
const CDI_LITERAL = `'${CUSTOM_IDENTIFIER_CATEGORY}'`;

class Params {
  readonly values: QueryParam[] = [];
  add(value: QueryParam): string {
    this.values.push(value);
    return '?';
  }
  list(values: readonly QueryParam[]): string {
    return values.map((v) => this.add(v)).join(', ');
  }
}

const RECORD_COLUMN_EXTRA = {
  created_at: ['createdat'],
  result_id: ['id'],
} as const;

function recordExpr(dim: DimensionId, alias = 'r'): string {
  const def: DimensionDef = DIMENSIONS[dim];
  if (!def.path) throw new Error(`dimension ${dim} is not record-level`);
  const expr = path(alias, def.path);
  return def.wrap ? def.wrap(expr) : expr;
}

/** @internal Validates a plan's shape (not its filters). */
export function checkPlan(plan: QueryPlan): void {
  if (plan.grain !== 'objects' && plan.grain !== 'detections')
    throw invalidOption('grain', 'objects or detections');
  if (!Array.isArray(plan.dimensions) || !Array.isArray(plan.measures)) {
    throw invalidOption('dimensions', 'arrays of dimension and measure IDs');
  }
  for (const d of plan.dimensions) {
    if (!Object.hasOwn(DIMENSIONS, d))
      throw invalidOption('dimensions', `known dimensions (${Object.keys(DIMENSIONS).join(', ')})`);
    if ((d === 'category' || d === 'type') && plan.grain !== 'detections') {
      throw invalidOption('dimensions', `${d} only with the detections grain`);
    }
    if (d === 'label' && !plan.accountLabels)
      throw invalidOption('dimensions', 'label only with accountLabels');
  }
  if (plan.measures.length === 0 && plan.dimensions.length === 0)
    throw invalidOption('measures', 'at least one column');
  for (const m of plan.measures) {
    const def: MeasureDef | undefined = (MEASURES as Record<string, MeasureDef>)[m];
    if (!def) throw invalidOption('measures', `known measures (${Object.keys(MEASURES).join(', ')})`);
    if (!def.grains.includes(plan.grain))
      throw invalidOption('measures', `${m} only with the ${def.grains.join(' or ')} grain`);
  }
  if (
    plan.limit !== undefined &&
    !(Number.isInteger(plan.limit) && plan.limit >= 1 && plan.limit <= 1_000_000)
  ) {
    throw invalidOption('limit', 'an integer from 1 to 1000000');
  }
  for (const o of plan.orderBy ?? []) {
    if (!(plan.dimensions as string[]).includes(o.by) && !(plan.measures as string[]).includes(o.by)) {
      throw invalidOption('orderBy', 'dimensions or measures of the plan');
    }
  }
  for (const h of plan.having ?? []) {
    if (!(plan.measures as string[]).includes(h.measure))
      throw invalidOption('having', 'measures of the plan');
    const isDate = h.measure === 'firstSeen' || h.measure === 'lastSeen';
    if (isDate ? typeof h.value !== 'string' : typeof h.value !== 'number' || !Number.isFinite(h.value)) {
      throw invalidOption('having', isDate ? 'a date value' : 'a number value');
    }
    if (!['>=', '<', '>'].includes(h.op)) throw invalidOption('having', "op '>=', '<' or '>'");
  }
  if (plan.accountLabels !== undefined) {
    const entries = Object.entries(plan.accountLabels);
    if (entries.length === 0) {
      throw new MacieQueryError(
        MacieQueryErrorCode.MISSING_PARAMETER,
        'accountLabels must map at least one account',
      );
    }
    for (const [account, label] of entries) {
      if (!ACCOUNT_ID.test(account)) {
        throw new MacieQueryError(
          MacieQueryErrorCode.INVALID_FILTER,
          `accountLabels has ${JSON.stringify(account.slice(0, 64))}, which is not a 12-digit account ID`,
        );
      }
      if (typeof label !== 'string' || label.length === 0 || label.length > 128 || /\p{Cc}/u.test(label)) {
        throw new MacieQueryError(
          MacieQueryErrorCode.INVALID_FILTER,
          `accountLabels has an invalid label for ${account}`,
        );
      }
    }
  }
  if (plan.labels !== undefined && !plan.accountLabels) {
    throw new MacieQueryError(MacieQueryErrorCode.MISSING_PARAMETER, 'labels needs accountLabels');
  }
}

function recordWhere(
  f: ValidFilters,
  params: Params,
  alias: string,
  projected: boolean,
  exposed: boolean,
): string[] {
  const w: string[] = [];
  if (projected) {
    // Injected projection columns need literal equality/IN predicates Athena can evaluate without reading
    // data; the values were validated against ^[0-9a-f]{32}$ and ^\d{12}$ so they are safe as literals.
    if (f.jobIds.length === 0 || f.accounts.length === 0) {
      throw new MacieQueryError(
        MacieQueryErrorCode.PROJECTION_FILTER_REQUIRED,
        'The projected table needs jobIds and accounts filters (its p_job and p_account partitions are injected)',
      );
    }
    w.push(`${alias}."p_job" IN (${f.jobIds.map((v) => `'${v}'`).join(', ')})`);
    w.push(`${alias}."p_account" IN (${f.accounts.map((v) => `'${v}'`).join(', ')})`);
  }
  const inList = (dim: DimensionId, values: string[]) => {
    if (values.length > 0) w.push(`${recordExpr(dim, alias)} IN (${params.list(values)})`);
  };
  inList('account', f.accounts);
  inList('region', f.regions);
  inList('jobId', f.jobIds);
  inList('bucket', f.buckets);
  inList('statusCode', f.statusCodes);
  if (f.since !== undefined) w.push(`${path(alias, ['createdat'])} >= ${params.add(f.since)}`);
  if (f.until !== undefined) w.push(`${path(alias, ['createdat'])} < ${params.add(f.until)}`);
  const member = recordExpr('archiveMember', alias);
  if (f.archiveMembers === 'exclude') w.push(`${member} IS NULL`);
  if (f.archiveMembers === 'only') w.push(`${member} IS NOT NULL`);
  if (exposed) {
    w.push(
      `(${recordExpr('effectivePermission', alias)} = 'PUBLIC' OR ${recordExpr('allowsUnencryptedUploads', alias)} = 'TRUE' OR coalesce(${recordExpr('bucketEncryption', alias)}, 'NONE') = 'NONE')`,
    );
  }
  return w;
}

function measureExpr(m: MeasureId, grain: Grain, rec: (col: string) => string): string {
  if (grain === 'detections') {
    switch (m) {
      case 'objects':
        return `count(DISTINCT ${rec('result_id')})`;
      case 'detections':
        return 'CAST(sum("detection_count") AS BIGINT)';
      case 'firstSeen':
        return `min(${rec('created_at')})`;
      case 'lastSeen':
        return `max(${rec('created_at')})`;
      case 'buckets':
        return `count(DISTINCT ${rec('bucket')})`;
      case 'jobs':
        return `count(DISTINCT ${rec('job_id')})`;
      case 'accounts':
        return `count(DISTINCT ${rec('account_id')})`;
      default:
        throw invalidOption('measures', `${m} with the objects grain`);
    }
  }
  const r = (segments: string[]) => path('r', segments);
  const size = `CAST(${r(['resourcesaffected', 's3object', 'size'])} AS BIGINT)`;
  const classified = `CAST(${r(['classificationdetails', 'result', 'sizeclassified'])} AS BIGINT)`;
  switch (m) {
    case 'objects':
      return 'count(*)';
    case 'bytesClassified':
      return `CAST(coalesce(sum(${classified}), 0) AS BIGINT)`;
    case 'gbClassified':
      return `CAST(coalesce(sum(${classified}), 0) AS DOUBLE) / 1073741824`;
    case 'objectBytes':
      return `CAST(coalesce(sum(${size}), 0) AS BIGINT)`;
    case 'bytesNotAnalyzed':
      return `CAST(coalesce(sum(greatest(coalesce(${size}, 0) - coalesce(${classified}, 0), 0)), 0) AS BIGINT)`;
    case 'firstSeen':
      return `min(${r(['createdat'])})`;
    case 'lastSeen':
      return `max(${r(['createdat'])})`;
    case 'buckets':
      return `count(DISTINCT ${recordExpr('bucket')})`;
    case 'jobs':
      return `count(DISTINCT ${recordExpr('jobId')})`;
    case 'accounts':
      return `count(DISTINCT ${recordExpr('account')})`;
    case 'malformedRecords':
      return `count_if(${r(['id'])} IS NULL)`;
    case 'unknownStatusCodes':
      return `count_if(${recordExpr('statusCode')} IS NULL OR ${recordExpr('statusCode')} NOT IN (${KNOWN_STATUS}))`;
    case 'unknownReasons':
      return `count_if(${recordExpr('statusReason')} IS NOT NULL AND ${recordExpr('statusReason')} NOT IN (${KNOWN_REASONS}))`;
    default:
      throw invalidOption('measures', `${m} with the detections grain`);
  }
}

/** Record-level columns the detections CTE must carry for a plan. */
function carried(plan: QueryPlan): { name: string; expr: (alias: string) => string }[] {
  const out = new Map<string, (alias: string) => string>();
  const addDim = (d: DimensionId) => {
    const def: DimensionDef = DIMENSIONS[d];
    if (def.path) out.set(def.alias, (a) => recordExpr(d, a));
  };
  plan.dimensions.forEach(addDim);
  for (const m of plan.measures) {
    if (m === 'objects') out.set('result_id', (a) => path(a, RECORD_COLUMN_EXTRA.result_id));
    if (m === 'firstSeen' || m === 'lastSeen')
      out.set('created_at', (a) => path(a, RECORD_COLUMN_EXTRA.created_at));
    if (m === 'buckets') addDim('bucket');
    if (m === 'jobs') addDim('jobId');
    if (m === 'accounts') addDim('account');
  }
  if (plan.accountLabels) addDim('account');
  return [...out].map(([name, expr]) => ({ name, expr }));
}

function tableSql(t: AthenaTableRef): string {
  if (!IDENT.test(t.table)) throw invalidOption('table', 'a lower-case table name');
  if (t.database !== undefined && !/^[a-z0-9_-]{1,255}$/.test(t.database))
    throw invalidOption('database', 'a Glue database name');
  return t.database ? `${q(t.database)}.${q(t.table)}` : q(t.table);
}

/**
 * Renders a {@link QueryPlan} as SQL for Athena (Trino: `CROSS JOIN UNNEST` in `FROM`, the only form Trino
 * has) or for DuckDB (SELECT-list `unnest()` in CTEs, about 20× faster on DuckDB than the lateral form).
 * Every output column is aliased in snake_case, every identifier quoted, every count cast to BIGINT, custom
 * data identifier detections folded in with `UNION ALL` as category `CUSTOM_IDENTIFIER`, and every filter
 * value bound as a `?` parameter.
 *
 * @param plan - What to compute.
 * @param target - Athena table, or DuckDB `FROM` source.
 * @returns SQL, parameters in placeholder order, and output columns.
 * @throws {@link MacieQueryError} `INVALID_FILTER`, `INVALID_OPTION`, `MISSING_PARAMETER` or `PROJECTION_FILTER_REQUIRED`.
 * @example
 * ```ts
 * const { sql, params } = emitPlan(
 *   { grain: 'detections', dimensions: ['type'], measures: ['detections'], limit: 5 },
 *   { engine: 'athena', table: { table: 'macie_results' } },
 * );
 * ```
 */
export function emitPlan(plan: QueryPlan, target: EmitTarget): EmittedSql {
  checkPlan(plan);
  const f = validateFilters(plan.filters ?? {});
  const params = new Params();
  const athena = target.engine === 'athena';
  const from = athena ? tableSql(target.table) : target.source;
  if (!athena && (typeof target.source !== 'string' || target.source.trim() === '')) {
    throw invalidOption('source', 'a DuckDB FROM item');
  }
  const projected = athena && target.table.projected === true;
  const ctes: string[] = [];
  if (plan.accountLabels) {
    const rows = Object.entries(plan.accountLabels)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([account, label]) => `(${params.add(account)}, ${params.add(label)})`);
    ctes.push(`labels ("account_id", "label") AS (VALUES ${rows.join(', ')})`);
  }
  const columns: EmittedColumn[] = [
    ...plan.dimensions.map((d) => ({ name: DIMENSIONS[d].alias as string, kind: 'string' as const })),
    ...plan.measures.map((m) => ({
      name: MEASURES[m].alias as string,
      kind: MEASURES[m].kind as ColumnKind,
    })),
  ];
  const select: string[] = [];
  const groupBy: string[] = [];
  let body: string;
  const exposed = plan.exposedBucketsOnly === true;
  const outerWhere: string[] = [];

  if (plan.grain === 'objects') {
    for (const d of plan.dimensions) {
      const expr = d === 'label' ? 'l."label"' : recordExpr(d);
      select.push(`${expr} AS ${q(DIMENSIONS[d].alias)}`);
      groupBy.push(expr);
    }
    for (const m of plan.measures)
      select.push(`${measureExpr(m, 'objects', () => '')} AS ${q(MEASURES[m].alias)}`);
    const where = recordWhere(f, params, 'r', projected, exposed);
    if (plan.labels?.length) where.push(`l."label" IN (${params.list([...plan.labels])})`);
    const join = plan.accountLabels ? ` JOIN labels l ON l."account_id" = ${recordExpr('account')}` : '';
    body = `SELECT ${select.join(', ')}\nFROM ${from} r${join}${where.length ? `\nWHERE ${where.join('\n  AND ')}` : ''}`;
  } else {
    const cols = carried(plan);
    const carry = (alias: string) => cols.map((c) => `${c.expr(alias)} AS ${q(c.name)}`);
    const names = cols.map((c) => q(c.name));
    if (athena) {
      const branch = (kind: 'mdi' | 'cdi'): string => {
        const where = recordWhere(f, params, 'r', projected, exposed);
        const head =
          kind === 'mdi'
            ? [
                ...carry('r'),
                'sd."category" AS "category"',
                'd."type" AS "type"',
                'CAST(d."count" AS BIGINT) AS "detection_count"',
              ]
            : [
                ...carry('r'),
                `${CDI_LITERAL} AS "category"`,
                'c."name" AS "type"',
                'CAST(c."count" AS BIGINT) AS "detection_count"',
              ];
        const unnest =
          kind === 'mdi'
            ? `CROSS JOIN UNNEST(r."classificationdetails"."result"."sensitivedata") AS u1 (sd)\n  CROSS JOIN UNNEST(sd."detections") AS u2 (d)`
            : `CROSS JOIN UNNEST(r."classificationdetails"."result"."customdataidentifiers"."detections") AS u3 (c)`;
        return `  SELECT ${head.join(', ')}\n  FROM ${from} r\n  ${unnest}${where.length ? `\n  WHERE ${where.join('\n    AND ')}` : ''}`;
      };
      ctes.push(`detections AS (\n${branch('mdi')}\n  UNION ALL\n${branch('cdi')}\n)`);
    } else {
      const where = recordWhere(f, params, 'r', false, exposed);
      const src = [
        ...carry('r'),
        'r."classificationdetails"."result"."sensitivedata" AS "sd_list"',
        'r."classificationdetails"."result"."customdataidentifiers"."detections" AS "cdi_list"',
      ];
      const keep = names.length ? `${names.join(', ')}, ` : '';
      ctes.push(
        `src AS (\n  SELECT ${src.join(', ')}\n  FROM ${from} r${where.length ? `\n  WHERE ${where.join('\n    AND ')}` : ''}\n)`,
      );
      ctes.push(`mdi AS (SELECT ${keep}unnest("sd_list") AS sd FROM src)`);
      ctes.push(
        `mdi_d AS (SELECT ${keep}sd."category" AS "category", unnest(sd."detections") AS d FROM mdi)`,
      );
      ctes.push(`cdi AS (SELECT ${keep}unnest("cdi_list") AS c FROM src)`);
      ctes.push(
        `detections AS (\n  SELECT ${keep}"category", d."type" AS "type", CAST(d."count" AS BIGINT) AS "detection_count" FROM mdi_d\n  UNION ALL\n  SELECT ${keep}${CDI_LITERAL} AS "category", c."name" AS "type", CAST(c."count" AS BIGINT) AS "detection_count" FROM cdi\n)`,
      );
    }
    const rec = (col: string) => `x.${q(col)}`;
    for (const d of plan.dimensions) {
      const expr = d === 'label' ? 'l."label"' : `x.${q(DIMENSIONS[d].alias)}`;
      select.push(`${expr} AS ${q(DIMENSIONS[d].alias)}`);
      groupBy.push(expr);
    }
    for (const m of plan.measures)
      select.push(`${measureExpr(m, 'detections', rec)} AS ${q(MEASURES[m].alias)}`);
    if (f.categories.length) outerWhere.push(`x."category" IN (${params.list(f.categories)})`);
    if (f.types.length) outerWhere.push(`x."type" IN (${params.list(f.types)})`);
    if (plan.labels?.length) outerWhere.push(`l."label" IN (${params.list([...plan.labels])})`);
    const join = plan.accountLabels ? ' JOIN labels l ON l."account_id" = x."account_id"' : '';
    body = `SELECT ${select.join(', ')}\nFROM detections x${join}${outerWhere.length ? `\nWHERE ${outerWhere.join('\n  AND ')}` : ''}`;
  }
  if (plan.grain === 'objects' && (f.categories.length || f.types.length)) {
    throw invalidOption('filters', 'categories and types only with the detections grain');
  }
  let sql = ctes.length ? `WITH ${ctes.join(',\n')}\n${body}` : body;
  if (groupBy.length && plan.measures.length) sql += `\nGROUP BY ${groupBy.join(', ')}`;
  else if (groupBy.length) sql += `\nGROUP BY ${groupBy.join(', ')}`;
  if (plan.having?.length) {
    const terms = plan.having.map(
      (h) => `${measureExpr(h.measure, plan.grain, (c) => `x.${q(c)}`)} ${h.op} ${params.add(h.value)}`,
    );
    sql += `\nHAVING ${terms.join(' AND ')}`;
  }
  const order =
    plan.orderBy ??
    ([
      ...(plan.measures[0] ? [{ by: plan.measures[0], desc: plan.measures[0] !== 'firstSeen' }] : []),
      ...plan.dimensions.map((d) => ({ by: d })),
    ] as OrderTerm[]);
  if (order.length) {
    const alias = (id: string) =>
      q(
        (DIMENSIONS as Record<string, DimensionDef>)[id]?.alias ??
          (MEASURES as Record<string, MeasureDef>)[id]?.alias ??
          id,
      );
    sql += `\nORDER BY ${order.map((o) => `${alias(o.by)} ${o.desc ? 'DESC' : 'ASC'} NULLS LAST`).join(', ')}`;
  }
  if (plan.limit !== undefined) sql += `\nLIMIT ${plan.limit}`;
  return { engine: target.engine, sql, params: params.values, columns };
}
