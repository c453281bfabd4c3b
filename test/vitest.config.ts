import { packageProject } from '../vitest.shared.js';

// Packaging tests pack every published package and install the tarballs into a throwaway consumer.
export default packageProject('packaging', {
  include: ['*.test.ts'],
  testTimeout: 300_000,
  hookTimeout: 900_000,
});
