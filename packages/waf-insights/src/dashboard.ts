import { compileContributorInsightsRule } from './compile-contributor-insights.js';
import { compileLogsInsights } from './compile-logs-insights.js';
import { invalidOption, WafInsightsError, WafInsightsErrorCode } from './errors.js';
import { QUESTION_CATALOG, type Question } from './question.js';

/** CloudWatch dashboard quotas enforced by {@link buildDashboardBody}. */
export const DASHBOARD_LIMITS = {
  maxWidgets: 500,
  maxMetricsPerWidget: 500,
  maxMetrics: 2500,
  maxBodyBytes: 1_048_576,
} as const;

/** Options of {@link buildDashboardBody}. */
export interface DashboardOptions {
  /** Web ACL name (the `WebACL` metric dimension). */
  webAclName: string;
  /** `REGIONAL` (dimension `Region`) or `CLOUDFRONT` (no `Region` dimension; metrics live in us-east-1). @defaultValue `'REGIONAL'` */
  scope?: 'REGIONAL' | 'CLOUDFRONT';
  /** Region of the web ACL (for CLOUDFRONT always `us-east-1`). @defaultValue `'us-east-1'` */
  region?: string;
  /** WAF log group (`aws-waf-logs-...`) for Logs Insights widgets. */
  logGroupName: string;
  /** Questions rendered as Logs Insights widgets. @defaultValue the whole catalog except time series */
  questions?: readonly Question[];
  /** Add Contributor Insights widgets for questions with an exact rule. @defaultValue `true` */
  contributorInsights?: boolean;
  /** Metric period, seconds. @defaultValue `300` */
  period?: number;
}

/** A dashboard body (serialize with `JSON.stringify` for PutDashboard). */
export interface DashboardBody {
  widgets: Array<Record<string, unknown>>;
}

/** @internal Builds without validating names, so templates can pass `${Param}` placeholders. */
export function dashboardBodyUnchecked(
  o: Required<Omit<DashboardOptions, 'questions'>> & { questions: readonly Question[] },
): DashboardBody {
  const regional = o.scope === 'REGIONAL';
  const region = regional ? o.region : 'us-east-1';
  const dims = (rule = 'ALL'): string[] =>
    regional
      ? ['WebACL', o.webAclName, 'Region', region, 'Rule', rule]
      : ['WebACL', o.webAclName, 'Rule', rule];
  const widgets: Array<Record<string, unknown>> = [];
  let slot = 0;
  const place = (w: Record<string, unknown>, width = 12, height = 6): void => {
    widgets.push({ ...w, x: (slot % 2) * 12, y: Math.floor(slot / 2) * 6, width, height });
    slot++;
  };
  const metric = (title: string, metrics: unknown[][], extra: Record<string, unknown> = {}): void =>
    place({
      type: 'metric',
      properties: { title, region, view: 'timeSeries', stat: 'Sum', period: o.period, metrics, ...extra },
    });
  metric(
    'Allowed vs blocked requests',
    [
      ['AWS/WAFV2', 'AllowedRequests', ...dims(), { id: 'm1' }],
      ['AWS/WAFV2', 'BlockedRequests', ...dims(), { id: 'm2' }],
    ],
    { stacked: true },
  );
  metric('All requests', [
    [{ expression: 'SUM([m1, m2, m3, m4])', label: 'All requests', id: 'e1' }],
    ['AWS/WAFV2', 'AllowedRequests', ...dims(), { id: 'm1', visible: false }],
    ['AWS/WAFV2', 'BlockedRequests', ...dims(), { id: 'm2', visible: false }],
    ['AWS/WAFV2', 'CaptchaRequests', ...dims(), { id: 'm3', visible: false }],
    ['AWS/WAFV2', 'ChallengeRequests', ...dims(), { id: 'm4', visible: false }],
  ]);
  metric('Counted requests', [['AWS/WAFV2', 'CountedRequests', ...dims()]]);
  metric('CAPTCHA and challenge', [
    ['AWS/WAFV2', 'CaptchaRequests', ...dims()],
    ['AWS/WAFV2', 'RequestsWithValidCaptchaToken', ...dims()],
    ['AWS/WAFV2', 'ChallengeRequests', ...dims()],
    ['AWS/WAFV2', 'RequestsWithValidChallengeToken', ...dims()],
  ]);
  const search = (metricName: string, labels: boolean): string => {
    const schema = labels
      ? regional
        ? '{AWS/WAFV2,LabelName,LabelNamespace,Region,WebACL}'
        : '{AWS/WAFV2,LabelName,LabelNamespace,WebACL}'
      : regional
        ? '{AWS/WAFV2,Region,Rule,WebACL}'
        : '{AWS/WAFV2,Rule,WebACL}';
    const scope = `${regional ? ` Region="${region}"` : ''} WebACL="${o.webAclName}"`;
    const filter = labels ? ' LabelNamespace="awswaf:managed:aws:bot-control:bot:category"' : ' Rule="ALL"';
    return `SEARCH('${schema} MetricName="${metricName}"${filter}${scope}', 'Sum', ${o.period})`;
  };
  const botExpressions = [
    { expression: search('AllowedRequests', false), id: 'e1', visible: false },
    { expression: search('BlockedRequests', false), id: 'e2', visible: false },
    { expression: search('AllowedRequests', true), id: 'e3', visible: false },
    { expression: search('BlockedRequests', true), id: 'e4', visible: false },
  ];
  metric('Bot vs non-bot requests', [
    ...botExpressions.map((e) => [e]),
    [{ expression: 'SUM([e3, e4])', label: 'Bot', id: 'bot' }],
    [{ expression: 'SUM([e1, e2]) - SUM([e3, e4])', label: 'Non-bot', id: 'nonbot' }],
  ]);
  metric(
    'Percentage of bot requests',
    [
      ...botExpressions.map((e) => [e]),
      [{ expression: '(SUM([e3, e4]) / SUM([e1, e2])) * 100', label: 'Bot %', id: 'pct' }],
    ],
    { view: 'singleValue', setPeriodToTimeRange: true },
  );
  if (o.contributorInsights) {
    for (const q of o.questions) {
      const ci = compileContributorInsightsRule(q, { logGroupNames: ['aws-waf-logs-placeholder'] });
      if (!ci.exact) continue;
      place({
        type: 'metric',
        properties: {
          title: `${q.title} (Contributor Insights)`,
          region,
          view: 'timeSeries',
          period: 60,
          insightRule: { maxContributorCount: 10, orderBy: 'Sum', ruleName: ci.ruleName },
          legend: { position: 'right' },
        },
      });
    }
  }
  for (const q of o.questions) place(logWidget(q, o.logGroupName, region));
  return { widgets };
}

function logWidget(q: Question, logGroupName: string, region: string): Record<string, unknown> {
  return {
    type: 'log',
    properties: {
      title: q.title,
      region,
      view: q.order === 'time' ? 'timeSeries' : 'table',
      // Dashboard log widgets name their log groups with a SOURCE clause in the query itself.
      query: `SOURCE '${logGroupName}' | ${compileLogsInsights(q).replace(/\n\| /g, ' | ')}`,
    },
  };
}

/**
 * Compiles a question to a CloudWatch dashboard `log` widget (Logs Insights query with a `SOURCE` clause;
 * table view, or time series for time questions). Position it with `x`, `y`, `width`, `height`.
 *
 * @param question - The question.
 * @param options - Log group (`aws-waf-logs-...`) and Region.
 * @throws {@link WafInsightsError} `INVALID_OPTION` naming the option.
 * @example
 * ```ts
 * const widget = { ...compileDashboardWidget(getQuestion('top-ips'), { logGroupName: 'aws-waf-logs-prod', region: 'us-east-1' }), x: 0, y: 0, width: 12, height: 6 };
 * ```
 */
export function compileDashboardWidget(
  question: Question,
  options: { logGroupName: string; region: string },
): Record<string, unknown> {
  if (
    typeof options.logGroupName !== 'string' ||
    !/^aws-waf-logs-[\w\-./#]{1,498}$/.test(options.logGroupName)
  )
    throw invalidOption('logGroupName', 'a log group name starting with aws-waf-logs-');
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(options.region ?? ''))
    throw invalidOption('region', 'an AWS Region code');
  return logWidget(question, options.logGroupName, options.region);
}

/**
 * Checks a dashboard body against the CloudWatch quotas (widgets, metrics per widget and in total, body size).
 *
 * @param body - A dashboard body.
 * @throws {@link WafInsightsError} `LIMIT_EXCEEDED` naming the quota.
 * @example
 * ```ts
 * validateDashboardBody(buildDashboardBody(options));
 * ```
 */
export function validateDashboardBody(body: DashboardBody): void {
  const over = (what: string): never => {
    throw new WafInsightsError(WafInsightsErrorCode.LIMIT_EXCEEDED, `Dashboard exceeds the ${what} quota`, {
      parameter: 'questions',
    });
  };
  if (body.widgets.length > DASHBOARD_LIMITS.maxWidgets) over('500 widgets');
  let total = 0;
  for (const w of body.widgets) {
    const metrics =
      ((w.properties as Record<string, unknown> | undefined)?.metrics as unknown[] | undefined) ?? [];
    if (metrics.length > DASHBOARD_LIMITS.maxMetricsPerWidget) over('500 metrics per widget');
    total += metrics.length;
  }
  if (total > DASHBOARD_LIMITS.maxMetrics) over('2,500 metrics');
  if (Buffer.byteLength(JSON.stringify(body)) > DASHBOARD_LIMITS.maxBodyBytes) over('body size');
}

/**
 * Builds the CloudWatch dashboard of the AWS post "Visualize AWS WAF logs with an Amazon CloudWatch
 * dashboard": allowed vs blocked, all requests, counted, CAPTCHA/challenge (with valid-token metrics), bot vs
 * non-bot and bot percentage (Bot Control label metrics), Contributor Insights widgets for exact rules, and a
 * Logs Insights widget per question. Regional and CloudFront dimensions are handled.
 *
 * @param options - Web ACL, scope, region, log group, questions.
 * @throws {@link WafInsightsError} `INVALID_OPTION` naming the option; `LIMIT_EXCEEDED` for a dashboard over quota.
 * @example
 * ```ts
 * const body = buildDashboardBody({ webAclName: 'prod-acl', region: 'eu-west-1', logGroupName: 'aws-waf-logs-prod' });
 * await cw.send(new PutDashboardCommand({ DashboardName: 'waf', DashboardBody: JSON.stringify(body) }));
 * ```
 */
export function buildDashboardBody(options: DashboardOptions): DashboardBody {
  if (typeof options.webAclName !== 'string' || !/^[\w-]{1,128}$/.test(options.webAclName))
    throw invalidOption('webAclName', 'a web ACL name');
  const scope = options.scope ?? 'REGIONAL';
  if (scope !== 'REGIONAL' && scope !== 'CLOUDFRONT')
    throw invalidOption('scope', "'REGIONAL' or 'CLOUDFRONT'");
  const region = options.region ?? 'us-east-1';
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw invalidOption('region', 'an AWS Region code');
  if (
    typeof options.logGroupName !== 'string' ||
    !/^aws-waf-logs-[\w\-./#]{1,498}$/.test(options.logGroupName)
  )
    throw invalidOption('logGroupName', 'a log group name starting with aws-waf-logs-');
  const period = options.period ?? 300;
  if (!Number.isInteger(period) || period < 60 || period % 60 !== 0)
    throw invalidOption('period', 'a multiple of 60 seconds');
  const body = dashboardBodyUnchecked({
    webAclName: options.webAclName,
    scope,
    region,
    logGroupName: options.logGroupName,
    questions: options.questions ?? QUESTION_CATALOG,
    contributorInsights: options.contributorInsights ?? true,
    period,
  });
  validateDashboardBody(body);
  return body;
}
