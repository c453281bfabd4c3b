#!/usr/bin/env node
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCli } from '@secblocks/core';
import { buildProgram } from './cli-program.js';

const version = (): string => {
  try {
    const here = dirname(realpathSync(process.argv[1] ?? '.'));
    return (JSON.parse(readFileSync(join(here, '..', 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return '0.0.0';
  }
};

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
void runCli(buildProgram({ version: version() })).then((code) => {
  process.exitCode = code;
});
