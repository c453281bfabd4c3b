#!/usr/bin/env node
import { runCli } from '@secblocks/core';
import { buildProgram } from './cli-program.js';

void runCli(buildProgram()).then((code) => {
  process.exitCode = code;
});
