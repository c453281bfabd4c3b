// The Lambda entry points behind API Gateway (HTTP API, payload 2.0). Copy this file.
//   COGNITO_DOMAIN, USER_POOL_ID, CLIENT_ID, APP_ORIGIN  non-secret settings (infra/secure-api-stack.ts)
// Secrets come from Secrets Manager (vault/apps/secure-api/*), kept in step with Vault by vault-sync.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  type AuthorizerContext,
  type CookieAuthorizer,
  createCookieAuthorizer,
  type HttpApiAuthorizerEvent,
  type HttpApiProxyEvent,
  type HttpApiProxyResult,
  type HttpApiSimpleResponse,
} from '@secblocks/cookie-auth';
import { createJsonLogger } from '@secblocks/core';
import { createSecureApi, me as meResponse, ROUTES, type SecureApi } from './api.js';
import { loadAppSecrets, loadCookieKeys } from './app-secrets.js';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const logger = createJsonLogger({ fields: { service: 'secure-api' } });
let sm: SecretsManagerClient | undefined;
const client = () => {
  sm ??= new SecretsManagerClient({});
  return sm;
};
/** Memoizes a cold-start promise, forgetting it on failure so the next invocation retries. */
const once = <T>(make: () => Promise<T>): (() => Promise<T>) => {
  let p: Promise<T> | undefined;
  return () => {
    p ??= make().catch((error) => {
      p = undefined;
      throw error;
    });
    return p;
  };
};

const api = once<SecureApi>(async () =>
  createSecureApi(
    {
      domain: env('COGNITO_DOMAIN'),
      userPoolId: env('USER_POOL_ID'),
      clientId: env('CLIENT_ID'),
      appOrigin: env('APP_ORIGIN'),
      logger,
    },
    await loadAppSecrets(client()),
  ),
);
const cookieAuthorizer = once<CookieAuthorizer>(async () =>
  createCookieAuthorizer({
    verifier: { cognito: { userPoolId: env('USER_POOL_ID'), clientId: env('CLIENT_ID') } },
    cookies: { encryptionKeys: await loadCookieKeys(client()) },
    csrf: { allowedOrigins: [env('APP_ORIGIN')] },
    logger,
  }),
);

/** `GET /auth/login`, `GET /oauth2/callback`, `POST /auth/session/refresh`, `POST /auth/session/logout`. */
export const session = async (event: HttpApiProxyEvent): Promise<HttpApiProxyResult> => {
  const { oauth } = await api();
  switch (event.routeKey) {
    case ROUTES.login:
      return oauth.login(event);
    case ROUTES.callback:
      return oauth.callback(event);
    case ROUTES.refresh:
      return oauth.refresh(event);
    case ROUTES.logout:
      return oauth.logout(event);
    default:
      return { statusCode: 404, headers: {}, cookies: [], body: 'Not found' };
  }
};

/** The Lambda authorizer (simple responses, no identity source, no caching). */
export const authorizer = async (event: HttpApiAuthorizerEvent): Promise<HttpApiSimpleResponse> =>
  (await cookieAuthorizer()).httpApiSimple(event);

/** `GET /api/me`: API Gateway passes the authorizer's context. */
export const me = async (event: HttpApiProxyEvent): Promise<HttpApiProxyResult> => {
  const context =
    (event.requestContext.authorizer as { lambda?: AuthorizerContext } | undefined)?.lambda ?? {};
  return meResponse(context);
};
