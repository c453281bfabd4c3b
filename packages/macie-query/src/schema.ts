/**
 * The one description of a Macie sensitive data discovery result record. The Athena DDL, the DuckDB
 * `columns` struct and the TypeScript record type are all derived from it, so they cannot drift apart.
 * Field names are the JSON keys Macie writes (camelCase); numbers Macie writes as JSON strings are `int64`.
 *
 * Sources: the Macie API model (findings-describe) and real stored results (aws-samples
 * amazon-macie-finding-data-reveal fixtures). Corrections over the aws-samples DDL: `tags` are `{key,value}`
 * structs, custom-identifier occurrences have the same structs as managed ones, and `offsetRanges`,
 * `pages[].lineRange/offsetRange`, `s3Object.versionId`, `s3Bucket.allowsUnencryptedObjectUploads`,
 * `originType` and `embeddedFileDetails` are included.
 */

/** A text field. */
export interface StringField {
  readonly kind: 'string';
}
/** A 64-bit integer that Macie writes as a JSON string (`"count": "7"`). */
export interface Int64Field {
  readonly kind: 'int64';
}
/** A JSON boolean. */
export interface BooleanField {
  readonly kind: 'boolean';
}
/** An ISO-8601 timestamp string (`2021-10-26T04:57:10Z`), kept as text on both engines. */
export interface TimestampField {
  readonly kind: 'timestamp';
}
/** A JSON object with known keys. */
export interface StructField<F extends Record<string, SchemaField> = Record<string, SchemaField>> {
  readonly kind: 'struct';
  readonly fields: F;
}
/** A JSON array. */
export interface ArrayField<E extends SchemaField = SchemaField> {
  readonly kind: 'array';
  readonly of: E;
}
/** Any node of the record schema. */
export type SchemaField = StringField | Int64Field | BooleanField | TimestampField | StructField | ArrayField;

const string: StringField = { kind: 'string' };
const int64: Int64Field = { kind: 'int64' };
const boolean: BooleanField = { kind: 'boolean' };
const timestamp: TimestampField = { kind: 'timestamp' };
const struct = <F extends Record<string, SchemaField>>(fields: F): StructField<F> => ({
  kind: 'struct',
  fields,
});
const array = <E extends SchemaField>(of: E): ArrayField<E> => ({ kind: 'array', of });

const range = struct({ start: int64, end: int64, startColumn: int64 });
const occurrences = struct({
  lineRanges: array(range),
  offsetRanges: array(range),
  pages: array(struct({ pageNumber: int64, lineRange: range, offsetRange: range })),
  records: array(struct({ recordIndex: int64, jsonPath: string })),
  cells: array(struct({ row: int64, column: int64, columnName: string, cellReference: string })),
});
const tags = array(struct({ key: string, value: string }));
const publicFlags = struct({ allowsPublicReadAccess: boolean, allowsPublicWriteAccess: boolean });
const blockPublicAccess = struct({
  ignorePublicAcls: boolean,
  restrictPublicBuckets: boolean,
  blockPublicAcls: boolean,
  blockPublicPolicy: boolean,
});
const encryption = struct({ encryptionType: string, kmsMasterKeyId: string });

/** The schema of one discovery-result record (one line of a `.jsonl.gz` result file). */
export const MACIE_RESULT_SCHEMA = struct({
  schemaVersion: string,
  id: string,
  accountId: string,
  partition: string,
  region: string,
  type: string,
  title: string,
  description: string,
  severity: struct({ score: int64, description: string }),
  createdAt: timestamp,
  updatedAt: timestamp,
  category: string,
  classificationDetails: struct({
    jobArn: string,
    jobId: string,
    originType: string,
    detailedResultsLocation: string,
    result: struct({
      status: struct({ code: string, reason: string }),
      sizeClassified: int64,
      mimeType: string,
      additionalOccurrences: boolean,
      sensitiveData: array(
        struct({
          category: string,
          totalCount: int64,
          detections: array(struct({ type: string, count: int64, occurrences })),
        }),
      ),
      customDataIdentifiers: struct({
        totalCount: int64,
        detections: array(struct({ arn: string, name: string, count: int64, occurrences })),
      }),
    }),
  }),
  resourcesAffected: struct({
    s3Bucket: struct({
      arn: string,
      name: string,
      createdAt: timestamp,
      owner: struct({ displayName: string, id: string }),
      tags,
      defaultServerSideEncryption: encryption,
      allowsUnencryptedObjectUploads: string,
      publicAccess: struct({
        permissionConfiguration: struct({
          bucketLevelPermissions: struct({
            accessControlList: publicFlags,
            bucketPolicy: publicFlags,
            blockPublicAccess,
          }),
          accountLevelPermissions: struct({ blockPublicAccess }),
        }),
        effectivePermission: string,
      }),
    }),
    s3Object: struct({
      bucketArn: string,
      key: string,
      path: string,
      extension: string,
      lastModified: timestamp,
      eTag: string,
      versionId: string,
      serverSideEncryption: encryption,
      size: int64,
      storageClass: string,
      tags,
      publicAccess: boolean,
      embeddedFileDetails: struct({
        filePath: string,
        fileExtension: string,
        fileSize: int64,
        fileLastModified: timestamp,
      }),
    }),
  }),
});

/** The TypeScript shape of a value of schema node `F` as stored in JSON (int64 as string, every key optional). */
export type StoredShape<F extends SchemaField> = F extends StringField | TimestampField
  ? string | null
  : F extends Int64Field
    ? string | number | null
    : F extends BooleanField
      ? boolean | null
      : F extends ArrayField<infer E>
        ? StoredShape<E>[] | null
        : F extends StructField<infer S>
          ? { [K in keyof S]?: StoredShape<S[K]> }
          : never;

/**
 * One stored discovery-result record, derived from {@link MACIE_RESULT_SCHEMA}: every key optional (Macie
 * omits `status.reason` when COMPLETE, `customDataIdentifiers` when no custom identifiers ran, and
 * `embeddedFileDetails` outside archives), int64 values as JSON strings.
 */
export type MacieResultRecord = StoredShape<typeof MACIE_RESULT_SCHEMA>;

const DUCK: Record<'string' | 'int64' | 'boolean' | 'timestamp', string> = {
  string: 'VARCHAR',
  int64: 'BIGINT',
  boolean: 'BOOLEAN',
  timestamp: 'VARCHAR',
};

/** Options of {@link duckDbColumns}. */
export interface DuckDbColumnsOptions {
  /**
   * Leave out every `occurrences` struct (line, page, record and cell locations): the summary questions
   * never read them, and parsing less JSON is faster. Location questions need them.
   * @defaultValue `false`
   */
  slim?: boolean;
}

function duckType(field: SchemaField, slim: boolean): string {
  switch (field.kind) {
    case 'array':
      return `${duckType(field.of, slim)}[]`;
    case 'struct': {
      const parts = Object.entries(field.fields)
        .filter(([name]) => !(slim && name === 'occurrences'))
        .map(([name, f]) => `"${name}" ${duckType(f, slim)}`);
      return `STRUCT(${parts.join(', ')})`;
    }
    default:
      return DUCK[field.kind];
  }
}

/**
 * The DuckDB `read_json(..., columns = {...})` schema: top-level key → DuckDB type. An explicit schema is
 * required for Macie results: auto-detection drops keys no sampled record has (`status.reason`,
 * `embeddedFileDetails`) and types counts as VARCHAR. int64 fields become `BIGINT` (DuckDB parses `"7"`).
 *
 * @param options - `slim` drops occurrence locations.
 * @returns Column name → DuckDB type text.
 * @example
 * ```ts
 * duckDbReadJson(files, { columns: duckDbColumns({ slim: true }) });
 * ```
 */
export function duckDbColumns(options: DuckDbColumnsOptions = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, field] of Object.entries(MACIE_RESULT_SCHEMA.fields))
    out[name] = duckType(field, options.slim === true);
  return out;
}

/** @internal Hive DDL type of a schema node (int64 stays `string`: Macie writes numbers as JSON strings). */
export function hiveType(field: SchemaField): string {
  switch (field.kind) {
    case 'array':
      return `array<${hiveType(field.of)}>`;
    case 'struct':
      return `struct<${Object.entries(field.fields)
        .map(([name, f]) => `\`${name.toLowerCase()}\`:${hiveType(f)}`)
        .join(',')}>`;
    case 'boolean':
      return 'boolean';
    default:
      return 'string';
  }
}

/** Every dotted path of the schema (`classificationDetails.result.status.code`, …), for drift checks. */
export function schemaPaths(field: SchemaField = MACIE_RESULT_SCHEMA, prefix = ''): string[] {
  if (field.kind === 'struct') {
    return Object.entries(field.fields).flatMap(([name, f]) => {
      const path = prefix ? `${prefix}.${name}` : name;
      return [path, ...schemaPaths(f, path)];
    });
  }
  if (field.kind === 'array') return schemaPaths(field.of, `${prefix}[]`);
  return [];
}
