#!/usr/bin/env node
// `pnpm demo`: runs every examples/* package's `demo` script in turn, with a header per example, and
// fails if any fails. Until examples exist, it runs @secblocks/core's own small demo.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const examplesDir = join(root, 'examples');
const examples = existsSync(examplesDir)
  ? readdirSync(examplesDir)
      .map((d) => join(examplesDir, d))
      .filter((dir) => existsSync(join(dir, 'package.json')))
      .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
      .filter((e) => e.manifest.scripts?.demo)
      .sort(
        (a, b) => (a.manifest.demoOrder ?? 99) - (b.manifest.demoOrder ?? 99) || a.dir.localeCompare(b.dir),
      )
  : [];

const runs = examples.length
  ? examples.map((e) => ({ title: e.manifest.name, about: e.manifest.description ?? '', dir: e.dir }))
  : [
      {
        title: '@secblocks/core',
        about: 'retry with jitter, a token bucket and bounded concurrency',
        dir: join(root, 'packages', 'core'),
      },
    ];

const failures = [];
for (const [i, run] of runs.entries()) {
  const header = `[${i + 1}/${runs.length}] ${run.title}`;
  console.log(`\n${'='.repeat(header.length)}\n${header}\n${'='.repeat(header.length)}`);
  if (run.about) console.log(`${run.about}\n`);
  const started = Date.now();
  const r = spawnSync('pnpm', ['run', '--silent', 'demo'], { cwd: run.dir, stdio: 'inherit' });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status === 0) console.log(`\n✔ ${run.title} (${secs}s)`);
  else {
    console.log(`\n✘ ${run.title} failed with exit code ${r.status} (${secs}s)`);
    failures.push(run.title);
  }
}
console.log(
  `\n${runs.length - failures.length} of ${runs.length} demos passed${failures.length ? `; failed: ${failures.join(', ')}` : ''}`,
);
process.exit(failures.length ? 1 : 0);
