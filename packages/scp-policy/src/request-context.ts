import { createHash } from 'node:crypto';
import type { RequestContext } from './policy-evaluator.js';

/** Fields every principal builder accepts. */
export interface PrincipalContextBase {
  /** The action requested. @defaultValue `'s3:GetObject'` */
  action?: string;
  /** The resource. @defaultValue `'*'` */
  resource?: string;
  /** The 12-digit account. @defaultValue `'111122223333'` */
  accountId?: string;
  /** Extra or overriding condition keys. */
  extraKeys?: Record<string, string | string[]>;
}

/** Options of {@link roleSessionContext} and {@link samlRoleSessionContext}. */
export interface RoleSessionContextOptions extends PrincipalContextBase {
  /** Role name (path excluded). */
  roleName: string;
  /** Role path, e.g. `/team/`. @defaultValue `'/'` */
  rolePath?: string;
  /** The role's unique ID (`AROA…`). @defaultValue derived from the role ARN */
  roleId?: string;
  /** The RoleSessionName (with SAML, the `RoleSessionName` attribute, often an email). */
  sessionName: string;
  /** The session's sourceIdentity, when one was set. */
  sourceIdentity?: string;
  /** When the credentials were issued (ISO-8601). */
  issuedAt: string;
}

/** A deterministic unique ID like AWS's (`AROA`/`AIDA` + 17 characters) for a principal ARN. */
export function uniqueIdFor(prefix: 'AROA' | 'AIDA', arn: string): string {
  const key = `${prefix}${arn}`;
  const cached = idCache.get(key);
  if (cached !== undefined) return cached;
  const id = computeUniqueId(prefix, arn);
  if (idCache.size > 10_000) idCache.clear();
  idCache.set(key, id);
  return id;
}

const idCache = new Map<string, string>();

function computeUniqueId(prefix: 'AROA' | 'AIDA', arn: string): string {
  const digest = createHash('sha256').update(arn).digest('hex').toUpperCase();
  return `${prefix}${digest
    .replace(/[^A-Z2-7]/g, '')
    .padEnd(17, 'Q')
    .slice(0, 17)}`;
}

const base = (o: PrincipalContextBase): Pick<RequestContext, 'action' | 'resource'> => ({
  action: o.action ?? 's3:GetObject',
  resource: o.resource ?? '*',
});

/**
 * A request from an assumed-role session (AssumeRole, SAML or OIDC): `aws:userid` is
 * `<role-id>:<session-name>`, `aws:PrincipalArn` is the **role** ARN (never the `assumed-role` ARN), and
 * `aws:TokenIssueTime` is set.
 *
 * @param options - Role, session name, issue time, optional sourceIdentity.
 * @example
 * ```ts
 * roleSessionContext({ roleName: 'Admin', sessionName: 'jdoe@example.com', issuedAt: '2026-09-14T08:00:00Z' });
 * ```
 */
export function roleSessionContext(options: RoleSessionContextOptions): RequestContext {
  const account = options.accountId ?? '111122223333';
  const path = options.rolePath ?? '/';
  const roleArn = `arn:aws:iam::${account}:role${path}${options.roleName}`;
  const roleId = options.roleId ?? uniqueIdFor('AROA', roleArn);
  const keys: Record<string, string | string[]> = {
    'aws:userid': `${roleId}:${options.sessionName}`,
    'aws:PrincipalArn': roleArn,
    'aws:PrincipalAccount': account,
    'aws:PrincipalType': 'AssumedRole',
    'aws:TokenIssueTime': options.issuedAt,
  };
  if (options.sourceIdentity !== undefined) keys['aws:SourceIdentity'] = options.sourceIdentity;
  return { ...base(options), keys: { ...keys, ...(options.extraKeys ?? {}) } };
}

/**
 * A SAML-federated role session (`AssumeRoleWithSAML`): a role session whose name came from the
 * `RoleSessionName` SAML attribute, with `aws:FederatedProvider` set.
 *
 * @param options - As {@link roleSessionContext}, plus the SAML provider name.
 * @example
 * ```ts
 * samlRoleSessionContext({ roleName: 'Okta-Admin', sessionName: 'jdoe@example.com', issuedAt: '2026-09-14T08:00:00Z' });
 * ```
 */
export function samlRoleSessionContext(
  options: RoleSessionContextOptions & { samlProvider?: string },
): RequestContext {
  const account = options.accountId ?? '111122223333';
  const ctx = roleSessionContext(options);
  return {
    ...ctx,
    keys: {
      'aws:FederatedProvider': `arn:aws:iam::${account}:saml-provider/${options.samlProvider ?? 'IdP'}`,
      ...ctx.keys,
    },
  };
}

/** Options of {@link identityCenterSessionContext}. */
export interface IdentityCenterSessionContextOptions extends PrincipalContextBase {
  /** The Identity Center username (the role session name). */
  userName: string;
  /** The identity store user ID (`identitystore:userId`). */
  userId: string;
  /** The permission set name. */
  permissionSetName: string;
  /** The Identity Center Region segment of the role path. @defaultValue `'eu-west-1'` */
  region?: string;
  /** When the role credentials were issued. */
  issuedAt: string;
}

/**
 * A session of an IAM Identity Center permission-set role:
 * `arn:aws:iam::ACCT:role/aws-reserved/sso.amazonaws.com/<region>/AWSReservedSSO_<PermSet>_<hex>`, with the
 * Identity Center username as session name and `identitystore:userId` set.
 *
 * @param options - Username, user ID, permission set, issue time.
 * @example
 * ```ts
 * identityCenterSessionContext({ userName: 'jdoe@example.com', userId: '9067…', permissionSetName: 'Admin', issuedAt });
 * ```
 */
export function identityCenterSessionContext(options: IdentityCenterSessionContextOptions): RequestContext {
  const suffix = uniqueIdFor('AROA', options.permissionSetName)
    .slice(4, 20)
    .toLowerCase()
    .replace(/[^0-9a-f]/g, 'a');
  const ctx = roleSessionContext({
    ...options,
    roleName: `AWSReservedSSO_${options.permissionSetName}_${suffix}`,
    rolePath: `/aws-reserved/sso.amazonaws.com/${options.region ?? 'eu-west-1'}/`,
    sessionName: options.userName,
  });
  return {
    ...ctx,
    keys: { ...ctx.keys, 'identitystore:userId': options.userId, ...(options.extraKeys ?? {}) },
  };
}

/** Options of {@link chainedSessionContext}. */
export interface ChainedSessionContextOptions extends PrincipalContextBase {
  /** The role assumed by the chain. */
  roleName: string;
  /** The session name the chainer chose (not necessarily the user's). */
  sessionName: string;
  /** The sourceIdentity carried over from the first session, if one was set (it can't be changed). */
  sourceIdentity?: string;
  /** When the chained credentials were issued. */
  issuedAt: string;
}

/**
 * A role-chained session: temporary credentials used to assume another role. The session name is
 * whatever the chainer chose, so `aws:userid` rules miss it; the sourceIdentity, if set, persists.
 *
 * @param options - Role, chosen session name, carried sourceIdentity, issue time.
 * @example
 * ```ts
 * chainedSessionContext({ roleName: 'Deploy', sessionName: 'botocore-session-1', sourceIdentity: 'jdoe', issuedAt });
 * ```
 */
export function chainedSessionContext(options: ChainedSessionContextOptions): RequestContext {
  return roleSessionContext(options);
}

/** Options of {@link iamUserContext}. */
export interface IamUserContextOptions extends PrincipalContextBase {
  /** The IAM user name. */
  userName: string;
  /** With a GetSessionToken session: its issue time. Long-term access keys have no `aws:TokenIssueTime`. */
  sessionIssuedAt?: string;
}

/**
 * A request signed by an IAM user: `aws:userid` is the user's unique ID (`AIDA…`), and
 * `aws:TokenIssueTime` is absent for long-term access keys (so a `DateLessThan` deny does not catch it).
 *
 * @param options - User name, optional session issue time.
 * @example
 * ```ts
 * iamUserContext({ userName: 'ci-bot' });
 * ```
 */
export function iamUserContext(options: IamUserContextOptions): RequestContext {
  const account = options.accountId ?? '111122223333';
  const arn = `arn:aws:iam::${account}:user/${options.userName}`;
  const keys: Record<string, string | string[]> = {
    'aws:userid': uniqueIdFor('AIDA', arn),
    'aws:PrincipalArn': arn,
    'aws:PrincipalAccount': account,
    'aws:PrincipalType': 'User',
    'aws:username': options.userName,
  };
  if (options.sessionIssuedAt !== undefined) keys['aws:TokenIssueTime'] = options.sessionIssuedAt;
  return { ...base(options), keys: { ...keys, ...(options.extraKeys ?? {}) } };
}

/**
 * A request by an account's root user with long-term credentials: `aws:userid` is the account ID.
 *
 * @param options - Account and action.
 * @example
 * ```ts
 * rootContext({ accountId: '111122223333' });
 * ```
 */
export function rootContext(options: PrincipalContextBase = {}): RequestContext {
  const account = options.accountId ?? '111122223333';
  return {
    ...base(options),
    keys: {
      'aws:userid': account,
      'aws:PrincipalArn': `arn:aws:iam::${account}:root`,
      'aws:PrincipalAccount': account,
      'aws:PrincipalType': 'Account',
      ...(options.extraKeys ?? {}),
    },
  };
}

/**
 * A request made by an AWS service principal: no `aws:userid`, `aws:PrincipalArn` or token keys.
 *
 * @param options - The service principal name and action.
 * @example
 * ```ts
 * serviceContext({ service: 'cloudtrail.amazonaws.com' });
 * ```
 */
export function serviceContext(options: PrincipalContextBase & { service?: string } = {}): RequestContext {
  return {
    ...base(options),
    keys: {
      'aws:PrincipalIsAWSService': 'true',
      'aws:PrincipalServiceName': options.service ?? 'cloudtrail.amazonaws.com',
      ...(options.extraKeys ?? {}),
    },
  };
}
