// The deployable side of the scenario: the web ACL with the recommended CAPTCHA rate rule on /login and a
// Bot Control scope-down exempting the partner monitor, WAF logging to CloudWatch Logs, and the
// waf-insights dashboard over those logs.
import { buildDashboardBody, buildRateBasedRule, uriPathMatch } from '@secblocks/waf-insights';
import * as cdk from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

/** Settings of {@link IncidentResponseStack}. */
export interface IncidentResponseStackProps extends cdk.StackProps {
  /** @defaultValue `'app-web-acl'` */
  webAclName?: string;
  /** Requests per IP per 5 minutes on /login before CAPTCHA: the limit the demo's recommendation printed. @defaultValue `10` */
  loginRateLimit?: number;
  /** Partner monitors exempt from Bot Control (CIDRs). @defaultValue `['192.0.2.44/32']` */
  partnerMonitorCidrs?: string[];
  /** Region of the web ACL, for the dashboard's metric dimensions. @defaultValue `'us-east-1'` */
  wafRegion?: string;
}

/** The incident's WAF changes and observability. */
export class IncidentResponseStack extends cdk.Stack {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: IncidentResponseStackProps = {}) {
    super(scope, id, props);
    const webAclName = props.webAclName ?? 'app-web-acl';
    const logGroupName = `aws-waf-logs-${webAclName}`;
    const region = props.wafRegion ?? 'us-east-1';

    const partners = new wafv2.CfnIPSet(this, 'PartnerMonitors', {
      name: 'partner-monitors',
      scope: 'REGIONAL',
      ipAddressVersion: 'IPV4',
      addresses: props.partnerMonitorCidrs ?? ['192.0.2.44/32'],
      description: 'Partner uptime monitors exempt from Bot Control - false positives',
    });

    // The rule waf-insights recommended and replayed: CAPTCHA, not BLOCK, so a human over the limit can go on.
    const loginRule = buildRateBasedRule({
      name: 'LoginRateLimit',
      priority: 0,
      limit: props.loginRateLimit ?? 10,
      evaluationWindowSec: 300,
      scopeDown: uriPathMatch('/login', 'STARTS_WITH'),
      action: 'CAPTCHA',
      immunityTime: 300,
    });
    const botControl = {
      Name: 'AWS-AWSManagedRulesBotControlRuleSet',
      Priority: 1,
      OverrideAction: { None: {} },
      Statement: {
        ManagedRuleGroupStatement: {
          VendorName: 'AWS',
          Name: 'AWSManagedRulesBotControlRuleSet',
          ManagedRuleGroupConfigs: [{ AWSManagedRulesBotControlRuleSet: { InspectionLevel: 'COMMON' } }],
          // Requests from the partner monitors never reach Bot Control.
          ScopeDownStatement: {
            NotStatement: { Statement: { IPSetReferenceStatement: { Arn: partners.attrArn } } },
          },
        },
      },
      VisibilityConfig: {
        SampledRequestsEnabled: true,
        CloudWatchMetricsEnabled: true,
        MetricName: 'AWS-AWSManagedRulesBotControlRuleSet',
      },
    };

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: webAclName,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: {
        sampledRequestsEnabled: true,
        cloudWatchMetricsEnabled: true,
        metricName: webAclName,
      },
    });
    // The rules are WAFv2 API JSON (what the package builds); CloudFormation takes the same shape (except
    // IPSetReferenceStatement.Arn, spelled ARN in the API).
    this.webAcl.addPropertyOverride('Rules', [loginRule, botControl]);

    const logGroup = new logs.LogGroup(this, 'WafLogs', {
      logGroupName,
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: cdk.RemovalPolicy.RETAIN,
    });
    new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [logGroup.logGroupArn],
      // Never log credentials or session cookies.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
    });

    new cloudwatch.CfnDashboard(this, 'Dashboard', {
      dashboardName: `waf-insights-${webAclName}`,
      dashboardBody: JSON.stringify(buildDashboardBody({ webAclName, region, logGroupName })),
    });

    new cdk.CfnOutput(this, 'WebAclArn', { value: this.webAcl.attrArn });
  }
}
