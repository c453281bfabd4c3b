import { invalidParameter, WafInsightsError, WafInsightsErrorCode } from './errors.js';
import type {
  FieldToMatch,
  RateBasedStatement,
  TextTransformation,
  WafRule,
  WafStatement,
} from './rule-builders.js';
import type { WafLogRecord } from './schema.js';

/** What a rule would have done over a log sample; see {@link replayRule}. */
export interface ReplayResult {
  /** Records inspected. */
  records: number;
  /** Records matching the scope-down statement (all records when there is none). */
  inScope: number;
  /** Requests the rule would have acted on (challenged, blocked or counted). */
  requests: number;
  /** Aggregation keys (IPs for IP rules) acted on, with their request counts, most first. */
  keys: Array<{ key: string; requests: number }>;
  /** Of the requests acted on, how many WAF actually allowed (candidate false positives or newly caught traffic). */
  previouslyAllowed: number;
}

const upperHeader = (r: WafLogRecord, name: string): string | undefined =>
  r.httpRequest.headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

function transform(value: string, ts: TextTransformation[]): string {
  let v = value;
  for (const t of [...ts].sort((a, b) => a.Priority - b.Priority)) {
    if (t.Type === 'NONE') continue;
    else if (t.Type === 'LOWERCASE') v = v.toLowerCase();
    else if (t.Type === 'URL_DECODE') {
      try {
        v = decodeURIComponent(v);
      } catch {
        // WAF leaves undecodable sequences as they are.
      }
    } else if (t.Type === 'COMPRESS_WHITE_SPACE') v = v.replace(/\s+/g, ' ');
    else
      throw new WafInsightsError(
        WafInsightsErrorCode.UNSUPPORTED_QUERY,
        `Replay does not support text transformation ${t.Type}`,
        { parameter: 'TextTransformations' },
      );
  }
  return v;
}

function field(r: WafLogRecord, f: FieldToMatch): string | undefined {
  if ('UriPath' in f) return r.httpRequest.uri;
  if ('QueryString' in f) return r.httpRequest.args;
  if ('Method' in f) return r.httpRequest.httpMethod;
  if ('SingleHeader' in f) return upperHeader(r, f.SingleHeader.Name);
  return undefined;
}

/**
 * Evaluates a statement against a logged request (for replay). Supports byte match (URI path, query
 * string, method, single header; NONE/LOWERCASE/URL_DECODE/COMPRESS_WHITE_SPACE), label match, geo match
 * and AND/OR/NOT.
 *
 * @param statement - The statement.
 * @param record - The logged request.
 * @throws {@link WafInsightsError} `UNSUPPORTED_QUERY` for statements replay cannot evaluate from logs.
 * @example
 * ```ts
 * statementMatches(uriPathMatch('/store'), record);
 * ```
 */
export function statementMatches(statement: WafStatement, record: WafLogRecord): boolean {
  if ('ByteMatchStatement' in statement) {
    const s = statement.ByteMatchStatement;
    const raw = field(record, s.FieldToMatch);
    if (raw === undefined) return false;
    const v = transform(raw, s.TextTransformations);
    const needle = s.SearchString;
    switch (s.PositionalConstraint) {
      case 'EXACTLY':
        return v === needle;
      case 'STARTS_WITH':
        return v.startsWith(needle);
      case 'ENDS_WITH':
        return v.endsWith(needle);
      case 'CONTAINS':
        return v.includes(needle);
      case 'CONTAINS_WORD':
        return new RegExp(
          `(^|[^A-Za-z0-9_])${needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_])`,
        ).test(v);
    }
  }
  if ('LabelMatchStatement' in statement) {
    const { Scope, Key } = statement.LabelMatchStatement;
    return (record.labels ?? []).some((l) =>
      Scope === 'LABEL' ? l.name === Key || l.name.endsWith(`:${Key}`) : l.name.startsWith(Key),
    );
  }
  if ('GeoMatchStatement' in statement)
    return statement.GeoMatchStatement.CountryCodes.includes(record.httpRequest.country);
  if ('AndStatement' in statement)
    return statement.AndStatement.Statements.every((s) => statementMatches(s, record));
  if ('OrStatement' in statement)
    return statement.OrStatement.Statements.some((s) => statementMatches(s, record));
  if ('NotStatement' in statement) return !statementMatches(statement.NotStatement.Statement, record);
  throw new WafInsightsError(
    WafInsightsErrorCode.UNSUPPORTED_QUERY,
    'Replay does not support this statement type',
    { parameter: 'Statement' },
  );
}

function aggregateKey(s: RateBasedStatement, r: WafLogRecord): string | undefined {
  switch (s.AggregateKeyType) {
    case 'IP':
      return r.httpRequest.clientIp;
    case 'CONSTANT':
      return '*';
    case 'FORWARDED_IP': {
      const cfg = s.ForwardedIPConfig;
      const v = upperHeader(r, cfg?.HeaderName ?? 'X-Forwarded-For')
        ?.split(',')[0]
        ?.trim();
      // With FallbackBehavior NO_MATCH a request without the header is not rate-limited.
      return v ?? (cfg?.FallbackBehavior === 'MATCH' ? '(no forwarded ip)' : undefined);
    }
    case 'CUSTOM_KEYS': {
      const parts: string[] = [];
      for (const k of s.CustomKeys ?? []) {
        let v: string | undefined;
        if ('IP' in k) v = r.httpRequest.clientIp;
        else if ('HTTPMethod' in k) v = r.httpRequest.httpMethod;
        else if ('UriPath' in k) v = transform(r.httpRequest.uri, k.UriPath.TextTransformations);
        else if ('QueryString' in k) v = transform(r.httpRequest.args, k.QueryString.TextTransformations);
        else if ('Header' in k) {
          const h = upperHeader(r, k.Header.Name);
          v = h === undefined ? undefined : transform(h, k.Header.TextTransformations);
        } else if ('JA4Fingerprint' in k)
          v = r.ja4Fingerprint ?? (k.JA4Fingerprint.FallbackBehavior === 'MATCH' ? '' : undefined);
        else if ('JA3Fingerprint' in k)
          v = r.ja3Fingerprint ?? (k.JA3Fingerprint.FallbackBehavior === 'MATCH' ? '' : undefined);
        else if ('LabelNamespace' in k)
          v =
            (r.labels ?? [])
              .filter((l) => l.name.startsWith(k.LabelNamespace.Namespace))
              .map((l) => l.name)
              .sort()
              .join(',') || undefined;
        else
          throw new WafInsightsError(
            WafInsightsErrorCode.UNSUPPORTED_QUERY,
            `Replay cannot derive custom key ${Object.keys(k)[0]} from logs`,
            { parameter: 'CustomKeys' },
          );
        // WAF does not rate-limit requests missing a custom key component.
        if (v === undefined) return undefined;
        parts.push(v);
      }
      return parts.join(' | ');
    }
  }
  return undefined;
}

/**
 * Replays a rule over logged requests to show what it would have done: for a rate-based rule, every
 * in-scope request whose aggregation key already had `Limit` in-scope requests within the trailing
 * `EvaluationWindowSec` (inclusive of itself, so the `Limit + 1`-th and later) is acted on; for a plain
 * rule, every matching request. This is a model of WAF's rate tracking, which samples counts periodically:
 * expect the real rule to act slightly later at the start of a burst.
 *
 * @param rule - A rule from {@link buildRateBasedRule} (or any rule using supported statements).
 * @param records - Logged requests (any order).
 * @throws {@link WafInsightsError} `UNSUPPORTED_QUERY` for statements that cannot be evaluated from logs.
 * @example
 * ```ts
 * const { requests, keys } = replayRule(captchaOnRbrRule(), records);
 * ```
 */
export function replayRule(rule: WafRule, records: readonly WafLogRecord[]): ReplayResult {
  if (!rule || typeof rule !== 'object' || !rule.Statement) throw invalidParameter('rule', 'a WAFv2 rule');
  const sorted = [...records].sort((a, b) => a.timestamp - b.timestamp);
  const acted = new Map<string, number>();
  let inScope = 0;
  let requests = 0;
  let previouslyAllowed = 0;
  const act = (key: string, r: WafLogRecord): void => {
    requests++;
    if (r.action === 'ALLOW') previouslyAllowed++;
    acted.set(key, (acted.get(key) ?? 0) + 1);
  };
  if ('RateBasedStatement' in rule.Statement) {
    const s = rule.Statement.RateBasedStatement;
    const windowMs = s.EvaluationWindowSec * 1000;
    const recent = new Map<string, number[]>();
    for (const r of sorted) {
      if (s.ScopeDownStatement && !statementMatches(s.ScopeDownStatement, r)) continue;
      inScope++;
      const key = aggregateKey(s, r);
      if (key === undefined) continue;
      let times = recent.get(key);
      if (!times) {
        times = [];
        recent.set(key, times);
      }
      times.push(r.timestamp);
      let drop = 0;
      while (drop < times.length && (times[drop] as number) <= r.timestamp - windowMs) drop++;
      if (drop > 0) times.splice(0, drop);
      if (times.length > s.Limit) act(key, r);
    }
  } else {
    for (const r of sorted) {
      if (!statementMatches(rule.Statement, r)) continue;
      inScope++;
      act(r.httpRequest.clientIp, r);
    }
  }
  const keys = [...acted.entries()]
    .map(([key, n]) => ({ key, requests: n }))
    .sort((a, b) => b.requests - a.requests || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { records: records.length, inScope, requests, keys, previouslyAllowed };
}
