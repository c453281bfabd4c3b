// The secure API: OAuth2 login/callback/refresh/logout handlers, the cookie authorizer in front of
// /api/me, and a Fetch router that runs the same handlers locally (API Gateway does the routing on AWS).

import {
  type AuthorizerContext,
  type CookieAuthorizer,
  createCookieAuthorizer,
  createOAuthHandlers,
  type Fetcher,
  type HttpApiProxyResult,
  type OAuthHandlers,
  toFetchHandler,
} from '@secblocks/cookie-auth';
import type { Logger } from '@secblocks/core';
import type { AppSecrets } from './app-secrets.js';
import { PAGE, SCRIPT } from './page.js';

/** Non-secret settings (Lambda environment variables on AWS). */
export interface SecureApiSettings {
  /** The Cognito domain, e.g. `https://auth.example.com` (the OIDC emulator locally). */
  domain: string;
  userPoolId: string;
  clientId: string;
  /** The app's origin, e.g. `https://app.example.com`: callback and sign-out URLs derive from it. */
  appOrigin: string;
  /** Tests and the demo pass the emulator's JWKS fetcher and revocation check. */
  jwksFetcher?: Fetcher;
  isRevoked?: (input: { jti?: string; originJti?: string }) => boolean | Promise<boolean>;
  logger?: Logger;
}

/** Routes (HTTP API route keys on AWS). The refresh cookie is scoped to `/auth/session`. */
export const ROUTES = {
  login: 'GET /auth/login',
  callback: 'GET /oauth2/callback',
  refresh: 'POST /auth/session/refresh',
  logout: 'POST /auth/session/logout',
  me: 'GET /api/me',
} as const;

/** The handlers and the local router. */
export interface SecureApi {
  oauth: OAuthHandlers;
  authorizer: CookieAuthorizer;
  /** Local router: `Request` → `Response`, running the authorizer before `/api/me` like API Gateway. */
  fetch(request: Request): Promise<Response>;
}

/** `GET /api/me` behind the authorizer: who is signed in, from the authorizer context (no token here). */
export function me(context: AuthorizerContext): HttpApiProxyResult {
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    cookies: [],
    body: JSON.stringify({ sub: context.sub, username: context.username, groups: context.groups }),
  };
}

/** Builds the API from settings and the secrets read from Secrets Manager. */
export function createSecureApi(settings: SecureApiSettings, secrets: AppSecrets): SecureApi {
  const verifier = {
    cognito: { userPoolId: settings.userPoolId, clientId: settings.clientId },
    ...(settings.jwksFetcher ? { jwksFetcher: settings.jwksFetcher } : {}),
    ...(settings.isRevoked ? { isRevoked: settings.isRevoked } : {}),
  };
  const cookies = { encryptionKeys: secrets.cookieKeys };
  const logger = settings.logger ? { logger: settings.logger } : {};
  const oauth = createOAuthHandlers({
    domain: settings.domain,
    clientId: settings.clientId,
    clientSecret: secrets.clientSecret,
    redirectUri: `${settings.appOrigin}/oauth2/callback`,
    logoutUri: `${settings.appOrigin}/`,
    verifier,
    cookies,
    // The sign-out button is a plain form POST: its Origin header is the app's own.
    csrf: { allowedOrigins: [settings.appOrigin] },
    ...logger,
  });
  const authorizer = createCookieAuthorizer({
    verifier,
    cookies,
    csrf: { allowedOrigins: [settings.appOrigin] },
    ...logger,
  });
  const routes: Record<string, (r: Request) => Promise<Response>> = {
    [ROUTES.login]: toFetchHandler(oauth.login),
    [ROUTES.callback]: toFetchHandler(oauth.callback),
    [ROUTES.refresh]: toFetchHandler(oauth.refresh),
    [ROUTES.logout]: toFetchHandler(oauth.logout),
  };
  const forbidden = () =>
    new Response(JSON.stringify({ message: 'Forbidden' }), {
      status: 403,
      headers: { 'content-type': 'application/json' },
    });
  return {
    oauth,
    authorizer,
    async fetch(request) {
      const url = new URL(request.url);
      const key = `${request.method} ${url.pathname}`;
      if (key === 'GET /') {
        return new Response(PAGE, {
          headers: {
            'content-type': 'text/html; charset=utf-8',
            'content-security-policy': "default-src 'self'; script-src 'self'; frame-ancestors 'none'",
          },
        });
      }
      if (key === 'GET /app.js') {
        return new Response(SCRIPT, { headers: { 'content-type': 'text/javascript; charset=utf-8' } });
      }
      if (key === ROUTES.me) {
        // What API Gateway does with a Lambda authorizer (simple responses): deny → 403, allow → context.
        const headers: Record<string, string> = {};
        request.headers.forEach((v, k) => {
          headers[k] = v;
        });
        const result = await authorizer.authorize({
          cookieHeader: request.headers.get('cookie') ?? '',
          method: request.method,
          headers,
        });
        if (!result.ok) return forbidden();
        const r = me(result.context);
        return new Response(r.body ?? null, {
          status: r.statusCode,
          headers: r.headers as Record<string, string>,
        });
      }
      const route = routes[key];
      if (route) return route(request);
      return new Response('Not found', { status: 404 });
    },
  };
}
