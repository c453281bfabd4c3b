import { MacieQueryError, MacieQueryErrorCode } from './errors.js';
import { SENSITIVE_DATA_CATEGORIES, STATUS_CODES } from './reason-codes.js';

/** How archive members (records with `embeddedFileDetails`, one per file extracted from a zip/tar/gzip) count. */
export type ArchiveMembers = 'exclude' | 'include' | 'only';

/**
 * Filters shared by every question. Every value is validated strictly and then bound as a parameter: a
 * value that does not match its pattern throws `INVALID_FILTER` naming the filter and never reaches SQL.
 */
export interface QuestionFilters {
  /** 12-digit AWS account IDs (the account that owns the bucket, `accountId`). */
  accounts?: readonly string[];
  /** Region codes such as `us-east-1`. */
  regions?: readonly string[];
  /** Macie job IDs (32 hexadecimal characters). */
  jobIds?: readonly string[];
  /** S3 bucket names. */
  buckets?: readonly string[];
  /** Results created on or after this date (`YYYY-MM-DD` or an ISO-8601 UTC timestamp). */
  since?: string;
  /** Results created before this date (`YYYY-MM-DD` or an ISO-8601 UTC timestamp). */
  until?: string;
  /** Sensitive data categories, e.g. `CREDENTIALS`, `CUSTOM_IDENTIFIER`. */
  categories?: readonly string[];
  /** Sensitive data types (managed identifier IDs such as `CREDIT_CARD_NUMBER`) or custom identifier names. */
  types?: readonly string[];
  /** Result status codes: `COMPLETE`, `PARTIAL`, `SKIPPED`. */
  statusCodes?: readonly string[];
  /**
   * Archive members: `exclude` counts an archive once, through its roll-up record; `include` lists members
   * too; `only` keeps just the members.
   * @defaultValue the question's default (usually `exclude`)
   */
  archiveMembers?: ArchiveMembers;
}

/** @internal Filters after validation. */
export interface ValidFilters {
  accounts: string[];
  regions: string[];
  jobIds: string[];
  buckets: string[];
  since: string | undefined;
  until: string | undefined;
  categories: string[];
  types: string[];
  statusCodes: string[];
  archiveMembers: ArchiveMembers | undefined;
}

/** 12-digit account ID. */
export const ACCOUNT_ID = /^\d{12}$/;
/** Region code, including partitions such as `us-gov-west-1` and `cn-north-1`. */
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
/** Macie job ID. */
export const JOB_ID = /^[0-9a-f]{32}$/;
/** S3 bucket name (general purpose). */
export const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** A date or UTC timestamp comparable as text with Macie's `createdAt`. */
export const DATE =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?Z)?$/;

const show = (value: unknown): string => {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
};

function list(name: string, value: unknown, check: (v: string) => boolean, expectation: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new MacieQueryError(
      MacieQueryErrorCode.INVALID_FILTER,
      `Filter "${name}" must be a list of ${expectation}`,
    );
  }
  if (value.length > 1000) {
    throw new MacieQueryError(
      MacieQueryErrorCode.INVALID_FILTER,
      `Filter "${name}" has more than 1000 values`,
    );
  }
  for (const v of value) {
    if (typeof v !== 'string' || !check(v)) {
      throw new MacieQueryError(
        MacieQueryErrorCode.INVALID_FILTER,
        `Filter "${name}" has ${show(v)}, which is not ${expectation}`,
      );
    }
  }
  return [...new Set(value as string[])];
}

function date(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !DATE.test(value)) {
    throw new MacieQueryError(
      MacieQueryErrorCode.INVALID_FILTER,
      `Filter "${name}" has ${show(value)}, which is not a YYYY-MM-DD date or ISO-8601 UTC timestamp`,
    );
  }
  return value;
}

const PRINTABLE = (v: string) => v.length > 0 && v.length <= 256 && !/[\p{Cc}]/u.test(v);

/**
 * Validates filters: every account ID, Region, job ID, bucket, date, category, type and status code must
 * match its pattern or list of known values.
 *
 * @param filters - The caller's filters.
 * @returns Normalized filters (deduplicated lists).
 * @throws {@link MacieQueryError} `INVALID_FILTER` naming the filter and the offending value.
 * @example
 * ```ts
 * validateFilters({ accounts: ['111122223333'], since: '2024-01-01' });
 * ```
 */
export function validateFilters(filters: QuestionFilters = {}): ValidFilters {
  if (typeof filters !== 'object' || filters === null) {
    throw new MacieQueryError(MacieQueryErrorCode.INVALID_FILTER, 'Filters must be an object');
  }
  const archive = filters.archiveMembers;
  if (archive !== undefined && archive !== 'exclude' && archive !== 'include' && archive !== 'only') {
    throw new MacieQueryError(
      MacieQueryErrorCode.INVALID_FILTER,
      `Filter "archiveMembers" has ${show(archive)}, which is not exclude, include or only`,
    );
  }
  return {
    accounts: list('accounts', filters.accounts, (v) => ACCOUNT_ID.test(v), 'a 12-digit account ID'),
    regions: list('regions', filters.regions, (v) => REGION.test(v), 'a Region code such as us-east-1'),
    jobIds: list(
      'jobIds',
      filters.jobIds,
      (v) => JOB_ID.test(v),
      'a Macie job ID (32 hexadecimal characters)',
    ),
    buckets: list('buckets', filters.buckets, (v) => BUCKET.test(v), 'an S3 bucket name'),
    since: date('since', filters.since),
    until: date('until', filters.until),
    categories: list(
      'categories',
      filters.categories,
      (v) => (SENSITIVE_DATA_CATEGORIES as readonly string[]).includes(v),
      `one of ${SENSITIVE_DATA_CATEGORIES.join(', ')}`,
    ),
    types: list(
      'types',
      filters.types,
      PRINTABLE,
      'a sensitive data type or custom identifier name (1–256 printable characters)',
    ),
    statusCodes: list(
      'statusCodes',
      filters.statusCodes,
      (v) => (STATUS_CODES as readonly string[]).includes(v),
      `one of ${STATUS_CODES.join(', ')}`,
    ),
    archiveMembers: archive,
  };
}
