import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  athenaTableDdl,
  compileContributorInsightsRule,
  compileLogsInsights,
  compileSql,
  defineQuestion,
  getQuestion,
  isWafInsightsError,
  NON_BROWSER_USER_AGENT_LABEL,
  QUESTION_CATALOG,
  validateLogsInsightsQuery,
} from '../src/index.js';

const golden = (f: string): string => readFileSync(new URL(`./golden/${f}`, import.meta.url), 'utf8');

describe('compileLogsInsights', () => {
  it('matches the golden Bot Control query, using the real bot-control label', () => {
    const q = compileLogsInsights(getQuestion('bot-control-non-browser'));
    expect(`${q}\n`).toBe(golden('logs-insights-bot-control-non-browser.txt'));
    expect(q).toContain('"awswaf:managed:aws:bot-control:signal:non_browser_user_agent"');
    expect(q).not.toContain('botcontrol');
    expect(NON_BROWSER_USER_AGENT_LABEL).toBe('awswaf:managed:aws:bot-control:signal:non_browser_user_agent');
  });

  it('matches the golden CAPTCHA TOKEN_MISSING query', () => {
    expect(`${compileLogsInsights(getQuestion('captcha-token-missing'))}\n`).toBe(
      golden('logs-insights-captcha-token-missing.txt'),
    );
  });

  it('derives counted requests from nonTerminatingMatchingRules, never a text match on COUNT', () => {
    for (const id of ['counted-by-rule', 'counted-by-managed-rule']) {
      const q = compileLogsInsights(getQuestion(id));
      expect(q).toContain('nonTerminatingMatchingRules');
      expect(q).not.toMatch(/@message like/);
    }
  });

  it('produces queries the local evaluator fully understands for every catalog question', () => {
    for (const q of QUESTION_CATALOG)
      expect(validateLogsInsightsQuery(compileLogsInsights(q))).toBeGreaterThan(2);
  });
});

describe('compileContributorInsightsRule', () => {
  it('matches the golden bodies and refusals for the nine rules of the dashboard post', () => {
    const nine = QUESTION_CATALOG.filter((q) => q.contributorInsightsRuleName).map((q) =>
      compileContributorInsightsRule(q, { logGroupNames: ['aws-waf-logs-example'] }),
    );
    expect(nine.map((r) => r.ruleName)).toEqual([
      'WAF_top_terminating_rules',
      'WAF_top_ips',
      'WAF_top_countries',
      'WAF_top_user_agents',
      'WAF_top_uri',
      'WAF_top_http',
      'WAF_top_referrer_hosts',
      'WAF_top_rate_rules',
      'WAF_top_labels',
    ]);
    const shaped = nine.map((r) => (r.exact ? { ruleName: r.ruleName, exact: true, body: r.body } : r));
    expect(shaped).toEqual(JSON.parse(golden('contributor-insights-rules.json')));
    expect(nine.filter((r) => !r.exact).map((r) => r.ruleName)).toEqual([
      'WAF_top_user_agents',
      'WAF_top_referrer_hosts',
      'WAF_top_labels',
    ]);
  });

  it('refuses with a reason naming positional keys when the key is an array member', () => {
    const r = compileContributorInsightsRule(getQuestion('top-labels'), {
      logGroupNames: ['aws-waf-logs-x'],
    });
    expect(r.exact).toBe(false);
    if (!r.exact) expect(r.reason).toMatch(/fixed index/);
  });

  it('escapes non-ASCII filter values so the body stays ASCII', () => {
    const q = defineQuestion({
      ...getQuestion('top-ips'),
      id: 'uri-eacute',
      where: [{ kind: 'in', field: 'uri', values: ['/été'] }],
    });
    const r = compileContributorInsightsRule(q, { logGroupNames: ['aws-waf-logs-x'] });
    expect(
      r.exact && /^[\x20-\x7e]+$/.test(r.json) && JSON.parse(r.json).Contribution.Filters[0].In[0] === '/été',
    ).toBe(true);
  });

  it('names ruleName when it is too long', () => {
    try {
      compileContributorInsightsRule(getQuestion('top-ips'), {
        logGroupNames: ['aws-waf-logs-x'],
        ruleName: 'x'.repeat(129),
      });
      expect.unreachable();
    } catch (e) {
      expect(isWafInsightsError(e) && e.parameter === 'ruleName').toBe(true);
    }
  });
});

describe('compileSql', () => {
  it('prunes the log_time partition and filters the time range for Athena', () => {
    const sql = compileSql(getQuestion('top-ips'), 'athena', {
      timeRange: { start: 1_764_547_200_000, end: 1_764_633_600_000 },
    });
    expect(`${sql}\n`).toBe(golden('athena-top-ips.sql'));
  });

  it('uses lower-cased Hive names and Trino lambdas for Athena, list functions for DuckDB', () => {
    const q = getQuestion('top-user-agents');
    expect(compileSql(q, 'athena')).toContain(
      'transform(filter("httprequest".headers, h -> lower(h.name) = \'user-agent\'), h -> h.value)',
    );
    expect(compileSql(q, 'duckdb')).toContain(
      'list_transform(list_filter("httpRequest".headers, lambda h: lower(h.name) = \'user-agent\'), lambda h: h.value)',
    );
  });

  it('names table when it is not an identifier', () => {
    try {
      compileSql(getQuestion('top-ips'), 'duckdb', { table: 'x; DROP TABLE y' });
      expect.unreachable();
    } catch (e) {
      expect(isWafInsightsError(e) && e.parameter === 'table').toBe(true);
    }
  });
});

describe('athenaTableDdl', () => {
  it('matches the golden DDL with partition projection and the current fields', () => {
    const ddl = athenaTableDdl({
      location: 's3://aws-waf-logs-example/AWSLogs/111122223333/WAFLogs/us-east-1/ExampleWebACL/',
    });
    expect(`${ddl}\n`).toBe(golden('athena-ddl.sql'));
    for (const f of [
      'ja4fingerprint',
      'challengeresponse',
      'oversizefields',
      'requestbodysizeinspectedbywaf',
      'clientasn',
    ])
      expect(ddl).toContain(`\`${f}\``);
  });

  it('names location when it contains a quote', () => {
    try {
      athenaTableDdl({ location: "s3://bucket/x'/" });
      expect.unreachable();
    } catch (e) {
      expect(isWafInsightsError(e) && e.parameter === 'location').toBe(true);
    }
  });
});

describe('defineQuestion', () => {
  it('refuses a group key on a credential header', () => {
    try {
      defineQuestion({
        ...getQuestion('top-user-agents'),
        id: 'cookies',
        groupBy: [{ as: 'cookie', dimension: { kind: 'header', name: 'Cookie' } }],
      });
      expect.unreachable();
    } catch (e) {
      expect(isWafInsightsError(e) && e.parameter === 'header').toBe(true);
    }
  });

  it('refuses two multi-valued dimensions', () => {
    expect(() =>
      defineQuestion({
        ...getQuestion('top-labels'),
        id: 'two',
        groupBy: [
          { as: 'a', dimension: { kind: 'label' } },
          { as: 'b', dimension: { kind: 'countedRule' } },
        ],
      }),
    ).toThrow(/multi-valued/);
  });

  it('accepts every catalog question', () => {
    for (const q of QUESTION_CATALOG) expect(defineQuestion(q)).toBe(q);
  });
});
