export {
  type SecretsManagerEmulator,
  type SecretsManagerEmulatorOptions,
  type SecretsManagerEmulatorSecret,
  startSecretsManagerEmulator,
} from './secrets-manager-emulator.js';
export {
  startVaultEmulator,
  type VaultCall,
  type VaultEmulator,
  type VaultEmulatorOptions,
  type VaultGrant,
  type VaultPolicyRule,
} from './vault-emulator.js';
