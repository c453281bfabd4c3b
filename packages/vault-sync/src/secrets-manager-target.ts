import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  type DescribeSecretResponse,
  ListSecretsCommand,
  PutSecretValueCommand,
  RemoveRegionsFromReplicationCommand,
  RestoreSecretCommand,
  type SecretListEntry,
  SecretsManagerClient,
  type SecretsManagerClientConfig,
  TagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import {
  createTokenBucket,
  isRetryableAwsError,
  type Logger,
  retry,
  type Sensitive,
  sensitive,
  silentLogger,
  type TokenBucket,
} from '@secblocks/core';
import { check, VaultSyncError, VaultSyncErrorCode } from './errors.js';
import {
  type NameContext,
  renderSecretName,
  secretNameProblem,
  templatePrefix,
  validateNameTemplate,
} from './secret-names.js';

/** Tag carrying the instance that owns (created or adopted) a secret. */
export const OWNER_TAG = 'vault-sync:owner';
/** Tag carrying the Vault source of a secret: `<namespace>/<mount>/<path>` (or its SHA-256 when unfit for a tag). */
export const SOURCE_TAG = 'vault-sync:source';
/** Tag recording an out-of-band version accepted under drift policy `adopt`: `<versionId>@<source version token>`. */
export const ACCEPTED_TAG = 'vault-sync:accepted';

/** Largest secret value Secrets Manager stores, in bytes. */
export const MAX_SECRET_VALUE_BYTES = 65_536;
/** Most user tags on one secret. */
export const MAX_TAGS = 50;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+@-]{1,127}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+@-]{0,255}$/u;

/** Secrets Manager API groups that share a request quota; each gets its own token bucket. */
export type ApiGroup = 'list' | 'read' | 'write' | 'tag' | 'create' | 'delete' | 'restore';

/**
 * Default requests per second per API group: at most 40 % of the published, non-adjustable quotas
 * (ListSecrets 100, PutSecretValue/UpdateSecret/… 50 combined, Tag/Untag 50, Create 50, Delete 50,
 * Restore 50, DescribeSecret/GetSecretValue 10,000), so other workloads in the account keep headroom.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<ApiGroup, number>> = Object.freeze({
  list: 40,
  read: 200,
  write: 20,
  tag: 20,
  create: 20,
  delete: 20,
  restore: 20,
});

const GROUP_OF: Record<string, ApiGroup> = {
  ListSecrets: 'list',
  DescribeSecret: 'read',
  GetSecretValue: 'read',
  PutSecretValue: 'write',
  UpdateSecret: 'write',
  UpdateSecretVersionStage: 'write',
  RemoveRegionsFromReplication: 'write',
  TagResource: 'tag',
  UntagResource: 'tag',
  CreateSecret: 'create',
  DeleteSecret: 'delete',
  RestoreSecret: 'restore',
};

/** A replica region and the KMS key to encrypt it with there. */
export interface ReplicaRegion {
  region: string;
  /** @defaultValue the region's `aws/secretsmanager` key */
  kmsKeyId?: string;
}

/** Options of {@link createSecretsManagerTarget}. */
export interface SecretsManagerTargetOptions {
  /** The client to use (recommended: inject one). */
  client?: SecretsManagerClient;
  /** Config for the client built lazily when `client` is absent. */
  clientConfig?: SecretsManagerClientConfig;
  /**
   * Target name of each secret; placeholders `{{namespace}}`, `{{mount}}`, `{{path}}`, `{{relativePath}}`,
   * `{{key}}`. Its literal prefix is the ListSecrets `name` filter.
   * @defaultValue `'vault/{{mount}}/{{path}}'`
   */
  nameTemplate?: string;
  /**
   * KMS key for new secrets: an ID, ARN or alias, or a function of the secret (per-secret keys).
   * @defaultValue the account's `aws/secretsmanager` key
   */
  kmsKeyId?: string | ((context: NameContext) => string | undefined);
  /** Extra tags on secrets this instance creates (at most 48, the ownership tags take 2). @defaultValue `{}` */
  tags?: Readonly<Record<string, string>>;
  /** Regions to replicate new secrets to. @defaultValue `[]` */
  replicaRegions?: readonly ReplicaRegion[];
  /**
   * Binary convention: a Vault secret whose data is exactly `{ [binaryField]: "<base64>" }` is written as
   * `SecretBinary`. Every other secret is `SecretString` holding the JSON of its data.
   * @defaultValue none (always `SecretString`)
   */
  binaryField?: string;
  /**
   * Names never written, whatever the source holds, e.g. the secret holding the Vault connection settings.
   * @defaultValue `[]`
   */
  reservedNames?: readonly string[];
  /** Requests per second per API group. @defaultValue {@link DEFAULT_RATE_LIMITS} */
  rateLimits?: Partial<Record<ApiGroup, number>>;
  /** Attempts per call on throttling, 5xx and network errors (on top of the SDK's own). @defaultValue `8` */
  maxAttempts?: number;
  /** First backoff cap in ms (full jitter). @defaultValue `200` */
  baseDelayMs?: number;
  /** Structured logs (names and codes only). @defaultValue silent */
  logger?: Logger;
}

/** A Secrets Manager secret as ListSecrets/DescribeSecret show it (no value). */
export interface TargetSecret {
  arn: string;
  name: string;
  /** Tags by key (`{}` when absent or emptied). */
  tags: Record<string, string>;
  /** VersionId → staging labels (versions without a label are not listed). */
  versionsToStages: Record<string, string[]>;
  /** The VersionId holding `AWSCURRENT`, if any (a secret created without a value has none). */
  currentVersionId?: string;
  kmsKeyId?: string;
  /** Set when the secret is scheduled for deletion. */
  deletedDate?: Date;
  lastChangedDate?: Date;
  /** Replica regions (from DescribeSecret only). */
  replicaRegions?: string[];
}

/** A value ready to send: `SecretString` or `SecretBinary`, wrapped so it never prints. */
export type SecretPayload = Sensitive<{ SecretString: string } | { SecretBinary: Uint8Array }>;

/** Inputs of {@link SecretTarget.create}. */
export interface CreateSecretInput {
  name: string;
  token: string;
  payload: SecretPayload;
  tags: Record<string, string>;
  kmsKeyId?: string;
}

/** Deletion mode of {@link SecretTarget.remove}. */
export type RemoveMode = { recoveryWindowInDays: number } | { force: true };

/** A replication target; {@link createSecretsManagerTarget} makes one. */
export interface SecretTarget {
  readonly nameTemplate: string;
  /** The ListSecrets name prefix (literal start of the template). */
  readonly namePrefix: string;
  /** Renders and checks the name of a secret. */
  mapName(context: NameContext): { name: string } | { problem: string };
  /** Whether a name is reserved (never written). */
  isReserved(name: string): boolean;
  /** KMS key for a new secret. */
  kmsKeyFor(context: NameContext): string | undefined;
  /** The custom tags to put on new secrets. */
  readonly customTags: Readonly<Record<string, string>>;
  /** A string that changes whenever the written bytes of the same data would change. */
  readonly transform: string;
  /** Encodes Vault data as the value to write. @throws `VALUE_TOO_LARGE` over 65,536 bytes. */
  encode(data: Sensitive<Record<string, unknown>>, name: string): SecretPayload;
  /** Lists every secret under the name prefix (scheduled deletions included), 100 per call. */
  list(signal?: AbortSignal): Promise<TargetSecret[]>;
  /** DescribeSecret; `undefined` when it does not exist. */
  describe(secretId: string): Promise<TargetSecret | undefined>;
  create(input: CreateSecretInput): Promise<{ arn: string; versionId: string }>;
  putValue(arn: string, token: string, payload: SecretPayload): Promise<void>;
  moveCurrent(arn: string, toVersionId: string, fromVersionId: string): Promise<void>;
  setKmsKey(arn: string, kmsKeyId: string): Promise<void>;
  tag(arn: string, tags: Record<string, string>): Promise<void>;
  remove(arn: string, mode: RemoveMode, replicaRegions: readonly string[]): Promise<void>;
  restore(arn: string): Promise<void>;
  /** API calls made so far, by operation (attempts included). */
  calls(): Record<string, number>;
  /** Throttling errors met (and retried) so far. */
  throttles(): number;
}

const THROTTLE_NAMES = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException']);

/** Secrets Manager's `LimitExceededException` is a hard quota (versions, secrets), not a transient fault. */
const retryable = (error: unknown): boolean =>
  isRetryableAwsError(error) && (error as { name?: string }).name !== 'LimitExceededException';

function toTargetSecret(entry: SecretListEntry | DescribeSecretResponse): TargetSecret {
  const tags: Record<string, string> = {};
  for (const t of entry.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? '';
  const versionsToStages: Record<string, string[]> = {};
  const source =
    (entry as SecretListEntry).SecretVersionsToStages ??
    (entry as DescribeSecretResponse).VersionIdsToStages ??
    {};
  let currentVersionId: string | undefined;
  for (const [id, stages] of Object.entries(source)) {
    versionsToStages[id] = [...(stages ?? [])];
    if (stages?.includes('AWSCURRENT')) currentVersionId = id;
  }
  const replicas = (entry as DescribeSecretResponse).ReplicationStatus;
  return {
    arn: entry.ARN ?? '',
    name: entry.Name ?? '',
    tags,
    versionsToStages,
    ...(currentVersionId ? { currentVersionId } : {}),
    ...(entry.KmsKeyId ? { kmsKeyId: entry.KmsKeyId } : {}),
    ...(entry.DeletedDate ? { deletedDate: new Date(entry.DeletedDate) } : {}),
    ...(entry.LastChangedDate ? { lastChangedDate: new Date(entry.LastChangedDate) } : {}),
    ...(replicas ? { replicaRegions: replicas.map((r) => r.Region ?? '').filter(Boolean) } : {}),
  };
}

/**
 * Checks tags against Secrets Manager's limits (≤ 50, keys 1–127 and values ≤ 255 characters from the
 * portable set, no `aws:` prefix).
 * @internal
 */
export function tagsProblem(tags: Readonly<Record<string, string>>, reserved = 0): string | undefined {
  const entries = Object.entries(tags);
  if (entries.length + reserved > MAX_TAGS) return `more than ${MAX_TAGS - reserved} tags`;
  for (const [k, v] of entries) {
    if (!TAG_KEY.test(k))
      return `tag key "${k.slice(0, 40)}" is empty, too long or has characters Secrets Manager rejects`;
    if (k.toLowerCase().startsWith('aws:'))
      return `tag key "${k.slice(0, 40)}" uses the reserved aws: prefix`;
    if (typeof v !== 'string' || !TAG_VALUE.test(v))
      return `the value of tag "${k.slice(0, 40)}" is too long or has characters Secrets Manager rejects`;
  }
  return undefined;
}

/**
 * Creates an AWS Secrets Manager target: maps Vault paths to names with a validated template, lists
 * secrets with their tags and version stages (never values), and writes with deterministic
 * `ClientRequestToken`s, per-API-group token buckets and jittered retries.
 *
 * @param options - Client, name template, KMS key, tags, replicas, binary convention and limits.
 * @throws {@link VaultSyncError} `INVALID_OPTION` naming the bad option.
 * @see https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecrets.html
 * @example
 * ```ts
 * const target = createSecretsManagerTarget({
 *   client: new SecretsManagerClient({}),
 *   nameTemplate: 'vault/{{mount}}/{{path}}',
 *   kmsKeyId: 'alias/vault-sync',
 *   tags: { team: 'platform' },
 * });
 * ```
 */
export function createSecretsManagerTarget(options: SecretsManagerTargetOptions = {}): SecretTarget {
  check(typeof options === 'object' && options !== null, 'options', 'an object');
  const nameTemplate = options.nameTemplate ?? 'vault/{{mount}}/{{path}}';
  validateNameTemplate(nameTemplate);
  const customTags = Object.freeze({ ...(options.tags ?? {}) });
  const tagProblem = tagsProblem(customTags, 2);
  check(tagProblem === undefined, 'tags', `valid Secrets Manager tags (${tagProblem})`);
  check(
    !Object.keys(customTags).some((k) => k.startsWith('vault-sync:')),
    'tags',
    'no keys with the reserved vault-sync: prefix',
  );
  const kms = options.kmsKeyId;
  check(
    kms === undefined ||
      typeof kms === 'function' ||
      (typeof kms === 'string' && kms.length > 0 && kms.length <= 2048),
    'kmsKeyId',
    'a key ID, ARN or alias, or a function',
  );
  const replicas = options.replicaRegions ?? [];
  check(
    Array.isArray(replicas) &&
      replicas.every((r) => typeof r?.region === 'string' && /^[a-z]{2}(-[a-z]+)+-\d$/.test(r.region)),
    'replicaRegions',
    'an array of { region, kmsKeyId? } with region names like eu-west-1',
  );
  check(
    options.binaryField === undefined ||
      (typeof options.binaryField === 'string' && options.binaryField.length > 0),
    'binaryField',
    'a non-empty string',
  );
  const reserved = new Set(options.reservedNames ?? []);
  const rates = { ...DEFAULT_RATE_LIMITS, ...(options.rateLimits ?? {}) };
  for (const [group, rate] of Object.entries(rates)) {
    check(Number.isFinite(rate) && rate > 0, `rateLimits.${group}`, 'a positive number');
  }
  const maxAttempts = options.maxAttempts ?? 8;
  check(Number.isInteger(maxAttempts) && maxAttempts >= 1, 'maxAttempts', 'an integer ≥ 1');
  const baseDelayMs = options.baseDelayMs ?? 200;
  check(Number.isFinite(baseDelayMs) && baseDelayMs >= 0, 'baseDelayMs', 'a number ≥ 0');
  const logger = options.logger ?? silentLogger;

  let client: SecretsManagerClient | undefined = options.client;
  const sm = (): SecretsManagerClient => {
    client ??= new SecretsManagerClient(options.clientConfig ?? {});
    return client;
  };
  const buckets = new Map<ApiGroup, TokenBucket>();
  for (const [group, rate] of Object.entries(rates) as [ApiGroup, number][]) {
    // A burst of a tenth of a second at most, so no one-second window ever sees more than 1.1 × rate.
    buckets.set(
      group,
      createTokenBucket({ capacity: Math.max(1, Math.ceil(rate / 10)), refillPerSecond: rate }),
    );
  }
  const callCounts: Record<string, number> = {};
  let throttleCount = 0;

  // biome-ignore lint/suspicious/noExplicitAny: one generic send for many command types
  const send = async <T>(operation: string, command: any): Promise<T> => {
    const bucket = buckets.get(GROUP_OF[operation] ?? 'read') as TokenBucket;
    return retry(
      async () => {
        await bucket.take();
        callCounts[operation] = (callCounts[operation] ?? 0) + 1;
        return (await sm().send(command)) as T;
      },
      {
        maxAttempts,
        baseDelayMs,
        maxDelayMs: 10_000,
        isRetryable: retryable,
        onRetry: ({ attempt, error }) => {
          const name = (error as { name?: string }).name ?? 'Error';
          if (THROTTLE_NAMES.has(name)) throttleCount++;
          logger.debug('vault-sync: retrying Secrets Manager call', { operation, attempt, error: name });
        },
      },
    );
  };

  const failed = (operation: string, name: string, error: unknown): never => {
    if (error instanceof VaultSyncError) throw error;
    const errorName = (error as { name?: string }).name ?? 'Error';
    // The SDK error is not attached as cause: some carry request parameters.
    const e = new VaultSyncError(
      VaultSyncErrorCode.TARGET_FAILED,
      `Secrets Manager ${operation} failed for "${name}": ${errorName}`,
    );
    Object.defineProperty(e, 'awsErrorName', { value: errorName, enumerable: true });
    throw e;
  };

  const transform = options.binaryField ? `binary:${options.binaryField}` : 'json';

  return {
    nameTemplate,
    namePrefix: templatePrefix(nameTemplate),
    customTags,
    transform,
    mapName(context) {
      const name = renderSecretName(nameTemplate, context);
      const problem = secretNameProblem(name);
      return problem ? { problem: `name "${name.slice(0, 300)}" ${problem}` } : { name };
    },
    isReserved: (name) => reserved.has(name),
    kmsKeyFor(context) {
      return typeof kms === 'function' ? kms(context) : kms;
    },
    encode(data, name) {
      const value = data.reveal();
      const field = options.binaryField;
      if (field !== undefined) {
        const keys = Object.keys(value);
        const raw = value[field];
        if (keys.length === 1 && typeof raw === 'string') {
          const bytes = Buffer.from(raw, 'base64');
          if (bytes.length === 0 || bytes.length > MAX_SECRET_VALUE_BYTES) {
            throw new VaultSyncError(
              VaultSyncErrorCode.VALUE_TOO_LARGE,
              `The binary value of "${name}" is ${bytes.length} bytes; Secrets Manager takes 1 to ${MAX_SECRET_VALUE_BYTES}`,
            );
          }
          return sensitive({ SecretBinary: new Uint8Array(bytes) });
        }
      }
      const text = JSON.stringify(value);
      const size = Buffer.byteLength(text, 'utf8');
      if (size > MAX_SECRET_VALUE_BYTES) {
        throw new VaultSyncError(
          VaultSyncErrorCode.VALUE_TOO_LARGE,
          `The value of "${name}" is ${size} bytes; Secrets Manager takes at most ${MAX_SECRET_VALUE_BYTES}`,
        );
      }
      return sensitive({ SecretString: text });
    },
    async list(signal) {
      const out: TargetSecret[] = [];
      const prefix = templatePrefix(nameTemplate);
      let nextToken: string | undefined;
      do {
        if (signal?.aborted) break;
        const page = await send<{ SecretList?: SecretListEntry[]; NextToken?: string }>(
          'ListSecrets',
          new ListSecretsCommand({
            MaxResults: 100,
            IncludePlannedDeletion: true,
            ...(prefix ? { Filters: [{ Key: 'name', Values: [prefix] }] } : {}),
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
        ).catch((error) => failed('ListSecrets', prefix || '*', error));
        for (const entry of page.SecretList ?? []) {
          // The name filter is a prefix match done by AWS; re-check it here.
          if (entry.Name?.startsWith(prefix)) out.push(toTargetSecret(entry));
        }
        // A page may be empty and still carry a NextToken: keep going until there is none.
        nextToken = page.NextToken || undefined;
      } while (nextToken);
      return out;
    },
    async describe(secretId) {
      try {
        const res = await send<DescribeSecretResponse>(
          'DescribeSecret',
          new DescribeSecretCommand({ SecretId: secretId }),
        );
        return toTargetSecret(res);
      } catch (error) {
        if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
        return failed('DescribeSecret', secretId, error);
      }
    },
    async create(input) {
      const payload = input.payload.reveal();
      const res = await send<{ ARN?: string; VersionId?: string }>(
        'CreateSecret',
        new CreateSecretCommand({
          Name: input.name,
          ClientRequestToken: input.token,
          ...payload,
          Tags: Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value })),
          ...(input.kmsKeyId ? { KmsKeyId: input.kmsKeyId } : {}),
          ...(replicas.length
            ? {
                AddReplicaRegions: replicas.map((r) => ({
                  Region: r.region,
                  ...(r.kmsKeyId ? { KmsKeyId: r.kmsKeyId } : {}),
                })),
              }
            : {}),
        }),
      );
      return { arn: res.ARN ?? '', versionId: res.VersionId ?? input.token };
    },
    async putValue(arn, token, payload) {
      await send(
        'PutSecretValue',
        new PutSecretValueCommand({ SecretId: arn, ClientRequestToken: token, ...payload.reveal() }),
      );
    },
    async moveCurrent(arn, toVersionId, fromVersionId) {
      await send(
        'UpdateSecretVersionStage',
        new UpdateSecretVersionStageCommand({
          SecretId: arn,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: toVersionId,
          RemoveFromVersionId: fromVersionId,
        }),
      );
    },
    async setKmsKey(arn, kmsKeyId) {
      await send('UpdateSecret', new UpdateSecretCommand({ SecretId: arn, KmsKeyId: kmsKeyId }));
    },
    async tag(arn, tags) {
      await send(
        'TagResource',
        new TagResourceCommand({
          SecretId: arn,
          Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
    },
    async remove(arn, mode, replicaRegions) {
      // A primary with replicas cannot be deleted: remove the replicas first (their deletion is immediate).
      if (replicaRegions.length > 0) {
        await send(
          'RemoveRegionsFromReplication',
          new RemoveRegionsFromReplicationCommand({
            SecretId: arn,
            RemoveReplicaRegions: [...replicaRegions],
          }),
        );
      }
      await send(
        'DeleteSecret',
        new DeleteSecretCommand({
          SecretId: arn,
          ...('force' in mode
            ? { ForceDeleteWithoutRecovery: true }
            : { RecoveryWindowInDays: mode.recoveryWindowInDays }),
        }),
      );
    },
    async restore(arn) {
      await send('RestoreSecret', new RestoreSecretCommand({ SecretId: arn }));
    },
    calls: () => ({ ...callCounts }),
    throttles: () => throttleCount,
  };
}
