import { ScpPolicyError, ScpPolicyErrorCode } from './errors.js';

/** RoleSessionName and SourceIdentity charset and length (STS): `[\w+=,.@-]`, 2–64 characters. */
export const SESSION_NAME_PATTERN: RegExp = /^[\w+=,.@-]{2,64}$/;
/** IAM Identity Center user IDs as the identity store API returns them. */
export const IDENTITY_STORE_USER_ID_PATTERN: RegExp =
  /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;
/** An IAM role ARN (any partition), with optional path. Wildcards are never accepted. */
export const ROLE_ARN_PATTERN: RegExp =
  /^arn:aws(-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

const invalid = (path: string, message: string): ScpPolicyError =>
  new ScpPolicyError(ScpPolicyErrorCode.INVALID_INPUT, `${path}: ${message}`, { path });

const WILDCARD = /[*?$]|\$\{/;

/** @internal Checks a role session name (also used for emails synced as session names). */
export function checkSessionName(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalid(path, 'expected a string');
  if (WILDCARD.test(value))
    throw invalid(path, 'wildcards and policy variables are not allowed in identities');
  if (!SESSION_NAME_PATTERN.test(value)) {
    throw invalid(path, 'a role session name is 2–64 characters of letters, digits and +=,.@_-');
  }
  return value;
}

/** @internal Checks a source identity. */
export function checkSourceIdentity(value: unknown, path: string): string {
  const v = checkSessionName(value, path);
  if (v.toLowerCase().startsWith('aws')) {
    // `aws:` is reserved; the charset already excludes `:`, but be explicit about the reserved prefix.
    if (v.toLowerCase().startsWith('aws:'))
      throw invalid(path, 'a source identity must not start with "aws:"');
  }
  return v;
}

/** Identity Center permission set names: 1–32 characters of `[\w+=,.@-]`. */
export const PERMISSION_SET_NAME_PATTERN: RegExp = /^[\w+=,.@-]{1,32}$/;

/** @internal Checks a permission set name. */
export function checkPermissionSetName(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalid(path, 'expected a string');
  if (WILDCARD.test(value)) throw invalid(path, 'wildcards are not allowed in permission set names');
  if (!PERMISSION_SET_NAME_PATTERN.test(value)) {
    throw invalid(path, 'a permission set name is 1–32 characters of letters, digits and +=,.@_-');
  }
  return value;
}

/** @internal Checks an Identity Center user ID. */
export function checkIdentityStoreUserId(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalid(path, 'expected a string');
  if (WILDCARD.test(value)) throw invalid(path, 'wildcards are not allowed in identities');
  if (!IDENTITY_STORE_USER_ID_PATTERN.test(value)) {
    throw invalid(
      path,
      'an identity store user ID looks like 1234567890-8f2e4a1b-…, a UUID with optional prefix',
    );
  }
  return value;
}

/** @internal Checks a role ARN. */
export function checkRoleArn(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalid(path, 'expected a string');
  if (WILDCARD.test(value)) throw invalid(path, 'wildcards are not allowed in role ARNs');
  if (!ROLE_ARN_PATTERN.test(value)) {
    throw invalid(path, 'expected an IAM role ARN such as arn:aws:iam::123456789012:role/Admin');
  }
  if (value.includes(':role/aws-service-role/')) {
    throw invalid(path, 'service-linked roles are not affected by SCPs and cannot be revoked this way');
  }
  return value;
}

const ISO_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** `Date` → `YYYY-MM-DDTHH:MM:SSZ`, rounded UP to the whole second. */
export function formatTime(ms: number): string {
  const rounded = Math.ceil(ms / 1000) * 1000;
  return new Date(rounded).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Options of {@link parseTime}. */
export interface ParseTimeOptions {
  /** The current time in milliseconds (for `now` and the future check). */
  nowMs: number;
  /** Accept times after `nowMs`. @defaultValue `false` */
  allowFuture?: boolean;
}

/**
 * Parses a time given as a `Date`, W3C ISO-8601 text (`2026-09-14T12:00:00Z`, offsets allowed), epoch
 * seconds, or `now`, into the one canonical form policies carry: `YYYY-MM-DDTHH:MM:SSZ` in UTC. Fractions
 * of a second are rounded up, so a `DateLessThan` never misses a session issued within the fraction.
 *
 * @param value - The time.
 * @param path - How errors name the input.
 * @param options - The current time and whether future times are allowed.
 * @throws {@link ScpPolicyError} `INVALID_INPUT` for unparseable or (by default) future times.
 * @example
 * ```ts
 * parseTime('1662595200', 'issuedBefore', { nowMs: Date.now() }); // '2022-09-08T00:00:00Z'
 * ```
 */
export function parseTime(value: unknown, path: string, options: ParseTimeOptions): string {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = Number.isFinite(value) ? value * 1000 : Number.NaN;
  else if (typeof value === 'string' && value === 'now') ms = options.nowMs;
  else if (typeof value === 'string' && /^\d{1,12}$/.test(value)) ms = Number(value) * 1000;
  else if (typeof value === 'string' && ISO_PATTERN.test(value)) ms = Date.parse(value);
  else ms = Number.NaN;
  if (Number.isNaN(ms)) {
    throw invalid(path, 'expected an ISO-8601 time such as 2026-09-14T12:00:00Z, epoch seconds or "now"');
  }
  if (!options.allowFuture && ms > options.nowMs + 999) {
    throw invalid(path, 'the time is in the future; a future time would also deny sessions issued after now');
  }
  return formatTime(ms);
}
