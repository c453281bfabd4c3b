// CDK app: `npx cdk deploy` (cdk.json runs this file with tsx). See README.
import * as cdk from 'aws-cdk-lib';
import { DataPostureStack } from './data-posture-stack.js';

const app = new cdk.App();
new DataPostureStack(app, 'DataPosture', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
app.synth();
