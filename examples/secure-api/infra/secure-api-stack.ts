// The deployable side of the scenario: a Cognito user pool and confidential app client, an HTTP API with
// the session routes and a cookie Lambda authorizer in front of /api/me, and Lambdas that read their
// secrets from the vault-sync-managed names in Secrets Manager.
import * as cdk from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { ROUTES } from '../src/api.js';
import { SECRET_NAMES } from '../src/app-secrets.js';

/** Settings of {@link SecureApiStack}. */
export interface SecureApiStackProps extends cdk.StackProps {
  /** The bundled `src/lambda.ts` (`pnpm bundle` writes `dist/lambda/lambda.js`). */
  code: lambda.Code;
  /**
   * The origin serving the page and the API, e.g. `https://app.example.com` (CloudFront or a custom domain
   * in front of the HTTP API: the SPA and the API must be same-site for SameSite=Lax cookies).
   */
  appOrigin: string;
  /** Cognito managed-login domain prefix (`<prefix>.auth.<region>.amazoncognito.com`). */
  cognitoDomainPrefix: string;
}

/** The secure API. */
export class SecureApiStack extends cdk.Stack {
  readonly api: apigw.HttpApi;

  constructor(scope: Construct, id: string, props: SecureApiStackProps) {
    super(scope, id, props);
    if (!/^https:\/\/[^/]+$/.test(props.appOrigin)) {
      throw new Error(`appOrigin must be an https origin without a path, got "${props.appOrigin}"`);
    }

    const pool = new cognito.UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      removalPolicy: cdk.RemovalPolicy.RETAIN,
    });
    const domain = pool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.cognitoDomainPrefix } });
    const client = pool.addClient('App', {
      generateSecret: true, // stored in Vault by the operators; vault-sync puts it in Secrets Manager
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID],
        callbackUrls: [`${props.appOrigin}/oauth2/callback`],
        logoutUrls: [`${props.appOrigin}/`],
      },
      accessTokenValidity: cdk.Duration.minutes(15),
      idTokenValidity: cdk.Duration.minutes(15),
      refreshTokenValidity: cdk.Duration.days(30),
    });

    const environment = {
      COGNITO_DOMAIN: domain.baseUrl(),
      USER_POOL_ID: pool.userPoolId,
      CLIENT_ID: client.userPoolClientId,
      APP_ORIGIN: props.appOrigin,
    };
    const fn = (id: string, handler: string, description: string) =>
      new lambda.Function(this, id, {
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        code: props.code,
        handler,
        description,
        memorySize: 256,
        timeout: cdk.Duration.seconds(10),
        environment,
      });
    const session = fn('Session', 'lambda.session', 'login, OAuth2 callback, refresh, logout');
    const authorizerFn = fn('Authorizer', 'lambda.authorizer', 'cookie authorizer for /api/*');
    const me = fn('Me', 'lambda.me', 'GET /api/me');

    // Read-only access to exactly the secrets each function needs (names written by vault-sync).
    const secretArn = (name: string) =>
      this.formatArn({
        service: 'secretsmanager',
        resource: 'secret',
        resourceName: `${name}-??????`,
        arnFormat: cdk.ArnFormat.COLON_RESOURCE_NAME,
      });
    session.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadSessionSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [secretArn(SECRET_NAMES.cognito), secretArn(SECRET_NAMES.cookieKeys)],
      }),
    );
    authorizerFn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadCookieKeys',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [secretArn(SECRET_NAMES.cookieKeys)],
      }),
    );

    this.api = new apigw.HttpApi(this, 'Api', { description: 'secblocks secure-api example' });
    const sessionIntegration = new integrations.HttpLambdaIntegration('SessionIntegration', session);
    for (const key of [ROUTES.login, ROUTES.callback, ROUTES.refresh, ROUTES.logout]) {
      const [method, path] = key.split(' ') as [string, string];
      this.api.addRoutes({
        path,
        methods: [method as apigw.HttpMethod],
        integration: sessionIntegration,
      });
    }
    // No identity source and no caching: the authorizer runs on every request and sees the method (CSRF).
    const cookieAuthorizer = new authorizers.HttpLambdaAuthorizer('CookieAuthorizer', authorizerFn, {
      responseTypes: [authorizers.HttpLambdaResponseType.SIMPLE],
      identitySource: [],
      resultsCacheTtl: cdk.Duration.seconds(0),
    });
    this.api.addRoutes({
      path: '/api/me',
      methods: [apigw.HttpMethod.GET],
      integration: new integrations.HttpLambdaIntegration('MeIntegration', me),
      authorizer: cookieAuthorizer,
    });

    new cdk.CfnOutput(this, 'ApiEndpoint', { value: this.api.apiEndpoint });
    new cdk.CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
    new cdk.CfnOutput(this, 'StoreClientSecretInVault', {
      value: `vault kv put secret/apps/secure-api/cognito clientSecret=<the app client secret of ${client.userPoolClientId}>`,
    });
  }
}
