export {
  type ConnectEventOptions,
  connectEvent,
  type LexV1EventOptions,
  type LexV2EventOptions,
  lexV1Event,
  lexV2Event,
} from './events.js';
export {
  type EmulatedKeyOptions,
  type KmsEmulator,
  type KmsEmulatorOptions,
  type KmsOperation,
  startKmsEmulator,
} from './kms-emulator.js';
export { assertNoLeaks, type LeakCheckOptions, type LeakCheckResult } from './leak-detector.js';
