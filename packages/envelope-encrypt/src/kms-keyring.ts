import {
  type AwsEsdkKMSInterface,
  type KmsKeyRingConstructible,
  KmsKeyringClass,
} from '@aws-crypto/kms-keyring';
import { immutableClass, KeyringNode, type NodeAlgorithmSuite } from '@aws-crypto/material-management-node';

/**
 * The Encryption SDK's KMS keyring, assembled from `@aws-crypto/kms-keyring` exactly the way
 * `@aws-crypto/kms-keyring-node` does it, minus that module's default client provider and its
 * hierarchical keyring. Importing `@aws-crypto/kms-keyring-node` (or `client-node`) loads the DynamoDB
 * client for the branch-key store even when nothing uses it; this class keeps it out of Lambda cold
 * starts and bundles. The client provider is always supplied by `buildKeyrings`. @internal
 */
// KeyringNode is abstract in its types; KmsKeyringClass supplies the abstract methods.
const KmsKeyringBase: KmsKeyRingConstructible<NodeAlgorithmSuite, AwsEsdkKMSInterface> = KmsKeyringClass<
  NodeAlgorithmSuite,
  AwsEsdkKMSInterface
>(KeyringNode as unknown as Parameters<typeof KmsKeyringClass>[0]);

/** @internal */
export class KmsKeyring extends KmsKeyringBase {}
immutableClass(KmsKeyring);
