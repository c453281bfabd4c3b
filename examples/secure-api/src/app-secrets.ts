// The API's secrets live in Secrets Manager under vault/apps/secure-api/, where vault-sync keeps them in
// step with Vault (examples/secrets-replication). The API only ever reads them.
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CookieKey } from '@secblocks/cookie-auth';
import { type Sensitive, sensitive } from '@secblocks/core';

/** Secret names (vault-sync's default template `vault/{{mount}}/{{path}}` shortened to `vault/{{path}}`). */
export const SECRET_NAMES = {
  cognito: 'vault/apps/secure-api/cognito',
  cookieKeys: 'vault/apps/secure-api/cookie-keys',
} as const;

/** What the handlers need. */
export interface AppSecrets {
  clientSecret: Sensitive<string>;
  /** Newest first; the older key still opens cookies sealed before a rotation. */
  cookieKeys: CookieKey[];
}

const readJson = async (client: SecretsManagerClient, id: string): Promise<Record<string, unknown>> => {
  const res = await client.send(new GetSecretValueCommand({ SecretId: id }));
  return JSON.parse(res.SecretString ?? '{}') as Record<string, unknown>;
};

/** Reads the cookie encryption keys (all the authorizer needs). */
export async function loadCookieKeys(
  client: SecretsManagerClient,
  name: string = SECRET_NAMES.cookieKeys,
): Promise<CookieKey[]> {
  const keys = await readJson(client, name);
  const list = [keys.current, keys.previous].filter(
    (k): k is { id: string; secret: string } =>
      typeof k === 'object' && k !== null && typeof (k as { id?: unknown }).id === 'string',
  );
  if (list.length === 0) throw new Error(`${name} has no current key`);
  return list.map((k) => ({ id: k.id, secret: Buffer.from(k.secret, 'base64') }));
}

/**
 * Reads the Cognito app client secret and the cookie encryption keys. Throws naming the secret (never
 * its value) when one is missing or malformed.
 */
export async function loadAppSecrets(
  client: SecretsManagerClient,
  names: typeof SECRET_NAMES = SECRET_NAMES,
): Promise<AppSecrets> {
  const cognito = await readJson(client, names.cognito);
  if (typeof cognito.clientSecret !== 'string') throw new Error(`${names.cognito} has no clientSecret`);
  return {
    clientSecret: sensitive(cognito.clientSecret),
    cookieKeys: await loadCookieKeys(client, names.cookieKeys),
  };
}
