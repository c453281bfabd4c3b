import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { WafInsightsError, WafInsightsErrorCode } from './errors.js';
import {
  createWafLogParser,
  type ParsedWafLog,
  type ParseStats,
  type WafLogParserOptions,
} from './log-parser.js';

const LOG_FILE = /\.(log|gz|json|jsonl|ndjson|txt)$/i;

/**
 * Expands files, directories (their log files, recursively) and basename wildcards (`logs/*.log.gz`) into
 * a sorted list of files. (Node 20 has no `fs.glob`; this covers the shapes WAF delivery produces.)
 *
 * @param patterns - Paths, directories or `dir/*.gz`-style patterns.
 * @throws {@link WafInsightsError} `INVALID_OPTION` when nothing matches.
 * @example
 * ```ts
 * const files = await expandLocalPaths(['./AWSLogs']);
 * ```
 */
export async function expandLocalPaths(patterns: readonly string[]): Promise<string[]> {
  const out = new Set<string>();
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 12) return;
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p, depth + 1);
      else if (e.isFile() && LOG_FILE.test(e.name)) out.add(p);
    }
  };
  for (const pattern of patterns) {
    const base = basename(pattern);
    if (base.includes('*')) {
      const re = new RegExp(
        `^${base
          .split('*')
          .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      );
      const dir = dirname(pattern);
      try {
        for (const e of await readdir(dir, { withFileTypes: true }))
          if (e.isFile() && re.test(e.name)) out.add(join(dir, e.name));
      } catch {
        // A missing directory matches nothing.
      }
      continue;
    }
    try {
      const s = await stat(pattern);
      if (s.isDirectory()) await walk(pattern, 0);
      else out.add(pattern);
    } catch {
      // Reported below when nothing at all matched.
    }
  }
  if (out.size === 0)
    throw new WafInsightsError(WafInsightsErrorCode.INVALID_OPTION, 'No log files matched the given paths', {
      parameter: 'local',
    });
  return [...out].sort();
}

/**
 * Streams parsed records from local WAF log files (plain NDJSON or gzip, detected by magic bytes), skipping
 * and counting bad lines in `stats`.
 *
 * @param files - File paths (see {@link expandLocalPaths}).
 * @param options - Parser limits.
 * @returns An async iterable of records plus the shared, live `stats`.
 * @example
 * ```ts
 * const src = streamWafLogFiles(files);
 * for await (const { record } of src.records) count(record);
 * console.log(src.stats.skipped);
 * ```
 */
export function streamWafLogFiles(
  files: readonly string[],
  options: WafLogParserOptions = {},
): { records: AsyncIterable<ParsedWafLog>; stats: ParseStats } {
  const parser = createWafLogParser(options);
  async function* gen(): AsyncGenerator<ParsedWafLog> {
    for (const file of files) {
      const gz = await isGzip(file);
      const raw = createReadStream(file);
      const stream = gz ? raw.pipe(createGunzip()) : raw;
      for await (const chunk of stream as AsyncIterable<Buffer>) yield* parser.push(chunk);
      // A file's last line may lack a newline; never join it with the next file's first line.
      yield* parser.end();
    }
  }
  return { records: gen(), stats: parser.stats };
}

/**
 * Reads whole local WAF log files into memory.
 *
 * @param files - File paths.
 * @param options - Parser limits.
 * @example
 * ```ts
 * const { records, stats } = await readWafLogFiles(await expandLocalPaths(['logs/']));
 * ```
 */
export async function readWafLogFiles(
  files: readonly string[],
  options: WafLogParserOptions = {},
): Promise<{ records: ParsedWafLog[]; stats: ParseStats }> {
  const src = streamWafLogFiles(files, options);
  const records: ParsedWafLog[] = [];
  for await (const r of src.records) records.push(r);
  return { records, stats: src.stats };
}

async function isGzip(file: string): Promise<boolean> {
  const stream = createReadStream(file, { start: 0, end: 1 });
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  const head = Buffer.concat(chunks);
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}
