export {
  emitQuestion,
  getQuestion,
  QUESTIONS,
  type Question,
  type QuestionParams,
} from './catalog.js';
export { type AthenaDdlOptions, athenaTableDdl } from './ddl.js';
export { isMacieQueryError, MacieQueryError, MacieQueryErrorCode } from './errors.js';
export {
  ACCOUNT_ID,
  type ArchiveMembers,
  BUCKET,
  DATE,
  JOB_ID,
  type QuestionFilters,
  REGION,
  type ValidFilters,
  validateFilters,
} from './filters.js';
export { buildHtmlReport, escapeHtml, type HtmlReportOptions, renderHtmlReport } from './html-report.js';
export { type ResolvedFiles, resolveResultFiles, type SkippedFile } from './local-files.js';
export {
  type AskOptions,
  createMacieQuery,
  type MacieAthenaOptions,
  type MacieQuery,
  type MacieQueryOptions,
  type QuestionInput,
  type QuestionResult,
} from './macie-query.js';
export {
  type DimAlias,
  detections,
  type MeasureAlias,
  type MeasureValue,
  objects,
  type PlanRow,
  QuestionBuilder,
} from './question-builder.js';
export {
  CUSTOM_IDENTIFIER_CATEGORY,
  remediationFor,
  SENSITIVE_DATA_CATEGORIES,
  STATUS_CODES,
  STATUS_REASON_CODES,
  STATUS_REASONS,
  type StatusReasonCode,
} from './reason-codes.js';
export { formatBarChart, formatTable, toCsv, toJson } from './render.js';
export {
  generateSampleRecords,
  type SampleCorpusSummary,
  type SampleOptions,
  type SampleRecord,
  type WriteSampleOptions,
  writeSampleCorpus,
} from './sample-generator.js';
export {
  type ArrayField,
  type BooleanField,
  type DuckDbColumnsOptions,
  duckDbColumns,
  type Int64Field,
  MACIE_RESULT_SCHEMA,
  type MacieResultRecord,
  type SchemaField,
  type StoredShape,
  type StringField,
  type StructField,
  schemaPaths,
  type TimestampField,
} from './schema.js';
export { findUnknownFields, type UnknownField } from './schema-drift.js';
export {
  type AthenaTableRef,
  type ColumnKind,
  DIMENSIONS,
  type DimensionId,
  type EmitTarget,
  type EmittedColumn,
  type EmittedSql,
  emitPlan,
  type Grain,
  type HavingClause,
  MEASURES,
  type MeasureId,
  type OrderTerm,
  type QueryPlan,
} from './sql-plan.js';
export {
  type EstimateScanOptions,
  estimateScanBytes,
  type SyncOptions,
  type SyncSummary,
  syncResults,
} from './sync.js';
