import type { WafLogRecord } from '../schema.js';

/** Deep-partial overrides for {@link buildWafLogRecord}. */
export type WafLogRecordOverrides = Partial<Omit<WafLogRecord, 'httpRequest'>> & {
  httpRequest?: Partial<WafLogRecord['httpRequest']>;
};

/**
 * Builds a valid WAF log record (an allowed GET from 192.0.2.10 by default, shaped like the AWS docs
 * examples) with your overrides, for unit tests of code that consumes WAF logs.
 *
 * @param overrides - Fields to set; `httpRequest` is merged.
 * @example
 * ```ts
 * const blocked = buildWafLogRecord({ action: 'BLOCK', terminatingRuleId: 'BlockBadBots', httpRequest: { uri: '/admin' } });
 * ```
 */
export function buildWafLogRecord(overrides: WafLogRecordOverrides = {}): WafLogRecord {
  const { httpRequest, ...rest } = overrides;
  return {
    timestamp: 1_764_547_200_000,
    formatVersion: 1,
    webaclId:
      'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/ExampleWebACL/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
    terminatingRuleId: 'Default_Action',
    terminatingRuleType: 'REGULAR',
    action: 'ALLOW',
    terminatingRuleMatchDetails: [],
    httpSourceName: 'ALB',
    httpSourceId: '111122223333-app/example-alb/0123456789abcdef',
    ruleGroupList: [],
    rateBasedRuleList: [],
    nonTerminatingMatchingRules: [],
    requestHeadersInserted: null,
    responseCodeSent: null,
    labels: [],
    ...rest,
    httpRequest: {
      clientIp: '192.0.2.10',
      country: 'US',
      headers: [
        { name: 'Host', value: 'www.example.com' },
        { name: 'User-Agent', value: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0' },
      ],
      uri: '/',
      args: '',
      httpVersion: 'HTTP/1.1',
      httpMethod: 'GET',
      requestId: '1-67adf2a0-0123456789abcdef01234567',
      ...httpRequest,
    },
  };
}

/**
 * Turns records into Logs Insights events (`@message` = the JSON line, `@timestamp` = `timestamp`), the
 * input of the local evaluator and of {@link startCloudWatchLogsEmulator}.
 *
 * @param records - WAF log records.
 * @example
 * ```ts
 * const events = toLogEvents([buildWafLogRecord()]);
 * ```
 */
export function toLogEvents(records: Iterable<WafLogRecord>): Array<{ message: string; timestamp: number }> {
  const out: Array<{ message: string; timestamp: number }> = [];
  for (const r of records) out.push({ message: JSON.stringify(r), timestamp: r.timestamp });
  return out;
}
