/**
 * Consumer tests: every published package is packed with `pnpm pack`, installed from its tarball into a
 * temporary project outside the workspace, and imported the three ways users do — ESM `import`, CommonJS
 * `require` and TypeScript under `moduleResolution: node16` — including the `./testing` subpath and any CLI
 * bin. This is what catches broken `exports` maps before users do.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  bin?: Record<string, string>;
  exports?: Record<string, unknown>;
}

const root = resolve(import.meta.dirname, '..');
const packagesDir = join(root, 'packages');
const published = readdirSync(packagesDir)
  .map((dir) => ({
    dir: join(packagesDir, dir),
    manifest: JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) as Manifest,
  }))
  .filter((p) => !p.manifest.private);

const slug = (name: string) => name.replace(/^@/, '').replace(/\//g, '-');
let consumer = '';
let tscOutput = '';
let tscStatus: number | null = null;

beforeAll(() => {
  consumer = mkdtempSync(join(tmpdir(), 'secblocks-consumer-'));
  const tarballs = join(consumer, 'tarballs');
  mkdirSync(tarballs);
  const deps: Record<string, string> = {};
  for (const p of published) {
    expect(existsSync(join(p.dir, 'dist')), `${p.manifest.name} is built (run pnpm build)`).toBe(true);
    const out = execFileSync('pnpm', ['pack', '--pack-destination', tarballs], {
      cwd: p.dir,
      encoding: 'utf8',
    });
    const file = out.trim().split('\n').pop() as string;
    deps[p.manifest.name] = `file:${file}`;
  }
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify(
      {
        name: 'secblocks-consumer',
        private: true,
        dependencies: deps,
        devDependencies: { '@types/node': '^20.19.0' },
        // Internal dependencies point at the packed tarballs, not the registry.
        pnpm: { overrides: deps },
      },
      null,
      2,
    ),
  );
  execFileSync(
    'pnpm',
    ['install', '--prefer-offline', '--no-frozen-lockfile', '--config.auto-install-peers=true'],
    {
      cwd: consumer,
      stdio: 'pipe',
      env: { ...process.env, npm_config_loglevel: 'error' },
    },
  );

  const tsFiles: string[] = [];
  for (const p of published) {
    const s = slug(p.manifest.name);
    const subpaths = Object.keys(p.manifest.exports ?? { '.': null }).filter((k) => k !== './package.json');
    const specifiers = subpaths.map((k) =>
      k === '.' ? p.manifest.name : `${p.manifest.name}/${k.slice(2)}`,
    );
    writeFileSync(
      join(consumer, `${s}.esm.mjs`),
      specifiers.map((sp, i) => `import * as m${i} from '${sp}';`).join('\n') +
        `\nconsole.log(JSON.stringify([${specifiers.map((_, i) => `Object.keys(m${i}).length`).join(',')}]));\n`,
    );
    writeFileSync(
      join(consumer, `${s}.cjs.cjs`),
      `console.log(JSON.stringify([${specifiers.map((sp) => `Object.keys(require('${sp}')).length`).join(',')}]));\n`,
    );
    writeFileSync(
      join(consumer, `${s}.ts.mts`),
      specifiers
        .map((sp, i) => `import * as m${i} from '${sp}';\nexport const k${i}: string[] = Object.keys(m${i});`)
        .join('\n'),
    );
    writeFileSync(
      join(consumer, `${s}.ts.cts`),
      specifiers
        .map(
          (sp, i) => `import m${i} = require('${sp}');\nexport const k${i}: string[] = Object.keys(m${i});`,
        )
        .join('\n'),
    );
    tsFiles.push(`${s}.ts.mts`, `${s}.ts.cts`);
  }
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'node16',
        moduleResolution: 'node16',
        target: 'ES2022',
        strict: true,
        noEmit: true,
        types: ['node'],
      },
      files: tsFiles,
    }),
  );
  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', consumer], { cwd: consumer, encoding: 'utf8' });
  tscOutput = `${r.stdout}${r.stderr}`;
  tscStatus = r.status;
});

afterAll(() => {
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

describe.each(published.map((p) => [p.manifest.name, p] as const))('%s tarball', (_name, p) => {
  const s = slug(p.manifest.name);
  const run = (file: string) => {
    const r = spawnSync(process.execPath, [file], { cwd: consumer, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout) as number[];
  };

  it('imports every subpath from ESM with a non-empty namespace', () => {
    const counts = run(`${s}.esm.mjs`);
    expect(counts.length).toBeGreaterThanOrEqual(2);
    for (const c of counts) expect(c).toBeGreaterThan(0);
  });

  it('requires every subpath from CommonJS with a non-empty namespace', () => {
    const counts = run(`${s}.cjs.cjs`);
    for (const c of counts) expect(c).toBeGreaterThan(0);
  });

  it('type-checks imports from TypeScript under moduleResolution node16 (ESM and CJS)', () => {
    const mine = tscOutput.split('\n').filter((l) => l.includes(s));
    expect(mine).toEqual([]);
    expect(tscStatus, tscOutput).toBe(0);
  });

  // Registered only for packages that ship a CLI, so no test is ever skipped.
  for (const bin of Object.keys(p.manifest.bin ?? {})) {
    it(`runs its CLI bin ${bin} with --help`, () => {
      const r = spawnSync(join(consumer, 'node_modules', '.bin', bin), ['--help'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('--json');
    });
  }
});
