import {
  type AwsJsonEmulator,
  AwsServiceError,
  type InjectedFault,
  type RecordedCall,
  startAwsJsonEmulator,
  testCredentials,
} from '@secblocks/core/testing';

/** One policy held by the emulator. */
export interface EmulatedPolicy {
  id: string;
  name: string;
  description: string;
  content: string;
  awsManaged: boolean;
  tags: { Key: string; Value: string }[];
  /** Targets it is attached to. */
  targets: string[];
}

/** A policy to start with. */
export interface SeedPolicy {
  name: string;
  content: string;
  /** Targets to attach it to. @defaultValue none */
  targets?: string[];
  /** @defaultValue `false` */
  awsManaged?: boolean;
  /** @defaultValue generated */
  id?: string;
}

/** Options of {@link startOrganizationsEmulator}. */
export interface OrganizationsEmulatorOptions {
  /** The root ID. @defaultValue `'r-exam'` */
  rootId?: string;
  /** More valid targets (OU IDs, account IDs); each starts with `FullAWSAccess` attached, like the root. */
  targets?: string[];
  /** Largest SCP, counting every character. @defaultValue `10240` */
  maxPolicySize?: number;
  /** SCPs directly attached per target. @defaultValue `10` */
  maxAttachmentsPerTarget?: number;
  /** Policies to create before the first call (after `FullAWSAccess`). */
  policies?: SeedPolicy[];
  /** Whether the SCP type is enabled on the root. @defaultValue `true` */
  scpEnabled?: boolean;
  /** Called after every successful write (Create/Update/Attach/Detach/Delete), e.g. to check an invariant. */
  onWrite?: (operation: string, emulator: OrganizationsEmulator) => void;
  /** Page size of list operations when the caller gives none. @defaultValue `20` */
  defaultPageSize?: number;
}

/** A running Organizations emulator; see {@link startOrganizationsEmulator}. */
export interface OrganizationsEmulator {
  /** Pass as the SDK client's `endpoint`. */
  readonly endpoint: string;
  /** Every call received, in order. */
  readonly calls: RecordedCall[];
  /** Number of calls, of one operation or of all. */
  count(operation?: string): number;
  /** Makes the next `times` calls of `operation` (or `'*'`) fail with `fault`. */
  failNext(operation: string, fault: InjectedFault, times?: number): void;
  /** Makes the next `times` calls of `operation` fail with a `ConstraintViolationException` of `reason`. */
  failNextWithConstraint(operation: string, reason: string, times?: number): void;
  /** Every policy, in creation order. */
  policies(): EmulatedPolicy[];
  /** The contents of the SCPs attached to `targetId`, in attachment order. */
  attachedContents(targetId?: string): string[];
  /** Config for `new OrganizationsClient(...)` pointing at the emulator. */
  clientConfig(): {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    maxAttempts: number;
  };
  close(): Promise<void>;
}

const FULL_AWS_ACCESS =
  '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "*",\n      "Resource": "*"\n    }\n  ]\n}';

/**
 * Starts a loopback AWS Organizations emulator (JSON 1.1 protocol, `AWSOrganizationsV20161128`) for the
 * real `@aws-sdk/client-organizations` client. It keeps policies and attachments, enforces the SCP size
 * (whitespace counted) and the per-target attachment limit with `ConstraintViolationException` reasons,
 * paginates lists, and answers the typed errors AWS does (`DuplicatePolicyException`,
 * `PolicyInUseException`, `PolicyNotAttachedException`, `TargetNotFoundException`, …).
 * Supported: ListRoots, ListPolicies, ListPoliciesForTarget, DescribePolicy, CreatePolicy, UpdatePolicy,
 * AttachPolicy, DetachPolicy, DeletePolicy.
 *
 * @param options - Targets, limits, seed policies, a write hook.
 * @example
 * ```ts
 * const orgs = await startOrganizationsEmulator({ targets: ['ou-ab12-cdefgh34'] });
 * const client = new OrganizationsClient(orgs.clientConfig());
 * // … exercise your code …
 * await orgs.close();
 * ```
 */
export async function startOrganizationsEmulator(
  options: OrganizationsEmulatorOptions = {},
): Promise<OrganizationsEmulator> {
  const rootId = options.rootId ?? 'r-exam';
  const targets = new Set([rootId, ...(options.targets ?? [])]);
  const maxSize = options.maxPolicySize ?? 10240;
  const maxAttach = options.maxAttachmentsPerTarget ?? 10;
  const pageSize = options.defaultPageSize ?? 20;
  const policies: EmulatedPolicy[] = [];
  let counter = 0;
  const nextId = (): string => `p-${(++counter).toString(36).padStart(8, '0')}`;
  policies.push({
    id: 'p-FullAWSAccess',
    name: 'FullAWSAccess',
    description: 'Allows access to every operation',
    content: FULL_AWS_ACCESS,
    awsManaged: true,
    tags: [],
    targets: [...targets],
  });
  for (const seed of options.policies ?? []) {
    policies.push({
      id: seed.id ?? nextId(),
      name: seed.name,
      description: '',
      content: seed.content,
      awsManaged: seed.awsManaged ?? false,
      tags: [],
      targets: [...(seed.targets ?? [])],
    });
  }
  const summary = (p: EmulatedPolicy) => ({
    Id: p.id,
    Arn: `arn:aws:organizations::111111111111:policy/o-exampleorgid/service_control_policy/${p.id}`,
    Name: p.name,
    Description: p.description,
    Type: 'SERVICE_CONTROL_POLICY',
    AwsManaged: p.awsManaged,
  });
  const find = (id: unknown): EmulatedPolicy => {
    const p = policies.find((x) => x.id === id);
    if (!p)
      throw new AwsServiceError(
        'PolicyNotFoundException',
        "We can't find a policy with the PolicyId that you specified.",
      );
    return p;
  };
  const constraint = (reason: string, message: string): AwsServiceError =>
    new AwsServiceError('ConstraintViolationException', message, 400, { Reason: reason });
  const checkContent = (content: unknown): string => {
    if (typeof content !== 'string')
      throw new AwsServiceError('InvalidInputException', 'Content is required', 400, {
        Reason: 'INPUT_REQUIRED',
      });
    try {
      JSON.parse(content);
    } catch {
      throw new AwsServiceError(
        'MalformedPolicyDocumentException',
        'The provided policy document does not meet the requirements of the specified policy type.',
      );
    }
    if (Buffer.byteLength(content, 'utf8') > maxSize) {
      throw constraint('POLICY_CONTENT_LIMIT_EXCEEDED', 'You have exceeded the maximum policy size.');
    }
    return content;
  };
  const paginate = <T>(items: T[], input: Record<string, unknown>): { page: T[]; NextToken?: string } => {
    const start = typeof input.NextToken === 'string' ? Number(input.NextToken) : 0;
    const size = typeof input.MaxResults === 'number' ? input.MaxResults : pageSize;
    const page = items.slice(start, start + size);
    return start + size < items.length ? { page, NextToken: String(start + size) } : { page };
  };
  let emulator: OrganizationsEmulator;
  const wrote = (operation: string): void => options.onWrite?.(operation, emulator);
  const constraintFaults: { operation: string; reason: string; times: number }[] = [];
  const maybeConstraint = (operation: string): void => {
    const i = constraintFaults.findIndex((f) => f.operation === operation);
    if (i < 0) return;
    const f = constraintFaults[i] as (typeof constraintFaults)[number];
    if (--f.times <= 0) constraintFaults.splice(i, 1);
    throw constraint(f.reason, `Injected constraint violation ${f.reason}`);
  };
  const base: AwsJsonEmulator = await startAwsJsonEmulator({
    targetPrefix: 'AWSOrganizationsV20161128',
    handlers: {
      ListRoots: () => ({
        Roots: [
          {
            Id: rootId,
            Arn: `arn:aws:organizations::111111111111:root/o-exampleorgid/${rootId}`,
            Name: 'Root',
            PolicyTypes:
              options.scpEnabled === false ? [] : [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
          },
        ],
      }),
      ListPolicies: (input) => {
        const { page, NextToken } = paginate(policies, input);
        return { Policies: page.map(summary), ...(NextToken ? { NextToken } : {}) };
      },
      ListPoliciesForTarget: (input) => {
        if (!targets.has(String(input.TargetId)))
          throw new AwsServiceError(
            'TargetNotFoundException',
            "We can't find a root, OU, account, or policy with the TargetId that you specified.",
          );
        if (options.scpEnabled === false)
          throw new AwsServiceError(
            'PolicyTypeNotEnabledException',
            'This operation can be performed only for enabled policy types.',
          );
        const attached = policies.filter((p) => p.targets.includes(String(input.TargetId)));
        const { page, NextToken } = paginate(attached, input);
        return { Policies: page.map(summary), ...(NextToken ? { NextToken } : {}) };
      },
      DescribePolicy: (input) => {
        const p = find(input.PolicyId);
        return { Policy: { PolicySummary: summary(p), Content: p.content } };
      },
      CreatePolicy: (input) => {
        maybeConstraint('CreatePolicy');
        const content = checkContent(input.Content);
        if (typeof input.Name !== 'string' || typeof input.Description !== 'string') {
          throw new AwsServiceError('InvalidInputException', 'Name and Description are required', 400, {
            Reason: 'INPUT_REQUIRED',
          });
        }
        if (policies.some((p) => p.name === input.Name))
          throw new AwsServiceError(
            'DuplicatePolicyException',
            'A policy with the same name already exists.',
          );
        const p: EmulatedPolicy = {
          id: nextId(),
          name: input.Name,
          description: input.Description,
          content,
          awsManaged: false,
          tags: Array.isArray(input.Tags) ? (input.Tags as EmulatedPolicy['tags']) : [],
          targets: [],
        };
        policies.push(p);
        wrote('CreatePolicy');
        return { Policy: { PolicySummary: summary(p), Content: p.content } };
      },
      UpdatePolicy: (input) => {
        maybeConstraint('UpdatePolicy');
        const p = find(input.PolicyId);
        if (p.awsManaged)
          throw new AwsServiceError('AccessDeniedException', "You can't modify an AWS managed policy.");
        if (input.Content !== undefined) p.content = checkContent(input.Content);
        if (typeof input.Name === 'string') p.name = input.Name;
        if (typeof input.Description === 'string') p.description = input.Description;
        wrote('UpdatePolicy');
        return { Policy: { PolicySummary: summary(p), Content: p.content } };
      },
      AttachPolicy: (input) => {
        maybeConstraint('AttachPolicy');
        const p = find(input.PolicyId);
        const target = String(input.TargetId);
        if (!targets.has(target))
          throw new AwsServiceError(
            'TargetNotFoundException',
            "We can't find a root, OU, account, or policy with the TargetId that you specified.",
          );
        if (p.targets.includes(target))
          throw new AwsServiceError(
            'DuplicatePolicyAttachmentException',
            'The selected policy is already attached to the specified target.',
          );
        if (policies.filter((x) => x.targets.includes(target)).length >= maxAttach) {
          throw constraint(
            'MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED',
            'You have attached the maximum number of policies of this type to the entity.',
          );
        }
        p.targets.push(target);
        wrote('AttachPolicy');
        return {};
      },
      DetachPolicy: (input) => {
        maybeConstraint('DetachPolicy');
        const p = find(input.PolicyId);
        const target = String(input.TargetId);
        if (!p.targets.includes(target))
          throw new AwsServiceError(
            'PolicyNotAttachedException',
            "The policy isn't attached to the specified target.",
          );
        if (policies.filter((x) => x.targets.includes(target)).length <= 1) {
          throw constraint(
            'MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED',
            'You attempted to detach the last policy of this type from the entity.',
          );
        }
        p.targets = p.targets.filter((t) => t !== target);
        wrote('DetachPolicy');
        return {};
      },
      DeletePolicy: (input) => {
        maybeConstraint('DeletePolicy');
        const p = find(input.PolicyId);
        if (p.awsManaged)
          throw new AwsServiceError('AccessDeniedException', "You can't delete an AWS managed policy.");
        if (p.targets.length > 0)
          throw new AwsServiceError(
            'PolicyInUseException',
            'The policy is attached to one or more entities.',
          );
        policies.splice(policies.indexOf(p), 1);
        wrote('DeletePolicy');
        return {};
      },
    },
  });
  emulator = {
    endpoint: base.endpoint,
    calls: base.calls,
    count: base.count,
    failNext: base.failNext,
    failNextWithConstraint: (operation, reason, times = 1) => {
      constraintFaults.push({ operation, reason, times });
    },
    policies: () => policies.map((p) => ({ ...p, targets: [...p.targets], tags: [...p.tags] })),
    attachedContents: (targetId = rootId) =>
      policies.filter((p) => p.targets.includes(targetId)).map((p) => p.content),
    clientConfig: () => ({
      endpoint: base.endpoint,
      region: 'us-east-1',
      credentials: testCredentials(),
      maxAttempts: 1,
    }),
    close: () => base.close(),
  };
  return emulator;
}
