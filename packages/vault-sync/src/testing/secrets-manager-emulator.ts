import { randomBytes, randomUUID } from 'node:crypto';
import {
  type AwsJsonEmulator,
  type AwsJsonHandler,
  AwsServiceError,
  startAwsJsonEmulator,
} from '@secblocks/core/testing';

/** Options of {@link startSecretsManagerEmulator}. */
export interface SecretsManagerEmulatorOptions {
  /** @defaultValue `'us-east-1'` */
  region?: string;
  /** @defaultValue `'123456789012'` */
  accountId?: string;
  /** Clock in ms (deletion dates, listing lag). @defaultValue `Date.now` */
  now?: () => number;
  /**
   * ListSecrets eventual consistency: a listing shows each secret as it was `listLagMs` ago (a secret
   * created within the lag is missing, a new version still shows the old stages). @defaultValue `0`
   */
  listLagMs?: number;
  /**
   * Enforce the published per-second quotas (ListSecrets 100, writes 50 combined, Tag/Untag 50,
   * Create 50, Delete 50, Restore 50, Describe/Get 10,000) with `ThrottlingException`. @defaultValue `false`
   */
  enforceQuotas?: boolean;
  /** Delay added to every call, in ms. @defaultValue `0` */
  latencyMs?: number;
  /**
   * Random faults: each call fails with probability `rate`: half `ThrottlingException` before doing
   * anything, half `InternalServiceError` (500) **after** applying a write (an ambiguous failure that
   * tests idempotency). @defaultValue none
   */
  faults?: { rate: number; random?: () => number };
}

interface StoredVersion {
  id: string;
  string?: string;
  binary?: string;
  stages: Set<string>;
  created: number;
}

interface StoredSecret {
  arn: string;
  name: string;
  description?: string;
  kmsKeyId?: string;
  tags?: { Key: string; Value: string }[];
  versions: Map<string, StoredVersion>;
  created: number;
  lastChanged: number;
  deleted?: number;
  deletionDate?: number;
  replicas: { Region: string; KmsKeyId?: string }[];
}

/** A running Secrets Manager emulator; see {@link startSecretsManagerEmulator}. */
export interface SecretsManagerEmulator extends AwsJsonEmulator {
  /** Current secrets by name (deleted-pending included), for assertions. */
  secret(name: string): SecretsManagerEmulatorSecret | undefined;
  /** All names, sorted. */
  names(): string[];
  /**
   * Writes a secret directly (not counted as a call), as another tool would: no owner tag unless given,
   * a random version ID unless given. Returns the ARN.
   */
  seed(name: string, value: string, tags?: Record<string, string>, versionId?: string): string;
  /** Number of versions a secret holds. */
  versionCount(name: string): number;
}

/** A stored secret as the emulator shows it to tests (values included: test-only). */
export interface SecretsManagerEmulatorSecret {
  arn: string;
  name: string;
  tags: Record<string, string>;
  kmsKeyId?: string;
  currentVersionId?: string;
  currentString?: string;
  currentBinary?: Uint8Array;
  versionsToStages: Record<string, string[]>;
  deletedDate?: Date;
  replicaRegions: string[];
}

const QUOTA_GROUP: Record<string, [string, number]> = {
  ListSecrets: ['list', 100],
  DescribeSecret: ['read', 10_000],
  GetSecretValue: ['read', 10_000],
  PutSecretValue: ['write', 50],
  UpdateSecret: ['write', 50],
  UpdateSecretVersionStage: ['write', 50],
  RemoveRegionsFromReplication: ['write', 50],
  ReplicateSecretToRegions: ['write', 50],
  TagResource: ['tag', 50],
  UntagResource: ['tag', 50],
  CreateSecret: ['create', 50],
  DeleteSecret: ['delete', 50],
  RestoreSecret: ['restore', 50],
};

const NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const WRITES = new Set([
  'CreateSecret',
  'PutSecretValue',
  'UpdateSecret',
  'UpdateSecretVersionStage',
  'TagResource',
  'UntagResource',
  'DeleteSecret',
  'RestoreSecret',
  'RemoveRegionsFromReplication',
]);

/**
 * Starts a loopback emulator of AWS Secrets Manager (AWS JSON 1.1, `X-Amz-Target: secretsmanager.*`) for
 * the real `@aws-sdk/client-secrets-manager`: CreateSecret, PutSecretValue and UpdateSecret with
 * `ClientRequestToken` semantics, UpdateSecretVersionStage, DescribeSecret, GetSecretValue, ListSecrets with
 * filters, pagination, tags and stages, Tag/UntagResource, DeleteSecret with recovery window or force,
 * RestoreSecret, RemoveRegionsFromReplication; the documented error names (`ResourceExistsException`,
 * `InvalidRequestException` on secrets scheduled for deletion, …), quota throttling, random faults and
 * ListSecrets lag.
 *
 * @param options - Region, account, clock, lag, quotas, latency, faults.
 * @example
 * ```ts
 * const sm = await startSecretsManagerEmulator({ enforceQuotas: true });
 * const client = new SecretsManagerClient({ endpoint: sm.endpoint, region: 'us-east-1', credentials: testCredentials() });
 * ```
 */
export async function startSecretsManagerEmulator(
  options: SecretsManagerEmulatorOptions = {},
): Promise<SecretsManagerEmulator> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const now = options.now ?? Date.now;
  const lag = options.listLagMs ?? 0;
  const secrets = new Map<string, StoredSecret>();
  /** Per-name history of list entries, for ListSecrets lag. */
  const history = new Map<string, { at: number; entry: Record<string, unknown> | null }[]>();
  const windows = new Map<string, number[]>();

  const suffix = (): string =>
    randomBytes(4)
      .toString('base64url')
      .replace(/[^A-Za-z0-9]/g, 'x')
      .slice(0, 6);
  const notFound = (): never => {
    throw new AwsServiceError(
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret.",
    );
  };
  const find = (id: unknown): StoredSecret => {
    const sid = String(id ?? '');
    const byName = secrets.get(sid);
    if (byName) return byName;
    // A full ARN: the name is what lies between ":secret:" and the "-XXXXXX" suffix.
    const m = /:secret:(.+)-[A-Za-z0-9_-]{6}$/.exec(sid);
    const s = m ? secrets.get(m[1] as string) : undefined;
    return s && s.arn === sid ? s : notFound();
  };
  const notDeleted = (s: StoredSecret): void => {
    if (s.deleted !== undefined) {
      throw new AwsServiceError(
        'InvalidRequestException',
        "You can't perform this operation on the secret because it was marked for deletion.",
      );
    }
  };
  const stagesOf = (s: StoredSecret): Record<string, string[]> => {
    const out: Record<string, string[]> = {};
    for (const v of s.versions.values()) if (v.stages.size) out[v.id] = [...v.stages];
    return out;
  };
  const listEntry = (s: StoredSecret): Record<string, unknown> => ({
    ARN: s.arn,
    Name: s.name,
    ...(s.description ? { Description: s.description } : {}),
    ...(s.kmsKeyId ? { KmsKeyId: s.kmsKeyId } : {}),
    LastChangedDate: s.lastChanged / 1000,
    CreatedDate: s.created / 1000,
    ...(s.deleted !== undefined ? { DeletedDate: s.deleted / 1000 } : {}),
    // Absent when never tagged, [] once every tag was removed (as AWS answers).
    ...(s.tags ? { Tags: s.tags.map((t) => ({ ...t })) } : {}),
    SecretVersionsToStages: stagesOf(s),
    PrimaryRegion: region,
  });
  const snapshot = (s: StoredSecret | undefined, name: string): void => {
    const list = history.get(name) ?? [];
    list.push({ at: now(), entry: s ? listEntry(s) : null });
    if (list.length > 20) list.splice(0, list.length - 20);
    history.set(name, list);
  };
  const touched = (s: StoredSecret): void => {
    s.lastChanged = now();
    snapshot(s, s.name);
  };
  const checkToken = (token: unknown): string => {
    const t = token === undefined ? randomUUID() : String(token);
    if (t.length < 32 || t.length > 64)
      throw new AwsServiceError(
        'InvalidParameterException',
        'ClientRequestToken must be 32 to 64 characters.',
      );
    return t;
  };
  const readValue = (input: Record<string, unknown>): { string?: string; binary?: string } | undefined => {
    const str = input.SecretString;
    const bin = input.SecretBinary;
    if (str !== undefined && bin !== undefined)
      throw new AwsServiceError(
        'InvalidParameterException',
        'You must provide either SecretString or SecretBinary, not both.',
      );
    if (str !== undefined) {
      if (Buffer.byteLength(String(str)) > 65_536 || String(str).length === 0)
        throw new AwsServiceError('InvalidParameterException', 'SecretString must be 1 to 65536 bytes.');
      return { string: String(str) };
    }
    if (bin !== undefined) {
      if (Buffer.from(String(bin), 'base64').length > 65_536)
        throw new AwsServiceError('InvalidParameterException', 'SecretBinary must be 1 to 65536 bytes.');
      return { binary: String(bin) };
    }
    return undefined;
  };
  const sameValue = (v: StoredVersion, value: { string?: string; binary?: string }): boolean =>
    v.string === value.string && v.binary === value.binary;
  /** Adds a version and moves AWSCURRENT (old current becomes AWSPREVIOUS), or only the given stages. */
  const addVersion = (
    s: StoredSecret,
    id: string,
    value: { string?: string; binary?: string },
    stages?: string[],
  ): void => {
    const wanted = stages?.length ? stages : ['AWSCURRENT'];
    if (wanted.includes('AWSCURRENT')) {
      for (const v of s.versions.values()) v.stages.delete('AWSPREVIOUS');
      for (const v of s.versions.values()) {
        if (v.stages.delete('AWSCURRENT')) v.stages.add('AWSPREVIOUS');
      }
    } else {
      for (const st of wanted) for (const v of s.versions.values()) v.stages.delete(st);
    }
    s.versions.set(id, { id, ...value, stages: new Set(wanted), created: now() });
    // Unlabeled versions beyond 100 are pruned.
    const unlabeled = [...s.versions.values()].filter((v) => v.stages.size === 0);
    while (s.versions.size > 100 && unlabeled.length)
      s.versions.delete((unlabeled.shift() as StoredVersion).id);
  };
  const putValue = (
    s: StoredSecret,
    token: unknown,
    value: { string?: string; binary?: string },
    stages?: string[],
    update = false,
  ): string => {
    const id = checkToken(token);
    const existing = s.versions.get(id);
    if (existing) {
      // Same token and same value: the request is ignored (idempotent retry). Different value: refused.
      if (!update && sameValue(existing, value)) return id;
      throw new AwsServiceError(
        'ResourceExistsException',
        "You can't modify an existing version, you can only create a new version.",
      );
    }
    addVersion(s, id, value, stages);
    return id;
  };
  const describe = (s: StoredSecret): Record<string, unknown> => ({
    ...listEntry(s),
    VersionIdsToStages: stagesOf(s),
    ...(s.deletionDate ? { DeletedDate: (s.deleted as number) / 1000 } : {}),
    ...(s.replicas.length
      ? {
          ReplicationStatus: s.replicas.map((r) => ({
            Region: r.Region,
            ...(r.KmsKeyId ? { KmsKeyId: r.KmsKeyId } : {}),
            Status: 'InSync',
          })),
        }
      : {}),
  });
  const matchesFilters = (
    entry: Record<string, unknown>,
    filters: { Key?: string; Values?: string[] }[],
  ): boolean =>
    filters.every((f) => {
      const values = f.Values ?? [];
      const tags = (entry.Tags as { Key: string; Value: string }[] | undefined) ?? [];
      const test = (v: string): boolean => {
        const negate = v.startsWith('!');
        const needle = negate ? v.slice(1) : v;
        let hit: boolean;
        switch (f.Key) {
          case 'name':
            hit = String(entry.Name).startsWith(needle);
            break;
          case 'tag-key':
            hit = tags.some((t) => t.Key.startsWith(needle));
            break;
          case 'tag-value':
            hit = tags.some((t) => t.Value.startsWith(needle));
            break;
          case 'description':
            hit = String(entry.Description ?? '')
              .toLowerCase()
              .startsWith(needle.toLowerCase());
            break;
          case 'primary-region':
            hit = String(entry.PrimaryRegion ?? '').startsWith(needle);
            break;
          case 'owning-service':
            hit = false;
            break;
          case 'all':
            hit = [entry.Name, entry.Description, ...tags.flatMap((t) => [t.Key, t.Value])].some((x) =>
              String(x ?? '').includes(needle),
            );
            break;
          default:
            throw new AwsServiceError('InvalidParameterException', `Invalid filter key ${String(f.Key)}.`);
        }
        return negate ? !hit : hit;
      };
      return values.some(test);
    });

  const handlers: Record<string, AwsJsonHandler> = {
    CreateSecret: (input) => {
      const name = String(input.Name ?? '');
      if (!NAME.test(name))
        throw new AwsServiceError(
          'InvalidParameterException',
          'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
        );
      const existing = secrets.get(name);
      if (existing?.deleted !== undefined) {
        throw new AwsServiceError(
          'InvalidRequestException',
          "You can't create this secret because a secret with this name is already scheduled for deletion.",
        );
      }
      if (existing)
        throw new AwsServiceError(
          'ResourceExistsException',
          `The operation failed because the secret ${name} already exists.`,
        );
      const tags = input.Tags as { Key: string; Value: string }[] | undefined;
      if (tags && tags.length > 50)
        throw new AwsServiceError(
          'ValidationException',
          'Tags: Member must have length less than or equal to 50',
        );
      const value = readValue(input);
      const token = checkToken(input.ClientRequestToken);
      const t = now();
      const s: StoredSecret = {
        arn: `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${suffix()}`,
        name,
        ...(input.Description ? { description: String(input.Description) } : {}),
        ...(input.KmsKeyId ? { kmsKeyId: String(input.KmsKeyId) } : {}),
        ...(tags ? { tags: tags.map((x) => ({ Key: x.Key, Value: x.Value })) } : {}),
        versions: new Map(),
        created: t,
        lastChanged: t,
        replicas: ((input.AddReplicaRegions as { Region: string; KmsKeyId?: string }[]) ?? []).map((r) => ({
          ...r,
        })),
      };
      if (value) addVersion(s, token, value);
      secrets.set(name, s);
      touched(s);
      return { ARN: s.arn, Name: s.name, ...(value ? { VersionId: token } : {}) };
    },
    PutSecretValue: (input) => {
      const s = find(input.SecretId);
      notDeleted(s);
      const value = readValue(input);
      if (!value)
        throw new AwsServiceError(
          'InvalidParameterException',
          'You must provide either SecretString or SecretBinary.',
        );
      const id = putValue(s, input.ClientRequestToken, value, input.VersionStages as string[] | undefined);
      touched(s);
      return {
        ARN: s.arn,
        Name: s.name,
        VersionId: id,
        VersionStages: [...(s.versions.get(id)?.stages ?? [])],
      };
    },
    UpdateSecret: (input) => {
      const s = find(input.SecretId);
      notDeleted(s);
      if (input.KmsKeyId !== undefined) s.kmsKeyId = String(input.KmsKeyId);
      if (input.Description !== undefined) s.description = String(input.Description);
      const value = readValue(input);
      let id: string | undefined;
      if (value) id = putValue(s, input.ClientRequestToken, value, undefined, true);
      touched(s);
      return { ARN: s.arn, Name: s.name, ...(id ? { VersionId: id } : {}) };
    },
    UpdateSecretVersionStage: (input) => {
      const s = find(input.SecretId);
      notDeleted(s);
      const stage = String(input.VersionStage);
      const to = input.MoveToVersionId as string | undefined;
      const from = input.RemoveFromVersionId as string | undefined;
      const holder = [...s.versions.values()].find((v) => v.stages.has(stage));
      if (holder && to && holder.id !== to && holder.id !== from) {
        throw new AwsServiceError(
          'InvalidParameterException',
          `The staging label ${stage} is currently attached to version ${holder.id}, so you must explicitly reference that version in RemoveFromVersionId.`,
        );
      }
      if (to && !s.versions.has(to)) notFound();
      if (from) s.versions.get(from)?.stages.delete(stage);
      if (to) {
        if (stage === 'AWSCURRENT' && holder && holder.id !== to) {
          for (const v of s.versions.values()) v.stages.delete('AWSPREVIOUS');
          holder.stages.add('AWSPREVIOUS');
        }
        s.versions.get(to)?.stages.add(stage);
      }
      touched(s);
      return { ARN: s.arn, Name: s.name };
    },
    DescribeSecret: (input) => describe(find(input.SecretId)),
    GetSecretValue: (input) => {
      const s = find(input.SecretId);
      notDeleted(s);
      const byId = input.VersionId as string | undefined;
      const stage = (input.VersionStage as string | undefined) ?? 'AWSCURRENT';
      const v = byId ? s.versions.get(byId) : [...s.versions.values()].find((x) => x.stages.has(stage));
      if (!v)
        throw new AwsServiceError(
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
        );
      return {
        ARN: s.arn,
        Name: s.name,
        VersionId: v.id,
        ...(v.string !== undefined ? { SecretString: v.string } : { SecretBinary: v.binary }),
        VersionStages: [...v.stages],
        CreatedDate: v.created / 1000,
      };
    },
    ListSecrets: (input) => {
      const max = Number(input.MaxResults ?? 100);
      if (!Number.isInteger(max) || max < 1 || max > 100)
        throw new AwsServiceError('InvalidParameterException', 'MaxResults must be 1 to 100.');
      const filters = (input.Filters as { Key?: string; Values?: string[] }[]) ?? [];
      const cutoff = now() - lag;
      const entries: Record<string, unknown>[] = [];
      for (const name of [...history.keys()].sort()) {
        const h = history.get(name) ?? [];
        let visible: Record<string, unknown> | null = null;
        for (const snap of h) if (snap.at <= cutoff) visible = snap.entry;
        if (!visible) continue;
        if (visible.DeletedDate !== undefined && input.IncludePlannedDeletion !== true) continue;
        if (!matchesFilters(visible, filters)) continue;
        entries.push(visible);
      }
      let start = 0;
      if (input.NextToken !== undefined) {
        try {
          const after = JSON.parse(Buffer.from(String(input.NextToken), 'base64url').toString('utf8')) as {
            after: string;
          };
          start = entries.findIndex((e) => String(e.Name) > after.after);
          if (start < 0) start = entries.length;
        } catch {
          throw new AwsServiceError('InvalidNextTokenException', 'The NextToken value is invalid.');
        }
      }
      const page = entries.slice(start, start + max);
      const more = start + max < entries.length;
      const last = page[page.length - 1];
      return {
        SecretList: page,
        ...(more && last
          ? { NextToken: Buffer.from(JSON.stringify({ after: last.Name })).toString('base64url') }
          : {}),
      };
    },
    TagResource: (input) => {
      const s = find(input.SecretId);
      notDeleted(s);
      const tags = s.tags ?? [];
      for (const t of (input.Tags as { Key: string; Value: string }[]) ?? []) {
        const i = tags.findIndex((x) => x.Key === t.Key);
        if (i >= 0) tags[i] = { Key: t.Key, Value: t.Value };
        else tags.push({ Key: t.Key, Value: t.Value });
      }
      if (tags.length > 50) throw new AwsServiceError('ValidationException', 'Too many tags.');
      s.tags = tags;
      touched(s);
      return {};
    },
    UntagResource: (input) => {
      const s = find(input.SecretId);
      notDeleted(s);
      const keys = new Set((input.TagKeys as string[]) ?? []);
      s.tags = (s.tags ?? []).filter((t) => !keys.has(t.Key));
      touched(s);
      return {};
    },
    DeleteSecret: (input) => {
      const s =
        secrets.get(String(input.SecretId)) ?? [...secrets.values()].find((x) => x.arn === input.SecretId);
      const force = input.ForceDeleteWithoutRecovery === true;
      if (force && input.RecoveryWindowInDays !== undefined) {
        throw new AwsServiceError(
          'InvalidParameterException',
          "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
        );
      }
      if (!s) {
        // A forced delete of a missing secret does not fail.
        if (force) return { Name: String(input.SecretId), DeletionDate: now() / 1000 };
        return notFound();
      }
      if (s.replicas.length)
        throw new AwsServiceError(
          'InvalidRequestException',
          "You can't delete secret that has replicas. Remove the replicas first.",
        );
      const days = input.RecoveryWindowInDays === undefined ? 30 : Number(input.RecoveryWindowInDays);
      if (!force && (!Number.isInteger(days) || days < 7 || days > 30)) {
        throw new AwsServiceError(
          'InvalidParameterException',
          'RecoveryWindowInDays must be between 7 and 30 days.',
        );
      }
      if (force) {
        secrets.delete(s.name);
        snapshot(undefined, s.name);
        return { ARN: s.arn, Name: s.name, DeletionDate: now() / 1000 };
      }
      if (s.deleted !== undefined)
        throw new AwsServiceError(
          'InvalidRequestException',
          "You can't delete a secret that is already scheduled for deletion.",
        );
      s.deleted = now();
      s.deletionDate = now() + days * 86_400_000;
      touched(s);
      return { ARN: s.arn, Name: s.name, DeletionDate: s.deletionDate / 1000 };
    },
    RestoreSecret: (input) => {
      const s = find(input.SecretId);
      delete s.deleted;
      delete s.deletionDate;
      touched(s);
      return { ARN: s.arn, Name: s.name };
    },
    RemoveRegionsFromReplication: (input) => {
      const s = find(input.SecretId);
      const remove = new Set((input.RemoveReplicaRegions as string[]) ?? []);
      s.replicas = s.replicas.filter((r) => !remove.has(r.Region));
      touched(s);
      return { ARN: s.arn, ReplicationStatus: [] };
    },
  };

  const random = options.faults?.random ?? Math.random;
  const wrapped: Record<string, AwsJsonHandler> = {};
  for (const [operation, handler] of Object.entries(handlers)) {
    wrapped[operation] = async (input, context) => {
      if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
      if (options.enforceQuotas) {
        const [group, tps] = QUOTA_GROUP[operation] ?? ['other', 1000];
        const t = now();
        const w = (windows.get(group) ?? []).filter((x) => x > t - 1000);
        if (w.length >= tps) {
          windows.set(group, w);
          throw new AwsServiceError('ThrottlingException', 'Rate exceeded');
        }
        w.push(t);
        windows.set(group, w);
      }
      let after = false;
      if (options.faults && random() < options.faults.rate) {
        if (random() < 0.5 || !WRITES.has(operation))
          throw new AwsServiceError('ThrottlingException', 'Rate exceeded');
        after = true;
      }
      const out = await handler(input, context);
      if (after)
        throw new AwsServiceError('InternalServiceError', 'An error occurred on the server side.', 500);
      return out;
    };
  }

  const base = await startAwsJsonEmulator({ targetPrefix: 'secretsmanager', handlers: wrapped });
  const view = (s: StoredSecret): SecretsManagerEmulatorSecret => {
    const current = [...s.versions.values()].find((v) => v.stages.has('AWSCURRENT'));
    return {
      arn: s.arn,
      name: s.name,
      tags: Object.fromEntries((s.tags ?? []).map((t) => [t.Key, t.Value])),
      ...(s.kmsKeyId ? { kmsKeyId: s.kmsKeyId } : {}),
      ...(current ? { currentVersionId: current.id } : {}),
      ...(current?.string !== undefined ? { currentString: current.string } : {}),
      ...(current?.binary !== undefined
        ? { currentBinary: new Uint8Array(Buffer.from(current.binary, 'base64')) }
        : {}),
      versionsToStages: stagesOf(s),
      ...(s.deleted !== undefined ? { deletedDate: new Date(s.deleted) } : {}),
      replicaRegions: s.replicas.map((r) => r.Region),
    };
  };
  return Object.assign(base, {
    secret: (name: string) => {
      const s = secrets.get(name);
      return s ? view(s) : undefined;
    },
    names: () => [...secrets.keys()].sort(),
    versionCount: (name: string) => secrets.get(name)?.versions.size ?? 0,
    seed: (name: string, value: string, tags?: Record<string, string>, versionId?: string) => {
      const out = handlers.CreateSecret?.(
        {
          Name: name,
          SecretString: value,
          ClientRequestToken: versionId ?? randomUUID(),
          ...(tags ? { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } : {}),
        },
        { operation: 'CreateSecret', headers: {}, sequence: 0 },
      ) as { ARN: string };
      return out.ARN;
    },
  });
}
