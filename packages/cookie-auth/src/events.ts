/**
 * The API Gateway event and response shapes this package reads and writes, declared here (instead of a
 * dependency on `@types/aws-lambda`) with only the fields used, as documented by AWS.
 */

/**
 * HTTP API Lambda authorizer event, payload format 2.0.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */
export interface HttpApiAuthorizerEvent {
  version: '2.0';
  type: 'REQUEST';
  routeArn: string;
  identitySource?: string[] | null;
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix?: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: string;
    stage: string;
    time: string;
    timeEpoch: number;
    [key: string]: unknown;
  };
  pathParameters?: Record<string, string | undefined>;
  stageVariables?: Record<string, string | undefined>;
}

/** Context values an authorizer passes on (REST allows only string, number and boolean). */
export type AuthorizerContext = Record<string, string | number | boolean>;

/** HTTP API simple response (`enableSimpleResponses: true`). `false` yields 403 to the client. */
export interface HttpApiSimpleResponse {
  isAuthorized: boolean;
  context?: AuthorizerContext;
}

/** An IAM policy document as API Gateway expects it from an authorizer. */
export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Array<{ Action: 'execute-api:Invoke'; Effect: 'Allow' | 'Deny'; Resource: string | string[] }>;
}

/** IAM-policy authorizer response (HTTP API with simple responses off, and REST). */
export interface IamPolicyResponse {
  principalId: string;
  policyDocument: PolicyDocument;
  context?: AuthorizerContext;
}

/**
 * REST API Lambda authorizer event of type REQUEST.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-input.html
 */
export interface RestRequestAuthorizerEvent {
  type: 'REQUEST';
  methodArn: string;
  resource: string;
  path: string;
  httpMethod: string;
  headers?: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  pathParameters?: Record<string, string | undefined> | null;
  stageVariables?: Record<string, string | undefined> | null;
  requestContext: {
    path: string;
    accountId: string;
    resourceId: string;
    stage: string;
    requestId: string;
    identity: { sourceIp: string; [key: string]: unknown };
    resourcePath: string;
    httpMethod: string;
    apiId: string;
    [key: string]: unknown;
  };
}

/**
 * HTTP API Lambda proxy event, payload format 2.0 (what the OAuth handlers receive).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
export interface HttpApiProxyEvent {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: string;
    stage: string;
    time: string;
    timeEpoch: number;
    [key: string]: unknown;
  };
  body?: string;
  isBase64Encoded: boolean;
  pathParameters?: Record<string, string | undefined>;
  stageVariables?: Record<string, string | undefined>;
}

/** HTTP API proxy result, payload format 2.0: each `cookies` element becomes one `Set-Cookie`. */
export interface HttpApiProxyResult {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: string;
}

/** Case-insensitive lookup of a single-value header. */
export function headerOf(
  headers: Readonly<Record<string, string | undefined>> | null | undefined,
  name: string,
): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const lower = name.toLowerCase();
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === lower) {
      const v = headers[key];
      if (typeof v === 'string') return v;
    }
  }
  return undefined;
}
