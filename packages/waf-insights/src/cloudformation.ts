import {
  CONTRIBUTOR_INSIGHTS_LIMITS,
  compileContributorInsightsRule,
} from './compile-contributor-insights.js';
import { compileLogsInsights } from './compile-logs-insights.js';
import { dashboardBodyUnchecked, validateDashboardBody } from './dashboard.js';
import { invalidOption, WafInsightsError, WafInsightsErrorCode } from './errors.js';
import { QUESTION_CATALOG, type Question } from './question.js';

/** Options of {@link buildCloudFormationTemplate}. */
export interface TemplateOptions {
  /** `REGIONAL` or `CLOUDFRONT` metric dimensions. @defaultValue `'REGIONAL'` */
  scope?: 'REGIONAL' | 'CLOUDFRONT';
  /** Questions to deploy (rules, saved queries, widgets). @defaultValue the whole catalog */
  questions?: readonly Question[];
  /** Folder for saved Logs Insights queries. @defaultValue `'waf-insights'` */
  queryFolder?: string;
}

/** A CloudFormation template (JSON). */
export interface CloudFormationTemplate {
  AWSTemplateFormatVersion: '2010-09-09';
  Description: string;
  Parameters: Record<string, Record<string, unknown>>;
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  Outputs: Record<string, Record<string, unknown>>;
}

/** Required properties of each resource type we emit, from the CloudFormation resource schemas. */
export const RESOURCE_REQUIRED_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  'AWS::CloudWatch::InsightRule': ['RuleBody', 'RuleName', 'RuleState'],
  'AWS::CloudWatch::Dashboard': ['DashboardBody'],
  'AWS::Logs::QueryDefinition': ['Name', 'QueryString'],
};

const MAX_LOG_GROUP_NAME = 512;
const logicalId = (prefix: string, id: string): string =>
  `${prefix}${id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase())}`;

/**
 * Builds one CloudFormation template with the post's parameters (`WebACLName`, `WAFRegion`,
 * `CWLogGroupName`, `ContributorInsightRuleState`) that deploys the Contributor Insights rules (only exact
 * ones; refusals are listed in the description of the output `RefusedContributorInsightsRules`), a saved
 * Logs Insights query per question, and the dashboard. The template is validated: required properties per
 * resource schema, CI rule bodies within 8,192 characters for the longest legal log group name, ≤ 4 keys and
 * filters, dashboard quotas.
 *
 * @param options - Scope, questions, saved-query folder.
 * @throws {@link WafInsightsError} `INVALID_OPTION` / `LIMIT_EXCEEDED`.
 * @see https://aws.amazon.com/blogs/security/visualize-aws-waf-logs-with-an-amazon-cloudwatch-dashboard/
 * @example
 * ```ts
 * writeFileSync('waf-dashboard.json', JSON.stringify(buildCloudFormationTemplate(), null, 2));
 * ```
 */
export function buildCloudFormationTemplate(options: TemplateOptions = {}): CloudFormationTemplate {
  const scope = options.scope ?? 'REGIONAL';
  if (scope !== 'REGIONAL' && scope !== 'CLOUDFRONT')
    throw invalidOption('scope', "'REGIONAL' or 'CLOUDFRONT'");
  const folder = options.queryFolder ?? 'waf-insights';
  if (!/^[\w-]{1,64}$/.test(folder)) throw invalidOption('queryFolder', 'letters, digits, _ and -');
  const questions = options.questions ?? QUESTION_CATALOG;
  const resources: CloudFormationTemplate['Resources'] = {};
  const refused: string[] = [];
  for (const q of questions) {
    const ci = compileContributorInsightsRule(q, { logGroupNames: ['PLACEHOLDER'] });
    if (ci.exact) {
      // Worst case: the longest legal log group name must still fit the 8,192-character body limit.
      const worst = ci.json.replace('"PLACEHOLDER"', JSON.stringify('x'.repeat(MAX_LOG_GROUP_NAME)));
      if (worst.length > CONTRIBUTOR_INSIGHTS_LIMITS.maxRuleBodyLength)
        throw new WafInsightsError(
          WafInsightsErrorCode.LIMIT_EXCEEDED,
          `Rule ${ci.ruleName} could exceed 8,192 characters`,
          { parameter: 'questions' },
        );
      resources[logicalId('InsightRule', q.id)] = {
        Type: 'AWS::CloudWatch::InsightRule',
        Properties: {
          RuleName: ci.ruleName,
          RuleState: { Ref: 'ContributorInsightRuleState' },
          RuleBody: { 'Fn::Sub': ci.json.replace('"PLACEHOLDER"', '"${CWLogGroupName}"') },
        },
      };
    } else refused.push(`${ci.ruleName}: ${ci.reason}`);
    resources[logicalId('Query', q.id)] = {
      Type: 'AWS::Logs::QueryDefinition',
      Properties: {
        Name: `${folder}/${q.id}`,
        QueryString: compileLogsInsights(q),
        LogGroupNames: [{ Ref: 'CWLogGroupName' }],
      },
    };
  }
  const body = dashboardBodyUnchecked({
    webAclName: '${WebACLName}',
    scope,
    region: '${WAFRegion}',
    logGroupName: '${CWLogGroupName}',
    questions,
    contributorInsights: true,
    period: 300,
  });
  validateDashboardBody(body);
  resources.Dashboard = {
    Type: 'AWS::CloudWatch::Dashboard',
    Properties: {
      DashboardName: { 'Fn::Sub': '${WebACLName}-waf-insights' },
      DashboardBody: { 'Fn::Sub': JSON.stringify(body) },
    },
  };
  const template: CloudFormationTemplate = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description:
      'CloudWatch dashboard, Contributor Insights rules and saved Logs Insights queries for AWS WAF logs (generated by @secblocks/waf-insights)',
    Parameters: {
      WebACLName: { Type: 'String', Description: 'Web ACL name', AllowedPattern: '^[\\w-]{1,128}$' },
      WAFRegion: {
        Type: 'String',
        Default: 'us-east-1',
        Description: 'WAF Region (us-east-1 for CloudFront)',
      },
      CWLogGroupName: {
        Type: 'String',
        Description: 'Name of the CloudWatch log group of the WAF logs',
        AllowedPattern: '^aws-waf-logs-[\\w\\-./#]+$',
      },
      ContributorInsightRuleState: {
        Type: 'String',
        Default: 'ENABLED',
        AllowedValues: ['ENABLED', 'DISABLED'],
        Description: 'Whether the Contributor Insights rules start enabled',
      },
    },
    Resources: resources,
    Outputs: {
      DashboardName: { Value: { Ref: 'Dashboard' } },
      RefusedContributorInsightsRules: {
        Description:
          'Questions without an exact Contributor Insights rule (use the Logs Insights widgets instead)',
        Value: refused.length > 0 ? refused.map((r) => r.split(':')[0]).join(', ') : 'none',
      },
    },
  };
  validateTemplate(template);
  return template;
}

/**
 * Validates a template: every resource has its schema's required properties, every `Ref` and `${Param}`
 * names a declared parameter or resource, and no `Fn::Sub` string contains an unintended `${`.
 *
 * @param template - The template.
 * @throws {@link WafInsightsError} `LIMIT_EXCEEDED` naming the resource and property.
 * @example
 * ```ts
 * validateTemplate(buildCloudFormationTemplate());
 * ```
 */
export function validateTemplate(template: CloudFormationTemplate): void {
  const names = new Set([
    ...Object.keys(template.Parameters),
    ...Object.keys(template.Resources),
    'AWS::Region',
    'AWS::AccountId',
  ]);
  const fail = (msg: string, parameter: string): never => {
    throw new WafInsightsError(WafInsightsErrorCode.LIMIT_EXCEEDED, msg, { parameter });
  };
  const walk = (v: unknown, where: string): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x, where);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'Ref' && (typeof x !== 'string' || !names.has(x)))
          fail(`${where}: Ref to unknown ${String(x)}`, where);
        if (k === 'Fn::Sub') {
          if (typeof x !== 'string') fail(`${where}: Fn::Sub must be a string`, where);
          for (const m of (x as string).matchAll(/\$\{([^}]*)\}/g))
            if (!names.has(m[1] as string)) fail(`${where}: Fn::Sub references unknown \${${m[1]}}`, where);
        }
        walk(x, where);
      }
    }
  };
  for (const [id, r] of Object.entries(template.Resources)) {
    const required = RESOURCE_REQUIRED_PROPERTIES[r.Type];
    if (!required) fail(`${id}: unexpected resource type ${r.Type}`, id);
    for (const p of required ?? [])
      if (r.Properties[p] === undefined) fail(`${id}: missing required property ${p}`, id);
    walk(r.Properties, id);
  }
  walk(template.Outputs, 'Outputs');
}
