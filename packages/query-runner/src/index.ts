export {
  type AthenaExecution,
  type AthenaPagesOptions,
  type AthenaPollOptions,
  type AthenaRunner,
  type AthenaRunnerOptions,
  type AthenaRunOptions,
  createAthenaRunner,
} from './athena-runner.js';
export { athenaQueryCostUsd, castAthenaValue } from './athena-values.js';
export { createDuckDbRunner, type DuckDbRunner, type DuckDbRunnerOptions } from './duckdb-runner.js';
export {
  type DuckDbReadJsonOptions,
  duckDbReadJson,
  duckDbStringLiteral,
  quoteIdentifier,
} from './duckdb-sql.js';
export {
  type AthenaErrorCategory,
  type AthenaFailureState,
  AthenaQueryError,
  type AthenaQueryErrorDetails,
  isAthenaQueryError,
  isQueryRunnerError,
  QueryRunnerError,
  QueryRunnerErrorCode,
} from './errors.js';
export type {
  QueryColumn,
  QueryEngine,
  QueryPage,
  QueryParam,
  QueryResult,
  QueryRow,
  QueryRunner,
  QueryStatistics,
  QueryValue,
  RunOptions,
} from './query-result.js';
export { countPlaceholders, formatAthenaParameter } from './sql-params.js';
