import { defineConfig } from 'vitest/config';

/**
 * Root Vitest configuration: one project per package (and per example), plus the cross-package
 * packaging tests in `test/`. The JSON report feeds `.ci/run`'s closing `N passed, N failed` line.
 */
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'examples/*/vitest.config.ts', 'test/vitest.config.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
  },
});
