#!/usr/bin/env node
import { runCli } from '@secblocks/core';
import { buildCookieAuthProgram } from './cli-program.js';

declare const __PACKAGE_VERSION__: string;

void runCli(
  buildCookieAuthProgram(typeof __PACKAGE_VERSION__ === 'string' ? __PACKAGE_VERSION__ : '0.0.0'),
).then((code) => {
  process.exitCode = code;
});
