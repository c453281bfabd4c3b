import { invalidOption } from './errors.js';
import { sqlString } from './escape.js';

const match =
  'struct<conditiontype:string,sensitivitylevel:string,location:string,matcheddata:array<string>>';
const token = 'struct<responsecode:string,solvetimestamp:string,failurereason:string>';
const nonTerminating = `struct<ruleid:string,action:string,overriddenaction:string,rulematchdetails:array<${match}>,challengeresponse:${token},captcharesponse:${token}>`;

/** Athena column definitions for the current WAF log schema (Hive types, lower-case names). */
export const ATHENA_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['timestamp', 'bigint'],
  ['formatversion', 'int'],
  ['webaclid', 'string'],
  ['terminatingruleid', 'string'],
  ['terminatingruletype', 'string'],
  ['action', 'string'],
  ['terminatingrulematchdetails', `array<${match}>`],
  ['httpsourcename', 'string'],
  ['httpsourceid', 'string'],
  [
    'rulegrouplist',
    `array<struct<rulegroupid:string,terminatingrule:struct<ruleid:string,action:string,overriddenaction:string,rulematchdetails:array<${match}>>,nonterminatingmatchingrules:array<${nonTerminating}>,excludedrules:array<struct<exclusiontype:string,ruleid:string>>>>`,
  ],
  [
    'ratebasedrulelist',
    'array<struct<ratebasedruleid:string,ratebasedrulename:string,limitkey:string,limitvalue:string,maxrateallowed:bigint,evaluationwindowsec:string,customvalues:array<struct<key:string,name:string,value:string>>>>',
  ],
  ['nonterminatingmatchingrules', `array<${nonTerminating}>`],
  ['requestheadersinserted', 'array<struct<name:string,value:string>>'],
  ['responsecodesent', 'string'],
  [
    'httprequest',
    'struct<clientip:string,country:string,headers:array<struct<name:string,value:string>>,uri:string,args:string,httpversion:string,httpmethod:string,requestid:string,fragment:string,scheme:string,host:string>',
  ],
  ['labels', 'array<struct<name:string>>'],
  ['captcharesponse', token],
  ['challengeresponse', token],
  ['ja3fingerprint', 'string'],
  ['ja4fingerprint', 'string'],
  ['oversizefields', 'array<string>'],
  ['requestbodysize', 'bigint'],
  ['requestbodysizeinspectedbywaf', 'bigint'],
  ['clientasn', 'bigint'],
  ['cfdistributiontenantid', 'string'],
];

/** Options of {@link athenaTableDdl}. */
export interface AthenaDdlOptions {
  /**
   * Table name.
   * @defaultValue `'waf_logs'`
   */
  table?: string;
  /** S3 prefix of one web ACL's logs, e.g. `s3://aws-waf-logs-x/AWSLogs/111122223333/WAFLogs/us-east-1/MyACL/` (trailing `/`). */
  location: string;
  /**
   * First partition of the projection range (`yyyy/MM/dd/HH/mm`).
   * @defaultValue `'2025/01/01/00/00'`
   */
  projectionStart?: string;
}

/**
 * The Athena `CREATE EXTERNAL TABLE` for WAF logs in S3, with every current field and partition projection
 * on `log_time` (`yyyy/MM/dd/HH/mm`, minutes), matching the AWS S3 key layout
 * `AWSLogs/<account>/WAFLogs/<Region|cloudfront>/<web-acl>/YYYY/MM/dd/HH/mm/`. Differences from the AWS docs
 * DDL: `excludedrules` and `oversizefields` are arrays (what newer logs carry), and rate-based
 * window/custom keys, `clientasn` and `cfdistributiontenantid` are included.
 *
 * @param options - Location and table name.
 * @throws {@link WafInsightsError} `INVALID_OPTION` naming the bad option.
 * @see https://docs.aws.amazon.com/athena/latest/ug/create-waf-table-partition-projection.html
 * @example
 * ```ts
 * athenaTableDdl({ location: 's3://aws-waf-logs-demo/AWSLogs/111122223333/WAFLogs/us-east-1/MyACL/' });
 * ```
 */
export function athenaTableDdl(options: AthenaDdlOptions): string {
  const table = options.table ?? 'waf_logs';
  if (!/^[A-Za-z_]\w{0,127}$/.test(table)) throw invalidOption('table', 'a table name');
  if (!/^s3:\/\/[a-z0-9.-]{3,63}\/[^'\s\\]*\/$/.test(options.location ?? ''))
    throw invalidOption('location', "an s3:// prefix ending in '/' without quotes or spaces");
  const start = options.projectionStart ?? '2025/01/01/00/00';
  if (!/^\d{4}\/\d{2}\/\d{2}\/\d{2}\/\d{2}$/.test(start))
    throw invalidOption('projectionStart', 'yyyy/MM/dd/HH/mm');
  const cols = ATHENA_COLUMNS.map(([n, t]) => `  \`${n}\` ${t}`).join(',\n');
  return `CREATE EXTERNAL TABLE \`${table}\` (
${cols}
)
PARTITIONED BY (\`log_time\` string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION ${sqlString(options.location)}
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.log_time.type'='date',
  'projection.log_time.format'='yyyy/MM/dd/HH/mm',
  'projection.log_time.interval'='1',
  'projection.log_time.interval.unit'='minutes',
  'projection.log_time.range'=${sqlString(`${start},NOW`)},
  'storage.location.template'=${sqlString(`${options.location}\${log_time}`)}
)`;
}

const dMatch =
  'STRUCT(conditionType VARCHAR, sensitivityLevel VARCHAR, location VARCHAR, matchedData VARCHAR[])';
const dToken = 'STRUCT(responseCode BIGINT, solveTimestamp BIGINT, failureReason VARCHAR)';
const dNonTerm = `STRUCT(ruleId VARCHAR, "action" VARCHAR, overriddenAction VARCHAR, ruleMatchDetails ${dMatch}[], captchaResponse ${dToken}, challengeResponse ${dToken})`;

/**
 * DuckDB column types for `read_json(..., columns = {...})`: an explicit struct so heterogeneous WAF
 * records never depend on sampling-based type inference. Keys are the JSON field names.
 */
export const DUCKDB_COLUMNS: Readonly<Record<string, string>> = {
  timestamp: 'BIGINT',
  formatVersion: 'INTEGER',
  webaclId: 'VARCHAR',
  terminatingRuleId: 'VARCHAR',
  terminatingRuleType: 'VARCHAR',
  action: 'VARCHAR',
  terminatingRuleMatchDetails: `${dMatch}[]`,
  httpSourceName: 'VARCHAR',
  httpSourceId: 'VARCHAR',
  ruleGroupList: `STRUCT(ruleGroupId VARCHAR, terminatingRule STRUCT(ruleId VARCHAR, "action" VARCHAR, overriddenAction VARCHAR), nonTerminatingMatchingRules ${dNonTerm}[], excludedRules STRUCT(exclusionType VARCHAR, ruleId VARCHAR)[])[]`,
  rateBasedRuleList:
    'STRUCT(rateBasedRuleId VARCHAR, rateBasedRuleName VARCHAR, limitKey VARCHAR, limitValue VARCHAR, maxRateAllowed BIGINT, evaluationWindowSec VARCHAR, customValues STRUCT("key" VARCHAR, "name" VARCHAR, "value" VARCHAR)[])[]',
  nonTerminatingMatchingRules: `${dNonTerm}[]`,
  requestHeadersInserted: 'STRUCT("name" VARCHAR, "value" VARCHAR)[]',
  responseCodeSent: 'BIGINT',
  httpRequest:
    'STRUCT(clientIp VARCHAR, country VARCHAR, headers STRUCT("name" VARCHAR, "value" VARCHAR)[], uri VARCHAR, args VARCHAR, httpVersion VARCHAR, httpMethod VARCHAR, requestId VARCHAR, fragment VARCHAR, scheme VARCHAR, host VARCHAR)',
  labels: 'STRUCT("name" VARCHAR)[]',
  captchaResponse: dToken,
  challengeResponse: dToken,
  ja3Fingerprint: 'VARCHAR',
  ja4Fingerprint: 'VARCHAR',
  oversizeFields: 'VARCHAR[]',
  requestBodySize: 'BIGINT',
  requestBodySizeInspectedByWAF: 'BIGINT',
  clientAsn: 'BIGINT',
  cfDistributionTenantId: 'VARCHAR',
};

/**
 * The DuckDB `columns` argument as SQL text, for `read_json(path, format='newline_delimited', columns=...)`.
 *
 * @example
 * ```ts
 * const sql = `CREATE TABLE waf_logs AS SELECT * FROM read_json('logs/*.gz', format='newline_delimited', columns=${duckDbColumns()}, ignore_errors=true)`;
 * ```
 */
export function duckDbColumns(): string {
  return `{${Object.entries(DUCKDB_COLUMNS)
    .map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`)
    .join(', ')}}`;
}
