import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';
import { MacieQueryError, MacieQueryErrorCode } from './errors.js';

/** A result file left out of a local run, and why. */
export interface SkippedFile {
  /** The file path. */
  file: string;
  /** `empty`, `not-gzip`, or the first line of the engine's error. */
  reason: string;
}

/** What {@link resolveResultFiles} found. */
export interface ResolvedFiles {
  /** Readable result files, sorted. */
  files: string[];
  /** Files left out (empty, not gzip although named `.gz`). */
  skipped: SkippedFile[];
}

// tinyglobby: small, maintained, and does what Node 20 lacks (fs.glob arrived in Node 22).
const PATTERNS = ['**/*.jsonl.gz', '**/*.jsonl', '**/*.json.gz'];

/**
 * Finds discovery-result files from a folder (searched recursively for `*.jsonl.gz`, `*.jsonl`,
 * `*.json.gz`, so both S3 key layouts work), a glob, a file, or a list of those. Empty files and `.gz` files
 * without the gzip magic bytes are left out and reported rather than failing the whole query.
 *
 * @param input - Folder, glob, file, or a list of them.
 * @returns Readable files (sorted) and skipped files.
 * @throws {@link MacieQueryError} `NO_RESULT_FILES` naming the input when nothing matches or a named file does not exist.
 * @example
 * ```ts
 * const { files, skipped } = resolveResultFiles('./macie-results');
 * ```
 */
export function resolveResultFiles(input: string | readonly string[]): ResolvedFiles {
  const inputs = typeof input === 'string' ? [input] : [...input];
  if (inputs.length === 0)
    throw new MacieQueryError(MacieQueryErrorCode.NO_RESULT_FILES, 'No result files were given');
  const found = new Set<string>();
  for (const item of inputs) {
    if (typeof item !== 'string' || item === '') {
      throw new MacieQueryError(MacieQueryErrorCode.NO_RESULT_FILES, 'A result path is empty');
    }
    let matches: string[];
    if (isDynamicPattern(item)) {
      matches = globSync(item, { absolute: true, onlyFiles: true });
    } else if (existsSync(item) && statSync(item).isDirectory()) {
      matches = globSync(PATTERNS, { cwd: item, absolute: true, onlyFiles: true });
    } else if (existsSync(item)) {
      matches = [resolve(item)];
    } else {
      throw new MacieQueryError(
        MacieQueryErrorCode.NO_RESULT_FILES,
        `No such file or folder: ${JSON.stringify(item)}`,
      );
    }
    if (matches.length === 0) {
      throw new MacieQueryError(
        MacieQueryErrorCode.NO_RESULT_FILES,
        `No result files (*.jsonl.gz) in ${JSON.stringify(item)}`,
      );
    }
    for (const m of matches) found.add(m);
  }
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of [...found].sort()) {
    const size = statSync(file).size;
    if (size === 0) {
      skipped.push({ file, reason: 'empty' });
      continue;
    }
    if (file.endsWith('.gz')) {
      const head = Buffer.alloc(2);
      const fd = openSync(file, 'r');
      try {
        readSync(fd, head, 0, 2, 0);
      } finally {
        closeSync(fd);
      }
      if (head[0] !== 0x1f || head[1] !== 0x8b) {
        skipped.push({ file, reason: 'not-gzip' });
        continue;
      }
    }
    files.push(file);
  }
  if (files.length === 0) {
    throw new MacieQueryError(
      MacieQueryErrorCode.NO_RESULT_FILES,
      `None of the ${skipped.length} result file(s) is readable (empty or not gzip)`,
    );
  }
  return { files, skipped };
}
