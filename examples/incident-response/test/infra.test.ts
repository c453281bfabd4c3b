import * as cdk from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { IncidentResponseStack } from '../infra/incident-response-stack.js';

describe('IncidentResponseStack', () => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(
      new IncidentResponseStack(new cdk.App(), 'IncidentResponse', { loginRateLimit: 25 }),
    );
  });

  it('puts a CAPTCHA rate-based rule scoped to /login first in the web ACL', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'LoginRateLimit',
          Priority: 0,
          Action: { Captcha: {} },
          CaptchaConfig: { ImmunityTimeProperty: { ImmunityTime: 300 } },
          Statement: {
            RateBasedStatement: Match.objectLike({
              Limit: 25,
              EvaluationWindowSec: 300,
              AggregateKeyType: 'IP',
              ScopeDownStatement: {
                ByteMatchStatement: Match.objectLike({
                  SearchString: '/login',
                  PositionalConstraint: 'STARTS_WITH',
                }),
              },
            }),
          },
        }),
      ]),
    });
  });

  it('exempts the partner monitors from Bot Control with an IP-set scope-down', () => {
    template.hasResourceProperties('AWS::WAFv2::IPSet', { Addresses: ['192.0.2.44/32'], Scope: 'REGIONAL' });
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'AWS-AWSManagedRulesBotControlRuleSet',
          Statement: {
            ManagedRuleGroupStatement: Match.objectLike({
              ScopeDownStatement: {
                NotStatement: {
                  Statement: {
                    IPSetReferenceStatement: {
                      Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PartnerMonitors'), 'Arn'] },
                    },
                  },
                },
              },
            }),
          },
        }),
      ]),
    });
  });

  it('logs to an aws-waf-logs- group with credentials and cookies redacted', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: 'aws-waf-logs-app-web-acl',
      RetentionInDays: 90,
    });
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'cookie' } }],
    });
  });

  it('deploys the waf-insights dashboard over the web ACL metrics and its log group', () => {
    const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0] as {
      Properties: { DashboardBody: string };
    };
    const body = JSON.parse(dashboard.Properties.DashboardBody) as {
      widgets: { type: string; properties: Record<string, unknown> }[];
    };
    expect(
      body.widgets.some((w) => w.type === 'metric' && JSON.stringify(w.properties).includes('app-web-acl')),
    ).toBe(true);
    expect(
      body.widgets.some(
        (w) => w.type === 'log' && JSON.stringify(w.properties).includes('aws-waf-logs-app-web-acl'),
      ),
    ).toBe(true);
  });
});
