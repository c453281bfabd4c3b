import * as cdk from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataPostureStack } from '../infra/data-posture-stack.js';

describe('DataPostureStack', () => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(new DataPostureStack(new cdk.App(), 'DataPosture'));
  });

  it('lets only this account’s Macie jobs and export configuration use the key', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowMacieToEncryptResults',
            Principal: { Service: 'macie.amazonaws.com' },
            Action: ['kms:GenerateDataKey', 'kms:Encrypt'],
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: {
                'aws:SourceArn': Match.arrayWith([Match.objectLike({ 'Fn::Join': Match.anyValue() })]),
              },
            },
          }),
        ]),
      },
    });
  });

  it('encrypts the results bucket with the key and refuses uploads with another key or over HTTP', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
          }),
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as {
      Properties: { PolicyDocument: { Statement: { Sid?: string; Effect: string; Condition?: unknown }[] } };
    }[];
    const sids = policies.flatMap((p) => p.Properties.PolicyDocument.Statement.map((s) => s.Sid ?? s.Effect));
    expect(sids).toEqual(
      expect.arrayContaining([
        'DenyIncorrectEncryptionHeader',
        'DenyUnexpectedKey',
        'AllowMacieToUploadResults',
        'AllowMacieToGetBucketLocation',
      ]),
    );
    const secureTransport = policies.flatMap((p) =>
      p.Properties.PolicyDocument.Statement.filter(
        (s) => s.Effect === 'Deny' && JSON.stringify(s.Condition).includes('aws:SecureTransport'),
      ),
    );
    expect(secureTransport).toHaveLength(2); // results bucket and query results bucket
  });

  it('enforces the workgroup’s encrypted output location and a scan cutoff', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'macie-results',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_KMS' } },
      },
    });
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'macie_results' } });
  });

  it('ships the package’s table DDL pointed at the results bucket', () => {
    const query = Object.values(template.findResources('AWS::Athena::NamedQuery'))[0] as {
      Properties: { QueryString: { 'Fn::Sub': [string, Record<string, unknown>] } };
    };
    const [ddl, vars] = query.Properties.QueryString['Fn::Sub'];
    expect(ddl).toMatch(/^CREATE EXTERNAL TABLE IF NOT EXISTS `macie_results`\.`macie_results`/);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub syntax, not a JS template.
    expect(ddl).toContain("LOCATION 's3://${ResultsBucket}/AWSLogs/'");
    expect(ddl).not.toContain('placeholder');
    expect(vars).toEqual({ ResultsBucket: { Ref: expect.stringMatching(/^ResultsBucket/) } });
  });

  it('gives analysts the workgroup, the table and the key only through S3', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'RunQueriesInWorkGroup',
            Action: Match.arrayWith(['athena:StartQueryExecution']),
          }),
          Match.objectLike({
            Sid: 'UseKeyThroughS3Only',
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Condition: { StringEquals: { 'kms:ViaService': Match.anyValue() } },
          }),
        ]),
      },
    });
    const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))[0] as {
      Properties: { PolicyDocument: { Statement: { Resource: unknown }[] } };
    };
    expect(policy.Properties.PolicyDocument.Statement.every((s) => s.Resource !== '*')).toBe(true);
  });
});
