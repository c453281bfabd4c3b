import {
  NodeDecryptionMaterial,
  type NodeDecryptionRequest,
  NodeEncryptionMaterial,
  type NodeEncryptionRequest,
  type NodeMaterialsManager,
} from '@aws-crypto/material-management-node';
import {
  BINDING_KEY,
  contextMismatches,
  type EncryptionContext,
  PUBLIC_KEY_CONTEXT_KEY,
} from './encryption-context.js';
import { EnvelopeError, EnvelopeErrorCode } from './errors.js';

/** How the binding of a message to its contact and field is enforced. @internal */
export type BindingMode = 'kms' | 'header';

const pick = (context: EncryptionContext, keys: ReadonlySet<string>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(context)) if (keys.has(k)) out[k] = v;
  return out;
};

const copyKey = <K>(key: K): K => (key instanceof Uint8Array ? (new Uint8Array(key) as K) : key);

/**
 * A materials manager that lets a per-contact encryption context and a data-key cache coexist.
 *
 * The Encryption SDK's caching CMM keys its cache on the exact encryption context, so a context that
 * names the contact gets no cache hits. In `header` mode this manager asks the inner (caching)
 * manager for materials under the *static* part of the context only, then returns the same data key
 * under the *full* context. The full context is serialized into the message header, and the header
 * authentication tag (AES-GCM under a key derived from the data key and the random message ID)
 * covers it: changing the contact ID or field in a ciphertext makes decryption fail, exactly as if
 * KMS had seen it. The trade-off, documented in the README: KMS and CloudTrail see only the static
 * context, and one data key protects up to `maxMessagesEncrypted` values.
 *
 * In `kms` mode the full context goes to KMS (one GenerateDataKey per value, per-contact CloudTrail).
 *
 * On decrypt it checks the message's context against the expected one *before* any key is unwrapped,
 * so a replayed ciphertext costs no KMS call and never yields plaintext. @internal
 */
export class BindingMaterialsManager implements NodeMaterialsManager {
  readonly #inner: NodeMaterialsManager;
  readonly #mode: BindingMode;
  readonly #kmsKeys: ReadonlySet<string>;
  readonly #expected: EncryptionContext | undefined;

  /**
   * @param inner - The manager that talks to the keyring (caching or default).
   * @param mode - Binding mode for encryption.
   * @param staticKeys - Keys of the static context (the part KMS sees in `header` mode).
   * @param expected - For decryption: the exact context the message must carry.
   */
  constructor(
    inner: NodeMaterialsManager,
    mode: BindingMode,
    staticKeys: readonly string[],
    expected?: EncryptionContext,
  ) {
    this.#inner = inner;
    this.#mode = mode;
    this.#kmsKeys = new Set([...staticKeys, BINDING_KEY, PUBLIC_KEY_CONTEXT_KEY]);
    this.#expected = expected;
  }

  async getEncryptionMaterials(request: NodeEncryptionRequest): Promise<NodeEncryptionMaterial> {
    const full = request.encryptionContext;
    if (this.#mode === 'kms') return this.#inner.getEncryptionMaterials(request);
    const shared = await this.#inner.getEncryptionMaterials({
      ...request,
      encryptionContext: pick(full, this.#kmsKeys),
    });
    try {
      const publicKey = shared.encryptionContext[PUBLIC_KEY_CONTEXT_KEY];
      const out = new NodeEncryptionMaterial(
        shared.suite,
        publicKey === undefined ? { ...full } : { ...full, [PUBLIC_KEY_CONTEXT_KEY]: publicKey },
      );
      const [setTrace, ...traces] = shared.keyringTrace;
      if (!setTrace || traces.length !== shared.encryptedDataKeys.length) {
        throw new EnvelopeError(EnvelopeErrorCode.ENCRYPT_FAILED, 'Inconsistent encryption materials');
      }
      out.setUnencryptedDataKey(copyKey(shared.getUnencryptedDataKey()), setTrace);
      shared.encryptedDataKeys.forEach((edk, i) => {
        out.addEncryptedDataKey(edk, (traces[i] as (typeof traces)[number]).flags);
      });
      if (shared.signatureKey) out.setSignatureKey(shared.signatureKey);
      return out;
    } finally {
      // The copy handed back by the cache is ours: wipe it now that the key lives in `out`.
      if (shared.hasUnencryptedDataKey) shared.zeroUnencryptedDataKey();
    }
  }

  async decryptMaterials(request: NodeDecryptionRequest): Promise<NodeDecryptionMaterial> {
    const actual = request.encryptionContext;
    if (this.#expected) {
      const bad = contextMismatches(this.#expected, actual);
      if (bad.length > 0) {
        throw new EnvelopeError(
          EnvelopeErrorCode.CONTEXT_MISMATCH,
          `Encryption context does not match the expected binding (keys: ${bad.join(', ')})`,
        );
      }
    }
    if (actual[BINDING_KEY] !== 'header') return this.#inner.decryptMaterials(request);
    const shared = await this.#inner.decryptMaterials({
      ...request,
      encryptionContext: pick(actual, this.#kmsKeys),
    });
    try {
      const out = new NodeDecryptionMaterial(shared.suite, { ...actual });
      const [setTrace] = shared.keyringTrace;
      if (!setTrace)
        throw new EnvelopeError(EnvelopeErrorCode.DECRYPT_FAILED, 'Inconsistent decryption materials');
      out.setUnencryptedDataKey(copyKey(shared.getUnencryptedDataKey()), setTrace);
      if (shared.verificationKey) out.setVerificationKey(shared.verificationKey);
      return out;
    } finally {
      if (shared.hasUnencryptedDataKey) shared.zeroUnencryptedDataKey();
    }
  }
}
