// CDK app: `npx cdk deploy -c loginRateLimit=<the demo's recommended limit>`; then associate the web ACL
// with your ALB, API Gateway stage or AppSync API (AWS::WAFv2::WebACLAssociation).
import * as cdk from 'aws-cdk-lib';
import { IncidentResponseStack } from './incident-response-stack.js';

const app = new cdk.App();
const limit = app.node.tryGetContext('loginRateLimit') as string | undefined;
new IncidentResponseStack(app, 'IncidentResponse', {
  ...(limit ? { loginRateLimit: Number(limit) } : {}),
  ...(process.env.CDK_DEFAULT_REGION ? { wafRegion: process.env.CDK_DEFAULT_REGION } : {}),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
app.synth();
