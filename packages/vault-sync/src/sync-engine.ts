import { createHash } from 'node:crypto';
import { createConcurrencyLimit, isSecblocksError, type Logger, silentLogger } from '@secblocks/core';
import { check, VaultSyncError, VaultSyncErrorCode } from './errors.js';
import { compareVersionId, type NameContext, nameContext, versionToken } from './secret-names.js';
import {
  ACCEPTED_TAG,
  OWNER_TAG,
  type RemoveMode,
  type SecretTarget,
  SOURCE_TAG,
  type TargetSecret,
} from './secrets-manager-target.js';
import type { SecretSource, SourceEntry } from './vault-source.js';

/** Kinds of plan actions. */
export type ActionType = 'create' | 'update' | 'adopt' | 'drift' | 'delete' | 'restore' | 'skip' | 'conflict';

/** All {@link ActionType}s, in report order. */
export const ACTION_TYPES: readonly ActionType[] = Object.freeze([
  'create',
  'update',
  'adopt',
  'drift',
  'delete',
  'restore',
  'skip',
  'conflict',
]);

/** What happens with out-of-band edits of a secret this instance owns. */
export type DriftPolicy = 'report' | 'revert' | 'adopt';

/** What happens at the target when a Vault secret is deleted. */
export type DeletionPolicy = 'retain' | 'schedule' | 'force';

/**
 * One step of a plan. Carries names, paths, versions and reasons only: never a secret value.
 */
export interface PlanAction {
  type: ActionType;
  /** Target secret name. */
  name: string;
  /** Vault path inside the mount. */
  path?: string;
  /** Target ARN, when the secret exists. */
  arn?: string;
  /** Machine-readable reason, e.g. `missing`, `source-changed`, `not-owned`, `name-collision`. */
  reason: string;
  /** Human detail (no values). */
  detail?: string;
  /** Vault `current_version` and its `created_time`. */
  sourceVersion?: number;
  sourceCreatedTime?: string;
  /** The `ClientRequestToken`/`VersionId` this action writes. */
  versionId?: string;
  /** `AWSCURRENT` at plan time. */
  currentVersionId?: string;
  /** Drift: what to do about it (`report` writes nothing). */
  resolution?: 'report' | 'revert-stage' | 'revert-put' | 'accept';
  /** Restore: whether a new value must be written after restoring. */
  thenUpdate?: boolean;
  /** Create/adopt: KMS key. */
  kmsKeyId?: string;
  /** Delete: how. */
  deletion?: 'schedule' | 'force';
  /** Delete with `schedule`: days before Secrets Manager deletes the secret for good. */
  recoveryWindowInDays?: number;
}

/** API calls per service and operation. */
export interface ApiCallCounts {
  vault: Record<string, number>;
  secretsManager: Record<string, number>;
}

/** A plan: what {@link apply} will do, and nothing else. JSON-serializable. */
export interface SyncPlan {
  format: 'vault-sync-plan/1';
  instanceId: string;
  createdAt: string;
  source: { namespace: string; mount: string; basePath: string };
  target: { nameTemplate: string };
  actions: PlanAction[];
  /** Count per action type. */
  summary: Record<ActionType, number>;
  /** Set when the mass-deletion breaker refused the deletions (they appear as `conflict`). */
  breaker?: { deletions: number; owned: number; maxCount: number; maxFraction: number };
  /** Vault folders the token may not list. */
  deniedFolders: string[];
  /** API calls made while planning. */
  apiCalls: ApiCallCounts;
  /** SHA-256 over instance, source, target and actions: {@link apply} refuses a plan that does not match. */
  hash: string;
}

/** Options of {@link plan}. */
export interface PlanOptions {
  /**
   * Identifies this replicator: written to the `vault-sync:owner` tag of every secret it creates; only
   * secrets with this exact value are ever written, retagged or deleted. 1–64 of `A-Z a-z 0-9 _ . : / = + @ -`.
   */
  instanceId: string;
  /**
   * Take over secrets that exist at the target name without any owner tag: `true` for all, or a list of
   * target names. Secrets owned by another instance are never adopted.
   * @defaultValue `false`
   */
  adopt?: boolean | readonly string[];
  /** @defaultValue `'report'` */
  drift?: DriftPolicy;
  /** @defaultValue `{ policy: 'retain' }` */
  deletion?: { policy: DeletionPolicy; recoveryWindowInDays?: number };
  /**
   * The mass-deletion breaker: more than `maxCount` deletions, or more than one deletion making over
   * `maxFraction` of the owned secrets, turns every deletion into a `conflict` unless `allow` is true.
   * @defaultValue `{ maxCount: 25, maxFraction: 0.1, allow: false }`
   */
  massDeletion?: { maxCount?: number; maxFraction?: number; allow?: boolean };
  /** @defaultValue silent */
  logger?: Logger;
  signal?: AbortSignal;
  /** Clock (tests). @defaultValue `Date.now` */
  now?: () => number;
}

/** Options of {@link apply}. */
export interface ApplyOptions {
  /** Needed when the plan was read back from JSON (a plan from {@link plan} remembers them). */
  source?: SecretSource;
  target?: SecretTarget;
  /** Secrets processed at once. @defaultValue `8` */
  concurrency?: number;
  /** Recovery window for `schedule` deletions of plans that do not say. @defaultValue `30` */
  recoveryWindowInDays?: number;
  /** @defaultValue silent */
  logger?: Logger;
  signal?: AbortSignal;
  /** Called after each action (progress bars). */
  onProgress?: (done: number, total: number) => void;
  /** Clock (tests). @defaultValue `Date.now` */
  now?: () => number;
}

/** Outcome of one action. */
export type ActionStatus = 'done' | 'skipped' | 'reported' | 'conflict' | 'failed';

/** One action with its outcome. */
export interface ActionResult extends PlanAction {
  status: ActionStatus;
  /** For `failed`: the error code and message (no values). */
  error?: { code: string; message: string };
}

/** What a run did. JSON-serializable, no secret material. */
export interface SyncReport {
  instanceId: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Planned action counts. */
  summary: Record<ActionType, number>;
  results: ActionResult[];
  /** Counts per status. */
  outcome: Record<ActionStatus, number>;
  /** True when nothing failed and nothing conflicted. */
  ok: boolean;
  /** API calls during plan and apply. */
  apiCalls: ApiCallCounts;
  /** Throttling errors met and retried (none surfaced unless a secret failed). */
  throttles: number;
  /** Longest delay between a Vault version's creation and its replication, in ms, this run. */
  maxLagMs?: number;
  breaker?: SyncPlan['breaker'];
}

const INSTANCE_ID = /^[A-Za-z0-9_.:/=+@-]{1,64}$/;
const TAG_VALUE = /^[A-Za-z0-9 _.:/=+@-]{0,255}$/;
const CONTEXT = Symbol('vault-sync.plan-context');

interface PlanContext {
  source: SecretSource;
  target: SecretTarget;
}

const emptySummary = (): Record<ActionType, number> =>
  Object.fromEntries(ACTION_TYPES.map((t) => [t, 0])) as Record<ActionType, number>;

/** The value of the `vault-sync:source` tag for a secret (SHA-256 when the path is unfit for a tag). @internal */
export function sourceTagValue(namespace: string, mount: string, path: string): string {
  const raw = `${namespace}/${mount}/${path}`;
  return TAG_VALUE.test(raw) ? raw : `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

function planHash(p: Omit<SyncPlan, 'hash' | 'apiCalls' | 'createdAt'>): string {
  const canonical = JSON.stringify([
    p.format,
    p.instanceId,
    p.source,
    p.target,
    p.actions,
    p.breaker ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

const diffCalls = (after: Record<string, number>, before: Record<string, number>): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? 0);
    if (d > 0) out[k] = d;
  }
  return out;
};

const vaultCalls = (s: SecretSource): Record<string, number> => {
  const c = s.calls();
  return {
    list: c.list,
    metadata: c.metadata,
    data: c.data,
    login: c.login,
    renew: c.renew,
    retries: c.retries,
  };
};

function validatePlanOptions(options: PlanOptions): void {
  check(typeof options === 'object' && options !== null, 'options', 'an object');
  check(
    typeof options.instanceId === 'string' && INSTANCE_ID.test(options.instanceId),
    'instanceId',
    '1–64 of A-Z a-z 0-9 _ . : / = + @ -',
  );
  const adopt = options.adopt ?? false;
  check(
    typeof adopt === 'boolean' || (Array.isArray(adopt) && adopt.every((n) => typeof n === 'string')),
    'adopt',
    'a boolean or a list of names',
  );
  check(
    ['report', 'revert', 'adopt'].includes(options.drift ?? 'report'),
    'drift',
    "'report', 'revert' or 'adopt'",
  );
  const deletion = options.deletion ?? { policy: 'retain' };
  check(
    ['retain', 'schedule', 'force'].includes(deletion.policy),
    'deletion.policy',
    "'retain', 'schedule' or 'force'",
  );
  const window = deletion.recoveryWindowInDays ?? 30;
  check(
    Number.isInteger(window) && window >= 7 && window <= 30,
    'deletion.recoveryWindowInDays',
    'an integer from 7 to 30',
  );
  const mass = options.massDeletion ?? {};
  check(
    mass.maxCount === undefined || (Number.isInteger(mass.maxCount) && mass.maxCount >= 0),
    'massDeletion.maxCount',
    'an integer ≥ 0',
  );
  check(
    mass.maxFraction === undefined || (mass.maxFraction >= 0 && mass.maxFraction <= 1),
    'massDeletion.maxFraction',
    'a number in [0, 1]',
  );
}

/**
 * Compares the Vault source with the Secrets Manager target and returns typed actions: `create`,
 * `update`, `adopt`, `drift`, `delete`, `restore`, `skip`, `conflict`, each with a reason and no secret
 * material. Reads Vault **metadata** only and lists Secrets Manager with tags and version stages only, so
 * a run where nothing changed costs ⌈N/100⌉ ListSecrets, N metadata reads, and no value reads. Nothing is
 * written.
 *
 * Fails closed: two Vault paths mapping to one name, an invalid or reserved name, a secret owned by someone
 * else or scheduled for deletion without being ours all become `conflict` actions; other secrets go on.
 *
 * @param source - From {@link createVaultSource}.
 * @param target - From {@link createSecretsManagerTarget}.
 * @param options - Instance ID and policies.
 * @throws {@link VaultSyncError} `INVALID_OPTION`, `VAULT_PERMISSION_DENIED` (base path not listable),
 *   `VAULT_UNAVAILABLE`, `VAULT_AUTH_FAILED`, `TARGET_FAILED` (listing failed).
 * @example
 * ```ts
 * const p = await plan(source, target, { instanceId: 'prod-eu', deletion: { policy: 'schedule' } });
 * console.log(p.summary); // { create: 2, update: 1, skip: 997, … }
 * ```
 */
export async function plan(
  source: SecretSource,
  target: SecretTarget,
  options: PlanOptions,
): Promise<SyncPlan> {
  validatePlanOptions(options);
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const { instanceId } = options;
  const driftPolicy = options.drift ?? 'report';
  const deletion = options.deletion ?? { policy: 'retain' as const };
  const adopt = options.adopt ?? false;
  const adoptable = (name: string): boolean =>
    adopt === true || (Array.isArray(adopt) && adopt.includes(name));
  const mass = { maxCount: 25, maxFraction: 0.1, allow: false, ...(options.massDeletion ?? {}) };
  const { namespace, mount, basePath } = source.descriptor;
  const vaultBefore = vaultCalls(source);
  const smBefore = target.calls();
  const deleteMode: Pick<PlanAction, 'deletion' | 'recoveryWindowInDays'> =
    deletion.policy === 'force'
      ? { deletion: 'force' }
      : { deletion: 'schedule', recoveryWindowInDays: deletion.recoveryWindowInDays ?? 30 };

  const [listing, existing] = await Promise.all([source.list(options.signal), target.list(options.signal)]);
  const byName = new Map<string, TargetSecret>(existing.map((t) => [t.name, t]));
  const owned = (t: TargetSecret): boolean => t.tags[OWNER_TAG] === instanceId;
  const actions: PlanAction[] = [];

  // Map every source path to a name; collisions and invalid names fail closed, before any write.
  const mapped = new Map<string, { entry: SourceEntry; ctx: NameContext }[]>();
  for (const entry of listing.entries) {
    const ctx = nameContext(namespace, mount, basePath, entry.path);
    const m = target.mapName(ctx);
    if ('problem' in m) {
      actions.push({
        type: 'conflict',
        name: m.problem.match(/^name "(.*)" /)?.[1] ?? entry.path,
        path: entry.path,
        reason: 'invalid-name',
        detail: m.problem,
      });
      continue;
    }
    const list = mapped.get(m.name) ?? [];
    list.push({ entry, ctx });
    mapped.set(m.name, list);
  }

  for (const [name, group] of mapped) {
    if (group.length > 1) {
      const paths = group.map((g) => g.entry.path);
      for (const g of group) {
        actions.push({
          type: 'conflict',
          name,
          path: g.entry.path,
          reason: 'name-collision',
          detail: `paths ${paths.join(', ')} all map to "${name}"`,
        });
      }
      continue;
    }
    const { entry, ctx } = group[0] as { entry: SourceEntry; ctx: NameContext };
    const base = { name, path: entry.path };
    if (target.isReserved(name)) {
      actions.push({
        type: 'conflict',
        ...base,
        reason: 'reserved-name',
        detail: `"${name}" is reserved (e.g. the Vault connection secret) and is never written`,
      });
      continue;
    }
    const t = byName.get(name);
    const withArn = t ? { ...base, arn: t.arn } : base;
    if (entry.state === 'denied') {
      actions.push({
        type: 'conflict',
        ...withArn,
        reason: 'source-denied',
        detail: "the Vault token may not read this secret's metadata",
      });
      continue;
    }
    if (entry.state !== 'live') {
      if (!t)
        actions.push({
          type: 'skip',
          ...base,
          reason: 'source-not-live',
          detail: `Vault secret is ${entry.state}`,
        });
      else if (!owned(t))
        actions.push({
          type: 'skip',
          ...withArn,
          reason: 'not-owned',
          detail: `Vault secret is ${entry.state}; target not owned, left alone`,
        });
      else if (t.deletedDate) actions.push({ type: 'skip', ...withArn, reason: 'already-scheduled' });
      else if (deletion.policy === 'retain')
        actions.push({
          type: 'skip',
          ...withArn,
          reason: 'retained',
          detail: `Vault secret is ${entry.state}; deletion policy is retain`,
        });
      else actions.push({ type: 'delete', ...withArn, reason: `source-${entry.state}`, ...deleteMode });
      continue;
    }
    const version = entry.version as number;
    const createdTime = entry.createdTime ?? '';
    const token = versionToken({
      instanceId,
      name,
      namespace,
      mount,
      path: entry.path,
      version,
      createdTime,
      transform: target.transform,
    });
    const src = { sourceVersion: version, sourceCreatedTime: createdTime, versionId: token };
    const kmsKeyId = target.kmsKeyFor(ctx);
    if (!t) {
      actions.push({ type: 'create', ...base, ...src, reason: 'missing', ...(kmsKeyId ? { kmsKeyId } : {}) });
      continue;
    }
    const current = t.currentVersionId;
    const matchOf = (id: string | undefined) => (id ? compareVersionId(id, token, instanceId, name) : 'none');
    if (t.deletedDate) {
      if (owned(t))
        actions.push({
          type: 'restore',
          ...withArn,
          ...src,
          reason: 'source-back',
          thenUpdate: matchOf(current) !== 'expected',
        });
      else
        actions.push({
          type: 'conflict',
          ...withArn,
          reason: 'scheduled-deletion-not-owned',
          detail: 'a secret with this name is scheduled for deletion and not owned by this instance',
        });
      continue;
    }
    if (!owned(t)) {
      const other = t.tags[OWNER_TAG];
      if (other !== undefined)
        actions.push({
          type: 'conflict',
          ...withArn,
          reason: 'owned-by-other-instance',
          detail: `owned by vault-sync instance "${other.slice(0, 64)}"`,
        });
      else if (adoptable(name))
        actions.push({
          type: 'adopt',
          ...withArn,
          ...src,
          reason: 'adopt-requested',
          ...(current ? { currentVersionId: current } : {}),
        });
      else
        actions.push({
          type: 'conflict',
          ...withArn,
          reason: 'not-owned',
          detail:
            "a secret with this name exists without this instance's owner tag; pass adopt to take it over",
        });
      continue;
    }
    const match = matchOf(current);
    const cur = current ? { currentVersionId: current } : {};
    if (match === 'expected') {
      actions.push({ type: 'skip', ...withArn, ...src, ...cur, reason: 'in-sync' });
    } else if (match === 'ours-other' || match === 'none') {
      actions.push({
        type: 'update',
        ...withArn,
        ...src,
        ...cur,
        reason: match === 'none' ? 'no-current-version' : 'source-changed',
      });
    } else if (t.tags[ACCEPTED_TAG] === `${current}@${token}`) {
      actions.push({ type: 'skip', ...withArn, ...src, ...cur, reason: 'drift-accepted' });
    } else {
      const drift = {
        type: 'drift' as const,
        ...withArn,
        ...src,
        ...cur,
        reason: 'changed-out-of-band',
        detail: 'AWSCURRENT was not written by this instance',
      };
      if (driftPolicy === 'report') actions.push({ ...drift, resolution: 'report' });
      else if (driftPolicy === 'adopt') actions.push({ ...drift, resolution: 'accept' });
      else if (t.versionsToStages[token]) actions.push({ ...drift, resolution: 'revert-stage' });
      else
        actions.push({
          ...drift,
          resolution: 'revert-put',
          versionId: versionToken(
            {
              instanceId,
              name,
              namespace,
              mount,
              path: entry.path,
              version,
              createdTime,
              transform: target.transform,
            },
            current,
          ),
        });
    }
  }

  // Owned secrets with no source in the listing: confirm the absence in Vault before any deletion.
  const ownPrefix = `${namespace}/${mount}/`;
  const planned = new Set(actions.map((a) => a.name));
  const orphans = existing.filter(
    (t) => owned(t) && !t.deletedDate && !mapped.has(t.name) && !planned.has(t.name),
  );
  await Promise.all(
    orphans.map(async (t) => {
      const base = { name: t.name, arn: t.arn };
      const tag = t.tags[SOURCE_TAG] ?? '';
      if (!tag.startsWith(ownPrefix)) {
        actions.push({
          type: 'skip',
          ...base,
          reason: 'other-source',
          detail: 'owned, but its source tag names another mount or namespace',
        });
        return;
      }
      const path = tag.slice(ownPrefix.length);
      const withPath = { ...base, path };
      if (!source.inScope(path)) {
        // Narrowing the configuration never deletes anything (external-secrets#5062).
        actions.push({
          type: 'skip',
          ...withPath,
          reason: 'out-of-scope',
          detail: 'source outside base path or globs; retained',
        });
        return;
      }
      if (listing.deniedFolders.some((f) => path.startsWith(f))) {
        actions.push({ type: 'skip', ...withPath, reason: 'source-denied-folder' });
        return;
      }
      if (deletion.policy === 'retain') {
        actions.push({
          type: 'skip',
          ...withPath,
          reason: 'retained',
          detail: 'Vault secret no longer listed; deletion policy is retain',
        });
        return;
      }
      const entry = await source.inspect(path);
      if (entry.state === 'live' || entry.state === 'denied') {
        actions.push({
          type: 'skip',
          ...withPath,
          reason: entry.state === 'live' ? 'source-appeared' : 'source-denied',
        });
      } else {
        actions.push({ type: 'delete', ...withPath, reason: `source-${entry.state}`, ...deleteMode });
      }
    }),
  );

  // Mass-deletion breaker.
  const deletions = actions.filter((a) => a.type === 'delete');
  const ownedCount = existing.filter((t) => owned(t) && !t.deletedDate).length;
  let breaker: SyncPlan['breaker'];
  if (
    !mass.allow &&
    deletions.length > 0 &&
    (deletions.length > mass.maxCount ||
      (deletions.length > 1 && deletions.length > mass.maxFraction * ownedCount))
  ) {
    breaker = {
      deletions: deletions.length,
      owned: ownedCount,
      maxCount: mass.maxCount,
      maxFraction: mass.maxFraction,
    };
    for (const a of deletions) {
      a.type = 'conflict';
      a.detail = `mass-deletion breaker: ${deletions.length} deletions of ${ownedCount} owned secrets; pass allow-mass-delete to proceed`;
      a.reason = 'mass-deletion-breaker';
      delete a.deletion;
      delete a.recoveryWindowInDays;
    }
    logger.warn('vault-sync: mass-deletion breaker tripped', breaker);
  }

  actions.sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : (a.path ?? '').localeCompare(b.path ?? ''),
  );
  const summary = emptySummary();
  for (const a of actions) summary[a.type]++;
  const body = {
    format: 'vault-sync-plan/1' as const,
    instanceId,
    source: { namespace, mount, basePath },
    target: { nameTemplate: target.nameTemplate },
    actions,
    summary,
    ...(breaker ? { breaker } : {}),
    deniedFolders: listing.deniedFolders,
  };
  const result: SyncPlan = {
    ...body,
    createdAt: new Date(now()).toISOString(),
    apiCalls: {
      vault: diffCalls(vaultCalls(source), vaultBefore),
      secretsManager: diffCalls(target.calls(), smBefore),
    },
    hash: planHash(body),
  };
  Object.defineProperty(result, CONTEXT, {
    value: { source, target } satisfies PlanContext,
    enumerable: false,
  });
  logger.info('vault-sync: planned', { instanceId, summary });
  return result;
}

const errorInfo = (error: unknown): { code: string; message: string } => {
  if (isSecblocksError(error)) return { code: error.code, message: error.message };
  const name = (error as { name?: string })?.name ?? 'Error';
  // Unknown errors: the name only, as messages of foreign errors may echo request data.
  return { code: VaultSyncErrorCode.TARGET_FAILED, message: `Unexpected ${name}` };
};

const awsName = (error: unknown): string =>
  (error as { awsErrorName?: string; name?: string })?.awsErrorName ??
  (error as { name?: string })?.name ??
  '';

/**
 * Executes exactly the actions of `plan`, nothing else: values are read from Vault at the planned version
 * only, written with the planned `ClientRequestToken`, and every destructive step re-checks ownership with
 * DescribeSecret first. Per-secret failures are recorded and the rest continues. Re-running after a crash
 * converges: a create that already happened is recognised by its token, a repeated write is a no-op.
 *
 * @param syncPlan - From {@link plan} (or its JSON, with `options.source` and `options.target`).
 * @param options - Concurrency, logger, progress.
 * @returns The run report (no secret material).
 * @throws {@link VaultSyncError} `INVALID_PLAN` when the plan was altered or lacks source/target.
 * @example
 * ```ts
 * const report = await apply(await plan(source, target, { instanceId: 'prod' }));
 * if (!report.ok) process.exitCode = 1;
 * ```
 */
export async function apply(syncPlan: SyncPlan, options: ApplyOptions = {}): Promise<SyncReport> {
  const ctx = (syncPlan as unknown as Record<symbol, PlanContext | undefined>)[CONTEXT];
  const source = options.source ?? ctx?.source;
  const target = options.target ?? ctx?.target;
  if (!source || !target) {
    throw new VaultSyncError(
      VaultSyncErrorCode.INVALID_PLAN,
      'apply() needs the source and target: pass them in options',
    );
  }
  if (
    syncPlan?.format !== 'vault-sync-plan/1' ||
    !Array.isArray(syncPlan.actions) ||
    planHash({ ...syncPlan }) !== syncPlan.hash
  ) {
    throw new VaultSyncError(
      VaultSyncErrorCode.INVALID_PLAN,
      'The plan was altered after it was made (hash mismatch) or is not a vault-sync plan',
    );
  }
  const d = source.descriptor;
  if (
    d.namespace !== syncPlan.source.namespace ||
    d.mount !== syncPlan.source.mount ||
    d.basePath !== syncPlan.source.basePath ||
    target.nameTemplate !== syncPlan.target.nameTemplate
  ) {
    throw new VaultSyncError(
      VaultSyncErrorCode.INVALID_PLAN,
      'The plan was made for another source or target',
    );
  }
  const concurrency = options.concurrency ?? 8;
  check(
    Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 128,
    'concurrency',
    'an integer in [1, 128]',
  );
  const window = options.recoveryWindowInDays ?? 30;
  check(
    Number.isInteger(window) && window >= 7 && window <= 30,
    'recoveryWindowInDays',
    'an integer from 7 to 30',
  );
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const startedAt = now();
  const vaultBefore = vaultCalls(source);
  const smBefore = target.calls();
  const throttlesBefore = target.throttles();
  const { instanceId } = syncPlan;
  const { namespace, mount } = d;
  let maxLagMs: number | undefined;
  const noteLag = (a: PlanAction): void => {
    const created = a.sourceCreatedTime ? Date.parse(a.sourceCreatedTime) : Number.NaN;
    if (!Number.isNaN(created)) maxLagMs = Math.max(maxLagMs ?? 0, now() - created);
  };

  const payloadFor = async (a: PlanAction) => {
    const data = await source.read(a.path as string, a.sourceVersion as number);
    return target.encode(data, a.name);
  };
  const notOwned = (name: string): VaultSyncError =>
    new VaultSyncError(
      VaultSyncErrorCode.NOT_OWNED,
      `"${name}" exists and is not owned by vault-sync instance "${instanceId}"; nothing was written`,
    );

  const execute = async (a: PlanAction): Promise<ActionStatus> => {
    switch (a.type) {
      case 'skip':
        return 'skipped';
      case 'conflict':
        return 'conflict';
      case 'create': {
        const payload = await payloadFor(a);
        const tags = {
          [OWNER_TAG]: instanceId,
          [SOURCE_TAG]: sourceTagValue(namespace, mount, a.path as string),
          ...target.customTags,
        };
        try {
          await target.create({
            name: a.name,
            token: a.versionId as string,
            payload,
            tags,
            ...(a.kmsKeyId ? { kmsKeyId: a.kmsKeyId } : {}),
          });
        } catch (error) {
          const name = awsName(error);
          if (name !== 'ResourceExistsException' && name !== 'InvalidRequestException') throw error;
          // ListSecrets lags up to five minutes: the secret may exist (ours from a crashed run, or not).
          const t = await target.describe(a.name);
          if (!t || t.tags[OWNER_TAG] !== instanceId) throw t ? notOwned(a.name) : error;
          if (t.deletedDate) await target.restore(t.arn);
          if (t.currentVersionId !== a.versionId)
            await target.putValue(t.arn, a.versionId as string, payload);
        }
        noteLag(a);
        return 'done';
      }
      case 'update': {
        await target.putValue(a.arn as string, a.versionId as string, await payloadFor(a));
        noteLag(a);
        return 'done';
      }
      case 'adopt': {
        const t = await target.describe(a.arn as string);
        if (!t || (t.tags[OWNER_TAG] !== undefined && t.tags[OWNER_TAG] !== instanceId))
          throw notOwned(a.name);
        // Value first, then tags: a crash in between leaves an unowned secret that the next adopt finishes.
        await target.putValue(t.arn, a.versionId as string, await payloadFor(a));
        await target.tag(t.arn, {
          [OWNER_TAG]: instanceId,
          [SOURCE_TAG]: sourceTagValue(namespace, mount, a.path as string),
          ...target.customTags,
        });
        noteLag(a);
        return 'done';
      }
      case 'drift': {
        if (a.resolution === 'report' || !a.resolution) return 'reported';
        const t = await target.describe(a.arn as string);
        if (!t || t.tags[OWNER_TAG] !== instanceId) throw notOwned(a.name);
        if (t.currentVersionId !== a.currentVersionId) return 'skipped'; // changed again since the plan
        if (a.resolution === 'accept') {
          const expected = versionToken({
            instanceId,
            name: a.name,
            namespace,
            mount,
            path: a.path as string,
            version: a.sourceVersion as number,
            createdTime: a.sourceCreatedTime ?? '',
            transform: target.transform,
          });
          await target.tag(t.arn, { [ACCEPTED_TAG]: `${a.currentVersionId}@${expected}` });
        } else if (a.resolution === 'revert-stage') {
          await target.moveCurrent(t.arn, a.versionId as string, a.currentVersionId as string);
        } else {
          await target.putValue(t.arn, a.versionId as string, await payloadFor(a));
        }
        return 'done';
      }
      case 'restore': {
        await target.restore(a.arn as string);
        if (a.thenUpdate) await target.putValue(a.arn as string, a.versionId as string, await payloadFor(a));
        return 'done';
      }
      case 'delete': {
        // Confirm with DescribeSecret (ListSecrets may be stale) and never delete what is not ours.
        const t = await target.describe(a.arn as string);
        if (!t) return 'done';
        if (t.tags[OWNER_TAG] !== instanceId) throw notOwned(a.name);
        if (t.deletedDate) return 'done';
        // Confirm in Vault too: a source that came back since the plan (or a hand-edited plan) never
        // costs a live secret.
        if (a.path !== undefined) {
          const now = await source.inspect(a.path);
          if (now.state === 'live' || now.state === 'denied') {
            throw new VaultSyncError(
              VaultSyncErrorCode.SOURCE_CHANGED,
              `"${a.path}" is ${now.state} in Vault now; "${a.name}" was not deleted`,
            );
          }
        }
        const mode: RemoveMode =
          a.deletion === 'force'
            ? { force: true }
            : { recoveryWindowInDays: a.recoveryWindowInDays ?? window };
        await target.remove(t.arn, mode, t.replicaRegions ?? []);
        return 'done';
      }
      default:
        throw new VaultSyncError(
          VaultSyncErrorCode.INVALID_PLAN,
          `Unknown action type in plan for "${(a as PlanAction).name}"`,
        );
    }
  };

  const limit = createConcurrencyLimit(concurrency);
  let done = 0;
  const results = await Promise.all(
    syncPlan.actions.map((a) =>
      limit(async (): Promise<ActionResult> => {
        let result: ActionResult;
        if (options.signal?.aborted) {
          result = {
            ...a,
            status: 'failed',
            error: { code: 'ABORTED', message: 'The run was aborted before this action' },
          };
        } else {
          try {
            result = { ...a, status: await execute(a) };
          } catch (error) {
            const info = errorInfo(error);
            result = { ...a, status: 'failed', error: info };
            logger.error('vault-sync: action failed', {
              action: a.type,
              name: a.name,
              path: a.path,
              code: info.code,
              message: info.message,
            });
          }
        }
        if (result.status === 'done')
          logger.info('vault-sync: action done', {
            action: a.type,
            name: a.name,
            path: a.path,
            reason: a.reason,
          });
        else if (result.status === 'conflict')
          logger.warn('vault-sync: conflict', { name: a.name, path: a.path, reason: a.reason });
        else if (result.status === 'reported')
          logger.warn('vault-sync: drift', { name: a.name, path: a.path, reason: a.reason });
        options.onProgress?.(++done, syncPlan.actions.length);
        return result;
      }),
    ),
  );
  const outcome: Record<ActionStatus, number> = { done: 0, skipped: 0, reported: 0, conflict: 0, failed: 0 };
  for (const r of results) outcome[r.status]++;
  const finishedAt = now();
  const report: SyncReport = {
    instanceId,
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date(finishedAt).toISOString(),
    durationMs: finishedAt - startedAt,
    summary: { ...syncPlan.summary },
    results,
    outcome,
    ok: outcome.failed === 0 && outcome.conflict === 0,
    apiCalls: {
      vault: diffCalls(vaultCalls(source), vaultBefore),
      secretsManager: diffCalls(target.calls(), smBefore),
    },
    throttles: target.throttles() - throttlesBefore,
    ...(maxLagMs !== undefined ? { maxLagMs } : {}),
    ...(syncPlan.breaker ? { breaker: syncPlan.breaker } : {}),
  };
  logger.info('vault-sync: applied', { instanceId, outcome, durationMs: report.durationMs });
  return report;
}

/** Options of {@link sync}: {@link PlanOptions} plus {@link ApplyOptions}. */
export type SyncOptions = PlanOptions & Omit<ApplyOptions, 'source' | 'target'>;

/**
 * Plans and applies in one go; the report covers both (API calls, duration).
 *
 * @param source - From {@link createVaultSource}.
 * @param target - From {@link createSecretsManagerTarget}.
 * @param options - Plan and apply options.
 * @throws See {@link plan} and {@link apply}.
 * @example
 * ```ts
 * const report = await sync(source, target, { instanceId: 'prod', deletion: { policy: 'schedule', recoveryWindowInDays: 7 } });
 * ```
 */
export async function sync(
  source: SecretSource,
  target: SecretTarget,
  options: SyncOptions,
): Promise<SyncReport> {
  const now = options.now ?? Date.now;
  const started = now();
  const throttlesBefore = target.throttles();
  const p = await plan(source, target, options);
  const report = await apply(p, options);
  const add = (a: Record<string, number>, b: Record<string, number>): Record<string, number> => {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  return {
    ...report,
    startedAt: new Date(started).toISOString(),
    durationMs: now() - started,
    apiCalls: {
      vault: add(p.apiCalls.vault, report.apiCalls.vault),
      secretsManager: add(p.apiCalls.secretsManager, report.apiCalls.secretsManager),
    },
    // Throttles during planning count too.
    throttles: target.throttles() - throttlesBefore,
  };
}
