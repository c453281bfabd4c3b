import { invalidOption } from './errors.js';
import { formatTime } from './input-validation.js';
import type { RevocationKind } from './revocation-entry.js';

/**
 * What bounds the lifetime of the sessions a revocation targets; used to compute when an entry may be
 * removed. Defaults are the worst case AWS allows for role sessions.
 */
export interface SessionLifetime {
  /**
   * The largest `MaxSessionDuration` of the roles the users can assume, in seconds (1–12 h).
   * @defaultValue `43200` (12 h)
   */
  maxSessionDurationSeconds?: number;
  /**
   * Whether the users can chain roles (assume a role with role credentials). Chained sessions last up to
   * 1 h, and with circular trust they can be refreshed indefinitely ("role juggling").
   * @defaultValue `true`
   */
  roleChaining?: boolean;
  /**
   * Whether every role's trust policy requires a sourceIdentity (`sts:SetSourceIdentity` with
   * `Null {"sts:SourceIdentity": "false"}`), so every chained session carries it.
   * @defaultValue `false`
   */
  sourceIdentityEnforced?: boolean;
  /** IAM Identity Center session settings, when the users sign in through Identity Center. */
  identityCenter?: {
    /** Permission set session duration in seconds (1–12 h). @defaultValue `43200` */
    permissionSetSessionSeconds?: number;
    /** Access-portal session duration in seconds (15 min – 90 days). @defaultValue `28800` (8 h) */
    portalSessionSeconds?: number;
    /**
     * Whether the users' portal sessions were deleted in the Identity Center console; CLI credentials
     * then stop refreshing within an hour.
     * @defaultValue `false`
     */
    portalSessionsDeleted?: boolean;
  };
  /** Extra time for policy propagation and clock skew, in seconds. @defaultValue `900` */
  propagationMarginSeconds?: number;
}

/** @internal Validated lifetime settings. */
export interface ResolvedLifetime {
  maxSessionDurationSeconds: number;
  roleChaining: boolean;
  sourceIdentityEnforced: boolean;
  identityCenter:
    | { permissionSetSessionSeconds: number; portalSessionSeconds: number; portalSessionsDeleted: boolean }
    | undefined;
  propagationMarginSeconds: number;
}

const inRange = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** @internal */
export function resolveLifetime(
  input: SessionLifetime | undefined,
  option = 'sessionLifetime',
): ResolvedLifetime {
  const l = input ?? {};
  const max = l.maxSessionDurationSeconds ?? 43200;
  if (!inRange(max, 900, 43200))
    throw invalidOption(`${option}.maxSessionDurationSeconds`, 'an integer from 900 to 43200');
  const margin = l.propagationMarginSeconds ?? 900;
  if (!inRange(margin, 0, 86400))
    throw invalidOption(`${option}.propagationMarginSeconds`, 'an integer from 0 to 86400');
  for (const flag of ['roleChaining', 'sourceIdentityEnforced'] as const) {
    if (l[flag] !== undefined && typeof l[flag] !== 'boolean')
      throw invalidOption(`${option}.${flag}`, 'a boolean');
  }
  let identityCenter: ResolvedLifetime['identityCenter'];
  if (l.identityCenter !== undefined) {
    const ic = l.identityCenter;
    const ps = ic.permissionSetSessionSeconds ?? 43200;
    const portal = ic.portalSessionSeconds ?? 28800;
    if (!inRange(ps, 3600, 43200)) {
      throw invalidOption(
        `${option}.identityCenter.permissionSetSessionSeconds`,
        'an integer from 3600 to 43200',
      );
    }
    if (!inRange(portal, 900, 7776000)) {
      throw invalidOption(
        `${option}.identityCenter.portalSessionSeconds`,
        'an integer from 900 to 7776000 (90 days)',
      );
    }
    identityCenter = {
      permissionSetSessionSeconds: ps,
      portalSessionSeconds: portal,
      portalSessionsDeleted: ic.portalSessionsDeleted === true,
    };
  }
  return {
    maxSessionDurationSeconds: max,
    roleChaining: l.roleChaining ?? true,
    sourceIdentityEnforced: l.sourceIdentityEnforced ?? false,
    identityCenter,
    propagationMarginSeconds: margin,
  };
}

/**
 * The longest a session issued before the revocation can stay usable, in seconds: the longest role
 * session (or 1 h for a chained one), plus, with Identity Center, the portal session during which the CLI
 * keeps refreshing role credentials (1 h after the portal sessions were deleted), plus the margin.
 *
 * @internal
 */
export function maxLifetimeSeconds(l: ResolvedLifetime): number {
  const role = Math.max(
    l.maxSessionDurationSeconds,
    l.roleChaining ? 3600 : 0,
    l.identityCenter?.permissionSetSessionSeconds ?? 0,
  );
  const portal = l.identityCenter
    ? l.identityCenter.portalSessionsDeleted
      ? 3600
      : l.identityCenter.portalSessionSeconds
    : 0;
  return role + portal + l.propagationMarginSeconds;
}

/**
 * When an entry may be removed, rounded up to the hour, or `null` when that can never be proven:
 * session-name and Identity Center user-ID entries don't follow chained sessions, so with role chaining
 * possible and sourceIdentity not enforced, a juggled session could outlive any window.
 *
 * @internal
 */
export function removableAfter(kind: RevocationKind, fromIso: string, l: ResolvedLifetime): string | null {
  if (
    (kind === 'session-name' || kind === 'identity-store-user') &&
    l.roleChaining &&
    !l.sourceIdentityEnforced
  ) {
    return null;
  }
  const ms = Date.parse(fromIso) + maxLifetimeSeconds(l) * 1000;
  const hour = 3600_000;
  return formatTime(Math.ceil(ms / hour) * hour);
}
