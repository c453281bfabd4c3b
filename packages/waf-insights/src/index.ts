export {
  buildCloudFormationTemplate,
  type CloudFormationTemplate,
  RESOURCE_REQUIRED_PROPERTIES,
  type TemplateOptions,
  validateTemplate,
} from './cloudformation.js';
export {
  CONTRIBUTOR_INSIGHTS_LIMITS,
  type ContributorInsightsCompileResult,
  type ContributorInsightsOptions,
  type ContributorInsightsRuleBody,
  compileContributorInsightsRule,
} from './compile-contributor-insights.js';
export { compileLogsInsights, LOGS_INSIGHTS_MAX_QUERY_LENGTH } from './compile-logs-insights.js';
export { compileSql, type SqlCompileOptions, type SqlDialect } from './compile-sql.js';
export {
  buildDashboardBody,
  compileDashboardWidget,
  DASHBOARD_LIMITS,
  type DashboardBody,
  type DashboardOptions,
  validateDashboardBody,
} from './dashboard.js';
export { isWafInsightsError, WafInsightsError, WafInsightsErrorCode } from './errors.js';
export {
  assertSafeParameter,
  logsInsightsRegexLiteral,
  logsInsightsString,
  sqlIdentifier,
  sqlString,
} from './escape.js';
export { type HtmlReportOptions, type ReportSection, renderHtmlReport } from './html-report.js';
export { expandLocalPaths, readWafLogFiles, streamWafLogFiles } from './local-files.js';
export {
  createWafLogParser,
  emptyParseStats,
  type ParsedWafLog,
  type ParseLineResult,
  type ParseStats,
  parseWafLogLine,
  parseWafLogs,
  SKIP_REASONS,
  type SkipReason,
  type WafLogParserOptions,
  type WafLogStreamParser,
} from './log-parser.js';
export {
  type LogsInsightsEvent,
  type LogsInsightsLocalResult,
  runLogsInsightsQuery,
  validateLogsInsightsQuery,
} from './logs-insights-evaluator.js';
export {
  createLogsInsightsRunner,
  LOGS_INSIGHTS_MAX_LOG_GROUPS,
  LOGS_INSIGHTS_ROW_CAP,
  type LogsInsightsQueryOutput,
  type LogsInsightsRunner,
  type LogsInsightsRunnerOptions,
  type LogsInsightsRunOptions,
} from './logs-insights-runner.js';
export {
  ALWAYS_PRESENT_FIELDS,
  type Dimension,
  defineQuestion,
  type GroupKey,
  getQuestion,
  isMultiValued,
  type Measure,
  narrowQuestion,
  type Predicate,
  QUESTION_CATALOG,
  type Question,
  SCALAR_FIELD_PATHS,
  type ScalarField,
  SECRET_HEADERS,
} from './question.js';
export {
  compareCodePoints,
  orderRows,
  type QuestionResult,
  type QuestionRow,
  toQuestionResult,
} from './question-result.js';
export {
  evaluateQuestion,
  formatBucket,
  REFERER_HOST_PATTERN,
  scalarValue,
} from './reference-evaluator.js';
export {
  type AggregateKey,
  buildRateBasedRule,
  CAPTCHA_IMMUNITY_RANGE,
  CHALLENGE_IMMUNITY_RANGE,
  type CustomKey,
  captchaOnRbrRule,
  EVALUATION_WINDOWS,
  type FieldToMatch,
  RATE_LIMIT_RANGE,
  type RateBasedRuleOptions,
  type RateBasedStatement,
  type RuleAction,
  type TextTransformation,
  uriPathMatch,
  type WafRule,
  type WafStatement,
} from './rule-builders.js';
export { type Recommendation, type RecommendOptions, recommendRateBasedRule } from './rule-recommender.js';
export { type ReplayResult, replayRule, statementMatches } from './rule-replay.js';
export {
  BOT_CATEGORY_LABEL_PREFIX,
  generateSampleLines,
  generateSampleRecords,
  MALFORMED_KINDS,
  NON_BROWSER_USER_AGENT_LABEL,
  type SampleOptions,
  sampleRecordIterator,
  TOKEN_ID_LABEL_PREFIX,
} from './sample-generator.js';
export {
  detectSchemaDrift,
  KNOWN_FIELD_PATHS,
  type SchemaDriftReport,
  WAF_LOG_JSON_SCHEMA,
  WAF_LOG_SCHEMA_VERSION,
  type WafHeader,
  type WafHttpRequest,
  type WafLogRecord,
  type WafNonTerminatingRule,
  type WafRateBasedRule,
  type WafRuleGroup,
  type WafRuleMatchDetail,
  type WafTokenResponse,
} from './schema.js';
export {
  ATHENA_COLUMNS,
  type AthenaDdlOptions,
  athenaTableDdl,
  DUCKDB_COLUMNS,
  duckDbColumns,
} from './schema-ddl.js';
export {
  attachWafLogs,
  type DuckDbSourceOptions,
  type RunQuestionSqlOptions,
  runQuestionSql,
  wafLogsDuckDbSource,
} from './sql-question-runner.js';
export { formatTable } from './terminal-report.js';
