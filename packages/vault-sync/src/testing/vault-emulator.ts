import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type LoopbackServer, startLoopbackServer } from '@secblocks/core/testing';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../aws-iam-login.js';

/** A Vault ACL rule: a path (`*` at the end is a prefix match, `+` one segment) and its capabilities. */
export interface VaultPolicyRule {
  path: string;
  capabilities: readonly ('read' | 'list' | 'create' | 'update' | 'delete' | 'sudo' | 'deny')[];
}

/** Options of {@link startVaultEmulator}. */
export interface VaultEmulatorOptions {
  /** KV v2 mounts. @defaultValue `['secret']` */
  mounts?: readonly string[];
  /** Clock in ms (token expiry, soft-delete times). @defaultValue `Date.now` */
  now?: () => number;
  /** Delay added to every response, in ms. @defaultValue `0` */
  latencyMs?: number;
  /**
   * Random faults: each KV request fails with probability `rate`, answering 412, 429 or 503 with Vault's
   * body for it. @defaultValue none
   */
  faults?: { rate: number; random?: () => number };
}

/** What a login method grants. */
export interface VaultGrant {
  policies: readonly VaultPolicyRule[];
  /** Token TTL in seconds; `0` never expires. @defaultValue `3600` */
  ttlSeconds?: number;
  /** @defaultValue `true` */
  renewable?: boolean;
}

/** One request the emulator received. */
export interface VaultCall {
  method: string;
  /** Path after `/v1/`, decoded, without the query. */
  path: string;
  /** `list`, `metadata`, `data`, `write`, `delete`, `destroy`, `login`, `lookup`, `renew`, `other`. */
  kind: string;
  namespace: string;
  status: number;
}

/** A running Vault KV v2 emulator; see {@link startVaultEmulator}. */
export interface VaultEmulator {
  /** Base URL, e.g. `http://127.0.0.1:41234` (pass as the source's `endpoint`). */
  readonly url: string;
  /** A root token (all capabilities, never expires). */
  readonly rootToken: string;
  /** Every request, in order. */
  readonly calls: VaultCall[];
  /** Number of requests of one kind (or all). */
  count(kind?: string): number;
  /** Writes a new version; returns its number. */
  write(
    mount: string,
    path: string,
    data: Record<string, unknown>,
    options?: { namespace?: string; customMetadata?: Record<string, string> },
  ): number;
  /** Soft-deletes versions (default: the current one). */
  softDelete(mount: string, path: string, versions?: number[], namespace?: string): void;
  /** Destroys versions (default: the current one). */
  destroy(mount: string, path: string, versions?: number[], namespace?: string): void;
  /** Deletes metadata and every version: the version counter starts again at 1. */
  deleteMetadata(mount: string, path: string, namespace?: string): void;
  /** Issues a token with these policies. */
  createToken(grant: VaultGrant): string;
  /** Registers an AppRole. */
  addAppRole(roleId: string, secretId: string, grant: VaultGrant, mountPath?: string): void;
  /**
   * Registers an AWS IAM role: logins must carry a SigV4 signature by one of `credentials` (verified by
   * re-signing), for `sts:GetCallerIdentity`, with the server-ID header signed when `serverId` is set.
   */
  addAwsIamRole(
    role: string,
    options: VaultGrant & {
      credentials: readonly { accessKeyId: string; secretAccessKey: string }[];
      serverId?: string;
    },
    mountPath?: string,
  ): void;
  /** Revokes every token but the root token (their next request gets 403), as a token expiring early would. */
  revokeTokens(): void;
  /** Seals (503 on everything) or unseals. */
  setSealed(sealed: boolean): void;
  /** Makes the next `times` requests of `kind` (or `'*'`) answer `status` with Vault's body for it. */
  failNext(kind: string, status: 403 | 412 | 429 | 500 | 502 | 503, times?: number): void;
  close(): Promise<void>;
}

interface Version {
  data: Record<string, unknown>;
  created: number;
  deleted?: number;
  destroyed: boolean;
}

interface KvSecret {
  versions: Map<number, Version>;
  current: number;
  created: number;
  updated: number;
  customMetadata: Record<string, string> | null;
  maxVersions: number;
}

interface TokenInfo {
  policies: readonly VaultPolicyRule[] | 'root';
  expiresAt: number;
  ttl: number;
  renewable: boolean;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('Z', '000000Z');

/** The bodies Vault answers errors with. */
const ERROR_BODY: Record<number, unknown> = {
  403: { errors: ['permission denied'] },
  412: { errors: ['required index state not present'] },
  429: { errors: ['request path "…": rate limit quota exceeded'] },
  500: { errors: ['internal error'] },
  502: { errors: ['bad gateway'] },
  503: { errors: ['Vault is sealed'] },
};

function ruleMatches(rule: string, path: string): boolean {
  if (rule.endsWith('*')) return matchSegments(rule.slice(0, -1), path, true);
  return matchSegments(rule, path, false);
}

function matchSegments(rule: string, path: string, prefix: boolean): boolean {
  if (!rule.includes('+')) return prefix ? path.startsWith(rule) : path === rule;
  const r = rule.split('/');
  const p = path.split('/');
  for (let i = 0; i < r.length; i++) {
    const seg = r[i] as string;
    const last = i === r.length - 1;
    if (i >= p.length) return false;
    if (seg === '+') continue;
    if (last && prefix) return (p[i] as string).startsWith(seg);
    if (seg !== p[i]) return false;
  }
  return prefix || r.length === p.length;
}

/**
 * Starts a loopback emulator of the Vault HTTP API for KV v2, driven by the real `node-vault` client:
 * LIST (`GET …?list=true`), metadata, `data?version=N`, writes, soft delete, destroy, metadata delete
 * (version counter reset), namespaces (`X-Vault-Namespace`), ACL policies with read/list capabilities,
 * token lookup/renewal, AppRole and AWS IAM logins (SigV4 verified), 403 on expired tokens, and Vault's
 * real 403/404/412/429/5xx bodies, with fault injection and call counts.
 *
 * LIST is served as `GET …?list=true` (what node-vault sends with `noCustomHTTPVerbs: true`, as
 * `createVaultSource` does): Node's HTTP parser rejects the custom `LIST` verb before any handler runs.
 *
 * @param options - Mounts, clock and latency.
 * @example
 * ```ts
 * const vault = await startVaultEmulator();
 * vault.write('secret', 'apps/db', { password: 'x' });
 * const source = createVaultSource({ endpoint: vault.url, mount: 'secret', auth: { method: 'token', token: vault.rootToken } });
 * ```
 */
export async function startVaultEmulator(options: VaultEmulatorOptions = {}): Promise<VaultEmulator> {
  const now = options.now ?? Date.now;
  const mounts = new Set(options.mounts ?? ['secret']);
  const store = new Map<string, KvSecret>();
  const tokens = new Map<string, TokenInfo>();
  const approles = new Map<string, { secretId: string; grant: VaultGrant }>();
  const iamRoles = new Map<
    string,
    VaultGrant & {
      credentials: readonly { accessKeyId: string; secretAccessKey: string }[];
      serverId?: string;
    }
  >();
  const calls: VaultCall[] = [];
  const faults: { kind: string; status: number; times: number }[] = [];
  let sealed = false;
  const rootToken = `hvs.root${randomBytes(12).toString('hex')}`;
  tokens.set(rootToken, { policies: 'root', expiresAt: Number.POSITIVE_INFINITY, ttl: 0, renewable: false });

  const key = (ns: string, mount: string, path: string): string => `${ns}\u0000${mount}\u0000${path}`;
  const nsOf = (ns?: string): string => (ns ?? '').replace(/^\/+|\/+$/g, '');

  const issue = (grant: VaultGrant): { token: string; ttl: number; renewable: boolean } => {
    const token = `hvs.${randomBytes(16).toString('hex')}`;
    const ttl = grant.ttlSeconds ?? 3600;
    const renewable = grant.renewable ?? true;
    tokens.set(token, {
      policies: grant.policies,
      ttl,
      renewable,
      expiresAt: ttl > 0 ? now() + ttl * 1000 : Number.POSITIVE_INFINITY,
    });
    return { token, ttl, renewable };
  };

  const write: VaultEmulator['write'] = (mount, path, data, opts = {}) => {
    const k = key(nsOf(opts.namespace), mount, path);
    const t = now();
    let s = store.get(k);
    if (!s) {
      s = { versions: new Map(), current: 0, created: t, updated: t, customMetadata: null, maxVersions: 10 };
      store.set(k, s);
    }
    s.current += 1;
    s.updated = t;
    s.versions.set(s.current, { data: structuredClone(data), created: t, destroyed: false });
    if (opts.customMetadata) s.customMetadata = { ...opts.customMetadata };
    // max_versions: the oldest versions age out.
    for (const v of [...s.versions.keys()].sort((a, b) => a - b)) {
      if (s.versions.size <= s.maxVersions) break;
      s.versions.delete(v);
    }
    return s.current;
  };

  const secretAt = (ns: string, mount: string, path: string): KvSecret | undefined =>
    store.get(key(ns, mount, path));

  const softDelete = (mount: string, path: string, versions?: number[], namespace?: string): void => {
    const s = secretAt(nsOf(namespace), mount, path);
    if (!s) return;
    for (const v of versions ?? [s.current]) {
      const ver = s.versions.get(v);
      if (ver && ver.deleted === undefined) ver.deleted = now();
    }
    s.updated = now();
  };
  const destroy = (mount: string, path: string, versions?: number[], namespace?: string): void => {
    const s = secretAt(nsOf(namespace), mount, path);
    if (!s) return;
    for (const v of versions ?? [s.current]) {
      const ver = s.versions.get(v);
      if (ver) {
        ver.destroyed = true;
        ver.data = {};
      }
    }
    s.updated = now();
  };
  const deleteMetadata = (mount: string, path: string, namespace?: string): void => {
    store.delete(key(nsOf(namespace), mount, path));
  };

  const metadataBody = (s: KvSecret) => ({
    cas_required: false,
    created_time: iso(s.created),
    current_version: s.current,
    custom_metadata: s.customMetadata,
    delete_version_after: '0s',
    max_versions: 0,
    oldest_version: Math.min(...s.versions.keys()),
    updated_time: iso(s.updated),
    versions: Object.fromEntries(
      [...s.versions].map(([n, v]) => [
        String(n),
        {
          created_time: iso(v.created),
          deletion_time: v.deleted === undefined ? '' : iso(v.deleted),
          destroyed: v.destroyed,
        },
      ]),
    ),
  });

  const envelope = (data: unknown, auth: unknown = null) => ({
    request_id: randomUUID(),
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data,
    wrap_info: null,
    warnings: null,
    auth,
  });

  const allowed = (info: TokenInfo, path: string, capability: string): boolean => {
    if (info.policies === 'root') return true;
    let best: VaultPolicyRule | undefined;
    for (const rule of info.policies) {
      // The most specific (longest) matching rule wins, as in Vault.
      if (ruleMatches(rule.path, path) && (!best || rule.path.length > best.path.length)) best = rule;
    }
    if (!best || best.capabilities.includes('deny')) return false;
    return (best.capabilities as readonly string[]).includes(capability);
  };

  const verifyIamLogin = async (
    body: Record<string, unknown>,
    mountPath: string,
  ): Promise<VaultGrant | undefined> => {
    const role = iamRoles.get(`${mountPath}\u0000${String(body.role)}`);
    if (!role || body.iam_http_request_method !== 'POST') return undefined;
    const decode = (v: unknown): string => Buffer.from(String(v ?? ''), 'base64').toString('utf8');
    const url = new URL(decode(body.iam_request_url));
    const reqBody = decode(body.iam_request_body);
    if (reqBody !== 'Action=GetCallerIdentity&Version=2011-06-15') return undefined;
    let headers: Record<string, string | string[]>;
    try {
      headers = JSON.parse(decode(body.iam_request_headers)) as Record<string, string | string[]>;
    } catch {
      return undefined;
    }
    const h: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers))
      h[k.toLowerCase()] = Array.isArray(v) ? String(v[0]) : String(v);
    const auth = h.authorization ?? '';
    const m =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/sts\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    if (!m) return undefined;
    const [, akid, , region, signedHeaders] = m as unknown as [string, string, string, string, string];
    if (
      role.serverId !== undefined &&
      (h['x-vault-aws-iam-server-id'] !== role.serverId ||
        !signedHeaders.split(';').includes('x-vault-aws-iam-server-id'))
    ) {
      return undefined;
    }
    const cred = role.credentials.find((c) => c.accessKeyId === akid);
    const date = h['x-amz-date'] ?? '';
    const dm = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
    if (!cred || !dm) return undefined;
    const signingDate = new Date(Date.UTC(+dm[1]!, +dm[2]! - 1, +dm[3]!, +dm[4]!, +dm[5]!, +dm[6]!));
    const signedSet = new Set(signedHeaders.split(';'));
    const toSign: Record<string, string> = {};
    for (const [k, v] of Object.entries(h)) if (signedSet.has(k) && k !== 'x-amz-date') toSign[k] = v;
    const signer = new SignatureV4({
      service: 'sts',
      region,
      credentials: {
        ...cred,
        ...(h['x-amz-security-token'] ? { sessionToken: h['x-amz-security-token'] } : {}),
      },
      sha256: NodeSha256,
      applyChecksum: false,
    });
    const resigned = await signer.sign(
      {
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        path: url.pathname || '/',
        query: {},
        headers: toSign,
        body: reqBody,
      },
      { signingDate },
    );
    return resigned.headers.authorization === auth ? role : undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> => {
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    const url = new URL(req.url ?? '/', 'http://vault');
    const method = (req.method ?? 'GET').toUpperCase();
    const ns = nsOf(String(req.headers['x-vault-namespace'] ?? ''));
    const fullPath = url.pathname
      .replace(/^\/v1\//, '')
      .split('/')
      .map(decodeURIComponent)
      .join('/');
    const isList =
      method === 'LIST' || (method === 'GET' && ['true', '1'].includes(url.searchParams.get('list') ?? ''));
    let kind = 'other';
    const parts = fullPath.split('/');
    const mount = parts[0] ?? '';
    const section = parts[1] ?? '';
    const rest = parts.slice(2).join('/');
    if (mounts.has(mount)) {
      if (section === 'metadata') kind = isList ? 'list' : method === 'DELETE' ? 'delete' : 'metadata';
      else if (section === 'data')
        kind = method === 'GET' ? 'data' : method === 'DELETE' ? 'delete' : 'write';
      else if (section === 'delete' || section === 'undelete') kind = 'delete';
      else if (section === 'destroy') kind = 'destroy';
    } else if (/^auth\/.+\/login$/.test(fullPath)) kind = 'login';
    else if (fullPath === 'auth/token/lookup-self') kind = 'lookup';
    else if (fullPath === 'auth/token/renew-self') kind = 'renew';

    const send = (status: number, body?: unknown): void => {
      calls.push({ method: isList ? 'LIST' : method, path: fullPath, kind, namespace: ns, status });
      if (status === 204) {
        res.writeHead(204);
        res.end();
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? {}));
    };

    if (sealed) return send(503, ERROR_BODY[503]);
    const faultIndex = faults.findIndex((f) => f.kind === kind || f.kind === '*');
    if (faultIndex >= 0) {
      const f = faults[faultIndex] as (typeof faults)[number];
      if (--f.times <= 0) faults.splice(faultIndex, 1);
      return send(f.status, ERROR_BODY[f.status] ?? { errors: [] });
    }
    const random = options.faults?.random ?? Math.random;
    if (options.faults && kind !== 'login' && random() < options.faults.rate) {
      const status = ([412, 429, 503] as const)[Math.floor(random() * 3)] ?? 503;
      return send(status, ERROR_BODY[status]);
    }
    let body: Record<string, unknown> = {};
    if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        return send(400, { errors: ['failed to parse JSON input'] });
      }
    }

    if (kind === 'login') {
      const mountPath = fullPath.slice('auth/'.length, -'/login'.length);
      let grant: VaultGrant | undefined;
      const approle = approles.get(`${mountPath}\u0000${String(body.role_id)}`);
      if (approle) grant = approle.secretId === body.secret_id ? approle.grant : undefined;
      else if (typeof body.iam_request_headers === 'string') grant = await verifyIamLogin(body, mountPath);
      if (!grant) return send(400, { errors: ['invalid credentials'] });
      const t = issue(grant);
      return send(
        200,
        envelope(null, {
          client_token: t.token,
          accessor: randomUUID(),
          policies: ['default'],
          lease_duration: t.ttl,
          renewable: t.renewable,
        }),
      );
    }

    const token = String(req.headers['x-vault-token'] ?? '');
    const info = tokens.get(token);
    if (!info || info.expiresAt <= now()) return send(403, ERROR_BODY[403]);

    if (kind === 'lookup') {
      const ttl = Number.isFinite(info.expiresAt)
        ? Math.max(0, Math.floor((info.expiresAt - now()) / 1000))
        : 0;
      return send(200, envelope({ ttl, renewable: info.renewable, policies: ['default'] }));
    }
    if (kind === 'renew') {
      if (!info.renewable) return send(400, { errors: ['lease is not renewable'] });
      info.expiresAt = now() + info.ttl * 1000;
      return send(200, envelope(null, { client_token: token, lease_duration: info.ttl, renewable: true }));
    }
    if (kind === 'other') return send(404, { errors: [] });

    const capability =
      kind === 'list'
        ? 'list'
        : kind === 'metadata' || kind === 'data'
          ? 'read'
          : kind === 'write'
            ? 'update'
            : kind === 'destroy'
              ? 'update'
              : 'delete';
    if (
      !allowed(
        info,
        `${mount}/${section}/${rest}${isList && rest && !rest.endsWith('/') ? '/' : ''}`,
        capability,
      )
    ) {
      return send(403, ERROR_BODY[403]);
    }

    if (kind === 'list') {
      const prefix = rest === '' ? '' : rest.endsWith('/') ? rest : `${rest}/`;
      const keys = new Set<string>();
      const head = `${ns}\u0000${mount}\u0000`;
      for (const k of store.keys()) {
        if (!k.startsWith(head)) continue;
        const p = k.slice(head.length);
        if (!p.startsWith(prefix)) continue;
        const tail = p.slice(prefix.length);
        const slash = tail.indexOf('/');
        keys.add(slash < 0 ? tail : tail.slice(0, slash + 1));
      }
      if (keys.size === 0) return send(404, { errors: [] });
      return send(200, envelope({ keys: [...keys].sort() }));
    }
    const s = secretAt(ns, mount, rest);
    if (kind === 'metadata') {
      if (!s) return send(404, { errors: [] });
      return send(200, envelope(metadataBody(s)));
    }
    if (kind === 'data') {
      if (!s) return send(404, { errors: [] });
      const wanted = url.searchParams.get('version');
      const n = wanted && wanted !== '0' ? Number(wanted) : s.current;
      const v = s.versions.get(n);
      if (!v) return send(404, { errors: [] });
      const metadata = {
        created_time: iso(v.created),
        custom_metadata: s.customMetadata,
        deletion_time: v.deleted === undefined ? '' : iso(v.deleted),
        destroyed: v.destroyed,
        version: n,
      };
      // Deleted and destroyed versions: 404 with the version's metadata and no "errors" key.
      if (v.destroyed || v.deleted !== undefined) return send(404, { ...envelope({ data: null, metadata }) });
      return send(200, envelope({ data: structuredClone(v.data), metadata }));
    }
    if (kind === 'write') {
      const data = body.data;
      if (!data || typeof data !== 'object') return send(400, { errors: ['no data provided'] });
      const n = write(mount, rest, data as Record<string, unknown>, { namespace: ns });
      const created = secretAt(ns, mount, rest) as KvSecret;
      return send(
        200,
        envelope({ created_time: iso(created.updated), deletion_time: '', destroyed: false, version: n }),
      );
    }
    if (kind === 'delete') {
      if (section === 'metadata') deleteMetadata(mount, rest, ns);
      else if (section === 'data') softDelete(mount, rest, undefined, ns);
      else if (section === 'delete') softDelete(mount, rest, (body.versions as number[]) ?? [], ns);
      else if (s) for (const v of (body.versions as number[]) ?? []) delete s.versions.get(v)?.deleted;
      return send(204);
    }
    if (kind === 'destroy') {
      destroy(mount, rest, (body.versions as number[]) ?? [], ns);
      return send(204);
    }
    return send(404, { errors: [] });
  };

  const server: LoopbackServer = await startLoopbackServer(handle);
  return {
    url: server.url,
    rootToken,
    calls,
    count: (kind) => (kind ? calls.filter((c) => c.kind === kind).length : calls.length),
    write,
    softDelete,
    destroy,
    deleteMetadata,
    createToken: (grant) => issue(grant).token,
    addAppRole: (roleId, secretId, grant, mountPath = 'approle') => {
      approles.set(`${mountPath}\u0000${roleId}`, { secretId, grant });
    },
    addAwsIamRole: (role, opts, mountPath = 'aws') => {
      iamRoles.set(`${mountPath}\u0000${role}`, opts);
    },
    revokeTokens: () => {
      for (const t of [...tokens.keys()]) if (t !== rootToken) tokens.delete(t);
    },
    setSealed: (value) => {
      sealed = value;
    },
    failNext: (kind, status, times = 1) => {
      faults.push({ kind, status, times });
    },
    close: () => server.close(),
  };
}
