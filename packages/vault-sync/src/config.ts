import { readFile } from 'node:fs/promises';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type Logger, sensitive } from '@secblocks/core';
import { VaultSyncError, VaultSyncErrorCode } from './errors.js';
import { templatePrefix } from './secret-names.js';
import {
  type ApiGroup,
  createSecretsManagerTarget,
  type ReplicaRegion,
  type SecretTarget,
} from './secrets-manager-target.js';
import type { DeletionPolicy, DriftPolicy, SyncOptions } from './sync-engine.js';
import { createVaultSource, type SecretSource, type VaultAuth } from './vault-source.js';

/** Auth settings in a config file: secrets come from environment variables, never from the file. */
export type VaultAuthConfig =
  | { method: 'token' /** @defaultValue `'VAULT_TOKEN'` */; tokenEnv?: string }
  | {
      method: 'approle';
      roleId: string /** @defaultValue `'VAULT_SECRET_ID'` */;
      secretIdEnv?: string;
      mountPath?: string;
    }
  | {
      method: 'aws-iam';
      role: string;
      mountPath?: string;
      serverIdHeader?: string;
      region?: string;
      stsEndpoint?: string;
    };

/**
 * The JSON configuration file of the CLI and the scheduled handler. It holds no secret: tokens come from
 * the environment or from the connection secret.
 */
export interface VaultSyncConfig {
  /** See {@link PlanOptions.instanceId}. */
  instanceId: string;
  vault: {
    /** Vault address; or take it from `connectionSecretId`. */
    address?: string;
    namespace?: string;
    mount: string;
    basePath?: string;
    include?: string[];
    exclude?: string[];
    /** @defaultValue `{ method: 'token' }` (token from `VAULT_TOKEN`) */
    auth?: VaultAuthConfig;
    /**
     * A Secrets Manager secret (name or ARN) holding the connection settings as JSON:
     * `{"address", "namespace"?, "token"? | "roleId"+"secretId"? | "awsIamRole"+"serverIdHeader"?}`. It must
     * lie outside the replicated names: it is added to the reserved names and never written.
     */
    connectionSecretId?: string;
    concurrency?: number;
    requestsPerSecond?: number;
  };
  target?: {
    region?: string;
    /** Custom endpoint (VPC endpoint, tests). */
    endpoint?: string;
    nameTemplate?: string;
    kmsKeyId?: string;
    tags?: Record<string, string>;
    replicaRegions?: ReplicaRegion[];
    binaryField?: string;
    rateLimits?: Partial<Record<ApiGroup, number>>;
  };
  adopt?: boolean | string[];
  drift?: DriftPolicy;
  deletion?: { policy: DeletionPolicy; recoveryWindowInDays?: number };
  massDeletion?: { maxCount?: number; maxFraction?: number; allow?: boolean };
  /** Secrets processed at once during apply. @defaultValue `8` */
  concurrency?: number;
}

const invalid = (message: string): VaultSyncError =>
  new VaultSyncError(VaultSyncErrorCode.INVALID_CONFIG, message);

/**
 * Checks the shape of a parsed configuration (the factories then check every value).
 *
 * @param value - Parsed JSON.
 * @throws {@link VaultSyncError} `INVALID_CONFIG` naming the field.
 * @example
 * ```ts
 * const config = parseConfig(JSON.parse(text));
 * ```
 */
export function parseConfig(value: unknown): VaultSyncConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid('The configuration must be a JSON object');
  const c = value as Record<string, unknown>;
  if (typeof c.instanceId !== 'string') throw invalid('"instanceId" must be a string');
  const vault = c.vault as Record<string, unknown> | undefined;
  if (typeof vault !== 'object' || vault === null) throw invalid('"vault" must be an object');
  if (typeof vault.mount !== 'string') throw invalid('"vault.mount" must be a string');
  if (vault.address === undefined && vault.connectionSecretId === undefined) {
    throw invalid('"vault.address" or "vault.connectionSecretId" is required');
  }
  for (const k of ['token', 'secretId', 'password']) {
    if (k in vault || (typeof vault.auth === 'object' && vault.auth !== null && k in vault.auth)) {
      throw invalid(
        `"vault.${k}" is not allowed in a config file: use an environment variable or the connection secret`,
      );
    }
  }
  if (c.target !== undefined && (typeof c.target !== 'object' || c.target === null))
    throw invalid('"target" must be an object');
  return value as VaultSyncConfig;
}

/**
 * Reads and checks a JSON configuration file.
 *
 * @param path - File path.
 * @throws {@link VaultSyncError} `INVALID_CONFIG` when unreadable, not JSON, or malformed.
 * @example
 * ```ts
 * const config = await loadConfig('vault-sync.json');
 * ```
 */
export async function loadConfig(path: string): Promise<VaultSyncConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw invalid(
      `Cannot read the configuration file "${path}" (${(error as { code?: string }).code ?? 'error'})`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid(`The configuration file "${path}" is not valid JSON`);
  }
  return parseConfig(parsed);
}

/** What {@link createFromConfig} builds. */
export interface ConfiguredSync {
  source: SecretSource;
  target: SecretTarget;
  options: SyncOptions;
}

/** Extra inputs of {@link createFromConfig}. */
export interface CreateFromConfigOptions {
  /** Secrets Manager client (target and connection secret). @defaultValue built from `target.region/endpoint` */
  client?: SecretsManagerClient;
  /** Environment to read tokens from. @defaultValue `process.env` */
  env?: Record<string, string | undefined>;
  logger?: Logger;
}

/** Name part of a secret ARN (without the random `-XXXXXX` suffix), or the input when it is a name. */
const nameOfSecretId = (id: string): string => {
  const m = /^arn:[^:]+:secretsmanager:[^:]*:\d*:secret:(.+)-[A-Za-z0-9]{6}$/.exec(id);
  return m ? (m[1] as string) : id;
};

/**
 * Builds the source, target and sync options a configuration describes, reading the Vault connection
 * secret from Secrets Manager when one is named (and reserving its name so it is never overwritten).
 *
 * @param config - From {@link loadConfig} or {@link parseConfig}.
 * @param options - Client, environment, logger.
 * @throws {@link VaultSyncError} `INVALID_CONFIG` (missing token variable, bad connection secret),
 *   `INVALID_OPTION` from the factories.
 * @example
 * ```ts
 * const { source, target, options } = await createFromConfig(await loadConfig('vault-sync.json'));
 * const report = await sync(source, target, options);
 * ```
 */
export async function createFromConfig(
  config: VaultSyncConfig,
  options: CreateFromConfigOptions = {},
): Promise<ConfiguredSync> {
  const env = options.env ?? process.env;
  const t = config.target ?? {};
  const client =
    options.client ??
    new SecretsManagerClient({
      ...(t.region ? { region: t.region } : {}),
      ...(t.endpoint ? { endpoint: t.endpoint } : {}),
    });
  const v = config.vault;
  let address = v.address;
  let namespace = v.namespace;
  let auth: VaultAuth | undefined;
  const reserved: string[] = [];
  if (v.connectionSecretId) {
    reserved.push(nameOfSecretId(v.connectionSecretId));
    let conn: Record<string, unknown>;
    try {
      const res = await client.send(new GetSecretValueCommand({ SecretId: v.connectionSecretId }));
      conn = JSON.parse(res.SecretString ?? '') as Record<string, unknown>;
    } catch (error) {
      const name = (error as { name?: string }).name ?? 'Error';
      throw invalid(
        `Cannot read the Vault connection secret "${v.connectionSecretId}" (${name === 'SyntaxError' ? 'not JSON' : name})`,
      );
    }
    if (typeof conn.address === 'string') address = conn.address;
    if (typeof conn.namespace === 'string') namespace = conn.namespace;
    if (typeof conn.token === 'string') auth = { method: 'token', token: sensitive(conn.token) };
    else if (typeof conn.roleId === 'string' && typeof conn.secretId === 'string') {
      auth = { method: 'approle', roleId: conn.roleId, secretId: sensitive(conn.secretId) };
    } else if (typeof conn.awsIamRole === 'string') {
      auth = {
        method: 'aws-iam',
        role: conn.awsIamRole,
        ...(typeof conn.serverIdHeader === 'string' ? { serverIdHeader: conn.serverIdHeader } : {}),
      };
    }
  }
  if (!auth) {
    const a = v.auth ?? { method: 'token' };
    if (a.method === 'token') {
      const name = a.tokenEnv ?? 'VAULT_TOKEN';
      const token = env[name];
      if (!token) throw invalid(`The Vault token variable ${name} is not set`);
      auth = { method: 'token', token: sensitive(token) };
    } else if (a.method === 'approle') {
      const name = a.secretIdEnv ?? 'VAULT_SECRET_ID';
      const secretId = env[name];
      if (!secretId) throw invalid(`The AppRole secret ID variable ${name} is not set`);
      auth = {
        method: 'approle',
        roleId: a.roleId,
        secretId: sensitive(secretId),
        ...(a.mountPath ? { mountPath: a.mountPath } : {}),
      };
    } else if (a.method === 'aws-iam') {
      const { method: _m, ...rest } = a;
      auth = { method: 'aws-iam', ...rest };
    } else {
      throw invalid('"vault.auth.method" must be token, approle or aws-iam');
    }
  }
  const reservedInside = reserved.filter((name) =>
    name.startsWith(templatePrefix(t.nameTemplate ?? 'vault/{{mount}}/{{path}}')),
  );
  if (reservedInside.length > 0) {
    // Reserved names are never written, but a connection secret inside the replicated prefix is one
    // IAM policy mistake away from being overwritten (the AWS sample's B5): say so.
    options.logger?.warn('vault-sync: the Vault connection secret lies inside the replicated name prefix', {
      connectionSecret: reservedInside[0],
    });
  }
  const source = createVaultSource({
    ...(address ? { endpoint: address } : {}),
    mount: v.mount,
    ...(v.basePath !== undefined ? { basePath: v.basePath } : {}),
    ...(namespace ? { namespace } : {}),
    ...(v.include ? { include: v.include } : {}),
    ...(v.exclude ? { exclude: v.exclude } : {}),
    ...(v.concurrency ? { concurrency: v.concurrency } : {}),
    ...(v.requestsPerSecond ? { requestsPerSecond: v.requestsPerSecond } : {}),
    auth,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const target = createSecretsManagerTarget({
    client,
    ...(t.nameTemplate ? { nameTemplate: t.nameTemplate } : {}),
    ...(t.kmsKeyId ? { kmsKeyId: t.kmsKeyId } : {}),
    ...(t.tags ? { tags: t.tags } : {}),
    ...(t.replicaRegions ? { replicaRegions: t.replicaRegions } : {}),
    ...(t.binaryField ? { binaryField: t.binaryField } : {}),
    ...(t.rateLimits ? { rateLimits: t.rateLimits } : {}),
    reservedNames: reserved,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const syncOptions: SyncOptions = {
    instanceId: config.instanceId,
    ...(config.adopt !== undefined ? { adopt: config.adopt } : {}),
    ...(config.drift ? { drift: config.drift } : {}),
    ...(config.deletion ? { deletion: config.deletion } : {}),
    ...(config.massDeletion ? { massDeletion: config.massDeletion } : {}),
    ...(config.concurrency ? { concurrency: config.concurrency } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  };
  return { source, target, options: syncOptions };
}
