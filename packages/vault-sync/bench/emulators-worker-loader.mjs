// Worker entry: registers tsx's ESM loader on this thread, then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./emulators.worker.ts');
