import { defineConfig, type Options } from 'tsup';

/**
 * The build every published package uses: ESM + CJS with separate `.d.ts` / `.d.cts` (so attw's node16
 * profile sees no masquerading types), Node 20 target, sourcemaps, one file per entry.
 *
 * @param entry - Map of output name to source file, e.g. `{ index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' }`.
 * @param extra - Overrides, e.g. `external` for optional peers.
 */
export function packageBuild(entry: Record<string, string>, extra: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    // Package tsconfigs are `composite` for `tsc -b`; the declaration bundler needs that off.
    dts: { compilerOptions: { composite: false, incremental: false } },
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    clean: true,
    splitting: false,
    ...extra,
  });
}
