import {
  createConcurrencyLimit,
  createTokenBucket,
  type Logger,
  retry,
  type Sensitive,
  sensitive,
  silentLogger,
} from '@secblocks/core';
import nodeVault from 'node-vault';
import picomatch from 'picomatch';
import { type AwsSigningCredentials, buildAwsIamLoginPayload } from './aws-iam-login.js';
import { check, VaultSyncError, VaultSyncErrorCode } from './errors.js';
import { encodeVaultPath } from './secret-names.js';

/** Authenticate with a Vault token (prefer AppRole or AWS IAM: a static token eventually expires). */
export interface VaultTokenAuth {
  method: 'token';
  /** The token. Wrap it with `sensitive()` so it never prints. */
  token: string | Sensitive<string>;
}

/** Authenticate with AppRole (`POST auth/<mountPath>/login`). */
export interface VaultAppRoleAuth {
  method: 'approle';
  roleId: string;
  secretId: string | Sensitive<string>;
  /** @defaultValue `'approle'` */
  mountPath?: string;
}

/** Authenticate with the AWS IAM method: a SigV4-signed `sts:GetCallerIdentity` (no stored Vault secret). */
export interface VaultAwsIamAuth {
  method: 'aws-iam';
  /** The Vault role. */
  role: string;
  /** @defaultValue `'aws'` */
  mountPath?: string;
  /** Value for the signed `X-Vault-AWS-IAM-Server-ID` header, when the mount requires one. */
  serverIdHeader?: string;
  /** @defaultValue `'us-east-1'` */
  region?: string;
  /** @defaultValue `'https://sts.amazonaws.com/'` */
  stsEndpoint?: string;
  /**
   * Credentials or a provider (e.g. an SDK client's `config.credentials`).
   * @defaultValue `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` (what Lambda sets)
   */
  credentials?: AwsSigningCredentials | (() => Promise<AwsSigningCredentials>);
}

/** How the source logs in to Vault. */
export type VaultAuth = VaultTokenAuth | VaultAppRoleAuth | VaultAwsIamAuth;

/** The subset of a node-vault client the source uses (inject one to share its TLS settings). */
export interface NodeVaultClient {
  token?: string;
  read(path: string, requestOptions?: Record<string, unknown>): Promise<unknown>;
  list(path: string, requestOptions?: Record<string, unknown>): Promise<unknown>;
  write(path: string, data: unknown, requestOptions?: Record<string, unknown>): Promise<unknown>;
}

/** Options of {@link createVaultSource}. */
export interface VaultSourceOptions {
  /** Vault address, e.g. `https://vault.example.com:8200`. Required unless `client` is given. */
  endpoint?: string;
  /** KV v2 mount, e.g. `secret`. */
  mount: string;
  /**
   * Folder inside the mount to replicate; `''` is the whole mount.
   * @defaultValue `''`
   */
  basePath?: string;
  /** Vault Enterprise/HCP namespace, sent as `X-Vault-Namespace`. @defaultValue none */
  namespace?: string;
  /**
   * Globs (picomatch) over the path inside the mount that a secret must match.
   * @defaultValue `['**']`
   */
  include?: readonly string[];
  /** Globs (picomatch) over the path inside the mount that exclude a secret. @defaultValue `[]` */
  exclude?: readonly string[];
  /** How to log in. */
  auth: VaultAuth;
  /** A node-vault client to use instead of building one (its token is managed by the source). */
  client?: NodeVaultClient;
  /**
   * Most Vault requests in flight.
   * @defaultValue `16`
   */
  concurrency?: number;
  /**
   * Most Vault requests per second (token bucket), to stay under Vault rate-limit quotas.
   * @defaultValue `500`
   */
  requestsPerSecond?: number;
  /**
   * Attempts per request on 412 (performance standby not yet consistent), 429, 5xx and network errors.
   * @defaultValue `5`
   */
  maxAttempts?: number;
  /** First backoff cap in ms (full jitter, doubled each attempt). @defaultValue `100` */
  baseDelayMs?: number;
  /** Per-request timeout in ms. @defaultValue `10000` */
  timeoutMs?: number;
  /** Structured logs (paths and codes only). @defaultValue silent */
  logger?: Logger;
  /** Clock in ms (tests). @defaultValue `Date.now` */
  now?: () => number;
}

/** State of a Vault secret, told apart by metadata and by the body of a 404. */
export type SourceState = 'live' | 'soft-deleted' | 'destroyed' | 'gone' | 'denied';

/** One Vault secret as seen through its metadata (never its value). */
export interface SourceEntry {
  /** Path inside the mount, e.g. `apps/db`. */
  path: string;
  state: SourceState;
  /** `current_version`, when known. */
  version?: number;
  /** `created_time` of the current version: with `version`, the change identity. */
  createdTime?: string;
  /** `updated_time` of the secret. */
  updatedTime?: string;
  /** `custom_metadata` (strings only). */
  customMetadata?: Record<string, string>;
}

/** Where a source reads from. */
export interface SourceDescriptor {
  namespace: string;
  mount: string;
  basePath: string;
}

/** Result of walking the source. */
export interface SourceListing {
  entries: SourceEntry[];
  /** Folders the token may not list: nothing under them is deleted at the target. */
  deniedFolders: string[];
}

/** Vault requests made so far, by kind. */
export interface VaultCallCounts {
  list: number;
  metadata: number;
  data: number;
  login: number;
  renew: number;
  retries: number;
}

/** A replication source; {@link createVaultSource} makes one. */
export interface SecretSource {
  readonly descriptor: SourceDescriptor;
  /** Walks `basePath` recursively and reads each matching secret's metadata. */
  list(signal?: AbortSignal): Promise<SourceListing>;
  /** Reads one secret's metadata (used to confirm an absence before deleting). */
  inspect(path: string): Promise<SourceEntry>;
  /** Whether a path is inside `basePath` and matches the include/exclude globs. */
  inScope(path: string): boolean;
  /**
   * Reads the data of exactly `version` (`?version=N`), so value and version always agree.
   * @throws {@link VaultSyncError} `SOURCE_CHANGED` when that version is deleted, destroyed or gone.
   */
  read(path: string, version: number): Promise<Sensitive<Record<string, unknown>>>;
  /** Requests made so far. */
  calls(): VaultCallCounts;
}

interface VaultHttpError {
  status: number | undefined;
  body: unknown;
  network: boolean;
}

/** Reads status and body from a node-vault/axios error without keeping the error (it holds the token). */
function httpError(error: unknown): VaultHttpError {
  const e = error as { response?: { statusCode?: number; body?: unknown } };
  if (e?.response && typeof e.response.statusCode === 'number') {
    return { status: e.response.statusCode, body: e.response.body, network: false };
  }
  // No HTTP response: a transport failure (refused, reset, timeout), always worth another attempt.
  return { status: undefined, body: undefined, network: true };
}

const retryableStatus = (status: number | undefined): boolean =>
  status === undefined || status === 412 || status === 429 || status >= 500;

const trimSlashes = (s: string): string => s.replace(/^\/+|\/+$/g, '');

const reveal = (v: string | Sensitive<string>): string => (typeof v === 'string' ? v : v.reveal());

function envCredentials(): AwsSigningCredentials {
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new VaultSyncError(
      VaultSyncErrorCode.VAULT_AUTH_FAILED,
      'Vault AWS IAM login needs AWS credentials: pass auth.credentials or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY',
    );
  }
  const sessionToken = process.env.AWS_SESSION_TOKEN;
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

/**
 * Creates a Vault KV v2 source on `node-vault`: walks `basePath` recursively (folders end in `/`),
 * filters with include/exclude globs, reads **metadata only** to learn each secret's state and change
 * identity `(current_version, created_time)`, and reads data later and only at that exact version.
 * Logs in with a token, AppRole or AWS IAM; renews the token at 80 % of its TTL and logs in again on a
 * 403; retries 412/429/5xx with jittered backoff.
 *
 * @param options - Address, mount, base path, globs, auth and limits.
 * @throws {@link VaultSyncError} `INVALID_OPTION` naming the bad option.
 * @see https://developer.hashicorp.com/vault/api-docs/secret/kv/kv-v2
 * @example
 * ```ts
 * const source = createVaultSource({
 *   endpoint: 'https://vault.example.com:8200', mount: 'secret', basePath: 'apps',
 *   auth: { method: 'aws-iam', role: 'vault-sync', serverIdHeader: 'vault.example.com' },
 * });
 * ```
 */
export function createVaultSource(options: VaultSourceOptions): SecretSource {
  check(typeof options === 'object' && options !== null, 'options', 'an object');
  check(
    options.client !== undefined ||
      (typeof options.endpoint === 'string' && /^https?:\/\//.test(options.endpoint)),
    'endpoint',
    'an http(s) URL (or a client)',
  );
  check(
    typeof options.mount === 'string' && trimSlashes(options.mount).length > 0,
    'mount',
    'a KV v2 mount name',
  );
  check(options.basePath === undefined || typeof options.basePath === 'string', 'basePath', 'a string');
  check(options.namespace === undefined || typeof options.namespace === 'string', 'namespace', 'a string');
  const include = options.include ?? ['**'];
  const exclude = options.exclude ?? [];
  check(
    Array.isArray(include) && include.every((g) => typeof g === 'string' && g.length > 0),
    'include',
    'an array of globs',
  );
  check(
    Array.isArray(exclude) && exclude.every((g) => typeof g === 'string' && g.length > 0),
    'exclude',
    'an array of globs',
  );
  const concurrency = options.concurrency ?? 16;
  check(
    Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 256,
    'concurrency',
    'an integer in [1, 256]',
  );
  const rps = options.requestsPerSecond ?? 500;
  check(Number.isFinite(rps) && rps > 0, 'requestsPerSecond', 'a positive number');
  const maxAttempts = options.maxAttempts ?? 5;
  check(Number.isInteger(maxAttempts) && maxAttempts >= 1, 'maxAttempts', 'an integer ≥ 1');
  const baseDelayMs = options.baseDelayMs ?? 100;
  check(Number.isFinite(baseDelayMs) && baseDelayMs >= 0, 'baseDelayMs', 'a number ≥ 0');
  const timeoutMs = options.timeoutMs ?? 10_000;
  check(Number.isFinite(timeoutMs) && timeoutMs > 0, 'timeoutMs', 'a positive number');
  const auth = options.auth;
  check(typeof auth === 'object' && auth !== null, 'auth', 'an auth object');
  if (auth.method === 'token') {
    check(
      typeof auth.token === 'string' ? auth.token.length > 0 : typeof auth.token?.reveal === 'function',
      'auth.token',
      'a non-empty token',
    );
  } else if (auth.method === 'approle') {
    check(typeof auth.roleId === 'string' && auth.roleId.length > 0, 'auth.roleId', 'a non-empty string');
    check(
      typeof auth.secretId === 'string'
        ? auth.secretId.length > 0
        : typeof auth.secretId?.reveal === 'function',
      'auth.secretId',
      'a non-empty secret ID',
    );
  } else if (auth.method === 'aws-iam') {
    check(typeof auth.role === 'string' && auth.role.length > 0, 'auth.role', 'a non-empty Vault role');
  } else {
    check(false, 'auth.method', "'token', 'approle' or 'aws-iam'");
  }

  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const mount = trimSlashes(options.mount);
  const basePath = trimSlashes(options.basePath ?? '');
  const namespace = trimSlashes(options.namespace ?? '');
  const descriptor: SourceDescriptor = Object.freeze({ namespace, mount, basePath });
  const isIncluded = picomatch(include as string[], { dot: true });
  const isExcluded = exclude.length ? picomatch(exclude as string[], { dot: true }) : () => false;
  const limit = createConcurrencyLimit(concurrency);
  const bucket = createTokenBucket({ capacity: Math.max(1, Math.ceil(rps / 10)), refillPerSecond: rps });
  const counts: VaultCallCounts = { list: 0, metadata: 0, data: 0, login: 0, renew: 0, retries: 0 };

  let client: NodeVaultClient | undefined = options.client;
  const vault = (): NodeVaultClient => {
    client ??= nodeVault({
      apiVersion: 'v1',
      endpoint: options.endpoint,
      // `GET …?list=1` instead of the custom LIST verb: proxies and Node's HTTP parser reject LIST.
      noCustomHTTPVerbs: true,
      requestOptions: { timeout: timeoutMs },
      ...(namespace ? { namespace } : {}),
    }) as unknown as NodeVaultClient;
    return client;
  };

  // Token state lives in closure variables and the client's own field, never in a returned object.
  let tokenExpiresAt = Number.POSITIVE_INFINITY;
  let renewable = false;
  let loggedInAt = Number.NEGATIVE_INFINITY;
  let authenticating: Promise<void> | undefined;
  let authenticated = false;

  const rawRequest = async <T>(fn: (c: NodeVaultClient) => Promise<T>): Promise<T> => {
    return retry(() => fn(vault()), {
      maxAttempts,
      baseDelayMs,
      maxDelayMs: 5_000,
      isRetryable: (error) => {
        const e = httpError(error);
        return e.status === undefined ? e.network : retryableStatus(e.status);
      },
      onRetry: ({ attempt, error }) => {
        counts.retries++;
        logger.debug('vault-sync: retrying Vault request', { attempt, status: httpError(error).status });
      },
    });
  };

  const applyLease = (leaseSeconds: unknown, isRenewable: unknown): void => {
    const lease = typeof leaseSeconds === 'number' ? leaseSeconds : 0;
    renewable = isRenewable === true;
    tokenExpiresAt = lease > 0 ? now() + lease * 1000 : Number.POSITIVE_INFINITY;
  };

  const login = async (): Promise<void> => {
    counts.login++;
    loggedInAt = now();
    try {
      if (auth.method === 'token') {
        vault().token = reveal(auth.token);
        const res = (await rawRequest((c) => c.read('auth/token/lookup-self'))) as {
          data?: { ttl?: number; renewable?: boolean };
        };
        applyLease(res?.data?.ttl, res?.data?.renewable);
        return;
      }
      let body: unknown;
      let path: string;
      if (auth.method === 'approle') {
        path = `auth/${trimSlashes(auth.mountPath ?? 'approle')}/login`;
        body = { role_id: auth.roleId, secret_id: reveal(auth.secretId) };
      } else {
        path = `auth/${trimSlashes(auth.mountPath ?? 'aws')}/login`;
        const credentials =
          typeof auth.credentials === 'function'
            ? await auth.credentials()
            : (auth.credentials ?? envCredentials());
        body = await buildAwsIamLoginPayload({
          role: auth.role,
          credentials,
          ...(auth.region ? { region: auth.region } : {}),
          ...(auth.stsEndpoint ? { stsEndpoint: auth.stsEndpoint } : {}),
          ...(auth.serverIdHeader ? { serverIdHeader: auth.serverIdHeader } : {}),
        });
      }
      const c = vault();
      delete c.token;
      const res = (await rawRequest((cl) => cl.write(path, body))) as {
        auth?: { client_token?: string; lease_duration?: number; renewable?: boolean };
      };
      const token = res?.auth?.client_token;
      if (typeof token !== 'string' || token.length === 0) {
        throw new VaultSyncError(
          VaultSyncErrorCode.VAULT_AUTH_FAILED,
          `Vault ${auth.method} login returned no token`,
        );
      }
      c.token = token;
      applyLease(res.auth?.lease_duration, res.auth?.renewable);
    } catch (error) {
      if (error instanceof VaultSyncError) throw error;
      const e = httpError(error);
      // The node-vault error is not attached: its request config carries the token and login body.
      if (e.status === undefined || e.status >= 500 || e.status === 429) {
        throw new VaultSyncError(
          VaultSyncErrorCode.VAULT_UNAVAILABLE,
          `Vault is unreachable or unavailable during ${auth.method} login (${e.status ?? 'network error'})`,
        );
      }
      throw new VaultSyncError(
        VaultSyncErrorCode.VAULT_AUTH_FAILED,
        `Vault ${auth.method} login was refused (HTTP ${e.status})`,
      );
    }
  };

  const relogin = (): Promise<void> => {
    authenticating ??= login().finally(() => {
      authenticating = undefined;
    });
    return authenticating;
  };

  const ensureAuth = async (): Promise<void> => {
    if (!authenticated) {
      await relogin();
      authenticated = true;
      return;
    }
    if (authenticating) {
      await authenticating;
      return;
    }
    const lifetime = tokenExpiresAt - loggedInAt;
    if (Number.isFinite(lifetime) && now() >= loggedInAt + lifetime * 0.8) {
      if (renewable) {
        authenticating ??= (async () => {
          counts.renew++;
          try {
            const res = (await rawRequest((c) => c.write('auth/token/renew-self', {}))) as {
              auth?: { lease_duration?: number; renewable?: boolean };
            };
            loggedInAt = now();
            applyLease(res?.auth?.lease_duration, res?.auth?.renewable);
          } catch {
            if (auth.method === 'token') {
              throw new VaultSyncError(
                VaultSyncErrorCode.VAULT_AUTH_FAILED,
                'Vault token could not be renewed',
              );
            }
            await login();
          }
        })().finally(() => {
          authenticating = undefined;
        });
        await authenticating;
      } else if (auth.method !== 'token') {
        await relogin();
      }
    }
  };

  /** One authenticated request: rate-limited, bounded, retried, re-logged-in once on 403. */
  const request = async <T>(fn: (c: NodeVaultClient) => Promise<T>): Promise<T> =>
    limit(async () => {
      await ensureAuth();
      await bucket.take();
      const usedToken = vault().token;
      try {
        return await rawRequest(fn);
      } catch (error) {
        const e = httpError(error);
        if (e.status === 403 && auth.method !== 'token') {
          // Another request already logged in again while this one was in flight: retry with the new token.
          if (authenticating) await authenticating;
          const retryWithNewToken = vault().token !== usedToken;
          // A 403 may be an expired token: log in again (not more than once per 30 s, so an ACL denial
          // does not turn into a login storm).
          if (retryWithNewToken || now() - loggedInAt > 30_000) {
            if (!retryWithNewToken) await relogin();
            await bucket.take();
            return await rawRequest(fn);
          }
        }
        throw error;
      }
    });

  const unavailable = (e: VaultHttpError, what: string): VaultSyncError =>
    new VaultSyncError(
      VaultSyncErrorCode.VAULT_UNAVAILABLE,
      `Vault did not answer ${what} (${e.status === undefined ? 'network error' : `HTTP ${e.status}`}) after ${maxAttempts} attempts`,
    );

  const metadataPath = (path: string): string => `${mount}/metadata/${encodeVaultPath(path)}`;

  const listFolder = async (folder: string): Promise<string[] | 'denied'> => {
    counts.list++;
    try {
      const res = (await request((c) => c.list(metadataPath(folder)))) as { data?: { keys?: unknown } };
      const keys = res?.data?.keys;
      if (!Array.isArray(keys)) {
        throw new VaultSyncError(
          VaultSyncErrorCode.VAULT_PROTOCOL,
          `Vault LIST of "${folder}" has no data.keys`,
        );
      }
      return keys.filter((k): k is string => typeof k === 'string' && k.length > 0);
    } catch (error) {
      if (error instanceof VaultSyncError) throw error;
      const e = httpError(error);
      // An empty folder (or one that does not exist) is a 404 with {"errors":[]}.
      if (e.status === 404) return [];
      if (e.status === 403) return 'denied';
      throw unavailable(e, `LIST ${mount}/metadata/${folder}`);
    }
  };

  const entryFromMetadata = (path: string, data: Record<string, unknown>): SourceEntry => {
    const version = Number(data.current_version);
    const versions = (data.versions ?? {}) as Record<
      string,
      { created_time?: string; deletion_time?: string; destroyed?: boolean }
    >;
    const current = versions[String(version)];
    const customMetadata: Record<string, string> = {};
    if (data.custom_metadata && typeof data.custom_metadata === 'object') {
      for (const [k, v] of Object.entries(data.custom_metadata as Record<string, unknown>)) {
        if (typeof v === 'string') customMetadata[k] = v;
      }
    }
    const base = {
      path,
      ...(Number.isInteger(version) && version > 0 ? { version } : {}),
      ...(typeof data.updated_time === 'string' ? { updatedTime: data.updated_time } : {}),
      customMetadata,
    };
    if (!current || !(version > 0)) return { ...base, state: 'gone' };
    const withTime = { ...base, createdTime: String(current.created_time ?? '') };
    if (current.destroyed === true) return { ...withTime, state: 'destroyed' };
    const deletion = current.deletion_time ? Date.parse(current.deletion_time) : Number.NaN;
    // delete_version_after sets a future deletion_time: the version is live until then.
    if (!Number.isNaN(deletion) && deletion <= now()) return { ...withTime, state: 'soft-deleted' };
    return { ...withTime, state: 'live' };
  };

  const inspect = async (path: string): Promise<SourceEntry> => {
    counts.metadata++;
    try {
      const res = (await request((c) => c.read(metadataPath(path)))) as { data?: Record<string, unknown> };
      if (!res?.data || typeof res.data !== 'object') {
        throw new VaultSyncError(
          VaultSyncErrorCode.VAULT_PROTOCOL,
          `Vault metadata of "${path}" has no data`,
        );
      }
      return entryFromMetadata(path, res.data);
    } catch (error) {
      if (error instanceof VaultSyncError) throw error;
      const e = httpError(error);
      if (e.status === 404) return { path, state: 'gone' };
      if (e.status === 403) return { path, state: 'denied' };
      throw unavailable(e, `GET ${mount}/metadata/${path}`);
    }
  };

  const inScope = (path: string): boolean =>
    (basePath === '' || path.startsWith(`${basePath}/`)) && isIncluded(path) && !isExcluded(path);

  return {
    descriptor,
    calls: () => ({ ...counts }),
    inScope,
    inspect,
    async list(signal) {
      const paths: string[] = [];
      const deniedFolders: string[] = [];
      const root = basePath ? `${basePath}/` : '';
      const rootKeys = await listFolder(root);
      if (rootKeys === 'denied') {
        throw new VaultSyncError(
          VaultSyncErrorCode.VAULT_PERMISSION_DENIED,
          `The Vault token may not list ${mount}/metadata/${root} (needs the "list" capability)`,
        );
      }
      const walk = async (folder: string, keys: string[]): Promise<void> => {
        const subfolders: string[] = [];
        for (const key of keys) {
          if (key.endsWith('/')) subfolders.push(`${folder}${key}`);
          else paths.push(`${folder}${key}`);
        }
        await Promise.all(
          subfolders.map(async (sub) => {
            if (signal?.aborted) return;
            const subKeys = await listFolder(sub);
            if (subKeys === 'denied') {
              deniedFolders.push(sub);
              logger.warn('vault-sync: folder not listable, skipped', { mount, folder: sub });
              return;
            }
            await walk(sub, subKeys);
          }),
        );
      };
      await walk(root, rootKeys);
      const selected = paths.filter(inScope).sort();
      const entries = await Promise.all(selected.map((p) => inspect(p)));
      return { entries, deniedFolders: deniedFolders.sort() };
    },
    async read(path, version) {
      counts.data++;
      try {
        const res = (await request((c) =>
          c.read(`${mount}/data/${encodeVaultPath(path)}?version=${version}`),
        )) as {
          data?: { data?: unknown; metadata?: { version?: number } };
        };
        const data = res?.data?.data;
        if (data === null || typeof data !== 'object' || Array.isArray(data)) {
          throw new VaultSyncError(
            VaultSyncErrorCode.VAULT_PROTOCOL,
            `Vault data of "${path}" is not a JSON object`,
          );
        }
        if (res.data?.metadata?.version !== undefined && res.data.metadata.version !== version) {
          throw new VaultSyncError(
            VaultSyncErrorCode.SOURCE_CHANGED,
            `Vault returned another version of "${path}"`,
          );
        }
        return sensitive(data as Record<string, unknown>);
      } catch (error) {
        if (error instanceof VaultSyncError) throw error;
        const e = httpError(error);
        if (e.status === 404) {
          // Deleted and destroyed versions answer 404 with their metadata and no "errors" key.
          const meta = (e.body as { data?: { metadata?: { destroyed?: boolean } } } | undefined)?.data
            ?.metadata;
          const state = meta ? (meta.destroyed ? 'destroyed' : 'soft-deleted') : 'gone';
          throw new VaultSyncError(
            VaultSyncErrorCode.SOURCE_CHANGED,
            `Vault version ${version} of "${path}" is ${state}`,
          );
        }
        if (e.status === 403) {
          throw new VaultSyncError(
            VaultSyncErrorCode.VAULT_PERMISSION_DENIED,
            `The Vault token may not read ${mount}/data/${path}`,
          );
        }
        throw unavailable(e, `GET ${mount}/data/${path}`);
      }
    },
  };
}
