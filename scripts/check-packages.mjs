#!/usr/bin/env node
// Lints every published package's manifest and types the way consumers will meet them:
// publint --strict (exports, files, types) and attw --profile node16 (ESM and CJS type resolution).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const packages = readdirSync(join(root, 'packages'))
  .map((d) => join(root, 'packages', d))
  .filter((dir) => !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private);

let failed = 0;
for (const dir of packages) {
  const name = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name;
  for (const [label, cmd, args] of [
    ['publint --strict', bin('publint'), ['--strict']],
    [
      'attw --profile node16',
      bin('attw'),
      ['--pack', '.', '--profile', 'node16', '--format', 'table-flipped'],
    ],
  ]) {
    const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8' });
    const ok = r.status === 0;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${label}`);
    if (!ok) {
      failed++;
      console.log(`${r.stdout}${r.stderr}`.trim().replace(/^/gm, '     '));
    }
  }
}
console.log(`${packages.length} packages checked, ${failed} failure(s)`);
process.exit(failed ? 1 : 0);
