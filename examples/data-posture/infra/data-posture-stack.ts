// The deployable side of the scenario: the Macie sensitive data discovery results repository (S3 bucket +
// KMS key with the policies Macie requires) and the Athena database, workgroup and table DDL to query it.
import { athenaTableDdl } from '@secblocks/macie-query';
import * as cdk from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/** Settings of {@link DataPostureStack}. */
export interface DataPostureStackProps extends cdk.StackProps {
  /** Glue database holding the results table. @defaultValue `'macie_results'` */
  databaseName?: string;
  /** Athena stops a query after scanning this many bytes. @defaultValue 10 GiB */
  bytesScannedCutoffPerQuery?: number;
  /** Days to keep discovery results (Macie keeps none itself after 90 days). @defaultValue `395` */
  retentionDays?: number;
}

const BUCKET_PLACEHOLDER = 'results-bucket-placeholder';

/** The discovery results repository and the Athena side that reads it. */
export class DataPostureStack extends cdk.Stack {
  readonly resultsBucket: s3.Bucket;
  readonly key: kms.Key;
  readonly workGroup: athena.CfnWorkGroup;

  constructor(scope: Construct, id: string, props: DataPostureStackProps = {}) {
    super(scope, id, props);
    const databaseName = props.databaseName ?? 'macie_results';
    const macieSource = {
      StringEquals: { 'aws:SourceAccount': this.account },
      ArnLike: {
        'aws:SourceArn': [
          `arn:${this.partition}:macie2:${this.region}:${this.account}:export-configuration:*`,
          `arn:${this.partition}:macie2:${this.region}:${this.account}:classification-job/*`,
        ],
      },
    };

    this.key = new kms.Key(this, 'ResultsKey', {
      description: 'Encrypts Macie sensitive data discovery results and Athena query results',
      enableKeyRotation: true,
      removalPolicy: cdk.RemovalPolicy.RETAIN,
    });
    // Macie encrypts each results file with this key; only on behalf of this account's jobs and export config.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowMacieToEncryptResults',
        principals: [new iam.ServicePrincipal('macie.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Encrypt'],
        resources: ['*'],
        conditions: macieSource,
      }),
    );

    this.resultsBucket = new s3.Bucket(this, 'ResultsBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: cdk.Duration.days(props.retentionDays ?? 395) }],
      removalPolicy: cdk.RemovalPolicy.RETAIN,
    });
    const macie = new iam.ServicePrincipal('macie.amazonaws.com');
    this.resultsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyIncorrectEncryptionHeader',
        effect: iam.Effect.DENY,
        principals: [macie],
        actions: ['s3:PutObject'],
        resources: [this.resultsBucket.arnForObjects('*')],
        conditions: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
      }),
    );
    this.resultsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyUnexpectedKey',
        effect: iam.Effect.DENY,
        principals: [macie],
        actions: ['s3:PutObject'],
        resources: [this.resultsBucket.arnForObjects('*')],
        conditions: {
          StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': this.key.keyArn },
        },
      }),
    );
    this.resultsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowMacieToUploadResults',
        principals: [macie],
        actions: ['s3:PutObject'],
        resources: [this.resultsBucket.arnForObjects('*')],
        conditions: macieSource,
      }),
    );
    this.resultsBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowMacieToGetBucketLocation',
        principals: [macie],
        actions: ['s3:GetBucketLocation'],
        resources: [this.resultsBucket.bucketArn],
        conditions: macieSource,
      }),
    );

    const queryResults = new s3.Bucket(this, 'QueryResultsBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: cdk.Duration.days(30) }],
    });

    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: this.account,
      databaseInput: { name: databaseName, description: 'Macie sensitive data discovery results' },
    });

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: 'macie-results',
      description: 'Questions over Macie discovery results (@secblocks/macie-query)',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        // Users cannot override the output location or the encryption, and runaway scans stop.
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery ?? 10 * 1024 ** 3,
        resultConfiguration: {
          outputLocation: `s3://${queryResults.bucketName}/athena/`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: this.key.keyArn },
        },
      },
    });

    // The package generates the corrected DDL (string-typed numbers, tag structs, custom identifiers).
    // It validates the bucket name, so it is generated with a placeholder swapped for the real bucket here;
    // `${` in the DDL is escaped for Fn::Sub.
    const ddl = athenaTableDdl({ bucket: BUCKET_PLACEHOLDER, database: databaseName })
      .replaceAll('${', '${!')
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub syntax, not a JS template.
      .replaceAll(BUCKET_PLACEHOLDER, '${ResultsBucket}');
    const createTable = new athena.CfnNamedQuery(this, 'CreateResultsTable', {
      name: 'create-macie-results-table',
      description: 'Run once: creates the macie_results table over the results bucket',
      database: databaseName,
      workGroup: this.workGroup.name,
      queryString: cdk.Fn.sub(ddl, { ResultsBucket: this.resultsBucket.bucketName }),
    });
    createTable.node.addDependency(this.workGroup);
    createTable.node.addDependency(database);

    // What an analyst (or the macie-query CLI) needs to ask questions, and nothing more.
    const analyst = new iam.ManagedPolicy(this, 'AnalystPolicy', {
      description: 'Run macie-query questions in the macie-results workgroup',
      statements: [
        new iam.PolicyStatement({
          sid: 'RunQueriesInWorkGroup',
          actions: [
            'athena:StartQueryExecution',
            'athena:GetQueryExecution',
            'athena:GetQueryResults',
            'athena:StopQueryExecution',
            'athena:GetWorkGroup',
          ],
          resources: [
            cdk.Stack.of(this).formatArn({
              service: 'athena',
              resource: 'workgroup',
              resourceName: 'macie-results',
            }),
          ],
        }),
        new iam.PolicyStatement({
          sid: 'ReadTableDefinition',
          actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartitions'],
          resources: [
            this.formatArn({ service: 'glue', resource: 'catalog' }),
            this.formatArn({ service: 'glue', resource: 'database', resourceName: databaseName }),
            this.formatArn({ service: 'glue', resource: 'table', resourceName: `${databaseName}/*` }),
          ],
        }),
        new iam.PolicyStatement({
          sid: 'ReadResults',
          actions: ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation'],
          resources: [this.resultsBucket.bucketArn, this.resultsBucket.arnForObjects('*')],
        }),
        new iam.PolicyStatement({
          sid: 'WriteQueryResults',
          actions: [
            's3:GetObject',
            's3:PutObject',
            's3:ListBucket',
            's3:GetBucketLocation',
            's3:AbortMultipartUpload',
          ],
          resources: [queryResults.bucketArn, queryResults.arnForObjects('athena/*')],
        }),
        new iam.PolicyStatement({
          sid: 'UseKeyThroughS3Only',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [this.key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${this.region}.amazonaws.com` } },
        }),
      ],
    });

    new cdk.CfnOutput(this, 'ResultsBucketName', { value: this.resultsBucket.bucketName });
    new cdk.CfnOutput(this, 'ResultsKeyArn', { value: this.key.keyArn });
    new cdk.CfnOutput(this, 'AnalystPolicyArn', { value: analyst.managedPolicyArn });
    new cdk.CfnOutput(this, 'ConfigureMacie', {
      description: 'Point Macie at the repository (not available in CloudFormation)',
      value: cdk.Fn.sub(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub syntax, not a JS template.
        'aws macie2 put-classification-export-configuration --configuration s3Destination={bucketName=${B},keyPrefix=,kmsKeyArn=${K}}',
        { B: this.resultsBucket.bucketName, K: this.key.keyArn },
      ),
    });
  }
}
