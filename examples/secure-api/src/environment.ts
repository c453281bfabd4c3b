// Everything the secure API needs, offline: Vault and Secrets Manager emulators with vault-sync between
// them, the Cognito-like OIDC emulator, and the API on a local server. The demo and the tests use it.
import { randomBytes } from 'node:crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type OidcEmulator, startOidcEmulator } from '@secblocks/cookie-auth/testing';
import type { Logger } from '@secblocks/core';
import { testCredentials } from '@secblocks/core/testing';
import { createSecretsManagerTarget, createVaultSource, type SyncReport, sync } from '@secblocks/vault-sync';
import { startSecretsManagerEmulator, startVaultEmulator } from '@secblocks/vault-sync/testing';
import { createSecureApi, type SecureApi } from './api.js';
import { loadAppSecrets } from './app-secrets.js';
import { startLocalServer } from './local-server.js';

/** A running environment. */
export interface Environment {
  /** The app's origin, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  idp: OidcEmulator;
  api: SecureApi;
  /** The vault-sync run that put the API's secrets into Secrets Manager. */
  syncReport: SyncReport;
  close(): Promise<void>;
}

/** Starts the emulators, replicates the secrets, and serves the API on 127.0.0.1. */
export async function startEnvironment(options: { logger?: Logger } = {}): Promise<Environment> {
  let api: SecureApi | undefined;
  const server = await startLocalServer((request) =>
    api ? api.fetch(request) : Promise.resolve(new Response('starting', { status: 503 })),
  );
  const vault = await startVaultEmulator();
  const sm = await startSecretsManagerEmulator();
  const client = new SecretsManagerClient({
    endpoint: sm.endpoint,
    region: 'us-east-1',
    credentials: testCredentials(),
  });
  let idp: OidcEmulator | undefined;
  try {
    // Operators keep the Cognito app client secret and the cookie keys in Vault…
    const clientSecret = randomBytes(24).toString('base64url');
    vault.write('secret', 'apps/secure-api/cognito', { clientSecret });
    vault.write('secret', 'apps/secure-api/cookie-keys', {
      current: { id: '2026-11', secret: randomBytes(32).toString('base64') },
    });
    // …and vault-sync replicates them to Secrets Manager, where the Lambdas can read them.
    const syncReport = await sync(
      createVaultSource({
        endpoint: vault.url,
        mount: 'secret',
        basePath: 'apps',
        auth: { method: 'token', token: vault.rootToken },
      }),
      createSecretsManagerTarget({ client, nameTemplate: 'vault/{{path}}' }),
      { instanceId: 'secure-api-demo' },
    );
    // The emulated user pool has the same client secret, as Cognito would.
    idp = await startOidcEmulator({
      clientSecret,
      redirectUris: [`${server.origin}/oauth2/callback`],
      logoutUris: [`${server.origin}/`],
      user: { username: 'alice', groups: ['staff'] },
    });
    const emulator = idp;
    const secrets = await loadAppSecrets(client);
    api = createSecureApi(
      {
        domain: emulator.url,
        userPoolId: emulator.userPoolId,
        clientId: emulator.clientId,
        appOrigin: server.origin,
        jwksFetcher: emulator.fetcher,
        isRevoked: (i) => emulator.isRevoked(i),
        ...(options.logger ? { logger: options.logger } : {}),
      },
      secrets,
    );
    return {
      origin: server.origin,
      idp: emulator,
      api,
      syncReport,
      async close() {
        client.destroy();
        await Promise.all([server.close(), vault.close(), sm.close(), emulator.close()]);
      },
    };
  } catch (error) {
    client.destroy();
    await Promise.all([server.close(), vault.close(), sm.close(), idp?.close()]);
    throw error;
  }
}
