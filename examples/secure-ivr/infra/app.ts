// CDK app: `pnpm bundle && npx cdk deploy -c connectInstanceArn=... -c lexBotAliasArn=...` (see README).
import { fileURLToPath } from 'node:url';
import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SecureIvrStack } from './secure-ivr-stack.js';

const app = new cdk.App();
const connectInstanceArn = app.node.tryGetContext('connectInstanceArn') as string | undefined;
const lexBotAliasArn = app.node.tryGetContext('lexBotAliasArn') as string | undefined;
new SecureIvrStack(app, 'SecureIvr', {
  code: lambda.Code.fromAsset(fileURLToPath(new URL('../dist/lambda', import.meta.url))),
  ...(connectInstanceArn ? { connectInstanceArn } : {}),
  ...(lexBotAliasArn ? { lexBotAliasArn } : {}),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
app.synth();
