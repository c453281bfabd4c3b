// Part 1 of the incident: what the WAF logs say, and the rule to add.
import {
  evaluateQuestion,
  getQuestion,
  NON_BROWSER_USER_AGENT_LABEL,
  type QuestionResult,
  type Recommendation,
  type ReplayResult,
  recommendRateBasedRule,
  replayRule,
  type WafLogRecord,
} from '@secblocks/waf-insights';

/** A Bot Control false-positive candidate: a steady non-browser client that WAF blocks. */
export interface FalsePositiveCandidate {
  clientIp: string;
  requests: number;
  blocked: number;
  uris: string[];
  userAgent: string;
}

/** What the investigation found. */
export interface WafFindings {
  topIps: QuestionResult;
  nonBrowser: QuestionResult;
  falsePositive?: FalsePositiveCandidate;
  recommendation: Recommendation;
  /** The recommended rule replayed over a different day of ordinary traffic. */
  replayOnOrdinaryDay: ReplayResult;
}

const header = (r: WafLogRecord, name: string) =>
  r.httpRequest.headers.find((h) => h.name.toLowerCase() === name)?.value ?? '';

/**
 * A candidate is a client labelled non-browser whose traffic is regular (one URI family, one user agent)
 * and mostly blocked: typical of monitors and partner integrations, not of attackers who rotate.
 */
export function findFalsePositive(
  records: readonly WafLogRecord[],
  nonBrowser: QuestionResult,
): FalsePositiveCandidate | undefined {
  const ipColumn =
    nonBrowser.columns.indexOf('clientIp') >= 0 ? 'clientIp' : (nonBrowser.columns[0] as string);
  for (const row of nonBrowser.rows.slice(0, 20)) {
    const ip = String(row[ipColumn]);
    const mine = records.filter(
      (r) =>
        r.httpRequest.clientIp === ip &&
        (r.labels ?? []).some((l) => l.name === NON_BROWSER_USER_AGENT_LABEL),
    );
    const uris = [...new Set(mine.map((r) => r.httpRequest.uri))];
    const agents = new Set(mine.map((r) => header(r, 'user-agent')));
    const blocked = mine.filter((r) => r.action === 'BLOCK').length;
    if (mine.length >= 50 && uris.length === 1 && agents.size === 1 && blocked / mine.length > 0.9) {
      return { clientIp: ip, requests: mine.length, blocked, uris, userAgent: [...agents][0] as string };
    }
  }
  return undefined;
}

/** Runs the catalog questions, finds the candidate, recommends a CAPTCHA rate rule for /login and replays it. */
export function investigate(
  incident: readonly WafLogRecord[],
  ordinaryDay: readonly WafLogRecord[],
): WafFindings {
  const topIps = evaluateQuestion(getQuestion('top-ips'), incident);
  const nonBrowser = evaluateQuestion(getQuestion('bot-control-non-browser'), incident);
  const recommendation = recommendRateBasedRule(incident, {
    name: 'LoginRateLimit',
    uriPrefix: '/login',
    evaluationWindowSec: 300,
    percentile: 99,
    safetyFactor: 1.5,
    action: 'CAPTCHA',
  });
  const falsePositive = findFalsePositive(incident, nonBrowser);
  return {
    topIps,
    nonBrowser,
    ...(falsePositive ? { falsePositive } : {}),
    recommendation,
    replayOnOrdinaryDay: replayRule(recommendation.rule, ordinaryDay),
  };
}
