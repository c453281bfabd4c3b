export {
  type EmulatedKeyOptions,
  type KmsEmulator,
  type KmsEmulatorOptions,
  type KmsOperation,
  startKmsEmulator,
} from './kms-emulator.js';
