import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, ListObjectsV2Command, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { type Logger, mapWithLimit, retry, silentLogger } from '@secblocks/core';
import { invalidOption, MacieQueryError, MacieQueryErrorCode } from './errors.js';
import { ACCOUNT_ID, BUCKET, DATE, JOB_ID, REGION } from './filters.js';

/** Options of {@link syncResults}. */
export interface SyncOptions {
  /** S3 client (credentials, Region). @defaultValue a client built from `clientConfig` */
  client?: S3Client;
  /** Configuration for the default client. */
  clientConfig?: S3ClientConfig;
  /** The discovery results bucket. */
  bucket: string;
  /** Local cache folder; keys are mirrored under it (`<to>/AWSLogs/...`). */
  to: string;
  /** Administrator accounts (first key segment); narrows listing to their prefixes. */
  adminAccounts?: readonly string[];
  /** Regions; with `adminAccounts`, narrows listing to `AWSLogs/<admin>/Macie/<region>/`. */
  regions?: readonly string[];
  /** Job IDs; with admin accounts and Regions, narrows listing to each job's prefix. */
  jobIds?: readonly string[];
  /** Accounts that own the buckets (the segment after the job ID); other keys are not downloaded. */
  accounts?: readonly string[];
  /** Only objects last modified on or after this date. */
  since?: string;
  /** Parallel downloads. @defaultValue `4` */
  concurrency?: number;
  /** Cancels listing and downloads. */
  signal?: AbortSignal;
  /** Progress (keys, counts); never object contents. @defaultValue silent */
  logger?: Logger;
  /** Called after each object is handled, for progress bars. */
  onProgress?: (event: { key: string; action: 'downloaded' | 'unchanged' }) => void;
}

/** What {@link syncResults} did. */
export interface SyncSummary {
  /** Result objects listed (after filters). */
  listed: number;
  /** Objects downloaded (new or changed ETag). */
  downloaded: number;
  /** Objects already in the cache with the same ETag and size. */
  unchanged: number;
  /** Bytes downloaded. */
  bytes: number;
}

interface Manifest {
  [key: string]: { etag: string; size: number };
}

const MANIFEST = '.macie-sync.json';
const KEY = /^AWSLogs\/(\d{12})\/Macie\/([a-z0-9-]+)\/([^/]+)\/(?:(\d{12})\/)?[^/]+\.jsonl\.gz$/;

function prefixes(o: SyncOptions): string[] {
  const admins = o.adminAccounts ?? [];
  if (admins.length === 0) return ['AWSLogs/'];
  return admins.flatMap((a) => {
    const regions = o.regions ?? [];
    if (regions.length === 0) return [`AWSLogs/${a}/Macie/`];
    return regions.flatMap((r) => {
      const jobs = o.jobIds ?? [];
      return jobs.length === 0
        ? [`AWSLogs/${a}/Macie/${r}/`]
        : jobs.map((j) => `AWSLogs/${a}/Macie/${r}/${j}/`);
    });
  });
}

/**
 * Mirrors discovery-result files from the results bucket into a local folder with `@aws-sdk/client-s3`,
 * downloading only new or changed objects (by ETag and size, kept in `<to>/.macie-sync.json`). KMS
 * decryption is transparent to `GetObject` given `kms:Decrypt`. Keys that are not result files, or that would
 * escape the folder, are ignored. Downloads go to a temporary file renamed into place, so an interrupted
 * sync never leaves a truncated result file.
 *
 * IAM: `s3:ListBucket` and `s3:GetObject` on the bucket, `kms:Decrypt` on its key.
 *
 * @param options - Bucket, folder, filters.
 * @returns Counts.
 * @throws {@link MacieQueryError} `INVALID_OPTION`, `INVALID_FILTER`, or `SYNC_FAILED` (cause: the SDK error).
 * @example
 * ```ts
 * await syncResults({ bucket: 'macie-results-111122223333', to: './cache', adminAccounts: ['111122223333'] });
 * ```
 */
export async function syncResults(options: SyncOptions): Promise<SyncSummary> {
  const o = options;
  if (typeof o.bucket !== 'string' || !BUCKET.test(o.bucket))
    throw invalidOption('bucket', 'an S3 bucket name');
  if (typeof o.to !== 'string' || o.to === '') throw invalidOption('to', 'a folder path');
  const bad = (name: string, values: readonly string[] | undefined, re: RegExp) => {
    for (const v of values ?? []) {
      if (typeof v !== 'string' || !re.test(v)) {
        throw new MacieQueryError(
          MacieQueryErrorCode.INVALID_FILTER,
          `Filter "${name}" has ${JSON.stringify(String(v).slice(0, 64))}`,
        );
      }
    }
  };
  bad('adminAccounts', o.adminAccounts, ACCOUNT_ID);
  bad('accounts', o.accounts, ACCOUNT_ID);
  bad('regions', o.regions, REGION);
  bad('jobIds', o.jobIds, JOB_ID);
  if (o.since !== undefined && !DATE.test(o.since))
    throw new MacieQueryError(MacieQueryErrorCode.INVALID_FILTER, 'Filter "since" is not a date');
  const concurrency = o.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw invalidOption('concurrency', 'an integer from 1 to 64');
  const logger = o.logger ?? silentLogger;
  const client = o.client ?? new S3Client(o.clientConfig ?? {});
  const root = resolve(o.to);
  mkdirSync(root, { recursive: true });
  const manifestPath = join(root, MANIFEST);
  let manifest: Manifest = {};
  try {
    if (existsSync(manifestPath)) manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  } catch {
    manifest = {};
  }
  const since = o.since ? Date.parse(o.since.length === 10 ? `${o.since}T00:00:00Z` : o.since) : undefined;
  const wanted: { key: string; etag: string; size: number }[] = [];
  const call = <T>(fn: () => Promise<T>, what: string): Promise<T> =>
    retry(fn, { maxAttempts: 5, ...(o.signal ? { signal: o.signal } : {}) }).catch((error: unknown) => {
      throw new MacieQueryError(
        MacieQueryErrorCode.SYNC_FAILED,
        `S3 ${what} failed: ${(error as { name?: string }).name ?? 'Error'}`,
        {
          cause: error,
        },
      );
    });
  try {
    for (const prefix of prefixes(o)) {
      let token: string | undefined;
      do {
        const page = await call(
          () =>
            client.send(
              new ListObjectsV2Command({ Bucket: o.bucket, Prefix: prefix, ContinuationToken: token }),
            ),
          'ListObjectsV2',
        );
        for (const obj of page.Contents ?? []) {
          const key = obj.Key ?? '';
          const m = KEY.exec(key);
          if (!m) continue;
          if (o.regions?.length && !o.regions.includes(m[2] as string)) continue;
          if (o.jobIds?.length && !o.jobIds.includes(m[3] as string)) continue;
          if (o.accounts?.length && !(m[4] && o.accounts.includes(m[4]))) continue;
          if (since !== undefined && obj.LastModified && obj.LastModified.getTime() < since) continue;
          wanted.push({ key, etag: (obj.ETag ?? '').replace(/"/g, ''), size: obj.Size ?? 0 });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    }
    const summary: SyncSummary = { listed: wanted.length, downloaded: 0, unchanged: 0, bytes: 0 };
    await mapWithLimit(wanted, concurrency, async (item) => {
      const path = resolve(root, item.key);
      // Defence in depth: the key pattern already forbids '..', but never write outside the cache folder.
      if (!path.startsWith(root + sep)) return;
      const known = manifest[item.key];
      if (known && known.etag === item.etag && existsSync(path) && statSync(path).size === item.size) {
        summary.unchanged++;
        o.onProgress?.({ key: item.key, action: 'unchanged' });
        return;
      }
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.part`;
      await call(async () => {
        const out = await client.send(new GetObjectCommand({ Bucket: o.bucket, Key: item.key }));
        await pipeline(out.Body as Readable, createWriteStream(tmp), o.signal ? { signal: o.signal } : {});
      }, 'GetObject').catch((error: unknown) => {
        rmSync(tmp, { force: true });
        throw error;
      });
      renameSync(tmp, path);
      manifest[item.key] = { etag: item.etag, size: item.size };
      summary.downloaded++;
      summary.bytes += item.size;
      o.onProgress?.({ key: item.key, action: 'downloaded' });
    });
    logger.info('macie results synced', { ...summary });
    return summary;
  } finally {
    writeFileSync(manifestPath, JSON.stringify(manifest));
    if (!o.client) client.destroy();
  }
}

/** Options of {@link estimateScanBytes}. */
export interface EstimateScanOptions {
  /** S3 client. @defaultValue a client built from `clientConfig` */
  client?: S3Client;
  /** Configuration for the default client. */
  clientConfig?: S3ClientConfig;
  /** The discovery results bucket the Athena table reads. */
  bucket: string;
  /** Administrator accounts; narrows the prefixes summed. */
  adminAccounts?: readonly string[];
  /** Regions (with `adminAccounts`). */
  regions?: readonly string[];
  /** Job IDs (with admin accounts and Regions): what a projected table reads for a per-job question. */
  jobIds?: readonly string[];
  /** Cancels listing. */
  signal?: AbortSignal;
}

/**
 * Estimates how many bytes an Athena query over the results table will scan, by summing the sizes of the
 * result objects under the prefixes it reads (JSON is not columnar: Athena reads every byte of every file in
 * scope, billed on the compressed size). Pass the figure as `estimatedScanBytes`, so a query over the
 * runner's `maxScanBytes` is refused before it starts.
 *
 * @param options - Bucket and the prefixes in scope.
 * @returns Total bytes of `.jsonl.gz` result objects in scope.
 * @throws {@link MacieQueryError} `INVALID_OPTION`, `INVALID_FILTER`, or `SYNC_FAILED`.
 * @example
 * ```ts
 * const bytes = await estimateScanBytes({ bucket: 'macie-results-111122223333', adminAccounts: ['111122223333'] });
 * await mq.ask('top-types', {}, { estimatedScanBytes: bytes });
 * ```
 */
export async function estimateScanBytes(options: EstimateScanOptions): Promise<number> {
  const o = options;
  if (typeof o.bucket !== 'string' || !BUCKET.test(o.bucket))
    throw invalidOption('bucket', 'an S3 bucket name');
  for (const [name, values, re] of [
    ['adminAccounts', o.adminAccounts, ACCOUNT_ID],
    ['regions', o.regions, REGION],
    ['jobIds', o.jobIds, JOB_ID],
  ] as const) {
    for (const v of values ?? []) {
      if (typeof v !== 'string' || !re.test(v)) {
        throw new MacieQueryError(
          MacieQueryErrorCode.INVALID_FILTER,
          `Filter "${name}" has ${JSON.stringify(String(v).slice(0, 64))}`,
        );
      }
    }
  }
  const client = o.client ?? new S3Client(o.clientConfig ?? {});
  let total = 0;
  try {
    for (const prefix of prefixes({ ...o, to: '.' })) {
      let token: string | undefined;
      do {
        const page = await retry(
          () =>
            client.send(
              new ListObjectsV2Command({ Bucket: o.bucket, Prefix: prefix, ContinuationToken: token }),
            ),
          { maxAttempts: 5, ...(o.signal ? { signal: o.signal } : {}) },
        ).catch((error: unknown) => {
          throw new MacieQueryError(
            MacieQueryErrorCode.SYNC_FAILED,
            `S3 ListObjectsV2 failed: ${(error as { name?: string }).name ?? 'Error'}`,
            {
              cause: error,
            },
          );
        });
        for (const obj of page.Contents ?? []) if (KEY.test(obj.Key ?? '')) total += obj.Size ?? 0;
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    }
    return total;
  } finally {
    if (!o.client) client.destroy();
  }
}
