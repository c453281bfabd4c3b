import { describe, expect, it } from 'vitest';
import {
  buildCloudFormationTemplate,
  buildDashboardBody,
  type CloudFormationTemplate,
  compileDashboardWidget,
  getQuestion,
  isWafInsightsError,
  QUESTION_CATALOG,
  RESOURCE_REQUIRED_PROPERTIES,
  validateDashboardBody,
  validateTemplate,
} from '../src/index.js';

const metricsOf = (w: Record<string, unknown>) =>
  ((w.properties as { metrics?: unknown[][] }).metrics ?? []) as unknown[][];

describe('buildDashboardBody', () => {
  it('uses WebACL, Region and Rule=ALL dimensions for a regional web ACL', () => {
    const body = buildDashboardBody({
      webAclName: 'prod-acl',
      region: 'eu-west-1',
      logGroupName: 'aws-waf-logs-prod',
    });
    const allowed = metricsOf(body.widgets[0]!)[0];
    expect(allowed).toEqual([
      'AWS/WAFV2',
      'AllowedRequests',
      'WebACL',
      'prod-acl',
      'Region',
      'eu-west-1',
      'Rule',
      'ALL',
      { id: 'm1' },
    ]);
    expect((body.widgets[0]!.properties as { region: string }).region).toBe('eu-west-1');
  });

  it('drops the Region dimension and uses us-east-1 for CloudFront', () => {
    const body = buildDashboardBody({
      webAclName: 'cf-acl',
      scope: 'CLOUDFRONT',
      region: 'eu-west-1',
      logGroupName: 'aws-waf-logs-cf',
    });
    const allowed = metricsOf(body.widgets[0]!)[0];
    expect(allowed).toEqual([
      'AWS/WAFV2',
      'AllowedRequests',
      'WebACL',
      'cf-acl',
      'Rule',
      'ALL',
      { id: 'm1' },
    ]);
    const bot = JSON.stringify(body.widgets[4]);
    expect(bot).toContain('{AWS/WAFV2,LabelName,LabelNamespace,WebACL}');
    expect(bot).not.toContain('Region=');
    expect(body.widgets.every((w) => (w.properties as { region: string }).region === 'us-east-1')).toBe(true);
  });

  it('renders the post widgets, Contributor Insights widgets for exact rules and a Logs Insights widget per question', () => {
    const body = buildDashboardBody({ webAclName: 'acl', logGroupName: 'aws-waf-logs-prod' });
    const titles = body.widgets.map((w) => (w.properties as { title: string }).title);
    expect(titles.slice(0, 6)).toEqual([
      'Allowed vs blocked requests',
      'All requests',
      'Counted requests',
      'CAPTCHA and challenge',
      'Bot vs non-bot requests',
      'Percentage of bot requests',
    ]);
    const logs = body.widgets.filter((w) => w.type === 'log');
    expect(logs).toHaveLength(QUESTION_CATALOG.length);
    expect((logs[0]!.properties as { query: string }).query.startsWith("SOURCE 'aws-waf-logs-prod' | ")).toBe(
      true,
    );
    expect(body.widgets.filter((w) => (w.properties as { insightRule?: unknown }).insightRule).length).toBe(
      10,
    );
  });

  it('names logGroupName when it does not start with aws-waf-logs-', () => {
    try {
      buildDashboardBody({ webAclName: 'acl', logGroupName: 'my-logs' });
      expect.unreachable();
    } catch (e) {
      expect(isWafInsightsError(e) && e.parameter === 'logGroupName').toBe(true);
    }
  });

  it('throws LIMIT_EXCEEDED when the dashboard has more than 500 widgets', () => {
    const widgets = Array.from({ length: 501 }, () => ({ type: 'text', properties: { markdown: 'x' } }));
    expect(() => validateDashboardBody({ widgets })).toThrow(/500 widgets/);
  });
});

describe('buildCloudFormationTemplate', () => {
  const template = buildCloudFormationTemplate();

  it("declares the post's parameters with their defaults", () => {
    expect(Object.keys(template.Parameters)).toEqual([
      'WebACLName',
      'WAFRegion',
      'CWLogGroupName',
      'ContributorInsightRuleState',
    ]);
    expect(template.Parameters.WAFRegion?.Default).toBe('us-east-1');
    expect(template.Parameters.ContributorInsightRuleState).toMatchObject({
      Default: 'ENABLED',
      AllowedValues: ['ENABLED', 'DISABLED'],
    });
  });

  it('gives every resource the required properties of its resource schema', () => {
    for (const r of Object.values(template.Resources)) {
      for (const p of RESOURCE_REQUIRED_PROPERTIES[r.Type]!) expect(r.Properties[p]).toBeDefined();
    }
    const types = Object.values(template.Resources).map((r) => r.Type);
    expect(types.filter((t) => t === 'AWS::CloudWatch::InsightRule')).toHaveLength(10);
    expect(types.filter((t) => t === 'AWS::Logs::QueryDefinition')).toHaveLength(QUESTION_CATALOG.length);
    expect(types.filter((t) => t === 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
  });

  it('keeps Contributor Insights rule bodies valid JSON within limits after substitution', () => {
    for (const r of Object.values(template.Resources).filter(
      (x) => x.Type === 'AWS::CloudWatch::InsightRule',
    )) {
      const sub = (r.Properties.RuleBody as { 'Fn::Sub': string })['Fn::Sub'];
      const body = JSON.parse(sub.replace('${CWLogGroupName}', `aws-waf-logs-${'x'.repeat(499)}`));
      expect(JSON.stringify(body).length).toBeLessThanOrEqual(8192);
      expect(body.Contribution.Keys.length).toBeLessThanOrEqual(4);
      expect(body.Contribution.Filters.length).toBeLessThanOrEqual(4);
      expect(r.Properties.RuleState).toEqual({ Ref: 'ContributorInsightRuleState' });
    }
  });

  it('produces a dashboard body that is valid JSON once parameters are substituted', () => {
    const sub = (template.Resources.Dashboard!.Properties.DashboardBody as { 'Fn::Sub': string })['Fn::Sub'];
    const body = JSON.parse(
      sub
        .replaceAll('${WebACLName}', 'acl')
        .replaceAll('${WAFRegion}', 'us-east-1')
        .replaceAll('${CWLogGroupName}', 'aws-waf-logs-x'),
    );
    expect(body.widgets.length).toBeGreaterThan(20);
  });

  it('lists the refused Contributor Insights rules in the outputs', () => {
    expect(template.Outputs.RefusedContributorInsightsRules?.Value).toContain('WAF_top_labels');
  });

  it('rejects a template whose resource lacks a required property', () => {
    const broken: CloudFormationTemplate = JSON.parse(JSON.stringify(template));
    delete broken.Resources.Dashboard!.Properties.DashboardBody;
    expect(() => validateTemplate(broken)).toThrow(/DashboardBody/);
  });

  it('rejects a template with a Ref to an undeclared name', () => {
    const broken: CloudFormationTemplate = JSON.parse(JSON.stringify(template));
    broken.Resources.Dashboard!.Properties.DashboardName = { Ref: 'Nope' };
    expect(() => validateTemplate(broken)).toThrow(/Nope/);
  });
});

describe('compileDashboardWidget', () => {
  it('compiles a question to a log widget with a SOURCE clause on one line', () => {
    const w = compileDashboardWidget(getQuestion('requests-over-time'), {
      logGroupName: 'aws-waf-logs-prod',
      region: 'eu-west-1',
    });
    expect(w).toMatchObject({ type: 'log', properties: { view: 'timeSeries', region: 'eu-west-1' } });
    const query = (w.properties as { query: string }).query;
    expect(
      query.startsWith(
        'SOURCE \'aws-waf-logs-prod\' | fields coalesce(action, "-") as action | stats count(*) as requests by bin(5m) as bucket, action',
      ),
    ).toBe(true);
    expect(query).not.toContain('\n');
  });
});
