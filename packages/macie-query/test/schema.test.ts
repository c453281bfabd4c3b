import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  athenaTableDdl,
  duckDbColumns,
  generateSampleRecords,
  MACIE_RESULT_SCHEMA,
  schemaPaths,
} from '../src/index.js';

const keyPaths = (value: unknown, prefix = ''): string[] => {
  if (Array.isArray(value)) return value.flatMap((v) => keyPaths(v, `${prefix}[]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => {
      const p = prefix ? `${prefix}.${k}` : k;
      return [p, ...keyPaths(v, p)];
    });
  }
  return [];
};

describe('MACIE_RESULT_SCHEMA', () => {
  it('describes every key of the real-shaped fixture records', () => {
    const known = new Set(schemaPaths());
    const lines = readFileSync(join(import.meta.dirname, 'fixtures/reveal-records.jsonl'), 'utf8')
      .trim()
      .split('\n');
    for (const line of lines) {
      const unknown = keyPaths(JSON.parse(line)).filter((p) => !known.has(p));
      expect(unknown).toEqual([]);
    }
  });

  it('describes every key the sample generator writes', () => {
    const known = new Set(schemaPaths());
    const seen = new Set<string>();
    for (const { record } of generateSampleRecords({ records: 400, seed: 3 }))
      for (const p of keyPaths(record)) seen.add(p);
    expect([...seen].filter((p) => !known.has(p))).toEqual([]);
  });
});

describe('duckDbColumns', () => {
  it('declares keys that auto-detection misses and types counts BIGINT', () => {
    const cols = duckDbColumns();
    expect(Object.keys(cols)).toEqual(Object.keys(MACIE_RESULT_SCHEMA.fields));
    expect(cols.classificationDetails).toContain('"status" STRUCT("code" VARCHAR, "reason" VARCHAR)');
    expect(cols.classificationDetails).toContain('"sizeClassified" BIGINT');
    expect(cols.resourcesAffected).toContain('"embeddedFileDetails" STRUCT(');
    expect(cols.resourcesAffected).toContain('"tags" STRUCT("key" VARCHAR, "value" VARCHAR)[]');
  });

  it('drops occurrence locations when slim', () => {
    expect(duckDbColumns().classificationDetails).toContain('"occurrences"');
    expect(duckDbColumns({ slim: true }).classificationDetails).not.toContain('"occurrences"');
  });
});

describe('athenaTableDdl', () => {
  const ddl = athenaTableDdl({ bucket: 'macie-results-111122223333' });

  it('fixes the aws-samples DDL: tags as key/value structs and custom identifier occurrences typed like managed ones', () => {
    expect(ddl).toContain('`tags`:array<struct<`key`:string,`value`:string>>');
    const occurrences = ddl.match(/`occurrences`:struct<[^>]*(?:>[^>]*)*?>>>/g) ?? [];
    expect(
      ddl.match(
        /`cells`:array<struct<`row`:string,`column`:string,`columnname`:string,`cellreference`:string>>/g,
      ),
    ).toHaveLength(2);
    expect(occurrences.length).toBeGreaterThan(0);
    for (const f of [
      '`offsetranges`',
      '`versionid`',
      '`allowsunencryptedobjectuploads`',
      '`origintype`',
      '`embeddedfiledetails`',
    ]) {
      expect(ddl).toContain(f);
    }
    expect(ddl).toContain("LOCATION 's3://macie-results-111122223333/AWSLogs/'");
    expect(ddl).toContain("'ignore.malformed.json'='true'");
  });

  it('adds injected job and account partitions with a storage template for the projected variant', () => {
    const projected = athenaTableDdl({
      bucket: 'macie-results-111122223333',
      variant: 'projected',
      adminAccounts: ['111122223333'],
      regions: ['us-east-1'],
    });
    expect(projected).toContain(
      'PARTITIONED BY (`p_admin` string, `p_region` string, `p_job` string, `p_account` string)',
    );
    expect(projected).toContain("'projection.p_job.type'='injected'");
    expect(projected).toContain(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena's storage.location.template syntax.
      "'storage.location.template'='s3://macie-results-111122223333/AWSLogs/${p_admin}/Macie/${p_region}/${p_job}/${p_account}/'",
    );
  });

  it.each([
    [{ bucket: 'Bad Bucket' }, 'bucket'],
    [{ bucket: 'b-ok', table: 'Drop;' }, 'table'],
    [{ bucket: 'b-ok', variant: 'projected' }, 'adminAccounts'],
    [{ bucket: 'b-ok', adminAccounts: ['x'] }, 'adminAccounts'],
  ] as const)('throws INVALID_OPTION naming %j', (options, name) => {
    expect(() => athenaTableDdl(options as never)).toThrow(`"${name}"`);
  });
});

describe('generateSampleRecords', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = JSON.stringify([...generateSampleRecords({ records: 50, seed: 9 })]);
    expect(JSON.stringify([...generateSampleRecords({ records: 50, seed: 9 })])).toBe(a);
    expect(JSON.stringify([...generateSampleRecords({ records: 50, seed: 10 })])).not.toBe(a);
  });

  it('writes numbers as strings, omits reason when COMPLETE, and includes archives, ASDD and big counts', () => {
    const records = [...generateSampleRecords({ records: 3000, seed: 1 })].map((r) => r.record);
    const result = (r: (typeof records)[number]) => r.classificationDetails?.result;
    expect(records.every((r) => typeof result(r)?.sizeClassified === 'string')).toBe(true);
    expect(
      records
        .filter((r) => result(r)?.status?.code === 'COMPLETE')
        .every((r) => !('reason' in (result(r)?.status ?? {}))),
    ).toBe(true);
    expect(records.some((r) => r.resourcesAffected?.s3Object?.embeddedFileDetails)).toBe(true);
    expect(
      records.some(
        (r) =>
          r.classificationDetails?.originType === 'AUTOMATED_SENSITIVE_DATA_DISCOVERY' &&
          !r.classificationDetails.jobId,
      ),
    ).toBe(true);
    expect(records.some((r) => Number(r.resourcesAffected?.s3Object?.size) > 2 ** 31)).toBe(true);
    const counts = records.flatMap((r) =>
      (result(r)?.sensitiveData ?? []).flatMap((s) => (s?.detections ?? []).map((d) => Number(d?.count))),
    );
    expect(counts.some((c) => c > 2 ** 31)).toBe(true);
    expect(records.some((r) => result(r)?.customDataIdentifiers)).toBe(true);
    expect(JSON.stringify(records)).toContain('FUTURE_TYPE_NOT_YET_KNOWN');
  });
});
