// CDK app: `pnpm bundle && npx cdk deploy --app "npx tsx infra/app.ts"` (see README).
import { fileURLToPath } from 'node:url';
import * as cdk from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SecretsReplicationStack } from './secrets-replication-stack.js';

const app = new cdk.App();
new SecretsReplicationStack(app, 'SecretsReplication', {
  code: lambda.Code.fromAsset(fileURLToPath(new URL('../dist/lambda', import.meta.url))),
  ...(process.env.ALARM_EMAIL ? { alarmEmail: process.env.ALARM_EMAIL } : {}),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
app.synth();
