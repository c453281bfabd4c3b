// CDK app: `pnpm bundle && npx cdk deploy -c appOrigin=https://app.example.com -c cognitoDomainPrefix=my-app`.
import { fileURLToPath } from 'node:url';
import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SecureApiStack } from './secure-api-stack.js';

const app = new cdk.App();
new SecureApiStack(app, 'SecureApi', {
  code: lambda.Code.fromAsset(fileURLToPath(new URL('../dist/lambda', import.meta.url))),
  appOrigin: (app.node.tryGetContext('appOrigin') as string | undefined) ?? 'https://app.example.com',
  cognitoDomainPrefix:
    (app.node.tryGetContext('cognitoDomainPrefix') as string | undefined) ?? 'secblocks-secure-api',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
app.synth();
