import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { KMS, type KMSClientConfig } from '@aws-sdk/client-kms';
import {
  type AwsJsonEmulator,
  AwsServiceError,
  type InjectedFault,
  type RecordedCall,
  startAwsJsonEmulator,
  testCredentials,
} from '@secblocks/core/testing';

/** A KMS operation the emulator implements. */
export type KmsOperation = 'GenerateDataKey' | 'Encrypt' | 'Decrypt';

/** Options of {@link KmsEmulator.createKey}. */
export interface EmulatedKeyOptions {
  /** An alias to create for the key, e.g. `alias/ivr-input`. */
  alias?: string;
  /** Operations on this key that answer `AccessDeniedException` (a role without that permission). */
  deny?: readonly KmsOperation[];
  /** Create the key disabled (`DisabledException`). @defaultValue `false` */
  disabled?: boolean;
}

/** Options of {@link startKmsEmulator}. */
export interface KmsEmulatorOptions {
  /** Region in the key ARNs. @defaultValue `'us-east-1'` */
  region?: string;
  /** Account in the key ARNs. @defaultValue `'111122223333'` */
  account?: string;
}

/** A running loopback KMS; see {@link startKmsEmulator}. */
export interface KmsEmulator {
  /** Pass as the SDK client's `endpoint`. */
  readonly endpoint: string;
  /** The region the emulated keys live in. */
  readonly region: string;
  /** Every call received, in order (faulted ones included). */
  readonly calls: readonly RecordedCall[];
  /** Number of calls, of one operation or of all. */
  count(operation?: KmsOperation): number;
  /** Forgets recorded calls (e.g. after warm-up). */
  resetCalls(): void;
  /** Makes the next `times` calls of `operation` (or `'*'`) fail, e.g. with `ThrottlingException`. */
  failNext(operation: KmsOperation | '*', fault: InjectedFault, times?: number): void;
  /** Creates a symmetric key; returns its key ARN. */
  createKey(options?: EmulatedKeyOptions): string;
  /** Disables (`false`) or enables (`true`) a key by ARN, ID or alias. */
  setKeyEnabled(keyId: string, enabled: boolean): void;
  /** A `KMSClientConfig` pointing at the emulator with test credentials (no retries unless given). */
  clientConfig(extra?: Partial<KMSClientConfig>): KMSClientConfig;
  /** A client provider for the Encryption SDK's KMS keyring: a real aggregated `KMS` client per region. */
  clientProvider(extra?: Partial<KMSClientConfig>): (region: string) => KMS;
  /** Stops the server. */
  close(): Promise<void>;
}

interface EmulatedKey {
  id: string;
  arn: string;
  material: Buffer;
  enabled: boolean;
  deny: ReadonlySet<KmsOperation>;
}

const MAGIC = 0x01;
/** Bytes of opaque metadata in each blob, so blob sizes match real KMS (167 bytes for a 32-byte key). */
const METADATA = 70;
const IV_AT = 1 + 36 + METADATA;

/** Canonical bytes of an encryption context (sorted keys): the AAD of the emulated key wrap. */
const contextAad = (context: unknown): Buffer => {
  const entries = Object.entries((context ?? {}) as Record<string, string>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return Buffer.from(JSON.stringify(entries), 'utf8');
};

/**
 * Starts a loopback AWS KMS that speaks the real AWS JSON 1.1 protocol (`TrentService`), so the real
 * `@aws-sdk/client-kms` (and the Encryption SDK's KMS keyring on top of it) runs end to end.
 * GenerateDataKey, Encrypt and Decrypt wrap keys with real AES-256-GCM under per-key material, with the
 * encryption context as AAD: a wrong context, key or tampered blob fails like KMS does
 * (`InvalidCiphertextException`, `IncorrectKeyException`). Keys are addressable by ID, key ARN, alias
 * name and alias ARN; responses name the key ARN. Every call is counted; faults such as throttling
 * can be injected. Each response is freshly encoded, so the Encryption SDK's zeroing of data keys
 * never corrupts a later call.
 *
 * @param options - Region and account of the emulated keys.
 * @returns The running emulator; `close()` it after the test.
 * @example
 * ```ts
 * const kms = await startKmsEmulator();
 * const keyArn = kms.createKey({ alias: 'alias/ivr' });
 * const encryptor = createFieldEncryptor({
 *   keyring: { kind: 'kms', generatorKeyId: keyArn, clientProvider: kms.clientProvider() },
 * });
 * await encryptor.encrypt('4111111111111111', { contactId: 'c-1', field: 'card' });
 * kms.count('GenerateDataKey'); // 1
 * ```
 */
export async function startKmsEmulator(options: KmsEmulatorOptions = {}): Promise<KmsEmulator> {
  const region = options.region ?? 'us-east-1';
  const account = options.account ?? '111122223333';
  const keys = new Map<string, EmulatedKey>();
  const aliases = new Map<string, string>();

  const resolve = (keyId: unknown, op: KmsOperation): EmulatedKey => {
    if (typeof keyId !== 'string' || keyId.length === 0) {
      throw new AwsServiceError(
        'ValidationException',
        '1 validation error detected: KeyId must not be empty',
      );
    }
    let id = keyId;
    const aliasArn = /^arn:aws:kms:[^:]+:\d{12}:(alias\/.+)$/.exec(keyId);
    const keyArn = /^arn:aws:kms:[^:]+:\d{12}:key\/(.+)$/.exec(keyId);
    if (aliasArn) id = aliases.get(aliasArn[1] as string) ?? '';
    else if (keyArn) id = keyArn[1] as string;
    else if (keyId.startsWith('alias/')) id = aliases.get(keyId) ?? '';
    const key = keys.get(id);
    if (!key || (keyArn && key.arn !== keyId))
      throw new AwsServiceError('NotFoundException', `Key '${keyId}' does not exist`);
    if (!key.enabled) throw new AwsServiceError('DisabledException', `${key.arn} is disabled.`);
    if (key.deny.has(op)) {
      throw new AwsServiceError(
        'AccessDeniedException',
        `User: arn:aws:sts::${account}:assumed-role/test is not authorized to perform: kms:${op} on resource: ${key.arn}`,
      );
    }
    return key;
  };

  const wrap = (key: EmulatedKey, plaintext: Buffer, context: unknown): string => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.material, iv);
    cipher.setAAD(contextAad(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const header = Buffer.alloc(1 + 36);
    header[0] = MAGIC;
    header.write(key.id, 1, 'ascii');
    return Buffer.concat([header, randomBytes(METADATA), iv, cipher.getAuthTag(), body]).toString('base64');
  };

  const invalidCiphertext = () => new AwsServiceError('InvalidCiphertextException', '');

  const plaintextOf = (input: Record<string, unknown>): Buffer => {
    const b64 = input.Plaintext;
    if (typeof b64 !== 'string') throw new AwsServiceError('ValidationException', 'Plaintext is required');
    const bytes = Buffer.from(b64, 'base64');
    if (bytes.length < 1 || bytes.length > 4096) {
      throw new AwsServiceError('ValidationException', 'Plaintext must be 1 to 4096 bytes');
    }
    return bytes;
  };

  const emulator: AwsJsonEmulator = await startAwsJsonEmulator({
    targetPrefix: 'TrentService',
    handlers: {
      GenerateDataKey: (input) => {
        const key = resolve(input.KeyId, 'GenerateDataKey');
        const size =
          input.NumberOfBytes ??
          (input.KeySpec === 'AES_128' ? 16 : input.KeySpec === 'AES_256' ? 32 : undefined);
        if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > 1024) {
          throw new AwsServiceError('ValidationException', 'NumberOfBytes or KeySpec is required');
        }
        const dataKey = randomBytes(size);
        return {
          KeyId: key.arn,
          Plaintext: dataKey.toString('base64'),
          CiphertextBlob: wrap(key, dataKey, input.EncryptionContext),
          KeyMaterialId: key.id,
        };
      },
      Encrypt: (input) => {
        const key = resolve(input.KeyId, 'Encrypt');
        return {
          KeyId: key.arn,
          CiphertextBlob: wrap(key, plaintextOf(input), input.EncryptionContext),
          EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        };
      },
      Decrypt: (input) => {
        const blob =
          typeof input.CiphertextBlob === 'string'
            ? Buffer.from(input.CiphertextBlob, 'base64')
            : Buffer.alloc(0);
        if (blob.length < IV_AT + 12 + 16 + 1 || blob[0] !== MAGIC) throw invalidCiphertext();
        const id = blob.subarray(1, 37).toString('ascii');
        const owner = keys.get(id);
        if (!owner) throw invalidCiphertext();
        if (input.KeyId !== undefined) {
          const named = resolve(input.KeyId, 'Decrypt');
          if (named.id !== owner.id) {
            throw new AwsServiceError(
              'IncorrectKeyException',
              'The key ID in the request does not identify a CMK that can perform this operation.',
            );
          }
        }
        const key = resolve(owner.arn, 'Decrypt');
        try {
          const decipher = createDecipheriv('aes-256-gcm', key.material, blob.subarray(IV_AT, IV_AT + 12));
          decipher.setAAD(contextAad(input.EncryptionContext));
          decipher.setAuthTag(blob.subarray(IV_AT + 12, IV_AT + 28));
          const plaintext = Buffer.concat([decipher.update(blob.subarray(IV_AT + 28)), decipher.final()]);
          return {
            KeyId: key.arn,
            Plaintext: plaintext.toString('base64'),
            EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
          };
        } catch {
          throw invalidCiphertext();
        }
      },
    },
  });

  const findKey = (keyId: string): EmulatedKey => {
    for (const key of keys.values()) {
      if (key.id === keyId || key.arn === keyId || aliases.get(keyId) === key.id) return key;
    }
    const alias = /:(alias\/.+)$/.exec(keyId);
    const viaAlias = alias ? keys.get(aliases.get(alias[1] as string) ?? '') : undefined;
    if (viaAlias) return viaAlias;
    throw new Error(`No emulated key ${keyId}`);
  };

  const clientConfig = (extra: Partial<KMSClientConfig> = {}): KMSClientConfig => ({
    endpoint: emulator.endpoint,
    region,
    credentials: testCredentials(),
    maxAttempts: 1,
    ...extra,
  });

  return {
    endpoint: emulator.endpoint,
    region,
    calls: emulator.calls,
    count: (operation) => emulator.count(operation),
    resetCalls: () => {
      emulator.calls.length = 0;
    },
    failNext: (operation, fault, times) => emulator.failNext(operation, fault, times),
    createKey: (keyOptions = {}) => {
      const id = randomUUID();
      const arn = `arn:aws:kms:${region}:${account}:key/${id}`;
      keys.set(id, {
        id,
        arn,
        material: randomBytes(32),
        enabled: keyOptions.disabled !== true,
        deny: new Set(keyOptions.deny ?? []),
      });
      if (keyOptions.alias !== undefined) {
        if (!/^alias\/[A-Za-z0-9/_-]+$/.test(keyOptions.alias))
          throw new Error('alias must look like alias/name');
        aliases.set(keyOptions.alias, id);
      }
      return arn;
    },
    setKeyEnabled: (keyId, enabled) => {
      findKey(keyId).enabled = enabled;
    },
    clientConfig,
    clientProvider: (extra = {}) => {
      const clients = new Map<string, KMS>();
      return (r: string) => {
        const cfgRegion = r || region;
        let client = clients.get(cfgRegion);
        if (!client) {
          client = new KMS(clientConfig({ region: cfgRegion, ...extra }));
          clients.set(cfgRegion, client);
        }
        return client;
      };
    },
    close: () => emulator.close(),
  };
}
