import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { CookieAuthError, CookieAuthErrorCode, requireOption } from './errors.js';

/** One cookie-encryption key. The first key of the list seals; every key opens (rotation). */
export interface CookieKey {
  /** Short identifier written into each blob (1–16 chars of `[A-Za-z0-9_-]`), e.g. `2026-11`. */
  id: string;
  /** 32 bytes of key material: a `Buffer`/`Uint8Array`, or a base64/base64url string. */
  secret: string | Uint8Array;
}

/** Seals and opens cookie values with AES-256-GCM; see {@link createCookieCipher}. */
export interface CookieCipher {
  /** Encrypts `plaintext`, binding it to the cookie `name` (a blob moved to another cookie fails). */
  seal(name: string, plaintext: string): string;
  /**
   * Decrypts a blob from {@link CookieCipher.seal}.
   * @throws {@link CookieAuthError} `DECRYPT_FAILED` on any tampering or an unknown key id.
   */
  open(name: string, blob: string): string;
  /** The key id used to seal. */
  readonly currentKeyId: string;
  /** Size in bytes of a sealed blob for a plaintext of `bytes` bytes (for header budgets). */
  sealedSize(bytes: number): number;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;
const VERSION = 'e1';

// Node's base64 decoder accepts both the standard and the URL-safe alphabet.
const toKeyBytes = (secret: string | Uint8Array): Buffer =>
  typeof secret === 'string' ? Buffer.from(secret, 'base64') : Buffer.from(secret);

/**
 * Creates an AES-256-GCM cookie cipher with key rotation. Blob format (cookie-safe, no `;`/`,`/spaces):
 * `e1.<keyId>.<iv base64url>.<ciphertext‖tag base64url>`. A per-cookie-name subkey is derived with
 * HKDF-SHA256 and the cookie name is also the GCM additional data, so a blob only opens under the name it
 * was sealed for. The key id travels in the blob, so old cookies keep opening after you prepend a new key.
 *
 * @param keys - Keys, newest first. Each secret must be 32 bytes.
 * @throws {@link CookieAuthError} `INVALID_OPTION` naming `keys[i].id` / `keys[i].secret`.
 * @example
 * ```ts
 * const cipher = createCookieCipher([{ id: 'k2', secret: process.env.COOKIE_KEY_2! }, { id: 'k1', secret: process.env.COOKIE_KEY_1! }]);
 * const blob = cipher.seal('__Host-access-token', jwt);
 * ```
 */
export function createCookieCipher(keys: readonly CookieKey[]): CookieCipher {
  requireOption(Array.isArray(keys) && keys.length > 0, 'keys', 'a non-empty array of { id, secret }');
  const derived = new Map<string, Buffer>();
  const ids = new Set<string>();
  keys.forEach((k, i) => {
    requireOption(
      k && typeof k.id === 'string' && KEY_ID.test(k.id),
      `keys[${i}].id`,
      '1-16 chars of [A-Za-z0-9_-]',
    );
    requireOption(!ids.has(k.id), `keys[${i}].id`, 'a unique key id');
    ids.add(k.id);
    const bytes = k.secret === undefined || k.secret === null ? Buffer.alloc(0) : toKeyBytes(k.secret);
    requireOption(bytes.length === 32, `keys[${i}].secret`, '32 bytes of key material (base64 or bytes)');
    derived.set(k.id, bytes);
  });
  const current = (keys[0] as CookieKey).id;
  const subkeys = new Map<string, Buffer>();
  const subkey = (id: string, name: string): Buffer | undefined => {
    const master = derived.get(id);
    if (!master) return undefined;
    const cacheKey = `${id}\u0000${name}`;
    let k = subkeys.get(cacheKey);
    if (!k) {
      k = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `secblocks cookie-auth ${name}`, 32));
      if (subkeys.size > 64) subkeys.clear();
      subkeys.set(cacheKey, k);
    }
    return k;
  };
  const fail = (): never => {
    throw new CookieAuthError(CookieAuthErrorCode.DECRYPT_FAILED, 'Encrypted cookie failed to decrypt');
  };
  return {
    currentKeyId: current,
    sealedSize: (bytes) =>
      VERSION.length + 1 + current.length + 1 + 16 + 1 + Math.ceil(((bytes + 16) * 4) / 3),
    seal(name, plaintext) {
      const key = subkey(current, name) as Buffer;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(`${VERSION}.${current}.${name}`));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${current}.${iv.toString('base64url')}.${ct.toString('base64url')}`;
    },
    open(name, blob) {
      if (typeof blob !== 'string') return fail();
      const parts = blob.split('.');
      if (parts.length !== 4 || parts[0] !== VERSION) return fail();
      const [, id, ivText, ctText] = parts as [string, string, string, string];
      const key = subkey(id, name);
      if (!key) return fail();
      const iv = Buffer.from(ivText, 'base64url');
      const ct = Buffer.from(ctText, 'base64url');
      if (iv.length !== 12 || ct.length < 16) return fail();
      // Canonical encoding only: base64url decoding ignores stray trailing bits, and a blob that was
      // changed must fail even when its bytes happen to decode the same.
      if (iv.toString('base64url') !== ivText || ct.toString('base64url') !== ctText) return fail();
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(Buffer.from(`${VERSION}.${id}.${name}`));
        decipher.setAuthTag(ct.subarray(ct.length - 16));
        return Buffer.concat([decipher.update(ct.subarray(0, ct.length - 16)), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        // The GCM tag check failed; the cause is not kept because it adds nothing and could grow.
        return fail();
      }
    },
  };
}
