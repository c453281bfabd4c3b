import { constants, type KeyObject } from 'node:crypto';
import {
  type AwsEsdkKMSInterface,
  cacheClients,
  getClient,
  type KmsClientSupplier,
} from '@aws-crypto/kms-keyring';
import type { KeyringNode } from '@aws-crypto/material-management-node';
import { RawAesKeyringNode, RawAesWrappingSuiteIdentifier } from '@aws-crypto/raw-aes-keyring-node';
import { RawRsaKeyringNode } from '@aws-crypto/raw-rsa-keyring-node';
import { KMS, type KMSClientConfig } from '@aws-sdk/client-kms';
import { requireOption } from './errors.js';
import { KmsKeyring } from './kms-keyring.js';

/** A function returning the aggregated `KMS` client for a region (or `false` to refuse the region). */
export type KmsClientProvider = KmsClientSupplier<AwsEsdkKMSInterface>;

/** KMS keys: the usual choice. Encrypt with a generator (+ additional keys), decrypt with key ARNs. */
export interface KmsKeyringOptions {
  kind: 'kms';
  /**
   * The key that generates each data key (`GenerateDataKey`): key ARN, alias ARN, alias name or key ID.
   * Leave out in a decrypt-only role: then {@link FieldEncryptor.encrypt} throws `NOT_CONFIGURED`.
   */
  generatorKeyId?: string;
  /** More keys that each wrap the data key (`Encrypt`), e.g. a key in a second region. @defaultValue `[]` */
  additionalKeyIds?: readonly string[];
  /**
   * Key ARNs (`arn:aws:kms:<region>:<account>:key/<id>`) allowed to decrypt. Aliases are refused: the
   * message records key ARNs, so an alias would silently match nothing.
   * @defaultValue the generator and additional keys, when all of them are key ARNs
   */
  decryptKeyArns?: readonly string[];
  /**
   * Decrypt with whatever KMS key the message names, restricted to these accounts and partition.
   * Discovery without a filter is not offered. Mutually exclusive with `decryptKeyArns`.
   */
  discoveryFilter?: { accountIds: readonly string[]; partition: string };
  /**
   * Returns the aggregated `KMS` client (from `@aws-sdk/client-kms`) for a region. Wins over `clientConfig`.
   * @defaultValue a cached `new KMS({ ...clientConfig, region })` per region
   */
  clientProvider?: KmsClientProvider;
  /** Configuration for the default client provider (endpoint, credentials, retries). @defaultValue `{}` */
  clientConfig?: KMSClientConfig;
  /** KMS grant tokens passed on every call. @defaultValue `[]` */
  grantTokens?: readonly string[];
}

/** A raw AES-GCM wrapping key you manage yourself (e.g. from Secrets Manager). */
export interface RawAesKeyringOptions {
  kind: 'raw-aes';
  /** Key namespace recorded in the message (provider ID). */
  keyNamespace: string;
  /** Key name recorded in the message (provider info). */
  keyName: string;
  /** The wrapping key: 16, 24 or 32 bytes. It stays inside the keyring; never logged. */
  wrappingKey: Uint8Array;
}

/** Raw RSA keys with OAEP padding (PKCS#1 v1.5 is refused: CVE-2023-46809 and Bleichenbacher-class attacks). */
export interface RawRsaKeyringOptions {
  kind: 'raw-rsa';
  /** Key namespace recorded in the message (provider ID). */
  keyNamespace: string;
  /** Key name recorded in the message (provider info). */
  keyName: string;
  /** PEM or `KeyObject` public key, needed to encrypt. */
  publicKey?: string | Buffer | KeyObject;
  /** PEM or `KeyObject` private key, needed to decrypt. Pass a pre-parsed `KeyObject` to save ~2 ms per call. */
  privateKey?: string | Buffer | KeyObject;
  /** OAEP digest (MGF1 uses the same). @defaultValue `'sha256'` */
  oaepHash?: 'sha256' | 'sha384' | 'sha512';
  /**
   * Only `crypto.constants.RSA_PKCS1_OAEP_PADDING` is accepted; anything else throws `INVALID_OPTION`.
   * @defaultValue `RSA_PKCS1_OAEP_PADDING`
   */
  padding?: number;
}

/** Which keys protect the data keys. */
export type KeyringOptions = KmsKeyringOptions | RawAesKeyringOptions | RawRsaKeyringOptions;

/** @internal */
export interface BuiltKeyrings {
  encrypt?: KeyringNode;
  decrypt?: KeyringNode;
  /** Data keys per message this configuration produces. */
  encryptKeyCount: number;
  decryptKeyCount: number;
}

const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const KMS_KEY_ID =
  /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+|alias\/[A-Za-z0-9/_-]+|[A-Za-z0-9-]{1,2048})$/;

const isStringArray = (v: unknown): v is readonly string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string' && s.length > 0);

/** Validates keyring options and builds the Encryption SDK keyrings. @internal */
export function buildKeyrings(options: KeyringOptions | undefined): BuiltKeyrings {
  requireOption(typeof options === 'object' && options !== null, 'keyring', 'a keyring configuration object');
  switch (options.kind) {
    case 'kms':
      return buildKms(options);
    case 'raw-aes':
      return buildRawAes(options);
    case 'raw-rsa':
      return buildRawRsa(options);
    default:
      requireOption(false, 'keyring.kind', "'kms', 'raw-aes' or 'raw-rsa'");
  }
}

function buildKms(o: KmsKeyringOptions): BuiltKeyrings {
  const additional = o.additionalKeyIds ?? [];
  requireOption(
    o.generatorKeyId === undefined ||
      (typeof o.generatorKeyId === 'string' && KMS_KEY_ID.test(o.generatorKeyId)),
    'keyring.generatorKeyId',
    'a KMS key ARN, alias ARN, alias name or key ID',
  );
  requireOption(
    isStringArray(additional) && additional.every((k) => KMS_KEY_ID.test(k)),
    'keyring.additionalKeyIds',
    'an array of KMS key identifiers',
  );
  requireOption(
    additional.length === 0 || o.generatorKeyId !== undefined,
    'keyring.additionalKeyIds',
    'a generatorKeyId as well',
  );
  requireOption(
    o.grantTokens === undefined || isStringArray(o.grantTokens),
    'keyring.grantTokens',
    'an array of strings',
  );
  requireOption(
    o.clientProvider === undefined || typeof o.clientProvider === 'function',
    'keyring.clientProvider',
    'a function (region) => KMS',
  );
  requireOption(
    o.clientConfig === undefined || (typeof o.clientConfig === 'object' && o.clientConfig !== null),
    'keyring.clientConfig',
    'a KMSClientConfig object',
  );
  const clientProvider: KmsClientProvider =
    o.clientProvider ?? cacheClients(getClient(KMS, { ...(o.clientConfig ?? {}) }));
  const grantTokens = o.grantTokens ? [...o.grantTokens] : undefined;
  const encryptKeys = o.generatorKeyId === undefined ? [] : [o.generatorKeyId, ...additional];

  let decrypt: KeyringNode | undefined;
  let decryptKeyCount = 0;
  if (o.discoveryFilter !== undefined) {
    const f = o.discoveryFilter;
    requireOption(
      o.decryptKeyArns === undefined,
      'keyring.discoveryFilter',
      'not to be combined with decryptKeyArns',
    );
    requireOption(
      typeof f === 'object' &&
        f !== null &&
        isStringArray(f.accountIds) &&
        f.accountIds.length > 0 &&
        f.accountIds.every((a) => /^\d{12}$/.test(a)) &&
        typeof f.partition === 'string' &&
        /^aws[a-z-]*$/.test(f.partition),
      'keyring.discoveryFilter',
      '{ accountIds: 12-digit account IDs (at least one), partition: e.g. "aws" }',
    );
    const keyring = new KmsKeyring({
      discovery: true,
      discoveryFilter: { accountIDs: [...f.accountIds], partition: f.partition },
      clientProvider,
      ...(grantTokens ? { grantTokens } : {}),
    });
    // Self-test: @aws-crypto/kms-keyring-node before 5.0.1 silently dropped the filter (PR #1662),
    // turning "these accounts only" into "any account". Refuse to run on such a copy.
    const kept = (keyring as unknown as { discoveryFilter?: { accountIDs?: string[] } }).discoveryFilter;
    requireOption(
      kept?.accountIDs?.length === f.accountIds.length,
      'keyring.discoveryFilter',
      '@aws-crypto/kms-keyring-node >= 5.0.1 (the installed copy drops discovery filters)',
    );
    decrypt = keyring;
    decryptKeyCount = Math.max(1, encryptKeys.length);
  } else {
    const arns = o.decryptKeyArns ?? (encryptKeys.every((k) => KEY_ARN.test(k)) ? encryptKeys : []);
    requireOption(
      isStringArray(arns) && arns.every((k) => KEY_ARN.test(k)),
      'keyring.decryptKeyArns',
      'key ARNs (arn:aws:kms:<region>:<account>:key/<id>); aliases never match a message',
    );
    if (arns.length > 0) {
      decrypt = new KmsKeyring({
        keyIds: [...arns],
        clientProvider,
        ...(grantTokens ? { grantTokens } : {}),
      });
      decryptKeyCount = arns.length;
    }
  }
  requireOption(
    encryptKeys.length > 0 || decrypt !== undefined,
    'keyring',
    'a generatorKeyId, decryptKeyArns or a discoveryFilter',
  );
  const encrypt =
    o.generatorKeyId === undefined
      ? undefined
      : new KmsKeyring({
          generatorKeyId: o.generatorKeyId,
          keyIds: [...additional],
          clientProvider,
          ...(grantTokens ? { grantTokens } : {}),
        });
  return {
    ...(encrypt ? { encrypt } : {}),
    ...(decrypt ? { decrypt } : {}),
    encryptKeyCount: encryptKeys.length,
    decryptKeyCount: Math.max(decryptKeyCount, encryptKeys.length),
  };
}

const NAME = /^[\x21-\x7e]{1,256}$/;

/** Raw keyrings' namespace and name: printable, and never the `aws-kms` namespace the KMS keyring owns. */
function checkRawKeyIdentity(o: { keyNamespace: unknown; keyName: unknown }): void {
  requireOption(
    typeof o.keyNamespace === 'string' && NAME.test(o.keyNamespace),
    'keyring.keyNamespace',
    'a non-empty printable string',
  );
  requireOption(
    !o.keyNamespace.startsWith('aws-kms'),
    'keyring.keyNamespace',
    'a namespace not starting with "aws-kms"',
  );
  requireOption(
    typeof o.keyName === 'string' && NAME.test(o.keyName),
    'keyring.keyName',
    'a non-empty printable string',
  );
}

function buildRawAes(o: RawAesKeyringOptions): BuiltKeyrings {
  checkRawKeyIdentity(o);
  requireOption(
    o.wrappingKey instanceof Uint8Array && [16, 24, 32].includes(o.wrappingKey.byteLength),
    'keyring.wrappingKey',
    'a Uint8Array of 16, 24 or 32 bytes',
  );
  const suite = {
    16: RawAesWrappingSuiteIdentifier.AES128_GCM_IV12_TAG16_NO_PADDING,
    24: RawAesWrappingSuiteIdentifier.AES192_GCM_IV12_TAG16_NO_PADDING,
    32: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  }[o.wrappingKey.byteLength as 16 | 24 | 32];
  const keyring = new RawAesKeyringNode({
    keyNamespace: o.keyNamespace,
    keyName: o.keyName,
    // A copy: the keyring must not change if the caller later wipes or reuses its buffer.
    unencryptedMasterKey: new Uint8Array(o.wrappingKey),
    wrappingSuite: suite,
  });
  return { encrypt: keyring, decrypt: keyring, encryptKeyCount: 1, decryptKeyCount: 1 };
}

function buildRawRsa(o: RawRsaKeyringOptions): BuiltKeyrings {
  checkRawKeyIdentity(o);
  requireOption(
    o.padding === undefined || o.padding === constants.RSA_PKCS1_OAEP_PADDING,
    'keyring.padding',
    'RSA_PKCS1_OAEP_PADDING (PKCS#1 v1.5 padding is refused)',
  );
  requireOption(
    o.oaepHash === undefined || ['sha256', 'sha384', 'sha512'].includes(o.oaepHash),
    'keyring.oaepHash',
    "'sha256', 'sha384' or 'sha512'",
  );
  requireOption(
    o.publicKey !== undefined || o.privateKey !== undefined,
    'keyring',
    'a publicKey or a privateKey',
  );
  const keyring = new RawRsaKeyringNode({
    keyNamespace: o.keyNamespace,
    keyName: o.keyName,
    // The SDK's own KeyObject type is narrower than Node's (no rsa-pss); a KeyObject is passed through as is.
    rsaKey: {
      ...(o.publicKey !== undefined ? { publicKey: o.publicKey as string } : {}),
      ...(o.privateKey !== undefined ? { privateKey: o.privateKey as string } : {}),
    },
    padding: constants.RSA_PKCS1_OAEP_PADDING,
    oaepHash: o.oaepHash ?? 'sha256',
  });
  return {
    ...(o.publicKey !== undefined ? { encrypt: keyring } : {}),
    ...(o.privateKey !== undefined ? { decrypt: keyring } : {}),
    encryptKeyCount: 1,
    decryptKeyCount: 1,
  };
}
