export { generateSampleLines, generateSampleRecords, MALFORMED_KINDS } from '../sample-generator.js';
export { buildWafLogRecord, toLogEvents, type WafLogRecordOverrides } from './builders.js';
export {
  type CloudWatchLogsEmulator,
  type CloudWatchLogsEmulatorOptions,
  startCloudWatchLogsEmulator,
} from './cloudwatch-logs-emulator.js';
