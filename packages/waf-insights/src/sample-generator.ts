import { TextEncoder } from 'node:util';
import { createSeededRandom } from '@secblocks/core';
import { invalidOption } from './errors.js';
import type { WafHeader, WafLogRecord, WafNonTerminatingRule, WafRuleGroup } from './schema.js';

/** Options of {@link generateSampleRecords} and {@link generateSampleLines}. */
export interface SampleOptions {
  /** How many records. */
  records: number;
  /**
   * PRNG seed; the same seed always yields the same records.
   * @defaultValue `42`
   */
  seed?: number;
  /**
   * Epoch milliseconds of the first record (records advance by a few hundred ms each).
   * @defaultValue `1764547200000` (2025-12-01T00:00:00Z)
   */
  startTime?: number;
  /**
   * Web ACL name in `webaclId`.
   * @defaultValue `'ExampleWebACL'`
   */
  webAclName?: string;
}

/** Bot Control signal label AWS emits for a non-browser user agent (with the hyphen in `bot-control`). */
export const NON_BROWSER_USER_AGENT_LABEL = 'awswaf:managed:aws:bot-control:signal:non_browser_user_agent';
/** Namespace of Bot Control bot category labels. */
export const BOT_CATEGORY_LABEL_PREFIX = 'awswaf:managed:aws:bot-control:bot:category:';
/** Namespace of WAF token id labels (`awswaf:managed:token:id:<id>`). */
export const TOKEN_ID_LABEL_PREFIX = 'awswaf:managed:token:id:';

const COUNTRIES = ['US', 'DE', 'FR', 'JP', 'BR', 'IN', 'GB', 'AU', 'CN', 'RU', 'NL', '-'];
const URIS = [
  '/',
  '/store',
  '/store/cart',
  '/store/checkout',
  '/api/v1/items',
  '/login',
  '/wp-login.php',
  '/search',
  '/images/logo.png',
  '/.env',
  "/a'quote",
  '/path with "double" quotes',
  '/unicode/\u00e9t\u00e9/\u{1f600}',
  '/regex.*(meta)+[chars]?',
  '/pipe|and#hash',
];
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'curl/7.61.1',
  'python-requests/2.32.3',
  'Go-http-client/1.1',
  'sqlmap/1.8 (https://sqlmap.org)',
  'Agent "quoted" \\ backslash',
];
const UA_NAMES = ['User-Agent', 'user-agent', 'USER-AGENT', 'User-agent'];
const REFERERS = [
  'https://www.example.com/store',
  'https://EXAMPLE.org:8443/path?q=1',
  'http://news.example.net/',
  'android-app://com.example',
  'not a url',
];
const BOT_CATEGORIES = ['http_library', 'scraping_framework', 'search_engine', 'monitoring', 'security'];
const JA4 = [
  't13d1516h2_8daaf6152771_02713d6af862',
  't13d1517h2_8daaf6152771_b1ff8ab2d16f',
  't12d190800_d83cc789557e_7af1ed941c26',
];
const JA3 = ['e7d705a3286e19ea42f587b344ee6865', '6734f37431670b3ab4292b8f60f29984'];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'];
const SOURCES = [
  { name: 'ALB', id: '111122223333-app/example-alb/0123456789abcdef' },
  { name: 'CF', id: 'E1EXAMPLE23' },
  { name: 'APIGW', id: '111122223333:b34myvfw0b:prod' },
  { name: '-', id: '-' },
];

/**
 * Generates realistic, deterministic WAF log records that cover every schema field and the edge cases
 * queries must get right: header-name casing, missing User-Agent, empty and absent label lists, COUNT
 * matches at web-ACL level and inside managed rule groups (including legacy `excludedRules`), CAPTCHA
 * and challenge failures and valid tokens, rate-based blocks with custom keys, JA3/JA4 present or
 * absent, `-` countries and sources, quotes, regex metacharacters and non-ASCII in URIs and headers.
 *
 * @param options - Count, seed, start time.
 * @throws {@link WafInsightsError} `INVALID_OPTION` when `records` is not a non-negative integer.
 * @example
 * ```ts
 * const records = generateSampleRecords({ records: 1000, seed: 7 });
 * ```
 */
export function generateSampleRecords(options: SampleOptions): WafLogRecord[] {
  const out: WafLogRecord[] = [];
  for (const r of sampleRecordIterator(options)) out.push(r);
  return out;
}

/**
 * Like {@link generateSampleRecords} but lazy, for corpora too large to hold.
 *
 * @param options - Count, seed, start time.
 * @throws {@link WafInsightsError} `INVALID_OPTION` when an option is invalid.
 * @example
 * ```ts
 * for (const record of sampleRecordIterator({ records: 1_000_000 })) write(JSON.stringify(record));
 * ```
 */
export function* sampleRecordIterator(options: SampleOptions): Generator<WafLogRecord> {
  const { records } = options;
  if (!Number.isInteger(records) || records < 0) throw invalidOption('records', 'a non-negative integer');
  const seed = options.seed ?? 42;
  if (!Number.isInteger(seed)) throw invalidOption('seed', 'an integer');
  const startTime = options.startTime ?? 1_764_547_200_000;
  if (!Number.isSafeInteger(startTime) || startTime < 0)
    throw invalidOption('startTime', 'epoch milliseconds');
  const webAcl = options.webAclName ?? 'ExampleWebACL';
  if (!/^[\w-]{1,128}$/.test(webAcl))
    throw invalidOption('webAclName', 'a web ACL name (letters, digits, _ and -)');
  const rnd = createSeededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  // A skewed IP population: a few heavy hitters (offenders), a long tail; some IPv6.
  const ip = (): string => {
    const u = rnd();
    if (u < 0.25) return `198.51.100.${1 + Math.floor(rnd() * 5)}`;
    if (u < 0.3) return `2001:db8::${(1 + Math.floor(rnd() * 20)).toString(16)}`;
    return `203.0.${Math.floor(rnd() * 40)}.${1 + Math.floor(rnd() * 250)}`;
  };
  const webaclId = `arn:aws:wafv2:us-east-1:111122223333:regional/webacl/${webAcl}/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111`;
  let t = startTime;
  for (let i = 0; i < records; i++) {
    t += Math.floor(rnd() * 700);
    const source = pick(SOURCES);
    const clientIp = ip();
    const uri = pick(URIS);
    const method = pick(METHODS);
    const headers: WafHeader[] = [{ name: rnd() < 0.5 ? 'Host' : 'host', value: 'www.example.com' }];
    const uaRoll = rnd();
    const ua = pick(USER_AGENTS);
    if (uaRoll < 0.9) headers.push({ name: pick(UA_NAMES), value: ua });
    if (uaRoll > 0.98) headers.push({ name: 'user-agent', value: 'second-agent/1.0' });
    if (rnd() < 0.35) headers.push({ name: rnd() < 0.5 ? 'Referer' : 'referer', value: pick(REFERERS) });
    headers.push({ name: 'Accept', value: rnd() < 0.5 ? 'text/html' : '*/*' });
    const labels: Array<{ name: string }> = [];
    const nonBrowser = !ua.startsWith('Mozilla');
    if (nonBrowser && uaRoll < 0.9 && rnd() < 0.8) labels.push({ name: NON_BROWSER_USER_AGENT_LABEL });
    if (nonBrowser && rnd() < 0.6)
      labels.push({ name: `${BOT_CATEGORY_LABEL_PREFIX}${pick(BOT_CATEGORIES)}` });
    if (rnd() < 0.3) labels.push({ name: `${TOKEN_ID_LABEL_PREFIX}tok-${Math.floor(rnd() * 30)}` });
    if (rnd() < 0.1) labels.push({ name: 'awswaf:111122223333:webacl:ExampleWebACL:custom:high-risk' });

    let action: WafLogRecord['action'] = 'ALLOW';
    let terminatingRuleId = 'Default_Action';
    let terminatingRuleType: WafLogRecord['terminatingRuleType'] = 'REGULAR';
    const nonTerminatingMatchingRules: WafNonTerminatingRule[] = [];
    const ruleGroupList: WafRuleGroup[] = [];
    const rateBasedRuleList: WafLogRecord['rateBasedRuleList'] = [];
    let captchaResponse: WafLogRecord['captchaResponse'];
    let challengeResponse: WafLogRecord['challengeResponse'];
    let responseCodeSent: number | null | undefined;
    const terminatingRuleMatchDetails: WafLogRecord['terminatingRuleMatchDetails'] = [];

    // Managed rule group with COUNT overrides (modern) or legacy excludedRules.
    const groupRoll = rnd();
    if (groupRoll < 0.4) {
      const counted: WafNonTerminatingRule[] = [];
      if (rnd() < 0.5)
        counted.push({
          ruleId: pick(['SizeRestrictions_BODY', 'NoUserAgent_HEADER', 'GenericRFI_QUERYARGUMENTS']),
          action: 'COUNT',
          ruleMatchDetails: [],
        });
      if (rnd() < 0.15)
        counted.push({ ruleId: 'EC2MetaDataSSRF_BODY', action: 'COUNT', ruleMatchDetails: [] });
      ruleGroupList.push({
        ruleGroupId: 'AWS#AWSManagedRulesCommonRuleSet',
        terminatingRule: null,
        nonTerminatingMatchingRules: counted,
        excludedRules:
          rnd() < 0.1 ? [{ exclusionType: 'EXCLUDED_AS_COUNT', ruleId: 'CrossSiteScripting_BODY' }] : null,
      });
    }
    if (rnd() < 0.15)
      nonTerminatingMatchingRules.push({
        ruleId: 'CountSuspiciousPaths',
        action: 'COUNT',
        ruleMatchDetails: [],
      });

    const roll = rnd();
    if (clientIp.startsWith('198.51.100.') && roll < 0.35) {
      action = 'BLOCK';
      terminatingRuleId = pick(['RateLimitPerIP', 'RateLimitStore']);
      terminatingRuleType = 'RATE_BASED';
      rateBasedRuleList.push({
        rateBasedRuleId: `arn:aws:wafv2:us-east-1:111122223333:regional/ratebasedstatement/${webAcl}/${terminatingRuleId}`,
        rateBasedRuleName: terminatingRuleId,
        limitKey: terminatingRuleId === 'RateLimitStore' ? 'CUSTOMKEYS' : 'IP',
        maxRateAllowed: 100,
        evaluationWindowSec: '300',
        customValues:
          terminatingRuleId === 'RateLimitStore'
            ? [
                { key: 'IP', value: clientIp },
                { key: 'URIPath', value: uri },
              ]
            : [],
      });
      responseCodeSent = null;
    } else if (roll < 0.12) {
      action = 'BLOCK';
      terminatingRuleId = 'AWS-AWSManagedRulesSQLiRuleSet';
      terminatingRuleType = 'MANAGED_RULE_GROUP';
      ruleGroupList.push({
        ruleGroupId: 'AWS#AWSManagedRulesSQLiRuleSet',
        terminatingRule: { ruleId: 'SQLi_QUERYARGUMENTS', action: 'BLOCK', ruleMatchDetails: [] },
        nonTerminatingMatchingRules: [],
        excludedRules: null,
      });
      terminatingRuleMatchDetails.push({
        conditionType: 'SQL_INJECTION',
        sensitivityLevel: 'HIGH',
        location: 'QUERY_STRING',
        matchedData: ['10', 'AND', '1'],
      });
    } else if (roll < 0.17) {
      action = 'BLOCK';
      terminatingRuleId = 'BlockBadPaths';
    } else if (roll < 0.23) {
      action = 'CAPTCHA';
      terminatingRuleId = 'CaptchaOnRBR';
      terminatingRuleType = 'RATE_BASED';
      captchaResponse = {
        responseCode: 405,
        solveTimestamp: 0,
        failureReason: pick([
          'TOKEN_MISSING',
          'TOKEN_MISSING',
          'TOKEN_EXPIRED',
          'TOKEN_INVALID',
          'TOKEN_DOMAIN_MISMATCH',
        ]),
      };
      responseCodeSent = 405;
    } else if (roll < 0.27) {
      // Valid CAPTCHA token: the match is non-terminating and the request is allowed.
      const solve = Math.floor(t / 1000) - Math.floor(rnd() * 200);
      nonTerminatingMatchingRules.push({
        ruleId: 'CaptchaOnRBR',
        action: 'CAPTCHA',
        ruleMatchDetails: [],
        captchaResponse: { responseCode: 0, solveTimestamp: solve },
      });
      captchaResponse = { responseCode: 0, solveTimestamp: solve };
      headers.push({ name: 'cookie', value: 'aws-waf-token=EXAMPLE-REDACTED' });
    } else if (roll < 0.3) {
      action = 'CHALLENGE';
      terminatingRuleId = 'ChallengeLogin';
      challengeResponse = {
        responseCode: 202,
        solveTimestamp: 0,
        failureReason: pick(['TOKEN_MISSING', 'TOKEN_EXPIRED']),
      };
      responseCodeSent = 202;
    } else if (roll < 0.32) {
      nonTerminatingMatchingRules.push({
        ruleId: 'ChallengeLogin',
        action: 'CHALLENGE',
        ruleMatchDetails: [],
        challengeResponse: { responseCode: 0, solveTimestamp: Math.floor(t / 1000) - 5 },
      });
      challengeResponse = { responseCode: 0, solveTimestamp: Math.floor(t / 1000) - 5 };
    }

    const httpRequest: WafLogRecord['httpRequest'] = {
      clientIp,
      country: pick(COUNTRIES),
      headers,
      uri,
      args: rnd() < 0.3 ? 'id=10%20AND%201%3D1' : '',
      httpVersion: rnd() < 0.7 ? 'HTTP/2.0' : 'HTTP/1.1',
      httpMethod: method,
      requestId: `1-${(t / 1000).toString(16).slice(0, 8)}-${i.toString(16).padStart(24, '0')}`,
    };
    if (source.name === 'CF' || source.name === 'ALB') {
      httpRequest.scheme = 'https';
      httpRequest.host = 'www.example.com';
      if (rnd() < 0.05) httpRequest.fragment = 'section-1';
    }
    const record: WafLogRecord = {
      timestamp: t,
      formatVersion: 1,
      webaclId,
      terminatingRuleId,
      terminatingRuleType,
      action,
      terminatingRuleMatchDetails,
      httpSourceName: source.name,
      httpSourceId: source.id,
      ruleGroupList,
      rateBasedRuleList,
      nonTerminatingMatchingRules,
      requestHeadersInserted: null,
      responseCodeSent: responseCodeSent ?? null,
      httpRequest,
    };
    // Empty vs absent label lists are different shapes to engines: produce both.
    if (labels.length > 0 || rnd() < 0.7) record.labels = labels;
    if (captchaResponse) record.captchaResponse = captchaResponse;
    if (challengeResponse) record.challengeResponse = challengeResponse;
    if (source.name === 'CF' || source.name === 'ALB') {
      if (rnd() < 0.9) record.ja4Fingerprint = pick(JA4);
      if (rnd() < 0.9) record.ja3Fingerprint = pick(JA3);
    }
    if (method === 'POST' || method === 'PUT') {
      record.requestBodySize = Math.floor(rnd() * 20000);
      record.requestBodySizeInspectedByWAF = Math.min(record.requestBodySize, 8192);
      if (record.requestBodySize > 8192) record.oversizeFields = ['REQUEST_BODY'];
    }
    if (rnd() < 0.05) record.clientAsn = 64496 + Math.floor(rnd() * 10);
    yield record;
  }
}

/**
 * Generates NDJSON lines (as bytes) for the records of {@link generateSampleRecords}, with malformed lines
 * interleaved every `malformedEvery` records: truncated JSON, invalid UTF-8, a JSON array, a record without
 * `httpRequest`, a huge URI, a header object with an unknown key, and an unknown top-level field.
 *
 * @param options - As {@link generateSampleRecords}, plus `malformedEvery` (default 500; 0 for none).
 * @returns One `Uint8Array` per line, without newline characters.
 * @throws {@link WafInsightsError} `INVALID_OPTION` when an option is invalid.
 * @example
 * ```ts
 * const lines = generateSampleLines({ records: 1000, malformedEvery: 100 });
 * ```
 */
export function* generateSampleLines(
  options: SampleOptions & { malformedEvery?: number },
): Generator<Uint8Array> {
  const every = options.malformedEvery ?? 500;
  if (!Number.isInteger(every) || every < 0) throw invalidOption('malformedEvery', 'a non-negative integer');
  const enc = new TextEncoder();
  let i = 0;
  let k = 0;
  for (const record of sampleRecordIterator(options)) {
    // Every 97th record carries a header with an unknown key (the AWS docs' own example) and a field
    // newer than the schema: parsers must keep the record, drop the header, and report the drift.
    const odd =
      i % 97 === 96
        ? {
            ...record,
            futureField: { enabled: true },
            httpRequest: {
              ...record.httpRequest,
              headers: [...record.httpRequest.headers, { name: 'myHeader', myValue: '10 AND 1=1' }],
            },
          }
        : record;
    yield enc.encode(JSON.stringify(odd));
    i++;
    if (every > 0 && i % every === 0) {
      yield malformedLine(k++, record, enc);
    }
  }
}

/** The malformed-line kinds {@link generateSampleLines} cycles through, with the skip reason each must produce. */
export const MALFORMED_KINDS = [
  'invalid_json',
  'not_utf8',
  'not_an_object',
  'missing_field',
  'uri_too_long',
] as const;

function malformedLine(k: number, record: WafLogRecord, enc: TextEncoder): Uint8Array {
  const kind = MALFORMED_KINDS[k % MALFORMED_KINDS.length];
  switch (kind) {
    case 'invalid_json':
      return enc.encode(JSON.stringify(record).slice(0, 57));
    case 'not_utf8': {
      const good = enc.encode(JSON.stringify(record));
      const bad = new Uint8Array(good.length + 2);
      bad.set(good.subarray(0, 20));
      bad.set([0xc3, 0x28], 20);
      bad.set(good.subarray(20), 22);
      return bad;
    }
    case 'not_an_object':
      return enc.encode('[1,2,3]');
    case 'missing_field': {
      const { httpRequest: _omit, ...rest } = record;
      return enc.encode(JSON.stringify(rest));
    }
    default:
      return enc.encode(
        JSON.stringify({ ...record, httpRequest: { ...record.httpRequest, uri: `/${'A'.repeat(20_000)}` } }),
      );
  }
}
