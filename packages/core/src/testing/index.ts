import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import type { CliIo } from '../cli-toolkit.js';
import type { LogData, Logger, LogLevel } from '../logger.js';

/** One call captured by {@link createMemoryLogger}. */
export interface CapturedLogLine {
  level: LogLevel;
  message: string;
  data?: LogData;
}

/** A {@link Logger} that keeps every call, for assertions. */
export interface MemoryLogger extends Logger {
  /** Every call, in order. */
  readonly lines: CapturedLogLine[];
  /**
   * All calls rendered with `util.inspect` at full depth: what a naive logger would print. Use it in
   * sentinel tests: a secret passed as a plain string under any key shows up here.
   */
  text(): string;
  /** Forgets the captured lines. */
  clear(): void;
}

/**
 * Creates a logger that records every call without redacting, so tests can prove a library never hands
 * a secret to its logger.
 *
 * @example
 * ```ts
 * const logger = createMemoryLogger();
 * await sync({ logger });
 * assertNoSentinel(sentinel, logger.text());
 * ```
 */
export function createMemoryLogger(): MemoryLogger {
  const lines: CapturedLogLine[] = [];
  const at =
    (level: LogLevel) =>
    (message: string, data?: LogData): void => {
      lines.push(data === undefined ? { level, message } : { level, message, data });
    };
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    text: () =>
      lines
        .map((l) => inspect(l, { depth: Number.POSITIVE_INFINITY, breakLength: Number.POSITIVE_INFINITY }))
        .join('\n'),
    clear: () => {
      lines.length = 0;
    },
  };
}

/**
 * Makes a unique marker to plant in every secret input of a test (`SENTINEL_<label>_<hex>`).
 *
 * @param label - Letters to recognise the marker by.
 * @example
 * ```ts
 * const secret = createSentinel('db-password');
 * ```
 */
export function createSentinel(label = 'secret'): string {
  return `SENTINEL_${label.replace(/[^A-Za-z0-9]/g, '_')}_${randomBytes(8).toString('hex')}`;
}

const render = (value: unknown): string[] => {
  const out = [
    inspect(value, {
      depth: Number.POSITIVE_INFINITY,
      showHidden: false,
      breakLength: Number.POSITIVE_INFINITY,
    }),
  ];
  if (typeof value === 'string') out.push(value);
  if (value instanceof Error) out.push(String(value.stack), String(value.message));
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) out.push(json);
  } catch {
    // Not serializable (cycles, bigint): inspect's rendering above is enough.
  }
  return out;
};

/**
 * Throws when `sentinel` (as is, base64, base64url or hex) appears anywhere in `haystacks`: strings,
 * errors (message, stack, cause), objects (deeply, as `util.inspect` and `JSON.stringify` show them).
 * Framework-agnostic: works in Vitest, Jest or `node:test`.
 *
 * @param sentinel - From {@link createSentinel}.
 * @param haystacks - Log text, error objects, return values, CLI output.
 * @throws Error naming which haystack leaked (by index), never repeating more than the label.
 * @example
 * ```ts
 * assertNoSentinel(secret, logger.text(), io.stdout(), caughtError, result);
 * ```
 */
export function assertNoSentinel(sentinel: string, ...haystacks: unknown[]): void {
  const needles = [
    sentinel,
    Buffer.from(sentinel).toString('base64'),
    Buffer.from(sentinel).toString('base64url'),
    Buffer.from(sentinel).toString('hex'),
  ];
  haystacks.forEach((haystack, index) => {
    for (const text of render(haystack)) {
      if (needles.some((n) => text.includes(n))) {
        throw new Error(`Secret sentinel leaked into haystack #${index} (${typeof haystack})`);
      }
    }
  });
}

/** Buffers standing in for a CLI's stdout and stderr; see {@link createCapturingIo}. */
export interface CapturingIo {
  /** Pass this to `createCliProgram({ io })`. */
  io: CliIo;
  /** Everything written to stdout. */
  stdout(): string;
  /** Everything written to stderr. */
  stderr(): string;
}

/**
 * Captures a CLI's output for assertions.
 *
 * @param options - `isTTY` makes stderr look like a terminal (progress redraws in place).
 * @example
 * ```ts
 * const cap = createCapturingIo();
 * const code = await runCli(buildProgram(cap.io), ['plan', '--json']);
 * expect(JSON.parse(cap.stdout())).toMatchObject({ actions: [] });
 * ```
 */
export function createCapturingIo(options: { isTTY?: boolean } = {}): CapturingIo {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: {
        write: (s: string) => {
          out += s;
          return true;
        },
      },
      stderr: {
        isTTY: options.isTTY ?? false,
        write: (s: string) => {
          err += s;
          return true;
        },
      },
    },
    stdout: () => out,
    stderr: () => err,
  };
}

/** A fake clock whose `sleep` advances time instantly; see {@link createFakeClock}. */
export interface FakeClock {
  /** Current time in milliseconds. */
  now(): number;
  /** Moves time forward. */
  advance(ms: number): void;
  /** Resolves at once after advancing the clock by `ms` (rejects if `signal` already fired). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Every `sleep` duration requested, in order. */
  readonly sleeps: number[];
}

/**
 * Creates a deterministic clock for `retry`, `createTokenBucket` and pollers, so tests assert on
 * counts and requested delays rather than wall time.
 *
 * @param start - Initial time in milliseconds.
 * @example
 * ```ts
 * const clock = createFakeClock();
 * const bucket = createTokenBucket({ capacity: 1, refillPerSecond: 2, now: clock.now, sleep: clock.sleep });
 * ```
 */
export function createFakeClock(start = 0): FakeClock {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

export {
  type AwsJsonEmulator,
  type AwsJsonEmulatorOptions,
  type AwsJsonHandler,
  type AwsJsonRequestContext,
  AwsServiceError,
  type InjectedFault,
  type LoopbackHandler,
  type LoopbackServer,
  type RecordedCall,
  startAwsJsonEmulator,
  startLoopbackServer,
  testCredentials,
} from './aws-json-emulator.js';
