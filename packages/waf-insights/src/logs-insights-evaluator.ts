import { WafInsightsError, WafInsightsErrorCode } from './errors.js';
import { compareCodePoints } from './question-result.js';
import { formatBucket } from './reference-evaluator.js';

/**
 * A local evaluator for the CloudWatch Logs Insights subset this package generates: `fields` (with `as`),
 * `filter`, `stats` (`count`, `count_distinct`, `sum`, `avg`, `min`, `max` ... `by` fields and `bin()`),
 * `sort`, `limit`, `parse` (regex with named groups, or glob with `as`), `display`, and `unnest ... into`;
 * expressions with `= != < <= > >=`, `and or not`, `in [...]`, `like "..."`, `like /re/`, `=~ /re/`, and
 * the functions `jsonParse coalesce tolower toupper ispresent isempty strcontains concat`.
 *
 * It follows the documented semantics: discovered JSON fields are dotted paths to leaves
 * (`httpRequest.clientIp`); `jsonParse(@message)` yields maps and lists; `unnest` emits one record per list
 * element (none for an empty list; a non-list counts as a one-item list); comparisons with a missing field
 * are false. `count_distinct` is exact here (Logs Insights approximates it at high cardinality).
 */

type Value = string | number | boolean | null | undefined | Value[] | { [k: string]: Value };

/** One input event: the raw JSON line and its timestamp (epoch ms). */
export interface LogsInsightsEvent {
  /** The event text (`@message`). */
  message: string;
  /** Epoch milliseconds (`@timestamp`). */
  timestamp: number;
  /** Log stream name (`@logStream`). */
  logStream?: string;
}

/** Output of {@link runLogsInsightsQuery}: the result fields in order and the rows. */
export interface LogsInsightsLocalResult {
  fields: string[];
  rows: Array<Record<string, string | number | boolean | null>>;
}

type Tok =
  | { t: 'str'; v: string }
  | { t: 're'; v: string }
  | { t: 'num'; v: number }
  | { t: 'id'; v: string }
  | { t: 'op'; v: string };

const unsupported = (what: string): WafInsightsError =>
  new WafInsightsError(WafInsightsErrorCode.UNSUPPORTED_QUERY, `Unsupported Logs Insights syntax: ${what}`, {
    parameter: 'query',
  });

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let v = '';
      i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === '\\' && i + 1 < src.length) {
          const n = src[i + 1] as string;
          v += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          i += 2;
        } else v += src[i++];
      }
      if (i >= src.length) throw unsupported('unterminated string');
      i++;
      out.push({ t: 'str', v });
      continue;
    }
    if (c === '/') {
      let v = '';
      i++;
      while (i < src.length && src[i] !== '/') {
        if (src[i] === '\\' && i + 1 < src.length) {
          // Keep escapes for the regex engine, except the delimiter escape.
          v += src[i + 1] === '/' ? '/' : `\\${src[i + 1]}`;
          i += 2;
        } else v += src[i++];
      }
      if (i >= src.length) throw unsupported('unterminated regex');
      i++;
      out.push({ t: 're', v });
      continue;
    }
    if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw unsupported('unterminated backtick');
      out.push({ t: 'id', v: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['!=', '<=', '>=', '=~'].includes(two)) {
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if ('|,()[]=<>*-+'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    const duration = /^\d+[a-z]+/.exec(src.slice(i));
    if (duration) {
      out.push({ t: 'id', v: duration[0] });
      i += duration[0].length;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[@A-Za-z_][\w.@$]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    throw unsupported(`unexpected character ${JSON.stringify(c)}`);
  }
  return out;
}

type Expr =
  | { k: 'lit'; v: Value }
  | { k: 're'; v: RegExp }
  | { k: 'field'; name: string }
  | { k: 'call'; fn: string; args: Expr[]; star?: boolean }
  | { k: 'bin'; op: string; l: Expr; r: Expr }
  | { k: 'not'; e: Expr }
  | { k: 'in'; e: Expr; list: Expr[]; neg: boolean };

function toRegExp(src: string): RegExp {
  let flags = '';
  let s = src;
  if (s.startsWith('(?i)')) {
    flags = 'i';
    s = s.slice(4);
  }
  try {
    return new RegExp(s, flags);
  } catch {
    throw unsupported('invalid regular expression');
  }
}

class Parser {
  i = 0;
  constructor(readonly toks: Tok[]) {}
  peek(): Tok | undefined {
    return this.toks[this.i];
  }
  isKw(kw: string): boolean {
    const t = this.peek();
    return t?.t === 'id' && t.v.toLowerCase() === kw;
  }
  isOp(op: string): boolean {
    const t = this.peek();
    return t?.t === 'op' && t.v === op;
  }
  expectOp(op: string): void {
    if (!this.isOp(op)) throw unsupported(`expected "${op}"`);
    this.i++;
  }
  done(): boolean {
    return this.i >= this.toks.length;
  }
  expr(): Expr {
    let l = this.and();
    while (this.isKw('or')) {
      this.i++;
      l = { k: 'bin', op: 'or', l, r: this.and() };
    }
    return l;
  }
  and(): Expr {
    let l = this.unary();
    while (this.isKw('and')) {
      this.i++;
      l = { k: 'bin', op: 'and', l, r: this.unary() };
    }
    return l;
  }
  unary(): Expr {
    if (this.isKw('not')) {
      this.i++;
      return { k: 'not', e: this.unary() };
    }
    return this.cmp();
  }
  cmp(): Expr {
    const l = this.primary();
    const t = this.peek();
    if (t?.t === 'op' && ['=', '!=', '<', '<=', '>', '>=', '=~'].includes(t.v)) {
      this.i++;
      return { k: 'bin', op: t.v, l, r: this.primary() };
    }
    let neg = false;
    if (this.isKw('not')) {
      const n = this.toks[this.i + 1];
      if (n?.t === 'id' && ['in', 'like'].includes(n.v.toLowerCase())) {
        neg = true;
        this.i++;
      }
    }
    if (this.isKw('like')) {
      this.i++;
      const e: Expr = { k: 'bin', op: 'like', l, r: this.primary() };
      return neg ? { k: 'not', e } : e;
    }
    if (this.isKw('in')) {
      this.i++;
      this.expectOp('[');
      const list: Expr[] = [];
      while (!this.isOp(']')) {
        list.push(this.primary());
        if (this.isOp(',')) this.i++;
        else if (!this.isOp(']')) throw unsupported('expected "," or "]"');
      }
      this.i++;
      return { k: 'in', e: l, list, neg };
    }
    return l;
  }
  primary(): Expr {
    const t = this.peek();
    if (!t) throw unsupported('unexpected end of command');
    this.i++;
    if (t.t === 'str') return { k: 'lit', v: t.v };
    if (t.t === 'num') return { k: 'lit', v: t.v };
    if (t.t === 're') return { k: 're', v: toRegExp(t.v) };
    if (t.t === 'op' && t.v === '(') {
      const e = this.expr();
      this.expectOp(')');
      return e;
    }
    if (t.t === 'id') {
      if (this.isOp('(')) {
        this.i++;
        const args: Expr[] = [];
        let star = false;
        while (!this.isOp(')')) {
          if (this.isOp('*')) {
            star = true;
            this.i++;
          } else args.push(this.expr());
          if (this.isOp(',')) this.i++;
          else if (!this.isOp(')')) throw unsupported('expected "," or ")"');
        }
        this.i++;
        return { k: 'call', fn: t.v.toLowerCase(), args, star };
      }
      return { k: 'field', name: t.v };
    }
    throw unsupported('unexpected token');
  }
  alias(): string | undefined {
    if (this.isKw('as')) {
      this.i++;
      const t = this.peek();
      if (t?.t !== 'id') throw unsupported('expected a name after "as"');
      this.i++;
      return t.v;
    }
    return undefined;
  }
}

/** A row: discovered roots (leaf-only access) and computed fields (structured access). */
interface Row {
  discovered: Record<string, unknown>;
  computed: Map<string, Value>;
}

function traverse(v: unknown, path: string[]): unknown {
  let cur = v;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

interface FieldPath {
  name: string;
  parts: string[];
  /** Shorter dotted prefixes, longest first, with the remaining path. */
  heads: Array<[string, string[]]>;
}

const pathCache = new Map<string, FieldPath>();

function fieldPath(name: string): FieldPath {
  let p = pathCache.get(name);
  if (!p) {
    const parts = name.split('.');
    const heads: Array<[string, string[]]> = [];
    for (let n = parts.length - 1; n >= 1; n--) heads.push([parts.slice(0, n).join('.'), parts.slice(n)]);
    p = { name, parts, heads };
    if (pathCache.size < 10_000) pathCache.set(name, p);
  }
  return p;
}

function lookup(row: Row, name: string): Value {
  const computed = row.computed;
  if (computed.has(name)) return computed.get(name);
  const fp = fieldPath(name);
  if (computed.size > 0) {
    for (const [head, rest] of fp.heads)
      if (computed.has(head)) return traverse(computed.get(head), rest) as Value;
  }
  if (name in row.discovered) return leaf(row.discovered[name]);
  // Discovered JSON fields are flattened to leaves; a path ending on a map or list is no field.
  return leaf(traverse(row.discovered['@json'], fp.parts));
}

function leaf(v: unknown): Value {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return undefined;
}

const isMissing = (v: Value): boolean => v === undefined || v === null;

function compare(a: Value, b: Value): number | undefined {
  if (isMissing(a) || isMissing(b)) return undefined;
  const na = typeof a === 'number' ? a : typeof a === 'string' && a.trim() !== '' ? Number(a) : Number.NaN;
  const nb = typeof b === 'number' ? b : typeof b === 'string' && b.trim() !== '' ? Number(b) : Number.NaN;
  if ((typeof a === 'number' || typeof b === 'number') && !Number.isNaN(na) && !Number.isNaN(nb))
    return na - nb;
  return compareCodePoints(String(a), String(b));
}

function evalExpr(e: Expr, row: Row): Value {
  switch (e.k) {
    case 'lit':
      return e.v;
    case 're':
      throw unsupported('a regex outside like/=~/parse');
    case 'field':
      return lookup(row, e.name);
    case 'not':
      return !truthy(evalExpr(e.e, row));
    case 'in': {
      const v = evalExpr(e.e, row);
      if (isMissing(v)) return false;
      const hit = e.list.some((x) => compare(v, evalExpr(x, row)) === 0);
      return e.neg ? !hit : hit;
    }
    case 'bin': {
      if (e.op === 'and') return truthy(evalExpr(e.l, row)) && truthy(evalExpr(e.r, row));
      if (e.op === 'or') return truthy(evalExpr(e.l, row)) || truthy(evalExpr(e.r, row));
      const l = evalExpr(e.l, row);
      if (e.op === 'like' || e.op === '=~') {
        if (isMissing(l) || typeof l === 'object') return false;
        if (e.r.k === 're') return e.r.v.test(String(l));
        const r = evalExpr(e.r, row);
        return !isMissing(r) && String(l).includes(String(r));
      }
      const c = compare(l, evalExpr(e.r, row));
      if (c === undefined) return false;
      return e.op === '='
        ? c === 0
        : e.op === '!='
          ? c !== 0
          : e.op === '<'
            ? c < 0
            : e.op === '<='
              ? c <= 0
              : e.op === '>'
                ? c > 0
                : c >= 0;
    }
    case 'call':
      return callFn(e, row);
  }
}

function truthy(v: Value): boolean {
  return v === true || (typeof v === 'number' && v !== 0) || (typeof v === 'string' && v !== '');
}

function callFn(e: Extract<Expr, { k: 'call' }>, row: Row): Value {
  const arg = (i: number): Value => (e.args[i] ? evalExpr(e.args[i] as Expr, row) : undefined);
  switch (e.fn) {
    case 'jsonparse': {
      // @message was parsed once per event already; reuse it (nothing mutates parsed values).
      const a0 = e.args[0];
      if (a0?.k === 'field' && a0.name === '@message' && !row.computed.has('@message'))
        return row.discovered['@json'] as Value;
      const v = arg(0);
      if (typeof v !== 'string') return undefined;
      try {
        return JSON.parse(v) as Value;
      } catch {
        return undefined;
      }
    }
    case 'coalesce':
      for (let i = 0; i < e.args.length; i++) {
        const v = arg(i);
        if (!isMissing(v)) return v;
      }
      return undefined;
    case 'tolower': {
      const v = arg(0);
      return isMissing(v) ? v : String(v).toLowerCase();
    }
    case 'toupper': {
      const v = arg(0);
      return isMissing(v) ? v : String(v).toUpperCase();
    }
    case 'ispresent':
      return !isMissing(arg(0));
    case 'isempty': {
      const v = arg(0);
      return isMissing(v) || v === '';
    }
    case 'strcontains': {
      const a = arg(0);
      const b = arg(1);
      return !isMissing(a) && !isMissing(b) && String(a).includes(String(b));
    }
    case 'concat': {
      const parts = e.args.map((_, i) => arg(i));
      return parts.some(isMissing) ? undefined : parts.map(String).join('');
    }
    case 'bin':
      return binOf(e, row);
    default:
      throw unsupported(`function ${e.fn}()`);
  }
}

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  d: 86_400_000,
};

function binOf(e: Extract<Expr, { k: 'call' }>, row: Row): Value {
  const a = e.args[0];
  // The lexer reads a period such as `5m` as one name token.
  let width: number | undefined;
  if (a?.k === 'field') {
    const m = /^(\d+)([a-z]+)$/.exec(a.name);
    if (m) width = Number(m[1]) * (UNIT_MS[m[2] as string] ?? Number.NaN);
  }
  if (width === undefined || !Number.isFinite(width) || width <= 0) throw unsupported('bin() period');
  const ts = Number(lookup(row, '@timestamp'));
  return formatBucket(Math.floor(ts / width) * width);
}

type Command =
  | { c: 'fields'; items: Array<{ e: Expr; as: string }> }
  | { c: 'filter'; e: Expr }
  | { c: 'stats'; aggs: Array<{ fn: string; arg?: Expr; as: string }>; by: Array<{ e: Expr; as: string }> }
  | { c: 'sort'; keys: Array<{ name: string; desc: boolean }> }
  | { c: 'limit'; n: number }
  | { c: 'display'; names: string[] }
  | { c: 'unnest'; from: string; into: string }
  | { c: 'parse'; field: Expr; re: RegExp; names: string[] };

const exprText = (e: Expr): string =>
  e.k === 'field'
    ? e.name
    : e.k === 'call'
      ? `${e.fn}(${e.star ? '*' : e.args.map(exprText).join(', ')})`
      : 'expr';

function splitCommands(toks: Tok[]): Tok[][] {
  const out: Tok[][] = [[]];
  for (const t of toks) {
    if (t.t === 'op' && t.v === '|') out.push([]);
    else (out[out.length - 1] as Tok[]).push(t);
  }
  return out.filter((c) => c.length > 0);
}

function globToRegExp(glob: string, names: string[]): RegExp {
  const parts = glob.split('*');
  if (parts.length - 1 !== names.length) throw unsupported('parse pattern: one "*" per name');
  const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(parts.map(esc).join('(.*?)'));
}

function parseCommand(toks: Tok[]): Command {
  const p = new Parser(toks);
  const head = p.peek();
  if (head?.t !== 'id') throw unsupported('a command must start with its name');
  p.i++;
  const name = head.v.toLowerCase();
  const list = <T>(one: () => T): T[] => {
    const out = [one()];
    while (p.isOp(',')) {
      p.i++;
      out.push(one());
    }
    return out;
  };
  let cmd: Command;
  switch (name) {
    case 'fields':
      cmd = {
        c: 'fields',
        items: list(() => {
          const e = p.expr();
          return { e, as: p.alias() ?? exprText(e) };
        }),
      };
      break;
    case 'filter':
      cmd = { c: 'filter', e: p.expr() };
      break;
    case 'stats': {
      const aggs = list(() => {
        const e = p.primary();
        if (e.k !== 'call') throw unsupported('stats needs aggregate functions');
        const fn = e.fn;
        if (!['count', 'count_distinct', 'sum', 'avg', 'min', 'max'].includes(fn))
          throw unsupported(`aggregate ${fn}()`);
        return { fn, arg: e.star ? undefined : e.args[0], as: p.alias() ?? exprText(e) };
      });
      let by: Array<{ e: Expr; as: string }> = [];
      if (p.isKw('by')) {
        p.i++;
        by = list(() => {
          const e = p.expr();
          return { e, as: p.alias() ?? exprText(e) };
        });
      }
      cmd = { c: 'stats', aggs, by };
      break;
    }
    case 'sort':
      cmd = {
        c: 'sort',
        keys: list(() => {
          const t = p.peek();
          if (t?.t !== 'id') throw unsupported('sort needs field names');
          p.i++;
          let desc = true; // Logs Insights sorts descending by default
          if (p.isKw('asc')) {
            desc = false;
            p.i++;
          } else if (p.isKw('desc')) p.i++;
          return { name: t.v, desc };
        }),
      };
      break;
    case 'limit': {
      const t = p.peek();
      if (t?.t !== 'num' || !Number.isInteger(t.v) || t.v < 1 || t.v > 10_000)
        throw unsupported('limit must be 1-10000');
      p.i++;
      cmd = { c: 'limit', n: t.v };
      break;
    }
    case 'display':
      cmd = {
        c: 'display',
        names: list(() => {
          const t = p.peek();
          if (t?.t !== 'id') throw unsupported('display needs field names');
          p.i++;
          return t.v;
        }),
      };
      break;
    case 'unnest': {
      const from = p.peek();
      p.i++;
      if (from?.t !== 'id' || !p.isKw('into')) throw unsupported('unnest <field> into <name>');
      p.i++;
      const into = p.peek();
      p.i++;
      if (into?.t !== 'id') throw unsupported('unnest <field> into <name>');
      cmd = { c: 'unnest', from: from.v, into: into.v };
      break;
    }
    case 'parse': {
      const field = p.primary();
      const pat = p.peek();
      p.i++;
      if (pat?.t === 're') {
        const re = toRegExp(pat.v);
        const names = [...pat.v.matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((m) => m[1] as string);
        cmd = { c: 'parse', field, re, names };
      } else if (pat?.t === 'str') {
        if (!p.isKw('as')) throw unsupported('parse "<glob>" as a, b');
        p.i++;
        const names = list(() => {
          const t = p.peek();
          if (t?.t !== 'id') throw unsupported('parse names');
          p.i++;
          return t.v;
        });
        cmd = { c: 'parse', field, re: globToRegExp(pat.v, names), names };
      } else throw unsupported('parse needs a regex or a glob pattern');
      break;
    }
    default:
      throw unsupported(`command "${name}"`);
  }
  if (!p.done()) throw unsupported(`trailing tokens in ${name}`);
  return cmd;
}

/**
 * Parses a Logs Insights query of the supported subset, throwing on anything else (so a query that runs
 * locally is one whose every command the evaluator understood).
 *
 * @param query - The query text.
 * @returns The number of commands.
 * @throws {@link WafInsightsError} `UNSUPPORTED_QUERY` naming the construct.
 * @example
 * ```ts
 * validateLogsInsightsQuery('fields @timestamp | limit 5'); // 2
 * ```
 */
export function validateLogsInsightsQuery(query: string): number {
  return splitCommands(lex(query)).map(parseCommand).length;
}

/**
 * Runs a Logs Insights query locally over events, for offline tests and dry runs on a sample file before
 * paying for a scan.
 *
 * @param query - A query of the supported subset.
 * @param events - The events (`@message` text and `@timestamp`).
 * @returns Result fields and rows (aggregates as numbers).
 * @throws {@link WafInsightsError} `UNSUPPORTED_QUERY` for syntax outside the subset.
 * @example
 * ```ts
 * const out = runLogsInsightsQuery(compileLogsInsights(getQuestion('top-ips')), events);
 * ```
 */
export function runLogsInsightsQuery(
  query: string,
  events: Iterable<LogsInsightsEvent>,
): LogsInsightsLocalResult {
  const commands = splitCommands(lex(query)).map(parseCommand);
  let rows: Row[] = [];
  for (const ev of events) {
    let json: unknown;
    try {
      json = JSON.parse(ev.message);
    } catch {
      json = undefined;
    }
    rows.push({
      discovered: {
        '@message': ev.message,
        '@timestamp': ev.timestamp,
        '@logStream': ev.logStream ?? 'local',
        '@json': json,
      },
      computed: new Map(),
    });
  }
  let outFields: string[] | undefined;
  let statsDone = false;
  for (const cmd of commands) {
    switch (cmd.c) {
      case 'fields':
        for (const r of rows) {
          const vals = cmd.items.map((it) => evalExpr(it.e, r));
          cmd.items.forEach((it, i) => {
            r.computed.set(it.as, vals[i]);
          });
        }
        if (!statsDone) outFields = [...new Set([...(outFields ?? []), ...cmd.items.map((i) => i.as)])];
        break;
      case 'filter':
        rows = rows.filter((r) => truthy(evalExpr(cmd.e, r)));
        break;
      case 'unnest': {
        const next: Row[] = [];
        for (const r of rows) {
          const v = lookupStructured(r, cmd.from);
          const items = Array.isArray(v) ? v : [v];
          for (const item of items) {
            const computed = new Map(r.computed);
            computed.set(cmd.into, item);
            next.push({ discovered: r.discovered, computed });
          }
        }
        rows = next;
        break;
      }
      case 'parse':
        for (const r of rows) {
          const v = evalExpr(cmd.field, r);
          const m = typeof v === 'string' ? cmd.re.exec(v) : null;
          cmd.names.forEach((n, i) => {
            const g = m ? (m.groups?.[n] ?? m[i + 1]) : undefined;
            if (g !== undefined) r.computed.set(n, g);
            else r.computed.delete(n);
          });
        }
        break;
      case 'stats': {
        const groups = new Map<
          string,
          {
            keys: Value[];
            acc: Array<{ n: number; sum: number; min?: Value; max?: Value; set?: Set<string> }>;
          }
        >();
        for (const r of rows) {
          const keys = cmd.by.map((b) => evalExpr(b.e, r));
          const id = JSON.stringify(keys.map((k) => (k === undefined ? null : k)));
          let g = groups.get(id);
          if (!g) {
            g = {
              keys,
              acc: cmd.aggs.map((a) => ({
                n: 0,
                sum: 0,
                set: a.fn === 'count_distinct' ? new Set<string>() : undefined,
              })),
            };
            groups.set(id, g);
          }
          cmd.aggs.forEach((a, i) => {
            const acc = g.acc[i] as { n: number; sum: number; min?: Value; max?: Value; set?: Set<string> };
            if (!a.arg) {
              acc.n++;
              return;
            }
            const v = evalExpr(a.arg, r);
            if (isMissing(v)) return;
            acc.n++;
            acc.set?.add(typeof v === 'object' ? JSON.stringify(v) : String(v));
            const num = Number(v);
            if (!Number.isNaN(num)) acc.sum += num;
            if (acc.min === undefined || (compare(v, acc.min) ?? 0) < 0) acc.min = v;
            if (acc.max === undefined || (compare(v, acc.max) ?? 0) > 0) acc.max = v;
          });
        }
        rows = [...groups.values()].map((g) => {
          const computed = new Map<string, Value>();
          cmd.by.forEach((b, i) => {
            computed.set(b.as, g.keys[i]);
          });
          cmd.aggs.forEach((a, i) => {
            const acc = g.acc[i] as { n: number; sum: number; min?: Value; max?: Value; set?: Set<string> };
            const v =
              a.fn === 'count'
                ? acc.n
                : a.fn === 'count_distinct'
                  ? (acc.set?.size ?? 0)
                  : a.fn === 'sum'
                    ? acc.sum
                    : a.fn === 'avg'
                      ? acc.n
                        ? acc.sum / acc.n
                        : undefined
                      : a.fn === 'min'
                        ? acc.min
                        : acc.max;
            computed.set(a.as, v);
          });
          return { discovered: {}, computed };
        });
        outFields = [...cmd.by.map((b) => b.as), ...cmd.aggs.map((a) => a.as)];
        statsDone = true;
        break;
      }
      case 'sort':
        rows.sort((a, b) => {
          for (const k of cmd.keys) {
            const va = lookup(a, k.name);
            const vb = lookup(b, k.name);
            if (isMissing(va) !== isMissing(vb)) return isMissing(va) ? 1 : -1;
            const c = compare(va, vb) ?? 0;
            if (c !== 0) return k.desc ? -c : c;
          }
          return 0;
        });
        break;
      case 'limit':
        rows = rows.slice(0, cmd.n);
        break;
      case 'display':
        outFields = cmd.names;
        break;
    }
  }
  const fields = outFields ?? ['@timestamp', '@message'];
  return {
    fields,
    rows: rows.map((r) => {
      const o: Record<string, string | number | boolean | null> = {};
      for (const f of fields) {
        const v = lookup(r, f);
        if (v !== undefined) o[f] = v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
      }
      return o;
    }),
  };
}

function lookupStructured(row: Row, name: string): unknown {
  if (row.computed.has(name)) return row.computed.get(name);
  for (const [head, rest] of fieldPath(name).heads)
    if (row.computed.has(head)) return traverse(row.computed.get(head), rest);
  return undefined;
}
