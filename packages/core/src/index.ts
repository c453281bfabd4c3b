export {
  type CliIo,
  type CliOutput,
  type CliProgramOptions,
  cliOutput,
  createCliProgram,
  ExitCode,
  type Progress,
  runCli,
  usageError,
} from './cli-toolkit.js';
export {
  type ConcurrencyLimit,
  createConcurrencyLimit,
  type MapWithLimitOptions,
  mapWithLimit,
} from './concurrency.js';
export {
  abortError,
  CoreError,
  CoreErrorCode,
  createErrorGuard,
  isCoreError,
  isSecblocksError,
  requireOption,
  SecblocksError,
  type SecblocksErrorOptions,
} from './errors.js';
export {
  createJsonLogger,
  DEFAULT_REDACT_KEYS,
  type JsonLoggerOptions,
  type LogData,
  type Logger,
  type LogLevel,
  type RedactOptions,
  redact,
  silentLogger,
} from './logger.js';
export { createTokenBucket, type TokenBucket, type TokenBucketOptions } from './rate-limiter.js';
export {
  type BackoffOptions,
  backoffDelay,
  isRetryableAwsError,
  RETRYABLE_AWS_ERROR_NAMES,
  type RetryEvent,
  type RetryOptions,
  retry,
  sleep,
} from './retry.js';
export { createSeededRandom } from './seeded-random.js';
export { isSensitive, REDACTED, Sensitive, sensitive } from './sensitive.js';
