import type { OrganizationsClient, OrganizationsClientConfig } from '@aws-sdk/client-organizations';
import { isRetryableAwsError, type Logger, retry, silentLogger } from '@secblocks/core';
import { invalidOption, ScpPolicyError, ScpPolicyErrorCode } from './errors.js';
import { type CustomLimitProfile, type LimitProfileName, resolveLimits } from './limits.js';
import { canonicalizePolicy, parsePolicy, serializePolicy } from './policy-document.js';
import type { ProofReport } from './proof.js';
import { prune } from './prune.js';
import { entryKey, type RevocationEntry, readRevocationEntries } from './revocation-entry.js';
import { type GeneratedPolicy, type RevokeSessionsInput, revokeSessions } from './revoke-sessions.js';

type OrganizationsModule = typeof import('@aws-sdk/client-organizations');

/** Options of {@link createOrganizationsApplier}. */
export interface OrganizationsApplierOptions {
  /** The root (`r-…`), OU (`ou-…`) or account (12 digits) the revocation SCPs are attached to. */
  targetId: string;
  /** An Organizations client (management account or delegated administrator, us-east-1). @defaultValue built lazily from `clientConfig` */
  client?: OrganizationsClient;
  /** Config for the default client. @defaultValue `{ region: 'us-east-1' }` */
  clientConfig?: OrganizationsClientConfig;
  /**
   * Name prefix of the SCPs this applier owns (`<prefix>-1`, `<prefix>-2`, …). Policies with other names
   * are never changed; they only use up attachment slots.
   * @defaultValue `'secblocks-revoke'`
   */
  policyNamePrefix?: string;
  /** Limit profile. @defaultValue `'aws-2026-05'` */
  limits?: LimitProfileName | CustomLimitProfile;
  /** Attempts per call on throttling, `ConcurrentModificationException` and `PolicyChangesInProgressException`. @defaultValue `8` */
  maxAttempts?: number;
  /** First backoff delay in milliseconds (full jitter, doubling). @defaultValue `200` */
  baseDelayMs?: number;
  /** How to wait between attempts (tests inject a fake). @defaultValue real timers */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Diagnostics (policy IDs, names, counts; never more). @defaultValue silent */
  logger?: Logger;
  /** Clock for `revokedAt` and expiry. @defaultValue `Date.now` */
  now?: () => number;
}

/** What to plan. */
export interface PlanRequest {
  /** New entries to revoke; merged into the live documents without moving existing entries. */
  revoke?: Omit<RevokeSessionsInput, 'previous' | 'usedSlots' | 'target' | 'limits' | 'now'>;
  /** Remove entries provably expired at this time (cleanup). */
  pruneAt?: Date | string | number;
}

/** One step of an {@link ApplyPlan}. */
export interface PlanStep {
  action: 'create' | 'update' | 'delete' | 'unchanged';
  /** Policy name (`<prefix>-<n>`). */
  name: string;
  /** Policy ID; absent for a policy still to create. */
  policyId?: string;
  /** `1`: documents gaining entries (written first); `2`: documents only losing entries or deleted. */
  phase: 1 | 2;
  /** The new minified content; absent for deletes. */
  content?: string;
  /** The live content (canonical); absent for creates. */
  previousContent?: string;
  gained: RevocationEntry[];
  lost: RevocationEntry[];
}

/** The canonical diff {@link OrganizationsApplier.plan} returns. */
export interface ApplyPlan {
  targetId: string;
  /** Ordered steps; `unchanged` steps are listed for completeness and cause no call. */
  steps: PlanStep[];
  /** True when any step writes. */
  changed: boolean;
  /** Attachment slots on the target: used by other policies, by this applier after the plan, and the limit. */
  slots: { other: number; managed: number; limit: number };
  /** The generated documents and their proof (absent when the plan leaves no document). */
  documents: GeneratedPolicy[];
  proof: ProofReport | undefined;
}

/** One call {@link OrganizationsApplier.apply} made (or, in a dry run, would make). */
export interface ApplyCall {
  operation: 'CreatePolicy' | 'UpdatePolicy' | 'AttachPolicy' | 'DetachPolicy' | 'DeletePolicy';
  name: string;
  policyId?: string;
}

/** What {@link OrganizationsApplier.apply} returns. */
export interface ApplyResult {
  dryRun: boolean;
  /** Calls made (or planned, for a dry run), in order. */
  calls: ApplyCall[];
  /** Steps skipped because the live state already matched (idempotent re-runs). */
  skipped: string[];
}

/** Plans and applies revocation SCPs on one Organizations target; see {@link createOrganizationsApplier}. */
export interface OrganizationsApplier {
  /**
   * Reads the live SCPs on the target (ListPoliciesForTarget, DescribePolicy), merges the new entries
   * into the policies this applier owns without moving existing ones, prunes expired entries when
   * `pruneAt` is given, proves the result and returns the canonical diff. Makes no write.
   *
   * @param request - New entries and/or a prune time.
   * @throws {@link ScpPolicyError} `CAPACITY_EXCEEDED` (not enough free slots), `INVALID_INPUT`,
   * `UNSUPPORTED_POLICY` (a policy with this applier's name prefix it did not write), `UNSAFE_PLAN`, and
   * the mapped Organizations codes (`TARGET_NOT_FOUND`, `POLICY_TYPE_NOT_ENABLED`, `ACCESS_DENIED`, `THROTTLED`, …).
   * @example
   * ```ts
   * const plan = await applier.plan({ revoke: { users: ['jdoe@example.com'] }, pruneAt: new Date() });
   * for (const step of plan.steps) console.log(step.phase, step.action, step.name, step.gained.length, step.lost.length);
   * ```
   */
  plan(request: PlanRequest): Promise<ApplyPlan>;
  /**
   * Applies a plan: creates and updates documents gaining entries first, then updates losing entries,
   * then detaches and deletes emptied documents, so a still-revoked principal is never uncovered.
   * Re-reads the live state first: steps already live are skipped (idempotent re-runs, adoption of a
   * policy created by an interrupted run). With `dryRun`, lists the calls and writes nothing.
   *
   * @param plan - From {@link OrganizationsApplier.plan}.
   * @param options - `dryRun` to only list the calls.
   * @throws {@link ScpPolicyError} `STALE_PLAN` when a policy changed since planning, and the mapped
   * Organizations codes (`SLOT_LIMIT_EXCEEDED`, `POLICY_TOO_LARGE`, `LAST_POLICY_ATTACHMENT`, `THROTTLED`, …).
   * @example
   * ```ts
   * const { calls, skipped } = await applier.apply(plan);
   * ```
   */
  apply(plan: ApplyPlan, options?: { dryRun?: boolean }): Promise<ApplyResult>;
}

const TARGET_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12})$/;
const RETRYABLE_NAMES = new Set([
  'ConcurrentModificationException',
  'PolicyChangesInProgressException',
  'TooManyRequestsException',
]);
const SCP = 'SERVICE_CONTROL_POLICY';

const REASON_CODES: Record<string, ScpPolicyErrorCode> = {
  MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED: ScpPolicyErrorCode.SLOT_LIMIT_EXCEEDED,
  POLICY_CONTENT_LIMIT_EXCEEDED: ScpPolicyErrorCode.POLICY_TOO_LARGE,
  MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED: ScpPolicyErrorCode.LAST_POLICY_ATTACHMENT,
  POLICY_NUMBER_LIMIT_EXCEEDED: ScpPolicyErrorCode.POLICY_NUMBER_LIMIT_EXCEEDED,
  ORGANIZATION_NOT_IN_ALL_FEATURES_MODE: ScpPolicyErrorCode.ORGANIZATION_NOT_ALL_FEATURES,
};

/**
 * Turns an Organizations SDK error into a typed {@link ScpPolicyError}: each
 * `ConstraintViolationException.Reason` to its own code (unknown reasons to `CONSTRAINT_VIOLATION`, with
 * `reason` set), throttling to `THROTTLED`, access, target and policy-type errors to their codes.
 *
 * @param error - What the SDK threw.
 * @param operation - The operation, for the message.
 * @example
 * ```ts
 * try { await client.send(cmd); } catch (e) { throw mapOrganizationsError(e, 'AttachPolicy'); }
 * ```
 */
export function mapOrganizationsError(error: unknown, operation: string): ScpPolicyError {
  const e = error as { name?: string; Reason?: string };
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  if (name === 'ConstraintViolationException') {
    const reason = typeof e.Reason === 'string' ? e.Reason : 'UNKNOWN';
    return new ScpPolicyError(
      REASON_CODES[reason] ?? ScpPolicyErrorCode.CONSTRAINT_VIOLATION,
      `${operation} was rejected: ConstraintViolationException ${reason}`,
      { cause: error, reason },
    );
  }
  const code =
    name === 'AccessDeniedException'
      ? ScpPolicyErrorCode.ACCESS_DENIED
      : name === 'TargetNotFoundException'
        ? ScpPolicyErrorCode.TARGET_NOT_FOUND
        : name === 'PolicyTypeNotEnabledException'
          ? ScpPolicyErrorCode.POLICY_TYPE_NOT_ENABLED
          : RETRYABLE_NAMES.has(name) || isRetryableAwsError(error)
            ? ScpPolicyErrorCode.THROTTLED
            : ScpPolicyErrorCode.AWS_ERROR;
  return new ScpPolicyError(code, `${operation} failed: ${name}`, { cause: error });
}

const canonical = (content: string): string => serializePolicy(canonicalizePolicy(parsePolicy(content)));

/**
 * Creates an applier that keeps the revocation SCPs of one Organizations target in the desired state.
 * `plan` lists the SCPs attached to the target (counting slots already used by `FullAWSAccess`, Control
 * Tower and others), reads the ones it owns, merges new entries without moving existing ones (so each
 * added entry changes at most one policy), optionally prunes expired entries, and returns a canonical
 * diff with the proof. `apply` writes documents gaining entries before documents losing them (and
 * deletes last), so a revoked principal is never uncovered; it is idempotent (re-running skips what is
 * already live), retries throttling and concurrent-modification errors, and maps every
 * `ConstraintViolationException` reason to a typed error.
 *
 * @param options - Target, client, prefix, limits, retry and logger.
 * @throws {@link ScpPolicyError} `INVALID_OPTION` naming the bad option.
 * @example
 * ```ts
 * const applier = createOrganizationsApplier({ targetId: 'r-ab12' });
 * const plan = await applier.plan({ revoke: { users: ['jdoe@example.com'] } });
 * await applier.apply(plan);
 * ```
 */
export function createOrganizationsApplier(options: OrganizationsApplierOptions): OrganizationsApplier {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'an object');
  if (typeof options.targetId !== 'string' || !TARGET_ID.test(options.targetId)) {
    throw invalidOption('targetId', 'a root (r-…), OU (ou-…-…) or 12-digit account ID');
  }
  const prefix = options.policyNamePrefix ?? 'secblocks-revoke';
  if (typeof prefix !== 'string' || !/^[\w+=,.@-]{1,100}$/.test(prefix)) {
    throw invalidOption('policyNamePrefix', '1–100 characters of letters, digits and +=,.@_-');
  }
  const maxAttempts = options.maxAttempts ?? 8;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw invalidOption('maxAttempts', 'an integer ≥ 1');
  const baseDelayMs = options.baseDelayMs ?? 200;
  if (typeof baseDelayMs !== 'number' || baseDelayMs < 0) throw invalidOption('baseDelayMs', 'a number ≥ 0');
  if (options.client !== undefined && typeof (options.client as { send?: unknown }).send !== 'function') {
    throw invalidOption('client', 'an OrganizationsClient');
  }
  resolveLimits(options.limits);
  const logger = options.logger ?? silentLogger;
  const targetId = options.targetId;
  const now = options.now ?? Date.now;

  return new Applier(options, prefix, maxAttempts, baseDelayMs, logger, targetId, now);
}

interface LivePolicy {
  id: string;
  name: string;
  content: string;
}

class Applier implements OrganizationsApplier {
  #client: OrganizationsClient | undefined;
  #sdk: OrganizationsModule | undefined;
  readonly #options: OrganizationsApplierOptions;
  readonly #prefix: string;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #logger: Logger;
  readonly #targetId: string;
  readonly #now: () => number;

  constructor(
    options: OrganizationsApplierOptions,
    prefix: string,
    maxAttempts: number,
    baseDelayMs: number,
    logger: Logger,
    targetId: string,
    now: () => number,
  ) {
    this.#options = options;
    this.#client = options.client;
    this.#prefix = prefix;
    this.#maxAttempts = maxAttempts;
    this.#baseDelayMs = baseDelayMs;
    this.#logger = logger;
    this.#targetId = targetId;
    this.#now = now;
  }

  async #sdkModule(): Promise<OrganizationsModule> {
    if (!this.#sdk) {
      try {
        this.#sdk = await import('@aws-sdk/client-organizations');
      } catch (cause) {
        throw new ScpPolicyError(
          ScpPolicyErrorCode.MISSING_PEER,
          'Applying to Organizations needs the peer dependency @aws-sdk/client-organizations; install it',
          { cause },
        );
      }
    }
    return this.#sdk;
  }

  async #send<T>(operation: string, build: (sdk: OrganizationsModule) => unknown): Promise<T> {
    const sdk = await this.#sdkModule();
    // Built lazily, on first use, never at module load.
    this.#client ??= new sdk.OrganizationsClient({
      region: 'us-east-1',
      ...(this.#options.clientConfig ?? {}),
    });
    const client = this.#client;
    const retryOptions = {
      maxAttempts: this.#maxAttempts,
      baseDelayMs: this.#baseDelayMs,
      isRetryable: (error: unknown) =>
        RETRYABLE_NAMES.has((error as { name?: string })?.name ?? '') || isRetryableAwsError(error),
      onRetry: ({ attempt, delayMs }: { attempt: number; delayMs: number }) =>
        this.#logger.debug('retrying Organizations call', { operation, attempt, delayMs }),
      ...(this.#options.sleep ? { sleep: this.#options.sleep } : {}),
    };
    try {
      return await retry(() => client.send(build(sdk) as never) as Promise<T>, retryOptions);
    } catch (error) {
      throw mapOrganizationsError(error, operation);
    }
  }

  async #live(): Promise<{ managed: LivePolicy[]; other: number }> {
    const summaries: { Id?: string; Name?: string }[] = [];
    let token: string | undefined;
    do {
      const page = await this.#send<{ Policies?: { Id?: string; Name?: string }[]; NextToken?: string }>(
        'ListPoliciesForTarget',
        (sdk) =>
          new sdk.ListPoliciesForTargetCommand({ TargetId: this.#targetId, Filter: SCP, NextToken: token }),
      );
      summaries.push(...(page.Policies ?? []));
      token = page.NextToken;
    } while (token);
    const mine = summaries.filter((s) => this.#indexOf(s.Name) !== undefined);
    mine.sort((a, b) => (this.#indexOf(a.Name) as number) - (this.#indexOf(b.Name) as number));
    const managed: LivePolicy[] = [];
    for (const s of mine) {
      const out = await this.#send<{ Policy?: { Content?: string } }>(
        'DescribePolicy',
        (sdk) => new sdk.DescribePolicyCommand({ PolicyId: s.Id }),
      );
      managed.push({ id: s.Id as string, name: s.Name as string, content: out.Policy?.Content ?? '' });
    }
    return { managed, other: summaries.length - mine.length };
  }

  #indexOf(name: string | undefined): number | undefined {
    if (!name?.startsWith(`${this.#prefix}-`)) return undefined;
    const n = name.slice(this.#prefix.length + 1);
    return /^[1-9]\d{0,3}$/.test(n) ? Number(n) : undefined;
  }

  async plan(request: PlanRequest): Promise<ApplyPlan> {
    if (typeof request !== 'object' || request === null) throw invalidOption('request', 'an object');
    const { managed, other } = await this.#live();
    this.#logger.info('read live revocation SCPs', {
      targetId: this.#targetId,
      managed: managed.length,
      other,
    });
    let base = managed.map((m) => ({ live: m, content: m.content as string | null }));
    if (request.pruneAt !== undefined) {
      const pruned = prune(
        managed.map((m) => m.content),
        request.pruneAt,
      );
      base = managed.map((m, i) => ({ live: m, content: pruned.documents[i]?.json ?? null }));
    }
    const kept = base.filter((b) => b.content !== null);
    const hasNew = request.revoke !== undefined;
    let documents: GeneratedPolicy[] = [];
    let proof: ProofReport | undefined;
    if (hasNew || kept.length > 0) {
      const result = revokeSessions({
        ...(request.revoke ?? {}),
        target: 'scp',
        ...(this.#options.limits !== undefined ? { limits: this.#options.limits } : {}),
        usedSlots: other,
        previous: kept.map((k) => k.content as string),
        now: this.#now,
      });
      documents = result.documents;
      proof = result.proof;
    }
    const used = new Set<number>();
    const steps: PlanStep[] = [];
    const liveEntries = (content: string): RevocationEntry[] => readRevocationEntries(parsePolicy(content));
    for (const doc of documents) {
      const live = doc.previousIndex === undefined ? undefined : kept[doc.previousIndex]?.live;
      if (live) {
        used.add(this.#indexOf(live.name) as number);
        const before = liveEntries(live.content);
        const diff = entryDiff(before, doc.entries);
        const same = canonical(live.content) === canonical(doc.json);
        steps.push({
          action: same ? 'unchanged' : 'update',
          name: live.name,
          policyId: live.id,
          phase: diff.gained.length > 0 ? 1 : 2,
          content: doc.json,
          previousContent: canonical(live.content),
          ...diff,
        });
      }
    }
    for (const m of managed) used.add(this.#indexOf(m.name) as number);
    let next = 1;
    for (const doc of documents) {
      if (doc.previousIndex !== undefined && kept[doc.previousIndex]) continue;
      while (used.has(next)) next++;
      used.add(next);
      steps.push({
        action: 'create',
        name: `${this.#prefix}-${next}`,
        phase: 1,
        content: doc.json,
        gained: doc.entries,
        lost: [],
      });
    }
    const referenced = new Set(steps.map((s) => s.policyId).filter(Boolean));
    for (const m of managed) {
      if (referenced.has(m.id)) continue;
      steps.push({
        action: 'delete',
        name: m.name,
        policyId: m.id,
        phase: 2,
        previousContent: canonical(m.content),
        gained: [],
        lost: liveEntries(m.content),
      });
    }
    const order = { create: 0, update: 1, unchanged: 2, delete: 3 } as const;
    steps.sort(
      (a, b) => a.phase - b.phase || order[a.action] - order[b.action] || a.name.localeCompare(b.name),
    );
    checkNeverUncovered(managed, steps);
    return {
      targetId: this.#targetId,
      steps,
      changed: steps.some((s) => s.action !== 'unchanged'),
      slots: {
        other,
        managed: documents.length,
        limit: resolveLimits(this.#options.limits).scp.maxDocuments,
      },
      documents,
      proof,
    };
  }

  async apply(plan: ApplyPlan, options: { dryRun?: boolean } = {}): Promise<ApplyResult> {
    if (typeof plan !== 'object' || plan === null || !Array.isArray(plan.steps))
      throw invalidOption('plan', 'a plan from plan()');
    if (plan.targetId !== this.#targetId) throw invalidOption('plan', `a plan for target ${this.#targetId}`);
    const calls: ApplyCall[] = [];
    const skipped: string[] = [];
    const writes = plan.steps.filter((s) => s.action !== 'unchanged');
    if (options.dryRun) {
      for (const s of writes) {
        if (s.action === 'create')
          calls.push(
            { operation: 'CreatePolicy', name: s.name },
            { operation: 'AttachPolicy', name: s.name },
          );
        else if (s.action === 'update')
          calls.push({ operation: 'UpdatePolicy', name: s.name, policyId: s.policyId as string });
        else
          calls.push(
            { operation: 'DetachPolicy', name: s.name, policyId: s.policyId as string },
            { operation: 'DeletePolicy', name: s.name, policyId: s.policyId as string },
          );
      }
      return { dryRun: true, calls, skipped };
    }
    const { managed } = await this.#live();
    const byName = new Map(managed.map((m) => [m.name, m]));
    for (const step of writes) {
      const live = byName.get(step.name);
      if (step.action === 'delete') {
        if (!live) {
          skipped.push(step.name);
          continue;
        }
        this.#checkFresh(step, live);
        calls.push({ operation: 'DetachPolicy', name: step.name, policyId: live.id });
        await this.#tolerate('PolicyNotAttachedException', () =>
          this.#send(
            'DetachPolicy',
            (sdk) => new sdk.DetachPolicyCommand({ PolicyId: live.id, TargetId: this.#targetId }),
          ),
        );
        calls.push({ operation: 'DeletePolicy', name: step.name, policyId: live.id });
        await this.#tolerate('PolicyInUseException', () =>
          this.#send('DeletePolicy', (sdk) => new sdk.DeletePolicyCommand({ PolicyId: live.id })),
        );
        continue;
      }
      const content = step.content as string;
      if (live) {
        if (canonical(live.content) === canonical(content)) {
          skipped.push(step.name);
          continue;
        }
        if (step.action === 'update') this.#checkFresh(step, live);
        calls.push({ operation: 'UpdatePolicy', name: step.name, policyId: live.id });
        await this.#send(
          'UpdatePolicy',
          (sdk) => new sdk.UpdatePolicyCommand({ PolicyId: live.id, Content: content }),
        );
        continue;
      }
      if (step.action === 'update') {
        throw new ScpPolicyError(
          ScpPolicyErrorCode.STALE_PLAN,
          `${step.name} is no longer attached to ${this.#targetId}; plan again`,
        );
      }
      const id = await this.#createOrAdopt(step.name, content, calls);
      calls.push({ operation: 'AttachPolicy', name: step.name, policyId: id });
      await this.#tolerate('DuplicatePolicyAttachmentException', () =>
        this.#send(
          'AttachPolicy',
          (sdk) => new sdk.AttachPolicyCommand({ PolicyId: id, TargetId: this.#targetId }),
        ),
      );
    }
    this.#logger.info('applied revocation SCPs', {
      targetId: this.#targetId,
      calls: calls.length,
      skipped: skipped.length,
    });
    return { dryRun: false, calls, skipped };
  }

  #checkFresh(step: PlanStep, live: LivePolicy): void {
    if (step.previousContent !== undefined && canonical(live.content) !== step.previousContent) {
      throw new ScpPolicyError(
        ScpPolicyErrorCode.STALE_PLAN,
        `${step.name} changed since the plan was made; plan again`,
      );
    }
  }

  async #tolerate(name: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      if (
        (error as ScpPolicyError).cause &&
        ((error as ScpPolicyError).cause as { name?: string }).name === name
      )
        return;
      throw error;
    }
  }

  /** Creates the policy, or adopts one left unattached by an interrupted earlier run (same name). */
  async #createOrAdopt(name: string, content: string, calls: ApplyCall[]): Promise<string> {
    calls.push({ operation: 'CreatePolicy', name });
    try {
      const out = await this.#send<{ Policy?: { PolicySummary?: { Id?: string } } }>(
        'CreatePolicy',
        (sdk) =>
          new sdk.CreatePolicyCommand({
            Name: name,
            Description: 'Revokes active sessions (managed by @secblocks/scp-policy; do not edit by hand)',
            Type: SCP,
            Content: content,
            Tags: [{ Key: 'secblocks:managed-by', Value: 'scp-policy' }],
          }),
      );
      return out.Policy?.PolicySummary?.Id as string;
    } catch (error) {
      if (((error as ScpPolicyError).cause as { name?: string })?.name !== 'DuplicatePolicyException')
        throw error;
    }
    let token: string | undefined;
    do {
      const page = await this.#send<{ Policies?: { Id?: string; Name?: string }[]; NextToken?: string }>(
        'ListPolicies',
        (sdk) => new sdk.ListPoliciesCommand({ Filter: SCP, NextToken: token }),
      );
      const found = page.Policies?.find((p) => p.Name === name);
      if (found?.Id) {
        calls.push({ operation: 'UpdatePolicy', name, policyId: found.Id });
        await this.#send(
          'UpdatePolicy',
          (sdk) => new sdk.UpdatePolicyCommand({ PolicyId: found.Id, Content: content }),
        );
        return found.Id;
      }
      token = page.NextToken;
    } while (token);
    throw new ScpPolicyError(
      ScpPolicyErrorCode.AWS_ERROR,
      `CreatePolicy reported a duplicate ${name} that ListPolicies does not show`,
    );
  }
}

function entryDiff(
  before: RevocationEntry[],
  after: RevocationEntry[],
): { gained: RevocationEntry[]; lost: RevocationEntry[] } {
  const b = new Map(before.map((e) => [entryKey(e), e]));
  const a = new Map(after.map((e) => [entryKey(e), e]));
  return {
    gained: [...a.entries()].filter(([k]) => !b.has(k)).map(([, e]) => e),
    lost: [...b.entries()].filter(([k]) => !a.has(k)).map(([, e]) => e),
  };
}

/**
 * Simulates the steps in order and throws `UNSAFE_PLAN` if an entry that is live before and desired
 * after would be uncovered between two writes.
 */
function checkNeverUncovered(managed: LivePolicy[], steps: PlanStep[]): void {
  const coverage = new Map<string, Set<string>>();
  const entriesOf = (content: string | undefined): Set<string> =>
    new Set(content ? readRevocationEntries(parsePolicy(content)).map(entryKey) : []);
  for (const m of managed) coverage.set(m.name, entriesOf(m.content));
  const desired = new Set<string>();
  for (const s of steps) if (s.action !== 'delete') for (const k of entriesOf(s.content)) desired.add(k);
  const live = new Set([...coverage.values()].flatMap((s) => [...s]));
  const mustStay = [...live].filter((k) => desired.has(k));
  for (const s of steps) {
    coverage.set(s.name, s.action === 'delete' ? new Set() : entriesOf(s.content));
    const covered = new Set([...coverage.values()].flatMap((x) => [...x]));
    const gap = mustStay.find((k) => !covered.has(k));
    if (gap !== undefined) {
      throw new ScpPolicyError(
        ScpPolicyErrorCode.UNSAFE_PLAN,
        `Step ${s.action} ${s.name} would uncover a revoked entry before it is written elsewhere`,
      );
    }
  }
}
