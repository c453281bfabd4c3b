// The Lambda entry points behind API Gateway (HTTP API, payload 2.0). Copy this file.
//   COGNITO_DOMAIN, USER_POOL_ID, CLIENT_ID, APP_ORIGIN  non-secret settings (infra/secure-api-stack.ts)
// Secrets come from Secrets Manager (vault/apps/secure-api/*), kept in step with Vault by vault-sync.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  type AuthorizerContext,
  createCookieAuthorizer,
  type Fetcher,
  type HttpApiAuthorizerEvent,
  type HttpApiProxyEvent,
  type HttpApiProxyResult,
  type HttpApiSimpleResponse,
} from '@secblocks/cookie-auth';
import { createJsonLogger, type Logger } from '@secblocks/core';
import { createSecureApi, me as meResponse, ROUTES } from './api.js';
import { loadAppSecrets, loadCookieKeys } from './app-secrets.js';

/** The three functions the stack deploys. */
export interface LambdaHandlers {
  /** `GET /auth/login`, `GET /oauth2/callback`, `POST /auth/session/refresh`, `POST /auth/session/logout`. */
  session(event: HttpApiProxyEvent): Promise<HttpApiProxyResult>;
  /** The Lambda authorizer (simple responses, no identity source, no caching). */
  authorizer(event: HttpApiAuthorizerEvent): Promise<HttpApiSimpleResponse>;
  /** `GET /api/me`: API Gateway passes the authorizer's context. */
  me(event: HttpApiProxyEvent): Promise<HttpApiProxyResult>;
}

/** Injection points for tests; production uses the defaults. */
export interface LambdaDependencies {
  env: Record<string, string | undefined>;
  secretsManager?: SecretsManagerClient;
  jwksFetcher?: Fetcher;
  logger?: Logger;
}

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

/** Builds the handlers; settings are read and secrets fetched on first use (once per container). */
export function createLambdaHandlers(deps: LambdaDependencies): LambdaHandlers {
  const setting = (name: string): string => {
    const v = deps.env[name];
    if (!v) throw new Error(`${name} is not set`);
    return v;
  };
  const logger = deps.logger ?? createJsonLogger({ fields: { service: 'secure-api' } });
  let sm = deps.secretsManager;
  const client = () => {
    sm ??= new SecretsManagerClient({});
    return sm;
  };
  const jwks = deps.jwksFetcher ? { jwksFetcher: deps.jwksFetcher } : {};
  const api = once(async () =>
    createSecureApi(
      {
        domain: setting('COGNITO_DOMAIN'),
        userPoolId: setting('USER_POOL_ID'),
        clientId: setting('CLIENT_ID'),
        appOrigin: setting('APP_ORIGIN'),
        ...jwks,
        logger,
      },
      await loadAppSecrets(client()),
    ),
  );
  const cookieAuthorizer = once(async () =>
    createCookieAuthorizer({
      verifier: { cognito: { userPoolId: setting('USER_POOL_ID'), clientId: setting('CLIENT_ID') }, ...jwks },
      cookies: { encryptionKeys: await loadCookieKeys(client()) },
      csrf: { allowedOrigins: [setting('APP_ORIGIN')] },
      logger,
    }),
  );
  return {
    async session(event) {
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
    },
    async authorizer(event) {
      return (await cookieAuthorizer()).httpApiSimple(event);
    },
    async me(event) {
      const context =
        (event.requestContext.authorizer as { lambda?: AuthorizerContext } | undefined)?.lambda ?? {};
      return meResponse(context);
    },
  };
}

let built: LambdaHandlers | undefined;
const handlers = (): LambdaHandlers => {
  built ??= createLambdaHandlers({ env: process.env });
  return built;
};

/** Lambda entry points (`lambda.session`, `lambda.authorizer`, `lambda.me`). */
export const session: LambdaHandlers['session'] = (event) => handlers().session(event);
export const authorizer: LambdaHandlers['authorizer'] = (event) => handlers().authorizer(event);
export const me: LambdaHandlers['me'] = (event) => handlers().me(event);
