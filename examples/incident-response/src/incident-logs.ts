// The incident's WAF logs: the package's generated background traffic, plus two stories planted in it
// (clones of generated records with a few fields changed, so every other field stays realistic):
// - a credential-stuffing burst on /login from one IP, which the current web ACL lets through;
// - a partner's uptime monitor, a non-browser client that Bot Control labels and blocks (a false positive).
import {
  generateSampleRecords,
  NON_BROWSER_USER_AGENT_LABEL,
  type WafLogRecord,
} from '@secblocks/waf-insights';

export const ATTACKER_IP = '198.51.100.23';
export const PARTNER_MONITOR_IP = '192.0.2.44';
export const START = Date.UTC(2026, 10, 28, 9, 0, 0);

const withHeader = (r: WafLogRecord, name: string, value: string) => {
  r.httpRequest.headers = [
    ...r.httpRequest.headers.filter((h) => h.name.toLowerCase() !== name.toLowerCase()),
    { name, value },
  ];
};

/** Background traffic plus the two stories, ordered by time. `seed` varies the background. */
export function incidentLogs(options: { background?: number; seed?: number } = {}): WafLogRecord[] {
  const background = generateSampleRecords({
    records: options.background ?? 6000,
    seed: options.seed ?? 7,
    startTime: START,
  });
  const span = (background.at(-1)?.timestamp ?? START) - START;
  const template = background[0] as WafLogRecord;
  const clone = (): WafLogRecord => structuredClone(template);

  const planted: WafLogRecord[] = [];
  // 900 POST /login in 10 minutes from one IP, allowed by the current rules.
  for (let i = 0; i < 900; i++) {
    const r = clone();
    r.timestamp = START + Math.floor(span / 3) + i * 650;
    r.action = 'ALLOW';
    r.terminatingRuleId = 'Default_Action';
    r.terminatingRuleType = 'REGULAR';
    r.labels = [];
    r.httpRequest = {
      ...r.httpRequest,
      clientIp: ATTACKER_IP,
      country: 'NL',
      uri: '/login',
      httpMethod: 'POST',
      args: '',
    };
    withHeader(
      r,
      'User-Agent',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
    );
    planted.push(r);
  }
  // The partner monitor: one GET /api/v1/items per 30 s, labelled non-browser and blocked by Bot Control.
  for (let t = START; t < START + span; t += 30_000) {
    const r = clone();
    r.timestamp = t;
    r.action = 'BLOCK';
    r.terminatingRuleId = 'AWS-AWSManagedRulesBotControlRuleSet';
    r.terminatingRuleType = 'MANAGED_RULE_GROUP';
    r.labels = [
      { name: NON_BROWSER_USER_AGENT_LABEL },
      { name: 'awswaf:managed:aws:bot-control:bot:category:monitoring' },
    ];
    r.httpRequest = {
      ...r.httpRequest,
      clientIp: PARTNER_MONITOR_IP,
      country: 'US',
      uri: '/api/v1/items',
      httpMethod: 'GET',
      args: '',
    };
    withHeader(r, 'User-Agent', 'PartnerUptime/2.1 (+https://status.partner.example)');
    planted.push(r);
  }
  return [...background, ...planted].sort((a, b) => a.timestamp - b.timestamp);
}
