import type { QueryRow } from '@secblocks/query-runner';
import { MacieQueryError, MacieQueryErrorCode } from './errors.js';
import type { ArchiveMembers, QuestionFilters } from './filters.js';
import { emitLocations } from './location-sql.js';
import { remediationFor } from './reason-codes.js';
import {
  type DimensionId,
  type EmitTarget,
  type EmittedColumn,
  type EmittedSql,
  emitPlan,
  type MeasureId,
  type QueryPlan,
} from './sql-plan.js';

/** Parameters a question can take. Filters are validated and bound; see {@link QuestionFilters}. */
export interface QuestionParams {
  /** Record filters. */
  filters?: QuestionFilters;
  /** Rows to keep for "top N" questions. @defaultValue the question's own (e.g. 5 for `top-types`) */
  top?: number;
  /** Account ID → label, for `labelled-accounts`. */
  accountLabels?: Readonly<Record<string, string>>;
  /** Labels to keep, for `labelled-accounts`. @defaultValue `['dev']` */
  labels?: readonly string[];
}

/** One catalog question. */
export interface Question {
  /** Stable ID, e.g. `top-types`. */
  id: string;
  /** One-line title. */
  title: string;
  /** What it answers, and what it fixes compared with its source. */
  description: string;
  /** Where it comes from: `aws-samples #N`, `AWS blog`, or `secblocks`. */
  source: string;
  /** Parameters that must be given (`filters.jobIds`, `filters.since`, `accountLabels`). */
  requires: readonly ('jobIds' | 'since' | 'accountLabels')[];
  /** Included in the default HTML report. */
  inReport: boolean;
  /** Builds the logical plan from the parameters. */
  plan(params: QuestionParams): QueryPlan;
  /** Extra columns added after the query (e.g. `remediation`). */
  extraColumns?: readonly EmittedColumn[];
  /** Adds computed columns to each row (the same on both engines). */
  decorate?(row: QueryRow): QueryRow;
  /** Reads occurrence locations (line, page, record, cell), so local runs need the full schema. */
  readsOccurrences?: boolean;
  /** Emits SQL directly, for questions that are not a grouped plan (the location listings). */
  emit?(params: QuestionParams, target: EmitTarget): EmittedSql;
}

const withArchive = (params: QuestionParams, archive: ArchiveMembers): QuestionFilters => ({
  archiveMembers: archive,
  ...params.filters,
});

const detections =
  (dimensions: DimensionId[], measures: MeasureId[] = ['detections'], archive: ArchiveMembers = 'exclude') =>
  (params: QuestionParams): QueryPlan => ({
    grain: 'detections',
    dimensions,
    measures,
    filters: withArchive(params, archive),
    ...(params.top !== undefined ? { limit: params.top } : {}),
  });

const objects =
  (dimensions: DimensionId[], measures: MeasureId[], archive: ArchiveMembers = 'exclude') =>
  (params: QuestionParams): QueryPlan => ({
    grain: 'objects',
    dimensions,
    measures,
    filters: withArchive(params, archive),
    ...(params.top !== undefined ? { limit: params.top } : {}),
  });

const ARCHIVE_NOTE = 'Archive members are excluded so an archive counts once, through its roll-up record.';

/**
 * The question catalog: the 15 aws-samples analytics queries fixed (BIGINT counts, `UNION ALL` with the
 * job ID carried, archive members handled the same way everywhere, custom data identifiers folded in as
 * category `CUSTOM_IDENTIFIER`), the AWS blog's three questions, and the questions people also ask
 * (coverage gaps with remediation, labelled accounts, new buckets, exposed buckets, credentials, archive
 * drill-down, trends, data quality).
 */
export const QUESTIONS: readonly Question[] = [
  {
    id: 'job-category-type',
    title: 'Sensitive data types and categories found by one job',
    description: `Detections per category and type for the given job(s). ${ARCHIVE_NOTE}`,
    source: 'aws-samples #1',
    requires: ['jobIds'],
    inReport: false,
    plan: detections(['category', 'type']),
  },
  {
    id: 'job-object-category-type',
    title: 'Objects of one job and the types they contain',
    description: `Per object, category and type, the detection count (BIGINT, not INT). ${ARCHIVE_NOTE}`,
    source: 'aws-samples #2',
    requires: ['jobIds'],
    inReport: false,
    plan: detections(['bucket', 'key', 'category', 'type']),
  },
  {
    id: 'job-status-reason',
    title: 'Objects one job completed, skipped or partly analyzed, and why',
    description: `Objects per status code and reason. Fix: archive members are no longer counted as objects.`,
    source: 'aws-samples #3',
    requires: ['jobIds'],
    inReport: false,
    plan: objects(['statusCode', 'statusReason'], ['objects']),
  },
  {
    id: 'job-size-classified',
    title: 'Bytes one job classified',
    description: `Bytes and GiB classified (sum of sizeClassified as BIGINT: no overflow above 2 GiB). ${ARCHIVE_NOTE}`,
    source: 'aws-samples #4',
    requires: ['jobIds'],
    inReport: false,
    plan: objects(['jobId'], ['bytesClassified', 'gbClassified', 'objects']),
  },
  {
    id: 'jobs-category-type',
    title: 'Sensitive data types and categories per job',
    description: `Detections per job, category and type, across all jobs. ${ARCHIVE_NOTE}`,
    source: 'aws-samples #5',
    requires: [],
    inReport: false,
    plan: detections(['jobId', 'category', 'type']),
  },
  {
    id: 'jobs-object-category-type',
    title: 'Objects and the types they contain, per job',
    description: `Per job, object, category and type, the detection count. ${ARCHIVE_NOTE}`,
    source: 'aws-samples #6',
    requires: [],
    inReport: false,
    plan: detections(['jobId', 'bucket', 'key', 'category', 'type']),
  },
  {
    id: 'jobs-status-reason',
    title: 'Status and reason per job',
    description: 'Objects per job, status code and reason (top-level objects only).',
    source: 'aws-samples #7',
    requires: [],
    inReport: false,
    plan: objects(['jobId', 'statusCode', 'statusReason'], ['objects']),
  },
  {
    id: 'jobs-size-classified',
    title: 'Bytes classified per job',
    description: `Bytes and GiB classified per job, and objects. ${ARCHIVE_NOTE}`,
    source: 'aws-samples #8',
    requires: [],
    inReport: true,
    plan: objects(['jobId'], ['bytesClassified', 'gbClassified', 'objects']),
  },
  {
    id: 'accounts-category-type',
    title: 'Sensitive data types and categories per account',
    description: `Detections per account, category and type. ${ARCHIVE_NOTE}`,
    source: 'aws-samples #9',
    requires: [],
    inReport: false,
    plan: detections(['account', 'category', 'type']),
  },
  {
    id: 'accounts-status-reason',
    title: 'Status and reason per account',
    description: 'Objects per account, status code and reason (top-level objects only).',
    source: 'aws-samples #10',
    requires: [],
    inReport: false,
    plan: objects(['account', 'statusCode', 'statusReason'], ['objects']),
  },
  {
    id: 'buckets-category-type',
    title: 'Sensitive data types and categories per bucket',
    description: `Detections per bucket, category and type. ${ARCHIVE_NOTE}`,
    source: 'aws-samples #11',
    requires: [],
    inReport: false,
    plan: detections(['bucket', 'category', 'type']),
  },
  {
    id: 'buckets-status-reason',
    title: 'Status and reason per bucket',
    description: 'Objects per bucket, status code and reason (top-level objects only).',
    source: 'aws-samples #12',
    requires: [],
    inReport: false,
    plan: objects(['bucket', 'statusCode', 'statusReason'], ['objects']),
  },
  {
    id: 'locations-managed',
    title: 'Where inside each object the sensitive data is (managed identifiers)',
    description:
      'One row per occurrence location (line range, page, record and JSON path, or cell) of each managed identifier detection in the given job(s), archive members included. Outputs field paths and column names, which can themselves be sensitive.',
    source: 'aws-samples #13',
    requires: ['jobIds'],
    inReport: false,
    readsOccurrences: true,
    plan: detections(
      ['jobId', 'bucket', 'key', 'archiveMember', 'category', 'type'],
      ['detections'],
      'include',
    ),
    emit: (p, target) => emitLocations('managed', { archiveMembers: 'include', ...p.filters }, target),
  },
  {
    id: 'locations-custom',
    title: 'Where inside each object the sensitive data is (custom identifiers)',
    description:
      'The same as locations-managed for custom data identifiers. Fix: the same row shape as managed identifiers (aws-samples returned JSON text and an unnamed _col2 here).',
    source: 'aws-samples #14',
    requires: ['jobIds'],
    inReport: false,
    readsOccurrences: true,
    plan: detections(
      ['jobId', 'bucket', 'key', 'archiveMember', 'category', 'type'],
      ['detections'],
      'include',
    ),
    emit: (p, target) => emitLocations('custom', { archiveMembers: 'include', ...p.filters }, target),
  },
  {
    id: 'object-detail-listing',
    title: 'Every object with sensitive data, including files inside archives',
    description:
      'Per job, bucket, object, archive member, category and type, the detection count. Fix: UNION ALL with the job ID, so one object scanned by two jobs keeps two rows.',
    source: 'aws-samples #15',
    requires: [],
    inReport: false,
    plan: detections(
      ['jobId', 'bucket', 'key', 'archiveMember', 'category', 'type'],
      ['detections'],
      'include',
    ),
  },
  {
    id: 'top-types',
    title: 'Top sensitive data types',
    description: `The most detected sensitive data types (default top 5). ${ARCHIVE_NOTE}`,
    source: 'AWS blog',
    requires: [],
    inReport: true,
    plan: (p) => ({ ...detections(['type'], ['detections', 'objects'])(p), limit: p.top ?? 5 }),
  },
  {
    id: 'detections-by-account',
    title: 'Detections per account',
    description: `Detections and objects with sensitive data per account. ${ARCHIVE_NOTE}`,
    source: 'AWS blog',
    requires: [],
    inReport: true,
    plan: detections(['account'], ['detections', 'objects', 'buckets']),
  },
  {
    id: 'detections-by-bucket-category-type',
    title: 'Detections per bucket, category and type',
    description: `Detections per bucket, category and type. ${ARCHIVE_NOTE}`,
    source: 'AWS blog',
    requires: [],
    inReport: true,
    plan: detections(['bucket', 'category', 'type'], ['detections', 'objects']),
  },
  {
    id: 'coverage-gaps',
    title: 'What Macie could not analyze, and how to fix it',
    description:
      'SKIPPED and PARTIAL top-level objects per status, reason, account, bucket and extension, with bytes not analyzed and a remediation hint for each reason code.',
    source: 'secblocks',
    requires: [],
    inReport: true,
    plan: (p) => ({
      grain: 'objects',
      dimensions: ['statusCode', 'statusReason', 'account', 'bucket', 'extension'],
      measures: ['objects', 'bytesNotAnalyzed'],
      filters: { archiveMembers: 'exclude', statusCodes: ['SKIPPED', 'PARTIAL'], ...p.filters },
      ...(p.top !== undefined ? { limit: p.top } : {}),
    }),
    extraColumns: [{ name: 'remediation', kind: 'string' }],
    decorate: (row) => ({ ...row, remediation: remediationFor(row.status_reason as string | null) }),
  },
  {
    id: 'labelled-accounts',
    title: 'Sensitive data in accounts with a given label (e.g. dev)',
    description:
      'Detections per label, account and category, for accounts whose caller-supplied label is in `labels` (default `dev`).',
    source: 'secblocks',
    requires: ['accountLabels'],
    inReport: false,
    plan: (p) => ({
      grain: 'detections',
      dimensions: ['label', 'account', 'category'],
      measures: ['detections', 'objects', 'buckets'],
      filters: withArchive(p, 'exclude'),
      ...(p.accountLabels ? { accountLabels: p.accountLabels } : {}),
      labels: p.labels ?? ['dev'],
      ...(p.top !== undefined ? { limit: p.top } : {}),
    }),
  },
  {
    id: 'new-buckets',
    title: 'Buckets newly holding sensitive data',
    description:
      'Buckets whose first result with sensitive data is on or after `filters.since` (the since filter applies to that first appearance, not to the records read).',
    source: 'secblocks',
    requires: ['since'],
    inReport: false,
    plan: (p) => {
      const { since, ...rest } = p.filters ?? {};
      return {
        grain: 'detections',
        dimensions: ['account', 'bucket'],
        measures: ['firstSeen', 'lastSeen', 'detections', 'objects'],
        filters: { archiveMembers: 'exclude', ...rest },
        having: [{ measure: 'firstSeen', op: '>=', value: since ?? '' }],
        orderBy: [{ by: 'firstSeen', desc: true }, { by: 'account' }, { by: 'bucket' }],
        ...(p.top !== undefined ? { limit: p.top } : {}),
      };
    },
  },
  {
    id: 'exposed-buckets',
    title: 'Public or unencrypted buckets holding sensitive data',
    description:
      'Buckets with sensitive data whose effective permission is PUBLIC, that allow unencrypted uploads, or that have no default encryption.',
    source: 'secblocks',
    requires: [],
    inReport: true,
    plan: (p) => ({
      grain: 'detections',
      dimensions: [
        'account',
        'bucket',
        'effectivePermission',
        'allowsUnencryptedUploads',
        'bucketEncryption',
      ],
      measures: ['detections', 'objects'],
      filters: withArchive(p, 'exclude'),
      exposedBucketsOnly: true,
      ...(p.top !== undefined ? { limit: p.top } : {}),
    }),
  },
  {
    id: 'credentials',
    title: 'Credentials anywhere, including inside archives',
    description:
      'Every object (and archive member) with CREDENTIALS detections: keys, tokens, private keys, basic-auth headers.',
    source: 'secblocks',
    requires: [],
    inReport: true,
    plan: (p) => ({
      ...detections(['account', 'bucket', 'key', 'archiveMember', 'type'], ['detections'], 'include')(p),
      filters: { archiveMembers: 'include', ...p.filters, categories: ['CREDENTIALS'] },
    }),
  },
  {
    id: 'archive-members',
    title: 'Archive drill-down: members with sensitive data',
    description:
      'Files extracted from archives that hold sensitive data, per archive, member, category and type.',
    source: 'secblocks',
    requires: [],
    inReport: false,
    plan: detections(['bucket', 'key', 'archiveMember', 'category', 'type'], ['detections'], 'only'),
  },
  {
    id: 'trend-job-runs',
    title: 'Trend across job runs',
    description: `Per job: when it ran (first and last result), objects with sensitive data, and detections. ${ARCHIVE_NOTE}`,
    source: 'secblocks',
    requires: [],
    inReport: true,
    plan: (p) => ({
      ...detections(['jobId'], ['firstSeen', 'lastSeen', 'objects', 'detections'])(p),
      orderBy: [{ by: 'firstSeen' }, { by: 'jobId' }],
    }),
  },
  {
    id: 'first-last-seen',
    title: 'First and last seen per bucket and type',
    description: `When each sensitive data type was first and last found in each bucket, and by how many jobs. ${ARCHIVE_NOTE}`,
    source: 'secblocks',
    requires: [],
    inReport: false,
    plan: (p) => ({
      ...detections(['bucket', 'type'], ['firstSeen', 'lastSeen', 'jobs', 'detections'])(p),
      orderBy: [{ by: 'bucket' }, { by: 'type' }],
    }),
  },
  {
    id: 'data-quality',
    title: 'Data quality of the results read',
    description:
      'Records read, records with no id (malformed lines on Athena), unknown status codes and unknown reason codes: new values Macie may add.',
    source: 'secblocks',
    requires: [],
    inReport: true,
    plan: (p) => ({
      grain: 'objects',
      dimensions: [],
      measures: ['objects', 'malformedRecords', 'unknownStatusCodes', 'unknownReasons'],
      filters: { archiveMembers: 'include', ...p.filters },
    }),
  },
];

/**
 * Finds a catalog question by ID.
 *
 * @param id - e.g. `top-types`.
 * @returns The question.
 * @throws {@link MacieQueryError} `UNKNOWN_QUESTION` listing the known IDs.
 * @example
 * ```ts
 * getQuestion('coverage-gaps').title;
 * ```
 */
export function getQuestion(id: string): Question {
  const found = QUESTIONS.find((q) => q.id === id);
  if (!found) {
    throw new MacieQueryError(
      MacieQueryErrorCode.UNKNOWN_QUESTION,
      `Unknown question ${JSON.stringify(String(id).slice(0, 64))}; known: ${QUESTIONS.map((q) => q.id).join(', ')}`,
    );
  }
  return found;
}

/**
 * Emits one catalog question for one engine.
 *
 * @param id - Question ID.
 * @param target - Athena table or DuckDB source.
 * @param params - Filters, top N, account labels.
 * @returns SQL with bound parameters and output columns (extra computed columns included).
 * @throws {@link MacieQueryError} `UNKNOWN_QUESTION`, `MISSING_PARAMETER`, `INVALID_FILTER`.
 * @example
 * ```ts
 * const { sql, params } = emitQuestion('top-types', { engine: 'athena', table: { table: 'macie_results' } }, { top: 10 });
 * ```
 */
export function emitQuestion(id: string, target: EmitTarget, params: QuestionParams = {}): EmittedSql {
  const question = getQuestion(id);
  for (const need of question.requires) {
    const missing =
      need === 'jobIds'
        ? !params.filters?.jobIds?.length
        : need === 'since'
          ? params.filters?.since === undefined
          : !params.accountLabels || Object.keys(params.accountLabels).length === 0;
    if (missing) {
      throw new MacieQueryError(
        MacieQueryErrorCode.MISSING_PARAMETER,
        `Question ${id} needs ${need === 'accountLabels' ? 'accountLabels' : `filters.${need}`}`,
      );
    }
  }
  if (
    params.top !== undefined &&
    !(Number.isInteger(params.top) && params.top >= 1 && params.top <= 1_000_000)
  ) {
    throw new MacieQueryError(
      MacieQueryErrorCode.INVALID_FILTER,
      'Parameter "top" must be an integer from 1 to 1000000',
    );
  }
  if (question.emit) return question.emit(params, target);
  const emitted = emitPlan(question.plan(params), target);
  return { ...emitted, columns: [...emitted.columns, ...(question.extraColumns ?? [])] };
}
