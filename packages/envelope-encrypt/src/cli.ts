#!/usr/bin/env node
import { runCli } from '@secblocks/core';
import { buildCli } from './cli/program.js';

declare const __PACKAGE_VERSION__: string;

const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const version = typeof __PACKAGE_VERSION__ === 'string' ? __PACKAGE_VERSION__ : '0.0.0';

void runCli(buildCli({ readStdin, version })).then((code) => {
  process.exitCode = code;
});
