import { readFileSync } from 'node:fs';
import { packageBuild } from '../../tsup.base.js';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export default packageBuild(
  { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts', cli: 'src/cli.ts' },
  // The CLI prints the package version; inlined at build time so the bin needs no file lookups.
  { define: { __PACKAGE_VERSION__: JSON.stringify(version) } },
);
