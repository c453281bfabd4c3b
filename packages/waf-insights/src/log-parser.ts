import { invalidOption } from './errors.js';
import type { WafHeader, WafLogRecord } from './schema.js';

/** Why a line was skipped by {@link parseWafLogLine}. */
export type SkipReason =
  | 'not_utf8'
  | 'line_too_large'
  | 'invalid_json'
  | 'not_an_object'
  | 'missing_field'
  | 'uri_too_long';

/** All {@link SkipReason}s, in a stable order. */
export const SKIP_REASONS: readonly SkipReason[] = [
  'not_utf8',
  'line_too_large',
  'invalid_json',
  'not_an_object',
  'missing_field',
  'uri_too_long',
];

/** Options of the tolerant parser. */
export interface WafLogParserOptions {
  /**
   * Lines longer than this many bytes are skipped (`line_too_large`) without being decoded.
   * @defaultValue `1_048_576` (1 MiB; WAF records are a few KB)
   */
  maxLineBytes?: number;
  /**
   * Records whose `httpRequest.uri` is longer than this many characters are skipped (`uri_too_long`).
   * @defaultValue `16_384`
   */
  maxUriLength?: number;
}

/** Outcome of parsing one line. `message` is the line text (the Logs Insights `@message`). */
export type ParseLineResult =
  | { ok: true; record: WafLogRecord; message: string; headersDropped: number }
  | { ok: false; reason: SkipReason };

/** Counters kept while parsing a stream of lines. */
export interface ParseStats {
  /** Non-blank lines seen. */
  lines: number;
  /** Records returned. */
  records: number;
  /** Skipped lines by reason; every reason is present (0 when none). */
  skipped: Record<SkipReason, number>;
  /** Header entries without a string `name` and `value` (e.g. the docs' `{"name","myValue"}` example), dropped from kept records. */
  headersDropped: number;
}

/** A parsed record with its raw line, as returned by {@link parseWafLogs}. */
export interface ParsedWafLog {
  record: WafLogRecord;
  /** The original JSON text of the line. */
  message: string;
}

const DEFAULT_MAX_LINE = 1_048_576;
const DEFAULT_MAX_URI = 16_384;
const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function resolveOptions(options: WafLogParserOptions): Required<WafLogParserOptions> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE;
  const maxUriLength = options.maxUriLength ?? DEFAULT_MAX_URI;
  if (!Number.isInteger(maxLineBytes) || maxLineBytes < 64)
    throw invalidOption('maxLineBytes', 'an integer >= 64');
  if (!Number.isInteger(maxUriLength) || maxUriLength < 1)
    throw invalidOption('maxUriLength', 'a positive integer');
  return { maxLineBytes, maxUriLength };
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Normalizes a parsed JSON object into a record, or returns the skip reason. */
function toRecord(
  raw: Record<string, unknown>,
  maxUri: number,
): { record: WafLogRecord; headersDropped: number } | SkipReason {
  const req = raw.httpRequest;
  if (typeof raw.timestamp !== 'number' || !Number.isFinite(raw.timestamp)) return 'missing_field';
  if (typeof raw.action !== 'string' || !isObj(req)) return 'missing_field';
  if (typeof req.clientIp !== 'string') return 'missing_field';
  const uri = typeof req.uri === 'string' ? req.uri : '';
  if (uri.length > maxUri) return 'uri_too_long';
  let headersDropped = 0;
  const headers: WafHeader[] = [];
  for (const h of arr(req.headers)) {
    if (isObj(h) && typeof h.name === 'string' && typeof h.value === 'string')
      headers.push({ name: h.name, value: h.value });
    else headersDropped++;
  }
  const labels = Array.isArray(raw.labels)
    ? raw.labels
        .filter((l): l is { name: string } => isObj(l) && typeof l.name === 'string')
        .map((l) => ({ name: l.name }))
    : undefined;
  // Keep every other field as logged (unknown fields included: detectSchemaDrift reports them), and
  // default the arrays and strings queries rely on so engines see one shape.
  const record = {
    ...raw,
    timestamp: raw.timestamp,
    formatVersion: typeof raw.formatVersion === 'number' ? raw.formatVersion : 1,
    webaclId: typeof raw.webaclId === 'string' ? raw.webaclId : '-',
    terminatingRuleId: typeof raw.terminatingRuleId === 'string' ? raw.terminatingRuleId : 'Default_Action',
    terminatingRuleType: typeof raw.terminatingRuleType === 'string' ? raw.terminatingRuleType : 'REGULAR',
    action: raw.action,
    terminatingRuleMatchDetails: arr(raw.terminatingRuleMatchDetails),
    httpSourceName: typeof raw.httpSourceName === 'string' ? raw.httpSourceName : '-',
    httpSourceId: typeof raw.httpSourceId === 'string' ? raw.httpSourceId : '-',
    ruleGroupList: arr(raw.ruleGroupList)
      .filter(isObj)
      .map((g) => ({ ...g, nonTerminatingMatchingRules: arr(g.nonTerminatingMatchingRules).filter(isObj) })),
    rateBasedRuleList: arr(raw.rateBasedRuleList).filter(isObj),
    nonTerminatingMatchingRules: arr(raw.nonTerminatingMatchingRules).filter(isObj),
    httpRequest: {
      ...req,
      clientIp: req.clientIp,
      country: typeof req.country === 'string' ? req.country : '-',
      headers,
      uri,
      args: typeof req.args === 'string' ? req.args : '',
      httpVersion: typeof req.httpVersion === 'string' ? req.httpVersion : '-',
      httpMethod: typeof req.httpMethod === 'string' ? req.httpMethod : '-',
      requestId: typeof req.requestId === 'string' ? req.requestId : '-',
    },
  } as unknown as WafLogRecord;
  if (labels) record.labels = labels;
  else delete record.labels;
  return { record, headersDropped };
}

function parseText(text: string, maxUri: number): ParseLineResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'invalid_json' };
  }
  if (!isObj(raw)) return { ok: false, reason: 'not_an_object' };
  const out = toRecord(raw, maxUri);
  if (typeof out === 'string') return { ok: false, reason: out };
  return { ok: true, record: out.record, message: text, headersDropped: out.headersDropped };
}

/**
 * Parses one WAF log line (JSON) tolerantly: never throws on bad data. Invalid UTF-8, oversized lines,
 * invalid JSON, non-objects, records without `timestamp`/`action`/`httpRequest.clientIp`, and huge URIs
 * are reported as a {@link SkipReason}; unknown fields are kept; malformed headers are dropped and counted.
 *
 * @param line - The line as text or bytes (bytes are checked for valid UTF-8).
 * @param options - Size limits.
 * @throws {@link WafInsightsError} `INVALID_OPTION` when an option is out of range.
 * @example
 * ```ts
 * const r = parseWafLogLine('{"timestamp":1,...}');
 * if (r.ok) console.log(r.record.httpRequest.clientIp); else console.log(r.reason);
 * ```
 */
export function parseWafLogLine(
  line: string | Uint8Array,
  options: WafLogParserOptions = {},
): ParseLineResult {
  const { maxLineBytes, maxUriLength } = resolveOptions(options);
  return parseOne(line, maxLineBytes, maxUriLength);
}

function parseOne(line: string | Uint8Array, maxLineBytes: number, maxUri: number): ParseLineResult {
  if (typeof line === 'string') {
    // String length is a lower bound of the UTF-8 byte length; only encode when it could exceed.
    if (
      line.length > maxLineBytes ||
      (line.length * 3 > maxLineBytes && encoder.encode(line).length > maxLineBytes)
    )
      return { ok: false, reason: 'line_too_large' };
    // Lone surrogates cannot come from valid UTF-8.
    if (LONE_SURROGATE.test(line)) return { ok: false, reason: 'not_utf8' };
    return parseText(line, maxUri);
  }
  if (line.length > maxLineBytes) return { ok: false, reason: 'line_too_large' };
  let text: string;
  try {
    text = decoder.decode(line);
  } catch {
    return { ok: false, reason: 'not_utf8' };
  }
  return parseText(text, maxUri);
}

/** Creates zeroed {@link ParseStats}. */
export function emptyParseStats(): ParseStats {
  return {
    lines: 0,
    records: 0,
    skipped: Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<SkipReason, number>,
    headersDropped: 0,
  };
}

/**
 * A streaming parser: feed it byte chunks (any split, e.g. from a gunzip stream), get records back. Lines
 * are split on `\n` at the byte level so one bad byte spoils only its own line.
 *
 * @param options - Size limits.
 * @throws {@link WafInsightsError} `INVALID_OPTION` when an option is out of range.
 * @example
 * ```ts
 * const parser = createWafLogParser();
 * for await (const chunk of createReadStream(file).pipe(createGunzip())) for (const r of parser.push(chunk)) use(r);
 * for (const r of parser.end()) use(r);
 * console.log(parser.stats.skipped);
 * ```
 */
export function createWafLogParser(options: WafLogParserOptions = {}): WafLogStreamParser {
  const { maxLineBytes, maxUriLength } = resolveOptions(options);
  const stats = emptyParseStats();
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let overflow = false;

  const handle = (line: Uint8Array, out: ParsedWafLog[]): void => {
    let end = line.length;
    if (end > 0 && line[end - 1] === 0x0d) end--;
    let start = 0;
    while (start < end && (line[start] === 0x20 || line[start] === 0x09)) start++;
    if (start === end) return;
    stats.lines++;
    const r = parseOne(line.subarray(start, end), maxLineBytes, maxUriLength);
    if (r.ok) {
      stats.records++;
      stats.headersDropped += r.headersDropped;
      out.push({ record: r.record, message: r.message });
    } else stats.skipped[r.reason]++;
  };

  const flushPending = (tail: Uint8Array, out: ParsedWafLog[]): void => {
    if (overflow) {
      stats.lines++;
      stats.skipped.line_too_large++;
    } else if (pending.length === 0) handle(tail, out);
    else {
      const whole = new Uint8Array(pendingBytes + tail.length);
      let o = 0;
      for (const p of pending) {
        whole.set(p, o);
        o += p.length;
      }
      whole.set(tail, o);
      handle(whole, out);
    }
    pending = [];
    pendingBytes = 0;
    overflow = false;
  };

  return {
    stats,
    push(chunk) {
      const out: ParsedWafLog[] = [];
      let from = 0;
      for (;;) {
        const nl = chunk.indexOf(0x0a, from);
        if (nl < 0) break;
        flushPending(chunk.subarray(from, nl), out);
        from = nl + 1;
      }
      if (from < chunk.length) {
        const rest = chunk.subarray(from);
        // Cap buffering: a line past the limit is counted, not held in memory.
        if (pendingBytes + rest.length > maxLineBytes) {
          overflow = true;
          pending = [];
          pendingBytes = 0;
        } else if (!overflow) {
          pending.push(rest.slice());
          pendingBytes += rest.length;
        }
      }
      return out;
    },
    end() {
      const out: ParsedWafLog[] = [];
      if (pendingBytes > 0 || overflow) flushPending(new Uint8Array(0), out);
      return out;
    },
  };
}

/** A streaming parser from {@link createWafLogParser}. */
export interface WafLogStreamParser {
  /** Counters so far. */
  readonly stats: ParseStats;
  /** Feeds bytes; returns the records completed by this chunk. */
  push(chunk: Uint8Array): ParsedWafLog[];
  /** Flushes a last line without a trailing newline. */
  end(): ParsedWafLog[];
}

/**
 * Parses a whole NDJSON text or buffer of WAF log lines.
 *
 * @param input - Text or bytes (one JSON record per line).
 * @param options - Size limits.
 * @returns The records (with their raw line) and the counters.
 * @throws {@link WafInsightsError} `INVALID_OPTION` when an option is out of range.
 * @example
 * ```ts
 * const { records, stats } = parseWafLogs(readFileSync('waf.log'));
 * ```
 */
export function parseWafLogs(
  input: string | Uint8Array,
  options: WafLogParserOptions = {},
): { records: ParsedWafLog[]; stats: ParseStats } {
  const parser = createWafLogParser(options);
  const bytes = typeof input === 'string' ? encoder.encode(input) : input;
  const records = parser.push(bytes);
  records.push(...parser.end());
  return { records, stats: parser.stats };
}
