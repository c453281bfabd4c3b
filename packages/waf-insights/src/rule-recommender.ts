import { invalidParameter } from './errors.js';
import {
  buildRateBasedRule,
  EVALUATION_WINDOWS,
  RATE_LIMIT_RANGE,
  type RuleAction,
  uriPathMatch,
  type WafRule,
} from './rule-builders.js';
import { type ReplayResult, replayRule, statementMatches } from './rule-replay.js';
import type { WafLogRecord } from './schema.js';

/** Options of {@link recommendRateBasedRule}. */
export interface RecommendOptions {
  /** Rule name. @defaultValue `'RecommendedRateLimit'` */
  name?: string;
  /** Only consider requests whose URI path starts with this prefix (becomes the scope-down). */
  uriPrefix?: string;
  /** Window, seconds (60, 120, 300, 600). @defaultValue `300` */
  evaluationWindowSec?: number;
  /** Percentile of per-IP, per-window request counts the limit is based on (50-100). @defaultValue `99` */
  percentile?: number;
  /** Multiplier applied to the percentile (headroom for legitimate bursts). @defaultValue `1.5` */
  safetyFactor?: number;
  /** Action. @defaultValue `'CAPTCHA'` (a human can pass it; start with `'COUNT'` to observe first) */
  action?: RuleAction;
  /** CAPTCHA/Challenge immunity time, seconds. @defaultValue `300` for CAPTCHA and CHALLENGE */
  immunityTime?: number;
}

/** A recommendation: the rule, the statistics it came from, and its replay over the same logs. */
export interface Recommendation {
  rule: WafRule;
  /** Per-IP request counts per epoch-aligned window, over in-scope requests. */
  statistics: {
    windows: number;
    p50: number;
    p95: number;
    p99: number;
    max: number;
    chosenPercentile: number;
  };
  /** What the rule would have done over the logs it was derived from. */
  replay: ReplayResult;
}

function percentileOf(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] as number;
}

/**
 * Proposes a rate-based rule from observed traffic (the percentile method of the aws-samples Athena
 * queries): counts in-scope requests per client IP per window, sets `Limit` to
 * `clamp(ceil(percentile × safetyFactor), 10, 2e9)`, and replays the rule over the same records so you see
 * which requests and IPs it would have challenged before deploying it. It never changes anything in AWS.
 *
 * @param records - Logged requests.
 * @param options - Scope, window, percentile, action.
 * @throws {@link WafInsightsError} `INVALID_PARAMETER` naming the parameter.
 * @example
 * ```ts
 * const rec = recommendRateBasedRule(records, { uriPrefix: '/login', action: 'CAPTCHA' });
 * console.log(rec.rule, rec.replay.keys.slice(0, 10));
 * ```
 */
export function recommendRateBasedRule(
  records: readonly WafLogRecord[],
  options: RecommendOptions = {},
): Recommendation {
  const windowSec = options.evaluationWindowSec ?? 300;
  if (!(EVALUATION_WINDOWS as readonly number[]).includes(windowSec))
    throw invalidParameter('evaluationWindowSec', '60, 120, 300 or 600');
  const pct = options.percentile ?? 99;
  if (!Number.isFinite(pct) || pct < 50 || pct > 100)
    throw invalidParameter('percentile', 'a number from 50 to 100');
  const safety = options.safetyFactor ?? 1.5;
  if (!Number.isFinite(safety) || safety < 1 || safety > 100)
    throw invalidParameter('safetyFactor', 'a number from 1 to 100');
  const action = options.action ?? 'CAPTCHA';
  const scopeDown =
    options.uriPrefix === undefined ? undefined : uriPathMatch(options.uriPrefix, 'STARTS_WITH');
  const counts = new Map<string, number>();
  const w = windowSec * 1000;
  for (const r of records) {
    if (scopeDown && !statementMatches(scopeDown, r)) continue;
    const k = `${r.httpRequest.clientIp}\u0000${Math.floor(r.timestamp / w)}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const sorted = [...counts.values()].sort((a, b) => a - b);
  const chosen = percentileOf(sorted, pct);
  const limit = Math.min(RATE_LIMIT_RANGE.max, Math.max(RATE_LIMIT_RANGE.min, Math.ceil(chosen * safety)));
  const immunityTime =
    action === 'CAPTCHA' || action === 'CHALLENGE' ? (options.immunityTime ?? 300) : undefined;
  const rule = buildRateBasedRule({
    name: options.name ?? 'RecommendedRateLimit',
    limit,
    evaluationWindowSec: windowSec,
    action,
    ...(scopeDown ? { scopeDown } : {}),
    ...(immunityTime !== undefined ? { immunityTime } : {}),
  });
  return {
    rule,
    statistics: {
      windows: sorted.length,
      p50: percentileOf(sorted, 50),
      p95: percentileOf(sorted, 95),
      p99: percentileOf(sorted, 99),
      max: sorted.length ? (sorted[sorted.length - 1] as number) : 0,
      chosenPercentile: chosen,
    },
    replay: replayRule(rule, records),
  };
}
