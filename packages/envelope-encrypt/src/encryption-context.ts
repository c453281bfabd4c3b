import { EnvelopeError, EnvelopeErrorCode } from './errors.js';

/** The encryption context key that carries the Connect contact ID a value is bound to. */
export const CONTACT_ID_KEY = 'contactId';
/** The encryption context key that carries the field (slot) name a value is bound to. */
export const FIELD_KEY = 'field';
/**
 * The encryption context key that marks cached-mode messages (`binding: 'header'`): the contact and
 * field are authenticated by the message header while KMS sees only the static context. Absent in the
 * default mode, where the whole context goes to KMS (this keeps a 16-digit card under 640 characters).
 */
export const BINDING_KEY = 'binding';
/** The one key the Encryption SDK adds itself (signing suites); the only extra key a message may carry. */
export const PUBLIC_KEY_CONTEXT_KEY = 'aws-crypto-public-key';
/** Prefix reserved by the Encryption SDK specification for its own context keys. */
export const RESERVED_PREFIX = 'aws-crypto-';

const RESERVED_KEYS: ReadonlySet<string> = new Set([CONTACT_ID_KEY, FIELD_KEY, BINDING_KEY]);

/** An encryption context: non-secret string pairs, authenticated with the message. */
export type EncryptionContext = Readonly<Record<string, string>>;

/**
 * Validates a caller-supplied context: string values, no `aws-crypto-` keys (the whole prefix is
 * reserved by the spec even though the JS SDK only rejects `aws-crypto-public-key`), none of this
 * package's own keys. @internal
 */
export function validateCallerContext(
  context: unknown,
  where: string,
  code: EnvelopeErrorCode = EnvelopeErrorCode.INVALID_CONTEXT,
): Record<string, string> {
  if (context === undefined) return {};
  if (typeof context !== 'object' || context === null || Array.isArray(context)) {
    throw new EnvelopeError(code, `Invalid ${where}: expected an object of string pairs`);
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(context)) {
    if (key.length === 0) throw new EnvelopeError(code, `Invalid ${where}: empty key`);
    if (key.toLowerCase().startsWith(RESERVED_PREFIX)) {
      throw new EnvelopeError(code, `Invalid ${where}: key "${key}" uses the reserved prefix aws-crypto-`);
    }
    if (RESERVED_KEYS.has(key)) {
      throw new EnvelopeError(code, `Invalid ${where}: key "${key}" is reserved for the contact binding`);
    }
    if (typeof value !== 'string' || value.length === 0) {
      throw new EnvelopeError(code, `Invalid ${where}: value of "${key}" must be a non-empty string`);
    }
    out[key] = value;
  }
  return out;
}

/**
 * Checks the message's context against the expected one: every expected pair must be present with
 * the same value, and the only extra keys allowed are `aws-crypto-public-key` and the package's
 * `binding` marker. Returns the names of the offending keys (never values). @internal
 */
export function contextMismatches(expected: EncryptionContext, actual: EncryptionContext): string[] {
  const bad: string[] = [];
  for (const [key, value] of Object.entries(expected)) {
    if (actual[key] !== value) bad.push(key);
  }
  for (const [key, value] of Object.entries(actual)) {
    if (key in expected) continue;
    if (key === PUBLIC_KEY_CONTEXT_KEY) continue;
    if (key === BINDING_KEY && value === 'header') continue;
    bad.push(key);
  }
  return bad;
}
