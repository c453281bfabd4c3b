/**
 * Base64url without padding: the alphabet Amazon Connect accepts in contact attributes and Lambda
 * STRING_MAP responses (alphanumerics, `-` and `_`). Node's `base64url` codec already omits padding;
 * decoding is strict (canonical form only) so a tampered or truncated value is caught before parsing.
 */
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** @internal */
export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** Decodes canonical unpadded base64url, or returns `undefined`. @internal */
export function fromBase64Url(text: string): Buffer | undefined {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

/**
 * Decodes base64url (unpadded) or standard base64 (padded or not), canonical form only: Connect's own
 * "Encrypt entry" values are standard base64. @internal
 */
export function fromAnyBase64(text: string): Buffer | undefined {
  const trimmed = text.trim();
  const url = fromBase64Url(trimmed);
  if (url) return url;
  if (!BASE64.test(trimmed)) return undefined;
  const bytes = Buffer.from(trimmed, 'base64');
  const canonical = bytes.toString('base64');
  return canonical === trimmed || canonical.replace(/=+$/, '') === trimmed ? bytes : undefined;
}
