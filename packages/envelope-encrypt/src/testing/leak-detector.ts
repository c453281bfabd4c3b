import { format } from 'node:util';
import { assertNoSentinel, createMemoryLogger, type MemoryLogger } from '@secblocks/core/testing';

/** Options of {@link assertNoLeaks}. */
export interface LeakCheckOptions<T> {
  /** Every secret value put into the run (card numbers, ZIPs, sentinels). */
  secrets: readonly string[];
  /** The code under test; gets a capturing logger to pass to your handler. */
  run: (logger: MemoryLogger) => T | Promise<T>;
  /**
   * For secrets with digits: also fail on any run of this many consecutive digits of the secret
   * (catches partial leaks such as the first 6 or middle digits).
   * @defaultValue `6`
   */
  minDigitRun?: number;
}

/** What {@link assertNoLeaks} observed. */
export interface LeakCheckResult<T> {
  /** The run's return value, when it returned. */
  result?: T;
  /** What the run threw, when it threw. */
  error?: unknown;
  /** Everything logged, as a naive logger would print it. */
  logs: string;
  /** Everything written to stdout, stderr and the console during the run. */
  output: string;
}

const digitWindows = (secret: string, size: number): string[] => {
  const digits = secret.replace(/\D/g, '');
  if (digits.length < size) return [];
  const out = new Set<string>();
  for (let i = 0; i + size <= digits.length; i++) out.add(digits.slice(i, i + size));
  return [...out];
};

/**
 * Runs code under test and fails if any secret reaches its logs, `console`/stdout/stderr output, the
 * error it threw, or its return value: as is, base64, base64url, hex, digits only, or any run of
 * `minDigitRun` of its digits. Use it around every handler test.
 *
 * @param options - Secrets, the code to run, the digit-run length.
 * @returns The result or error and the captured logs, for further assertions.
 * @throws Error naming the channel that leaked (logs, output, error, result), never the secret.
 * @example
 * ```ts
 * const { result } = await assertNoLeaks({
 *   secrets: [pan],
 *   run: (logger) => createLexV2Handler({ encryptor, slots, logger })(lexV2Event({ slots: { CardNumber: pan } })),
 * });
 * ```
 */
export async function assertNoLeaks<T>(options: LeakCheckOptions<T>): Promise<LeakCheckResult<T>> {
  const logger = createMemoryLogger();
  const chunks: string[] = [];
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  // The detector replaces the console for the duration of the run to capture what it prints.
  const terminal = console as unknown as Record<
    (typeof consoleMethods)[number],
    (...args: unknown[]) => void
  >;
  const saved = consoleMethods.map((m) => terminal[m]);
  const capture = (chunk: unknown): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  for (const m of consoleMethods) terminal[m] = (...args: unknown[]) => void chunks.push(format(...args));
  const observed: LeakCheckResult<T> = { logs: '', output: '' };
  try {
    observed.result = await options.run(logger);
  } catch (error) {
    observed.error = error;
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
    consoleMethods.forEach((m, i) => {
      terminal[m] = saved[i] as (...args: unknown[]) => void;
    });
  }
  observed.logs = logger.text();
  observed.output = chunks.join('');
  const channels: [string, unknown][] = [
    ['logs', observed.logs],
    ['output', observed.output],
    ['error', observed.error],
    ['result', observed.result],
  ];
  const minRun = options.minDigitRun ?? 6;
  for (const secret of options.secrets) {
    if (typeof secret !== 'string' || secret.length === 0) continue;
    const needles = [secret, secret.replace(/\D/g, ''), ...digitWindows(secret, minRun)].filter(
      (n, i, all) => n.length >= Math.min(secret.length, 4) && all.indexOf(n) === i,
    );
    for (const [name, haystack] of channels) {
      if (haystack === undefined) continue;
      for (const needle of needles) {
        try {
          assertNoSentinel(needle, haystack);
        } catch {
          throw new Error(`Secret leaked into ${name} (secret #${options.secrets.indexOf(secret)})`);
        }
      }
    }
  }
  return observed;
}
