import { invalidOption } from './errors.js';
import { ACCOUNT_ID, BUCKET, REGION } from './filters.js';
import { hiveType, MACIE_RESULT_SCHEMA } from './schema.js';

/** Options of {@link athenaTableDdl}. */
export interface AthenaDdlOptions {
  /** The bucket of the Macie discovery results repository. */
  bucket: string;
  /**
   * Table name.
   * @defaultValue `'macie_results'` (`'macie_results_projected'` for the projected variant)
   */
  table?: string;
  /** Database to create the table in; omitted to use the current one. */
  database?: string;
  /**
   * `plain`: one table over `AWSLogs/` (or narrowed by `adminAccount`/`region`), for organization-wide
   * questions. `projected`: partition projection keyed on administrator account, Region, job and account, so
   * per-job questions read only that job's prefix.
   * @defaultValue `'plain'`
   */
  variant?: 'plain' | 'projected';
  /** Administrator account (the first account in the key). Required for `projected`; narrows `plain`. */
  adminAccounts?: readonly string[];
  /** Regions with results. Required for `projected`; narrows `plain` (with one admin account and one Region). */
  regions?: readonly string[];
  /**
   * Add `'ignore.malformed.json'='true'`: a malformed line becomes an all-NULL row (counted by the
   * `data-quality` question) instead of failing the query.
   * @defaultValue `true`
   */
  ignoreMalformedJson?: boolean;
}

const TABLE = /^[a-z_][a-z0-9_]{0,127}$/;

/**
 * Generates the corrected Athena `CREATE EXTERNAL TABLE` statement for discovery results, from
 * {@link MACIE_RESULT_SCHEMA}: OpenX JSON SerDe, every field of the record (with `tags` as `{key,value}`
 * structs and custom-identifier occurrences typed like managed ones), and numbers declared `string` because
 * Macie writes them as JSON strings (queries `CAST(... AS BIGINT)`). The projected variant adds
 * `p_admin`/`p_region` (enum) and `p_job`/`p_account` (injected) partitions.
 *
 * @param options - Bucket, variant, table.
 * @returns One DDL statement.
 * @throws {@link MacieQueryError} `INVALID_OPTION` naming the bad option.
 * @see https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html
 * @example
 * ```ts
 * console.log(athenaTableDdl({ bucket: 'macie-results-111122223333', variant: 'projected', adminAccounts: ['111122223333'], regions: ['us-east-1'] }));
 * ```
 */
export function athenaTableDdl(options: AthenaDdlOptions): string {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'an object');
  const variant = options.variant ?? 'plain';
  if (variant !== 'plain' && variant !== 'projected')
    throw invalidOption('variant', "'plain' or 'projected'");
  if (typeof options.bucket !== 'string' || !BUCKET.test(options.bucket))
    throw invalidOption('bucket', 'an S3 bucket name');
  const table = options.table ?? (variant === 'plain' ? 'macie_results' : 'macie_results_projected');
  if (!TABLE.test(table)) throw invalidOption('table', 'a lower-case table name');
  if (options.database !== undefined && !TABLE.test(options.database))
    throw invalidOption('database', 'a lower-case database name');
  const admins = [...(options.adminAccounts ?? [])];
  const regions = [...(options.regions ?? [])];
  if (admins.some((a) => !ACCOUNT_ID.test(a))) throw invalidOption('adminAccounts', '12-digit account IDs');
  if (regions.some((r) => !REGION.test(r))) throw invalidOption('regions', 'Region codes such as us-east-1');
  if (variant === 'projected' && (admins.length === 0 || regions.length === 0)) {
    throw invalidOption(
      admins.length === 0 ? 'adminAccounts' : 'regions',
      'at least one value for the projected variant',
    );
  }
  const name = options.database ? `\`${options.database}\`.\`${table}\`` : `\`${table}\``;
  const columns = Object.entries(MACIE_RESULT_SCHEMA.fields)
    .map(([key, field]) => `  \`${key.toLowerCase()}\` ${hiveType(field)}`)
    .join(',\n');
  const root = `s3://${options.bucket}/AWSLogs/`;
  let location = root;
  if (variant === 'plain' && admins.length === 1) {
    location += `${admins[0]}/Macie/`;
    if (regions.length === 1) location += `${regions[0]}/`;
  }
  const serde = [`'paths'='${Object.keys(MACIE_RESULT_SCHEMA.fields).join(',')}'`];
  if (options.ignoreMalformedJson !== false) serde.push(`'ignore.malformed.json'='true'`);
  const lines = [`CREATE EXTERNAL TABLE IF NOT EXISTS ${name} (`, columns, ')'];
  if (variant === 'projected')
    lines.push('PARTITIONED BY (`p_admin` string, `p_region` string, `p_job` string, `p_account` string)');
  lines.push(
    "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'",
    `WITH SERDEPROPERTIES (${serde.join(', ')})`,
    "STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'",
    "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'",
    `LOCATION '${location}'`,
  );
  if (variant === 'projected') {
    const props = [
      `'projection.enabled'='true'`,
      `'projection.p_admin.type'='enum'`,
      `'projection.p_admin.values'='${admins.join(',')}'`,
      `'projection.p_region.type'='enum'`,
      `'projection.p_region.values'='${regions.join(',')}'`,
      `'projection.p_job.type'='injected'`,
      `'projection.p_account.type'='injected'`,
      `'storage.location.template'='${root}\${p_admin}/Macie/\${p_region}/\${p_job}/\${p_account}/'`,
    ];
    lines.push(`TBLPROPERTIES (\n  ${props.join(',\n  ')}\n)`);
  }
  return `${lines.join('\n')};`;
}
