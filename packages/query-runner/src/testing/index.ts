export {
  type AthenaEmulator,
  type AthenaEmulatorOptions,
  type ReceivedQuery,
  type ScriptedQuery,
  type ScriptedValue,
  startAthenaEmulator,
} from './athena-emulator.js';
