import { createHash } from 'node:crypto';
import { check } from './errors.js';

/** Placeholders a {@link SecretsManagerTargetOptions.nameTemplate} may use. */
export const NAME_PLACEHOLDERS = ['namespace', 'mount', 'path', 'relativePath', 'key'] as const;

/** One of {@link NAME_PLACEHOLDERS}. */
export type NamePlaceholder = (typeof NAME_PLACEHOLDERS)[number];

/** What a name template is rendered with, for one Vault secret. */
export interface NameContext {
  /** Vault namespace without slashes at either end, `''` when none. */
  namespace: string;
  /** KV v2 mount, e.g. `secret`. */
  mount: string;
  /** Path of the secret inside the mount, e.g. `apps/billing/db`. */
  path: string;
  /** Path relative to the source's `basePath`, e.g. `billing/db` when `basePath` is `apps`. */
  relativePath: string;
  /** Last path segment, e.g. `db`. */
  key: string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;
/** Characters Secrets Manager accepts in a secret name. */
export const SECRET_NAME_CHARSET = /^[A-Za-z0-9/_+=.@-]+$/;
/** The `-XXXXXX` suffix trap: Secrets Manager appends `-` + 6 characters to form the ARN. */
const ARN_SUFFIX_TRAP = /-[A-Za-z0-9]{6}$/;
/** Longest secret name we write (CreateSecret allows 512, responses are typed ≤ 256). */
export const MAX_SECRET_NAME_LENGTH = 256;

/**
 * Checks a name template up front: only known placeholders, at least one of `path`, `relativePath` or
 * `key` (else every secret maps to one name), and literal characters Secrets Manager accepts.
 *
 * @param template - E.g. `vault/{{mount}}/{{path}}`.
 * @throws {@link VaultSyncError} `INVALID_OPTION` naming `nameTemplate`.
 * @internal
 */
export function validateNameTemplate(template: string): void {
  check(typeof template === 'string' && template.length > 0, 'nameTemplate', 'a non-empty string');
  const used = [...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
  for (const p of used) {
    check(
      (NAME_PLACEHOLDERS as readonly string[]).includes(p),
      'nameTemplate',
      `placeholders among ${NAME_PLACEHOLDERS.map((x) => `{{${x}}}`).join(', ')} (got {{${p}}})`,
    );
  }
  check(
    used.some((p) => p === 'path' || p === 'relativePath' || p === 'key'),
    'nameTemplate',
    'at least one of {{path}}, {{relativePath}} or {{key}} so that secrets get distinct names',
  );
  const literal = template.replace(PLACEHOLDER, '');
  check(
    literal === '' || SECRET_NAME_CHARSET.test(literal),
    'nameTemplate',
    'literal characters among A-Z a-z 0-9 / _ + = . @ -',
  );
}

/**
 * The literal text before the first placeholder: the `name` prefix filter for ListSecrets.
 * @internal
 */
export function templatePrefix(template: string): string {
  const i = template.indexOf('{{');
  return i < 0 ? template : template.slice(0, i);
}

/**
 * Renders a name template for one secret (placeholders replaced, nothing else changed).
 *
 * @param template - A template valid for the target's `nameTemplate` option.
 * @param context - The secret's namespace, mount and path.
 * @returns The Secrets Manager name, still to be checked with {@link secretNameProblem}.
 * @example
 * ```ts
 * renderSecretName('vault/{{mount}}/{{path}}', nameContext('', 'secret', '', 'apps/db'));
 * // 'vault/secret/apps/db'
 * ```
 */
export function renderSecretName(template: string, context: NameContext): string {
  return template.replace(PLACEHOLDER, (_m, p: string) => context[p as NamePlaceholder] ?? '');
}

/**
 * Builds the {@link NameContext} of a secret.
 *
 * @param namespace - Vault namespace (`''` for none).
 * @param mount - KV v2 mount.
 * @param basePath - The source's base path inside the mount (`''` for the whole mount).
 * @param path - The secret's full path inside the mount.
 * @example
 * ```ts
 * nameContext('team-a', 'secret', 'apps', 'apps/db').relativePath; // 'db'
 * ```
 */
export function nameContext(namespace: string, mount: string, basePath: string, path: string): NameContext {
  const base = basePath.replace(/^\/+|\/+$/g, '');
  const relativePath = base && path.startsWith(`${base}/`) ? path.slice(base.length + 1) : path;
  const segments = path.split('/');
  return {
    namespace: namespace.replace(/^\/+|\/+$/g, ''),
    mount: mount.replace(/^\/+|\/+$/g, ''),
    path,
    relativePath,
    key: segments[segments.length - 1] ?? path,
  };
}

/**
 * Tells why `name` cannot be used as a Secrets Manager secret name, or returns `undefined` when it can:
 * allowed characters, 1–256 characters, no `-XXXXXX` ending (which Secrets Manager's partial-ARN lookup
 * confuses with its own random suffix), no empty path segment.
 *
 * @param name - A rendered name.
 * @example
 * ```ts
 * secretNameProblem('app/db-prod01'); // 'ends with a hyphen and six characters …'
 * ```
 */
export function secretNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > MAX_SECRET_NAME_LENGTH) return `is longer than ${MAX_SECRET_NAME_LENGTH} characters`;
  if (!SECRET_NAME_CHARSET.test(name)) return 'has characters outside A-Z a-z 0-9 / _ + = . @ -';
  if (ARN_SUFFIX_TRAP.test(name)) {
    return 'ends with a hyphen and six characters, which Secrets Manager confuses with the random ARN suffix';
  }
  if (name.includes('//')) return 'has an empty path segment';
  return undefined;
}

/**
 * URL-encodes each segment of a Vault path (node-vault sends paths as given), keeping `/` between them.
 *
 * @param path - E.g. `apps/db password`.
 * @example
 * ```ts
 * encodeVaultPath('apps/a b?c'); // 'apps/a%20b%3Fc'
 * ```
 */
export function encodeVaultPath(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The identity of one Vault secret version as it is written to Secrets Manager. */
export interface VersionIdentity {
  /** Instance that writes it. */
  instanceId: string;
  /** Target secret name. */
  name: string;
  /** Vault namespace, mount and path. */
  namespace: string;
  mount: string;
  path: string;
  /** Vault `current_version` and that version's `created_time`. */
  version: number;
  createdTime: string;
  /** Anything else that changes the written bytes (value format). */
  transform: string;
}

const TOKEN_PREFIX = 'vs1-';

/**
 * The deterministic `ClientRequestToken` (which becomes the Secrets Manager `VersionId`) for one Vault
 * version: `vs1-<version, 10 digits>-<owner marker, 12 hex>-<identity, 32 hex>` (60 characters).
 * The owner marker binds it to the instance and secret name, so an `AWSCURRENT` written by anyone else is
 * recognised as drift without reading the value; the identity covers `(current_version, created_time)`, so a
 * Vault metadata delete + recreate (version counter back at 1) yields a new token.
 *
 * @param identity - Instance, name, source coordinates and version.
 * @param revertOf - For a drift revert: the out-of-band `VersionId` being replaced, which makes a new token
 *   that still matches this identity's first 24 hex characters.
 * @example
 * ```ts
 * versionToken({ instanceId: 'prod', name: 'app/db', namespace: '', mount: 'secret', path: 'app/db',
 *   version: 3, createdTime: '2018-03-22T02:36:43.986212308Z', transform: 'json' });
 * ```
 */
export function versionToken(identity: VersionIdentity, revertOf?: string): string {
  const marker = ownerMarker(identity.instanceId, identity.name);
  const id = sha256(
    [
      identity.instanceId,
      identity.namespace,
      identity.mount,
      identity.path,
      String(identity.version),
      identity.createdTime,
      identity.transform,
    ].join('\u0000'),
  );
  const tail =
    revertOf === undefined
      ? id.slice(0, 32)
      : `${id.slice(0, 24)}r${sha256(`${id}\u0000${revertOf}`).slice(0, 7)}`;
  return `${TOKEN_PREFIX}${String(identity.version).padStart(10, '0')}-${marker}-${tail}`;
}

/** @internal */
export function ownerMarker(instanceId: string, name: string): string {
  return sha256(`${instanceId}\u0000${name}`).slice(0, 12);
}

/** How a `VersionId` relates to the version an instance expects; see {@link compareVersionId}. */
export type VersionMatch = 'expected' | 'ours-other' | 'foreign';

/**
 * Classifies a `VersionId` found in `AWSCURRENT`: `expected` (this instance wrote exactly this source
 * version, possibly as a drift revert), `ours-other` (this instance wrote another source version), or
 * `foreign` (written by someone else: drift).
 *
 * @param versionId - The `VersionId` holding `AWSCURRENT`.
 * @param expected - {@link versionToken} of the current source version.
 * @param instanceId - This instance.
 * @param name - The target secret name.
 * @example
 * ```ts
 * compareVersionId(current, versionToken(id), 'prod', 'app/db'); // 'expected'
 * ```
 */
export function compareVersionId(
  versionId: string,
  expected: string,
  instanceId: string,
  name: string,
): VersionMatch {
  const parts = versionId.split('-');
  if (parts.length !== 4 || `${parts[0]}-` !== TOKEN_PREFIX || parts[2] !== ownerMarker(instanceId, name)) {
    return 'foreign';
  }
  return versionId.slice(0, 4 + 10 + 1 + 12 + 1 + 24) === expected.slice(0, 4 + 10 + 1 + 12 + 1 + 24)
    ? 'expected'
    : 'ours-other';
}
