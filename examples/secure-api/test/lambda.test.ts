// The Lambda entry points as API Gateway calls them (HTTP API payload 2.0 events), against the Secrets
// Manager emulator (holding what vault-sync writes) and the Cognito-like OIDC emulator.
import { randomBytes } from 'node:crypto';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  createTestBrowser,
  httpApiAuthorizerEvent,
  httpApiProxyEvent,
  type OidcEmulator,
  startOidcEmulator,
} from '@secblocks/cookie-auth/testing';
import {
  assertNoSentinel,
  createMemoryLogger,
  createSentinel,
  testCredentials,
} from '@secblocks/core/testing';
import { type SecretsManagerEmulator, startSecretsManagerEmulator } from '@secblocks/vault-sync/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../src/api.js';
import { SECRET_NAMES } from '../src/app-secrets.js';
import { createLambdaHandlers, type LambdaHandlers } from '../src/lambda.js';

const ORIGIN = 'https://app.example.com';
const clientSecret = createSentinel('client_secret');
const logger = createMemoryLogger();
let idp: OidcEmulator;
let sm: SecretsManagerEmulator;
let client: SecretsManagerClient;
let handlers: LambdaHandlers;

beforeAll(async () => {
  idp = await startOidcEmulator({
    clientSecret,
    user: { username: 'alice' },
    redirectUris: [`${ORIGIN}/oauth2/callback`],
    logoutUris: [`${ORIGIN}/`],
  });
  sm = await startSecretsManagerEmulator();
  client = new SecretsManagerClient({
    endpoint: sm.endpoint,
    region: 'us-east-1',
    credentials: testCredentials(),
  });
  await client.send(
    new CreateSecretCommand({ Name: SECRET_NAMES.cognito, SecretString: JSON.stringify({ clientSecret }) }),
  );
  await client.send(
    new CreateSecretCommand({
      Name: SECRET_NAMES.cookieKeys,
      SecretString: JSON.stringify({ current: { id: 'k2', secret: randomBytes(32).toString('base64') } }),
    }),
  );
  handlers = createLambdaHandlers({
    env: {
      COGNITO_DOMAIN: idp.url,
      USER_POOL_ID: idp.userPoolId,
      CLIENT_ID: idp.clientId,
      APP_ORIGIN: ORIGIN,
    },
    secretsManager: client,
    jwksFetcher: idp.fetcher,
    logger,
  });
});
afterAll(async () => {
  client?.destroy();
  await Promise.all([idp?.close(), sm?.close()]);
});

const routed = (routeKey: string, req: Parameters<typeof httpApiProxyEvent>[0]) => ({
  ...httpApiProxyEvent(req),
  routeKey,
});

describe('createLambdaHandlers', () => {
  it('signs in through session, authorizes the cookie and answers /api/me from the authorizer context', async () => {
    const browser = createTestBrowser();
    const login = await handlers.session(routed(ROUTES.login, { path: '/auth/login' }));
    expect(login.statusCode).toBe(302);
    browser.receive(login);
    const atIdp = await fetch(login.headers.location as string, { redirect: 'manual' });
    const back = new URL(atIdp.headers.get('location') as string);
    expect(back.pathname).toBe('/oauth2/callback');
    const callback = await handlers.session(
      routed(ROUTES.callback, {
        path: `/oauth2/callback${back.search}`,
        cookies: browser.cookiesFor('/oauth2/callback'),
      }),
    );
    expect(callback.statusCode).toBe(302);
    browser.receive(callback);

    const auth = await handlers.authorizer(
      httpApiAuthorizerEvent({ path: '/api/me', cookies: browser.cookiesFor('/api/me') }),
    );
    expect(auth).toMatchObject({ isAuthorized: true, context: { username: 'alice' } });
    const event = httpApiProxyEvent({ path: '/api/me' });
    const me = await handlers.me({
      ...event,
      routeKey: ROUTES.me,
      requestContext: {
        ...event.requestContext,
        authorizer: { lambda: (auth as { context: object }).context },
      },
    });
    expect(me.statusCode).toBe(200);
    expect(JSON.parse(me.body ?? '{}')).toMatchObject({ username: 'alice' });
    // The secrets were read once per container.
    expect(sm.count('GetSecretValue')).toBe(3); // cognito + cookie keys (session), cookie keys (authorizer)
  });

  it('denies /api/me without a cookie and answers 404 on unknown routes', async () => {
    expect(await handlers.authorizer(httpApiAuthorizerEvent({ path: '/api/me' }))).toEqual({
      isAuthorized: false,
    });
    expect((await handlers.session(routed('GET /nope', { path: '/nope' }))).statusCode).toBe(404);
  });

  it('never logs the client secret', () => {
    assertNoSentinel(clientSecret, logger.text());
  });
});
