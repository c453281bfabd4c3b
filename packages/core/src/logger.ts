import { isSensitive, REDACTED } from './sensitive.js';

/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured fields attached to a log line. */
export type LogData = Record<string, unknown>;

/**
 * The logger every secblocks package accepts as an option. Library code never calls `console.*`; it logs
 * through this interface, which defaults to {@link silentLogger}. Compatible with Powertools Logger,
 * pino and `console` for the common `(message, data)` call shape.
 */
export interface Logger {
  debug(message: string, data?: LogData): void;
  info(message: string, data?: LogData): void;
  warn(message: string, data?: LogData): void;
  error(message: string, data?: LogData): void;
}

const noop = (): void => {};

/**
 * A logger that drops everything: the default of every secblocks factory.
 *
 * @example
 * ```ts
 * const logger = options.logger ?? silentLogger;
 * ```
 */
export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });

/**
 * Key fragments whose values are always redacted by {@link redact} and {@link createJsonLogger}.
 * A key matches when, lower-cased and stripped of `-` and `_`, it contains one of these.
 */
export const DEFAULT_REDACT_KEYS: readonly string[] = Object.freeze([
  'password',
  'passwd',
  'secret',
  'token',
  'authorization',
  'cookie',
  'apikey',
  'privatekey',
  'plaintext',
  'credential',
  'accesskey',
  'signature',
  'sessionkey',
  'cardnumber',
]);

/** Options of {@link redact}. */
export interface RedactOptions {
  /**
   * More key fragments (matched like {@link DEFAULT_REDACT_KEYS}) or patterns (tested against the raw key)
   * whose values are redacted.
   * @defaultValue `[]`
   */
  redactKeys?: readonly (string | RegExp)[];
  /**
   * Whether {@link DEFAULT_REDACT_KEYS} apply. Turning them off is rarely what you want.
   * @defaultValue `true`
   */
  redactDefaultKeys?: boolean;
  /**
   * Depth past which nested values are replaced by `[Truncated]`.
   * @defaultValue `8`
   */
  maxDepth?: number;
}

const normalizeKey = (key: string): string => key.toLowerCase().replace(/[-_\s]/g, '');

function keyMatcher(options: RedactOptions): (key: string) => boolean {
  const fragments: string[] = [];
  const patterns: RegExp[] = [];
  if (options.redactDefaultKeys !== false) fragments.push(...DEFAULT_REDACT_KEYS);
  for (const k of options.redactKeys ?? []) {
    if (typeof k === 'string') fragments.push(normalizeKey(k));
    else patterns.push(k);
  }
  return (key) => {
    const n = normalizeKey(key);
    return fragments.some((f) => f.length > 0 && n.includes(f)) || patterns.some((p) => p.test(key));
  };
}

/**
 * Returns a JSON-safe copy of `value` with every {@link Sensitive} value and every value under a
 * sensitive key replaced by `[REDACTED]`. Errors become `{ name, message, code }` (their `cause` is
 * followed, their other own properties are not). Cycles become `[Circular]`, bigints strings.
 *
 * @param value - Anything to log.
 * @param options - Extra keys to redact and depth.
 * @example
 * ```ts
 * redact({ user: 'ana', password: 'hunter2' }); // { user: 'ana', password: '[REDACTED]' }
 * ```
 */
export function redact(value: unknown, options: RedactOptions = {}): unknown {
  return createRedactor(options)(value);
}

/** Builds the key matcher once, so a logger does not rebuild it for every line. */
function createRedactor(options: RedactOptions): (value: unknown) => unknown {
  const isSecretKey = keyMatcher(options);
  const maxDepth = options.maxDepth ?? 8;
  return (value) => walkRedacted(value, isSecretKey, maxDepth);
}

function walkRedacted(value: unknown, isSecretKey: (key: string) => boolean, maxDepth: number): unknown {
  const seen = new WeakSet<object>();

  const walk = (v: unknown, depth: number): unknown => {
    if (isSensitive(v)) return REDACTED;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    if (typeof v === 'bigint') return v.toString();
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return undefined;
    if (typeof v !== 'object') return String(v);
    if (seen.has(v)) return '[Circular]';
    if (depth >= maxDepth) return '[Truncated]';
    seen.add(v);
    try {
      if (v instanceof Error) {
        const out: Record<string, unknown> = { name: v.name, message: v.message };
        const code = (v as { code?: unknown }).code;
        if (typeof code === 'string' || typeof code === 'number') out.code = code;
        if (v.cause !== undefined) out.cause = walk(v.cause, depth + 1);
        return out;
      }
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
      if (Buffer.isBuffer(v) || ArrayBuffer.isView(v) || v instanceof ArrayBuffer) {
        return `[${v.constructor.name} ${(v as ArrayBufferLike).byteLength} bytes]`;
      }
      if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
      if (v instanceof Map) return walk(Object.fromEntries(v), depth);
      if (v instanceof Set) return walk([...v], depth);
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) {
        out[k] = isSecretKey(k) ? REDACTED : walk(item, depth + 1);
      }
      return out;
    } finally {
      seen.delete(v);
    }
  };
  return walk(value, 0);
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Options of {@link createJsonLogger}. */
export interface JsonLoggerOptions extends RedactOptions {
  /**
   * The lowest level written.
   * @defaultValue `'info'`
   */
  level?: LogLevel;
  /**
   * Where each JSON line goes (without a trailing newline added by the caller: the logger adds `\n`).
   * @defaultValue writes to `process.stderr`
   */
  write?: (line: string) => void;
  /** Fields added to every line, e.g. `{ service: 'vault-sync' }`. They are redacted too. */
  fields?: LogData;
  /**
   * Clock for the `time` field.
   * @defaultValue `() => new Date()`
   */
  now?: () => Date;
}

/**
 * A JSON-lines logger that redacts: every line is `{"time","level","message",...fields,...data}` with
 * {@link Sensitive} values and sensitive keys replaced by `[REDACTED]`.
 *
 * @param options - Level, sink, extra fields and keys to redact.
 * @example
 * ```ts
 * const logger = createJsonLogger({ level: 'debug', redactKeys: ['cardNumber'] });
 * logger.info('synced', { path: 'app/db', password: 'x' }); // password is [REDACTED]
 * ```
 */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const min = LEVELS[options.level ?? 'info'];
  if (min === undefined) throw new TypeError(`Invalid option "level": expected debug, info, warn or error`);
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? (() => new Date());
  const base = options.fields ?? {};
  const redactor = createRedactor(options);
  const emit =
    (level: LogLevel) =>
    (message: string, data?: LogData): void => {
      if (LEVELS[level] < min) return;
      const record = redactor({ ...base, ...data }) as Record<string, unknown>;
      const line = JSON.stringify({ time: now().toISOString(), level, message: String(message), ...record });
      write(`${line}\n`);
    };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
