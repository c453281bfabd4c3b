#!/usr/bin/env node
import { runCli } from '@secblocks/core';
import { buildProgram } from './cli/program.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
void runCli(buildProgram()).then((code) => {
  process.exitCode = code;
});
