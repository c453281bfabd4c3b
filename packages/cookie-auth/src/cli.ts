#!/usr/bin/env node
import { runCli } from '@secblocks/core';
import pkg from '../package.json' with { type: 'json' };
import { buildCookieAuthProgram } from './cli-program.js';

void runCli(buildCookieAuthProgram(pkg.version)).then((code) => {
  process.exitCode = code;
});
