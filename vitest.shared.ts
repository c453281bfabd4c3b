import { fileURLToPath } from 'node:url';
import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

const setupFile = fileURLToPath(new URL('./vitest.setup.ts', import.meta.url));

/**
 * The Vitest project every package and example uses: named after the package, Node environment,
 * the shared setup file, and generous timeouts for loopback-emulator integration tests (tests assert
 * counts, never wall time).
 */
export function packageProject(name: string, extra: UserWorkspaceConfig['test'] = {}): UserWorkspaceConfig {
  return defineProject({
    test: {
      name,
      environment: 'node',
      include: ['test/**/*.test.ts'],
      setupFiles: [setupFile],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      ...extra,
    },
  });
}
