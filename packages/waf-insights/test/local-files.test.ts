import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandLocalPaths, isWafInsightsError, readWafLogFiles } from '../src/index.js';
import { buildWafLogRecord } from '../src/testing/index.js';

let dir: string;
const line = (ip: string) => JSON.stringify(buildWafLogRecord({ httpRequest: { clientIp: ip } }));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'waf-files-'));
  mkdirSync(join(dir, 'nested', 'deeper'), { recursive: true });
  // No trailing newline: the last line must not be glued to the next file's first line.
  writeFileSync(join(dir, 'a.log'), `${line('192.0.2.1')}\n${line('192.0.2.2')}`);
  writeFileSync(join(dir, 'nested', 'b.log.gz'), gzipSync(`${line('192.0.2.3')}\nnot json\n`));
  writeFileSync(join(dir, 'nested', 'deeper', 'c.json'), `${line('192.0.2.4')}\n`);
  writeFileSync(join(dir, 'nested', 'ignored.parquet'), 'x');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('expandLocalPaths', () => {
  it('walks directories for log files and expands basename wildcards', async () => {
    expect((await expandLocalPaths([dir])).map((f) => f.slice(dir.length))).toEqual([
      '/a.log',
      '/nested/b.log.gz',
      '/nested/deeper/c.json',
    ]);
    expect((await expandLocalPaths([join(dir, 'nested', '*.gz')])).map((f) => f.slice(dir.length))).toEqual([
      '/nested/b.log.gz',
    ]);
  });

  it('names local when nothing matches', async () => {
    await expect(expandLocalPaths([join(dir, 'none-*.gz')])).rejects.toSatisfy(
      (e: unknown) => isWafInsightsError(e) && e.parameter === 'local',
    );
  });
});

describe('readWafLogFiles', () => {
  it('reads plain and gzip files, keeping file boundaries and counting bad lines', async () => {
    const { records, stats } = await readWafLogFiles(await expandLocalPaths([dir]));
    expect(records.map((r) => r.record.httpRequest.clientIp)).toEqual([
      '192.0.2.1',
      '192.0.2.2',
      '192.0.2.3',
      '192.0.2.4',
    ]);
    expect(stats.skipped.invalid_json).toBe(1);
  });
});
