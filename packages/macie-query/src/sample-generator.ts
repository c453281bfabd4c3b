import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createSeededRandom } from '@secblocks/core';
import { invalidOption } from './errors.js';
import { STATUS_REASON_CODES } from './reason-codes.js';
import type { MacieResultRecord } from './schema.js';

/** Options of {@link generateSampleRecords} and {@link writeSampleCorpus}. */
export interface SampleOptions {
  /** Number of records. */
  records: number;
  /** PRNG seed: the same seed gives byte-identical output. @defaultValue `1` */
  seed?: number;
  /** Member accounts. @defaultValue `4` */
  accounts?: number;
  /** Classification jobs (plus automated discovery results). @defaultValue `3` */
  jobs?: number;
  /** Buckets per account. @defaultValue `5` */
  bucketsPerAccount?: number;
}

/** A generated record with the S3 key Macie would write it under. */
export interface SampleRecord {
  /** `AWSLogs/<admin>/Macie/<region>/<jobId>/<account>/<uuid>.jsonl.gz` (or the older layout without `<account>/`). */
  key: string;
  /** The record. */
  record: MacieResultRecord;
}

const MDI: Record<string, string[]> = {
  CREDENTIALS: ['AWS_CREDENTIALS', 'OPENSSH_PRIVATE_KEY', 'HTTP_BASIC_AUTH_HEADER', 'PGP_PRIVATE_KEY'],
  FINANCIAL_INFORMATION: ['CREDIT_CARD_NUMBER', 'CREDIT_CARD_SECURITY_CODE', 'BANK_ACCOUNT_NUMBER'],
  PERSONAL_INFORMATION: [
    'NAME',
    'ADDRESS',
    'PHONE_NUMBER',
    'DATE_OF_BIRTH',
    'USA_SOCIAL_SECURITY_NUMBER',
    'FUTURE_TYPE_NOT_YET_KNOWN',
  ],
};
const CATEGORIES = Object.keys(MDI);
const FILES: [string, string][] = [
  ['csv', 'text/csv'],
  ['json', 'application/json'],
  ['jsonl', 'application/x-ndjson'],
  ['parquet', 'application/parquet'],
  ['txt', 'text/plain'],
  ['pdf', 'application/pdf'],
  ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['png', 'image/png'],
];
const REGIONS = ['us-east-1', 'eu-west-1'];
const STORAGE = ['STANDARD', 'STANDARD_IA', 'INTELLIGENT_TIERING', 'GLACIER'];
const TWO_31 = 2 ** 31;

const publicAccess = (isPublic: boolean) => {
  const flags = { allowsPublicReadAccess: isPublic, allowsPublicWriteAccess: false };
  const bpa = {
    ignorePublicAcls: !isPublic,
    restrictPublicBuckets: !isPublic,
    blockPublicAcls: !isPublic,
    blockPublicPolicy: !isPublic,
  };
  return {
    permissionConfiguration: {
      bucketLevelPermissions: { accessControlList: flags, bucketPolicy: flags, blockPublicAccess: bpa },
      accountLevelPermissions: { blockPublicAccess: bpa },
    },
    effectivePermission: isPublic ? 'PUBLIC' : 'NOT_PUBLIC',
  };
};

/**
 * Generates realistic, deterministic discovery-result records: every category, custom data identifiers,
 * SKIPPED and PARTIAL results cycling through all 21 reason codes, archives (a roll-up record plus one
 * record per member with `embeddedFileDetails`), automated discovery results (null job ID), object sizes and
 * detection counts above 2^31, numbers as JSON strings, `reason` keys absent when COMPLETE, unknown detection
 * types, and public or unencrypted buckets.
 *
 * @param options - Size, seed and shape.
 * @returns Records with their S3 keys, in generation order.
 * @throws {@link MacieQueryError} `INVALID_OPTION` for a bad size or seed.
 * @example
 * ```ts
 * for (const { key, record } of generateSampleRecords({ records: 100, seed: 7 })) console.log(key, record.id);
 * ```
 */
export function* generateSampleRecords(options: SampleOptions): Generator<SampleRecord> {
  const { records } = options;
  if (!Number.isInteger(records) || records < 0 || records > 100_000_000)
    throw invalidOption('records', 'an integer from 0 to 100000000');
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw invalidOption('seed', 'an integer');
  const nAccounts = options.accounts ?? 4;
  const nJobs = options.jobs ?? 3;
  const nBuckets = options.bucketsPerAccount ?? 5;
  for (const [name, v] of [
    ['accounts', nAccounts],
    ['jobs', nJobs],
    ['bucketsPerAccount', nBuckets],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 1000) throw invalidOption(name, 'an integer from 1 to 1000');
  }
  const rand = createSeededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const hex = (n: number) => {
    let out = '';
    while (out.length < n)
      out += Math.floor(rand() * 4294967296)
        .toString(16)
        .padStart(8, '0');
    return out.slice(0, n);
  };
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const admin = '999988887777';
  const accounts = Array.from({ length: nAccounts }, (_, i) =>
    String(111111111111 * ((i % 8) + 1) + i)
      .padStart(12, '0')
      .slice(0, 12),
  );
  const jobs = Array.from({ length: nJobs }, () => hex(32));
  const day = (offset: number) =>
    new Date(Date.UTC(2024, 0, 1) + offset * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  let skipped = 0;
  let emitted = 0;
  while (emitted < records) {
    const accountIndex = Math.floor(rand() * accounts.length);
    const account = accounts[accountIndex] as string;
    const region = REGIONS[accountIndex % REGIONS.length] as string;
    const bucketIndex = Math.floor(rand() * nBuckets);
    const bucket = `sample-${account}-data-${bucketIndex}`;
    const automated = rand() < 0.1;
    const jobIndex = Math.floor(rand() * jobs.length);
    const jobId = automated ? null : (jobs[jobIndex] as string);
    const createdAt = day(
      (automated ? 40 : jobIndex * 30) +
        (bucketIndex % 3) +
        (accountIndex === 0 && bucketIndex === nBuckets - 1 ? 60 : 0),
    );
    const isPublic = bucketIndex === 0 && accountIndex % 2 === 1;
    const encrypted = bucketIndex !== 1;
    const base = (
      key: string,
      ext: string,
      size: number,
      member?: { path: string; ext: string; size: number },
    ) => {
      const id = hex(32);
      const folder = automated ? 'automated-sensitive-data-discovery' : (jobId as string);
      const oldLayout = rand() < 0.05;
      const s3key = `AWSLogs/${admin}/Macie/${region}/${folder}/${oldLayout ? '' : `${account}/`}${uuid()}.jsonl.gz`;
      const record: MacieResultRecord = {
        schemaVersion: '1.0',
        id,
        accountId: account,
        partition: 'aws',
        region,
        type: 'SensitiveData:S3Object/Multiple',
        title: 'The S3 object contains multiple categories of sensitive information.',
        description: 'The object contains more than one category of sensitive information.',
        severity: { score: '3', description: 'High' },
        createdAt,
        category: 'CLASSIFICATION',
        resourcesAffected: {
          s3Bucket: {
            arn: `arn:aws:s3:::${bucket}`,
            name: bucket,
            createdAt: '2023-06-01T00:00:00Z',
            owner: { displayName: `owner-${account}`, id: hex(64) },
            tags: bucketIndex === 2 ? [{ key: 'env', value: accountIndex === 0 ? 'dev' : 'prod' }] : [],
            defaultServerSideEncryption: encrypted
              ? {
                  encryptionType: 'aws:kms',
                  kmsMasterKeyId: `arn:aws:kms:${region}:${account}:key/${uuid()}`,
                }
              : { encryptionType: 'NONE' },
            allowsUnencryptedObjectUploads: encrypted ? 'FALSE' : 'TRUE',
            publicAccess: publicAccess(isPublic),
          },
          s3Object: {
            bucketArn: `arn:aws:s3:::${bucket}`,
            key,
            path: `${bucket}/${key}`,
            extension: ext,
            lastModified: createdAt,
            eTag: hex(32),
            serverSideEncryption: { encryptionType: encrypted ? 'aws:kms' : 'NONE' },
            size: String(size),
            storageClass: pick(STORAGE),
            tags: [],
            publicAccess: isPublic,
            ...(member
              ? {
                  embeddedFileDetails: {
                    filePath: member.path,
                    fileExtension: member.ext,
                    fileSize: String(member.size),
                    fileLastModified: createdAt,
                  },
                }
              : {}),
          },
        },
        classificationDetails: {
          ...(automated
            ? { originType: 'AUTOMATED_SENSITIVE_DATA_DISCOVERY' }
            : {
                jobArn: `arn:aws:macie2:${region}:${admin}:classification-job/${jobId}`,
                jobId,
                originType: 'SENSITIVE_DATA_DISCOVERY_JOB',
              }),
          detailedResultsLocation: `s3://macie-results-${admin}/${s3key}`,
          result: {
            status: { code: 'COMPLETE' },
            sizeClassified: String(size),
            mimeType: 'text/plain',
            sensitiveData: [],
          },
        },
      };
      return { key: s3key, record };
    };
    const detectionsFor = (big: boolean) => {
      const categories = CATEGORIES.filter(() => rand() < 0.45);
      // A big object always has a NAME count above 2^31, so every corpus exercises BIGINT sums.
      if (big && !categories.includes('PERSONAL_INFORMATION')) categories.push('PERSONAL_INFORMATION');
      return categories.map((category) => {
        const types = (MDI[category] as string[]).filter(() => rand() < 0.5);
        if (types.length === 0) types.push(pick(MDI[category] as string[]));
        if (big && category === 'PERSONAL_INFORMATION' && !types.includes('NAME')) types.push('NAME');
        const detections = types.map((type) => {
          const count =
            big && type === 'NAME' ? TWO_31 + Math.floor(rand() * 1000) : 1 + Math.floor(rand() * 50);
          return {
            type,
            count: String(count),
            occurrences: {
              lineRanges: [
                {
                  start: String(1 + Math.floor(rand() * 100)),
                  end: String(1 + Math.floor(rand() * 100)),
                  startColumn: '1',
                },
              ],
              offsetRanges: [],
              pages: [],
              records: [],
              cells:
                rand() < 0.3
                  ? [
                      {
                        row: String(2 + Math.floor(rand() * 9)),
                        column: '3',
                        columnName: 'value',
                        cellReference: null,
                      },
                    ]
                  : [],
            },
          };
        });
        const total = detections.reduce((s, d) => s + Number(d.count), 0);
        return { category, totalCount: String(total), detections };
      });
    };
    const cdiFor = () => {
      const detections = [
        {
          arn: uuid(),
          name: rand() < 0.5 ? 'employee id' : 'internal project code',
          count: String(1 + Math.floor(rand() * 9)),
          occurrences: {
            lineRanges: [],
            offsetRanges: [],
            pages: [],
            records: [],
            cells: [{ row: '2', column: '12', columnName: 'email' }],
          },
        },
      ];
      return { totalCount: detections[0]?.count ?? '0', detections };
    };
    const roll = rand();
    if (roll < 0.04 && emitted + 3 <= records) {
      // An archive: one roll-up record (counts for the whole archive) plus one record per member.
      const members = [1, 2].map((i) => ({
        path: `export/part-${i}.csv`,
        ext: 'csv',
        size: 1000 + Math.floor(rand() * 100_000),
      }));
      const key = `archives/${hex(6)}.zip`;
      const memberRecords = members.map((m) => {
        const r = base(key, 'zip', 0, m);
        const result = r.record.classificationDetails?.result as NonNullable<
          NonNullable<MacieResultRecord['classificationDetails']>['result']
        >;
        result.mimeType = 'text/csv';
        result.sizeClassified = String(m.size);
        result.sensitiveData = [
          {
            category: 'CREDENTIALS',
            totalCount: '1',
            detections: [
              {
                type: 'AWS_CREDENTIALS',
                count: '1',
                occurrences: {
                  lineRanges: [{ start: '3', end: '3', startColumn: '1' }],
                  offsetRanges: [],
                  pages: [],
                  records: [],
                  cells: [],
                },
              },
            ],
          },
        ];
        return r;
      });
      const total = members.reduce((s, m) => s + m.size, 0);
      const roll = base(key, 'zip', total + 200);
      const result = roll.record.classificationDetails?.result as NonNullable<
        NonNullable<MacieResultRecord['classificationDetails']>['result']
      >;
      result.mimeType = 'application/zip';
      result.sizeClassified = String(total);
      result.sensitiveData = [
        {
          category: 'CREDENTIALS',
          totalCount: '2',
          detections: [
            {
              type: 'AWS_CREDENTIALS',
              count: '2',
              occurrences: { lineRanges: [], offsetRanges: [], pages: [], records: [], cells: [] },
            },
          ],
        },
      ];
      if (rand() < 0.5) result.status = { code: 'PARTIAL', reason: 'ARCHIVE_CONTAINS_UNPROCESSED_FILES' };
      yield roll;
      for (const m of memberRecords) yield m;
      emitted += 3;
      continue;
    }
    const [ext, mime] = pick(FILES);
    const big = rand() < 0.01;
    const size = big ? TWO_31 + Math.floor(rand() * 2 ** 33) : 100 + Math.floor(rand() * 5_000_000);
    const r = base(`data/${hex(4)}/${hex(10)}.${ext}`, ext, size);
    const result = r.record.classificationDetails?.result as NonNullable<
      NonNullable<MacieResultRecord['classificationDetails']>['result']
    >;
    result.mimeType = mime;
    if (roll < 0.13 || ext === 'png') {
      // SKIPPED: cycle through every reason code first so even small corpora have all 21.
      const reason =
        ext === 'png'
          ? 'UNSUPPORTED_FILE_TYPE_EXCEPTION'
          : (STATUS_REASON_CODES[skipped % STATUS_REASON_CODES.length] as string);
      skipped++;
      result.status = { code: 'SKIPPED', reason };
      result.sizeClassified = '0';
    } else {
      if (roll < 0.16) {
        result.status = { code: 'PARTIAL', reason: 'TIME_CUT_OFF_REACHED' };
        result.sizeClassified = String(Math.floor(size / 2));
      }
      if (roll < 0.5) {
        result.sensitiveData = detectionsFor(big);
        if (rand() < 0.25) result.customDataIdentifiers = cdiFor();
        const cats = (result.sensitiveData ?? []).map((s) => s?.category);
        if (cats.length === 1 && cats[0] === 'CREDENTIALS')
          r.record.type = 'SensitiveData:S3Object/Credentials';
      }
    }
    yield r;
    emitted++;
  }
}

/** Options of {@link writeSampleCorpus}. */
export interface WriteSampleOptions extends SampleOptions {
  /** Folder to write `AWSLogs/...` into. */
  outDir: string;
  /** Records per `.jsonl.gz` file (Macie writes several per file). @defaultValue `1000` */
  recordsPerFile?: number;
  /** gzip level (1 fastest … 9 smallest). @defaultValue `6` */
  gzipLevel?: number;
}

/** What {@link writeSampleCorpus} wrote. */
export interface SampleCorpusSummary {
  /** Files written. */
  files: number;
  /** Records written. */
  records: number;
  /** Compressed bytes written. */
  bytes: number;
}

/**
 * Writes a generated corpus as gzip JSON Lines files in Macie's S3 key layout under `outDir`: records
 * sharing a folder (`<admin>/Macie/<region>/<job>/<account>/`) are grouped into files of `recordsPerFile`.
 *
 * @param options - Corpus size, seed and destination.
 * @returns Counts of files, records and bytes.
 * @throws {@link MacieQueryError} `INVALID_OPTION`.
 * @example
 * ```ts
 * writeSampleCorpus({ outDir: 'sample', records: 10_000, seed: 1 });
 * ```
 */
export function writeSampleCorpus(options: WriteSampleOptions): SampleCorpusSummary {
  if (typeof options.outDir !== 'string' || options.outDir === '')
    throw invalidOption('outDir', 'a folder path');
  const perFile = options.recordsPerFile ?? 1000;
  if (!Number.isInteger(perFile) || perFile < 1) throw invalidOption('recordsPerFile', 'a positive integer');
  const level = options.gzipLevel ?? 6;
  if (!Number.isInteger(level) || level < 1 || level > 9)
    throw invalidOption('gzipLevel', 'an integer from 1 to 9');
  const open = new Map<string, { key: string; lines: string[] }>();
  const summary: SampleCorpusSummary = { files: 0, records: 0, bytes: 0 };
  const flush = (folder: string) => {
    const f = open.get(folder);
    if (!f || f.lines.length === 0) return;
    const path = join(options.outDir, f.key);
    mkdirSync(dirname(path), { recursive: true });
    const gz = gzipSync(`${f.lines.join('\n')}\n`, { level });
    writeFileSync(path, gz);
    summary.files++;
    summary.bytes += gz.length;
    open.delete(folder);
  };
  for (const { key, record } of generateSampleRecords(options)) {
    const folder = dirname(key);
    let f = open.get(folder);
    if (!f) {
      f = { key, lines: [] };
      open.set(folder, f);
    }
    // The record's detailedResultsLocation names the file it is in, as Macie's do.
    const details = record.classificationDetails as { detailedResultsLocation?: string };
    details.detailedResultsLocation =
      details.detailedResultsLocation?.replace(/AWSLogs\/.*$/, f.key) ?? (null as never);
    f.lines.push(JSON.stringify(record));
    summary.records++;
    if (f.lines.length >= perFile) flush(folder);
  }
  for (const folder of [...open.keys()]) flush(folder);
  return summary;
}
