import { ScpPolicyError, ScpPolicyErrorCode } from './errors.js';
import { type PolicyDocument, type PolicyStatement, parsePolicy, statementsOf } from './policy-document.js';

/**
 * A request as a policy sees it: the action, the resource and the global condition keys. Key names are
 * matched case-insensitively, like AWS does; a key that is absent is simply not in `keys`.
 */
export interface RequestContext {
  /** The action, e.g. `s3:GetObject`. */
  action: string;
  /** The resource ARN. @defaultValue `'*'` */
  resource?: string;
  /** Condition keys and their values (dates as ISO-8601 text or epoch seconds). */
  keys: Readonly<Record<string, string | readonly string[]>>;
}

/** The outcome of {@link evaluate}. */
export type Decision = 'explicit-deny' | 'allow' | 'implicit-deny';

/** A statement that matched the request. */
export interface MatchedStatement {
  /** Index of the policy in the list given to {@link evaluate}. */
  policyIndex: number;
  /** Index of the statement within that policy. */
  statementIndex: number;
  /** The statement's Sid, if any. */
  sid?: string;
  effect: 'Allow' | 'Deny';
}

/** What {@link evaluate} returns. */
export interface EvaluationResult {
  /** `explicit-deny` if any Deny statement matched, else `allow` if an Allow matched, else `implicit-deny`. */
  decision: Decision;
  /** Every statement that matched, in order. */
  matched: MatchedStatement[];
}

/** A policy set compiled once and evaluated many times; see {@link compilePolicies}. */
export interface CompiledPolicies {
  /** Evaluates one request context. */
  evaluate(context: RequestContext): EvaluationResult;
}

type Matcher = (value: string) => boolean;

const unsupported = (path: string, what: string): ScpPolicyError =>
  new ScpPolicyError(ScpPolicyErrorCode.UNSUPPORTED_POLICY, `${path}: ${what}`, { path });

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Glob to regex: `*` any run (incl. empty), `?` exactly one character. */
function globRegex(pattern: string, flags = ''): RegExp {
  const body = pattern
    .split('')
    .map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : escapeRegex(c)))
    .join('');
  return new RegExp(`^${body}$`, flags);
}

/**
 * A fast matcher for many glob patterns: exact literals in a set, leading-`*` suffix patterns (the
 * `*:<session-name>` shape) in a set probed with every suffix, anything else as regexes.
 */
function globSetMatcher(patterns: readonly string[]): Matcher {
  const exact = new Set<string>();
  const suffixes = new Set<string>();
  const regexes: RegExp[] = [];
  let matchAll = false;
  for (const p of patterns) {
    if (!/[*?]/.test(p)) exact.add(p);
    else if (p === '*') matchAll = true;
    else if (p.startsWith('*') && !/[*?]/.test(p.slice(1))) suffixes.add(p.slice(1));
    else regexes.push(globRegex(p));
  }
  // Only probe suffixes starting with a character some suffix pattern starts with (for `*:<name>`, the
  // one `:` of a role session's userid), so a set of thousands of names costs one lookup, not a scan.
  const firstChars = new Set([...suffixes].map((x) => x[0]));
  const emptySuffix = suffixes.has('');
  return (value) => {
    if (matchAll || emptySuffix || exact.has(value)) return true;
    if (suffixes.size > 0) {
      for (const c of firstChars) {
        for (let i = value.indexOf(c as string); i >= 0; i = value.indexOf(c as string, i + 1)) {
          if (suffixes.has(value.slice(i))) return true;
        }
      }
    }
    return regexes.some((r) => r.test(value));
  };
}

function arnMatcher(patterns: readonly string[], path: string): Matcher {
  const exact = new Set<string>();
  const compiled: RegExp[][] = [];
  for (const p of patterns) {
    if (p.includes('${')) throw unsupported(path, 'policy variables are not supported by this evaluator');
    if (!/[*?]/.test(p)) exact.add(p);
    else compiled.push(splitArn(p).map((c) => globRegex(c)));
  }
  return (value) => {
    if (exact.has(value)) return true;
    if (compiled.length === 0) return false;
    const parts = splitArn(value);
    if (parts.length !== 6 || !value.startsWith('arn:')) return false;
    return compiled.some((regexes) => regexes.every((r, i) => r.test(parts[i] as string)));
  };
}

/** An ARN's six components; the resource part keeps its colons. */
function splitArn(arn: string): string[] {
  const parts = arn.split(':');
  if (parts.length < 6) return parts;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** Date in milliseconds from ISO-8601 text or epoch seconds; NaN when neither. */
export function parseDateValue(value: string): number {
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value))
    return Number.NaN;
  return Date.parse(value);
}

type ValueTest = (contextValue: string) => boolean;

const BASE_OPERATORS = new Set([
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'ArnEquals',
  'ArnNotEquals',
  'ArnLike',
  'ArnNotLike',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'Bool',
  'Null',
]);

/** The condition operators the evaluator supports (each also with `IfExists`, except `Null`). */
export const SUPPORTED_OPERATORS: readonly string[] = [...BASE_OPERATORS];

const isNegated = (op: string): boolean => op.includes('Not');

/** Builds "does any policy value match this context value" for a positive base operator. */
function positiveTest(base: string, values: string[], path: string): ValueTest {
  switch (base) {
    case 'StringEquals': {
      const set = new Set(values);
      return (v) => set.has(v);
    }
    case 'StringEqualsIgnoreCase': {
      const set = new Set(values.map((x) => x.toLowerCase()));
      return (v) => set.has(v.toLowerCase());
    }
    case 'StringLike': {
      if (values.some((x) => x.includes('${'))) {
        throw unsupported(path, 'policy variables are not supported by this evaluator');
      }
      return globSetMatcher(values);
    }
    case 'ArnEquals':
    case 'ArnLike':
      return arnMatcher(values, path);
    case 'DateEquals':
    case 'DateLessThan':
    case 'DateLessThanEquals':
    case 'DateGreaterThan':
    case 'DateGreaterThanEquals': {
      const times = values.map((x) => {
        const t = parseDateValue(x);
        if (Number.isNaN(t)) throw unsupported(path, `"${x}" is not an ISO-8601 date or epoch seconds`);
        return t;
      });
      const cmp: Record<string, (a: number, b: number) => boolean> = {
        DateEquals: (a, b) => a === b,
        DateLessThan: (a, b) => a < b,
        DateLessThanEquals: (a, b) => a <= b,
        DateGreaterThan: (a, b) => a > b,
        DateGreaterThanEquals: (a, b) => a >= b,
      };
      const f = cmp[base] as (a: number, b: number) => boolean;
      return (v) => {
        const t = parseDateValue(v);
        return !Number.isNaN(t) && times.some((p) => f(t, p));
      };
    }
    case 'NumericEquals':
    case 'NumericLessThan':
    case 'NumericLessThanEquals':
    case 'NumericGreaterThan':
    case 'NumericGreaterThanEquals': {
      const nums = values.map((x) => {
        const n = Number(x);
        if (x.trim() === '' || Number.isNaN(n)) throw unsupported(path, `"${x}" is not a number`);
        return n;
      });
      const cmp: Record<string, (a: number, b: number) => boolean> = {
        NumericEquals: (a, b) => a === b,
        NumericLessThan: (a, b) => a < b,
        NumericLessThanEquals: (a, b) => a <= b,
        NumericGreaterThan: (a, b) => a > b,
        NumericGreaterThanEquals: (a, b) => a >= b,
      };
      const f = cmp[base] as (a: number, b: number) => boolean;
      return (v) => {
        const n = Number(v);
        return v.trim() !== '' && !Number.isNaN(n) && nums.some((p) => f(n, p));
      };
    }
    case 'Bool': {
      const set = new Set(values.map((x) => x.toLowerCase()));
      return (v) => set.has(v.toLowerCase());
    }
    default:
      throw unsupported(path, `condition operator ${base} is not supported`);
  }
}

const POSITIVE_OF: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
  DateNotEquals: 'DateEquals',
  NumericNotEquals: 'NumericEquals',
};

type KeyTest = (keys: ReadonlyMap<string, readonly string[]>) => boolean;

function compileConditionEntry(operator: string, key: string, raw: unknown, path: string): KeyTest {
  let op = operator;
  let setMode: 'any' | 'all' | undefined;
  if (op.startsWith('ForAnyValue:')) {
    setMode = 'any';
    op = op.slice('ForAnyValue:'.length);
  } else if (op.startsWith('ForAllValues:')) {
    setMode = 'all';
    op = op.slice('ForAllValues:'.length);
  }
  const ifExists = op.endsWith('IfExists');
  const base = ifExists ? op.slice(0, -'IfExists'.length) : op;
  if (!BASE_OPERATORS.has(base) || (base === 'Null' && ifExists)) {
    throw unsupported(path, `condition operator ${operator} is not supported`);
  }
  const list = Array.isArray(raw) ? raw : [raw];
  const values = list.map((v) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'boolean' || typeof v === 'number') return String(v);
    throw unsupported(path, 'condition values must be strings, booleans or numbers');
  });
  const lowerKey = key.toLowerCase();
  if (base === 'Null') {
    const wantsAbsent = values.map((v) => v.toLowerCase() === 'true');
    return (keys) => {
      const absent = !keys.has(lowerKey) || (keys.get(lowerKey) as readonly string[]).length === 0;
      return wantsAbsent.some((w) => w === absent);
    };
  }
  const negated = isNegated(base);
  const positive = positiveTest(negated ? (POSITIVE_OF[base] as string) : base, values, path);
  return (keys) => {
    const present = keys.get(lowerKey);
    if (present === undefined || present.length === 0) {
      // Missing key: ForAllValues is vacuously true, IfExists and negated operators match, the rest don't.
      if (setMode === 'all') return true;
      if (setMode === 'any') return false;
      return ifExists || negated;
    }
    if (setMode === 'all') return present.every((v) => (negated ? !positive(v) : positive(v)));
    if (setMode === 'any') return present.some((v) => (negated ? !positive(v) : positive(v)));
    const anyMatch = present.some(positive);
    return negated ? !anyMatch : anyMatch;
  };
}

interface CompiledStatement {
  policyIndex: number;
  statementIndex: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  action: (a: string) => boolean;
  resource: (r: string) => boolean;
  condition: KeyTest[];
}

const listOf = (v: unknown, path: string): string[] => {
  const arr = Array.isArray(v) ? v : [v];
  if (!arr.every((x) => typeof x === 'string')) throw unsupported(path, 'expected strings');
  return arr as string[];
};

function compileStatement(
  statement: PolicyStatement,
  policyIndex: number,
  statementIndex: number,
): CompiledStatement {
  const path = `policies[${policyIndex}].Statement[${statementIndex}]`;
  if (statement.Principal !== undefined || statement.NotPrincipal !== undefined) {
    throw unsupported(path, 'Principal/NotPrincipal (resource policies) are outside the evaluated fragment');
  }
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny')
    throw unsupported(path, 'Effect must be Allow or Deny');
  const hasAction = statement.Action !== undefined;
  if (hasAction === (statement.NotAction !== undefined))
    throw unsupported(path, 'needs exactly one of Action, NotAction');
  const actions = globSetMatcherCaseInsensitive(
    listOf(hasAction ? statement.Action : statement.NotAction, path),
  );
  const hasResource = statement.Resource !== undefined;
  if (hasResource && statement.NotResource !== undefined)
    throw unsupported(path, 'has both Resource and NotResource');
  const resources =
    hasResource || statement.NotResource !== undefined
      ? resourceMatcher(listOf(hasResource ? statement.Resource : statement.NotResource, path))
      : () => true;
  const condition: KeyTest[] = [];
  for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
    if (typeof block !== 'object' || block === null)
      throw unsupported(`${path}.Condition.${operator}`, 'expected an object');
    for (const [key, raw] of Object.entries(block)) {
      condition.push(compileConditionEntry(operator, key, raw, `${path}.Condition.${operator}.${key}`));
    }
  }
  const compiled: CompiledStatement = {
    policyIndex,
    statementIndex,
    effect: statement.Effect,
    action: hasAction ? actions : (a) => !actions(a),
    resource: hasResource || statement.NotResource === undefined ? resources : (r) => !resources(r),
    condition,
  };
  if (typeof statement.Sid === 'string') compiled.sid = statement.Sid;
  return compiled;
}

function resourceMatcher(patterns: string[]): Matcher {
  return patterns.includes('*') ? () => true : globSetMatcher(patterns);
}

function globSetMatcherCaseInsensitive(patterns: string[]): Matcher {
  if (patterns.includes('*')) return () => true;
  const m = globSetMatcher(patterns.map((p) => p.toLowerCase()));
  return (v) => m(v.toLowerCase());
}

/**
 * Compiles policies for repeated evaluation (the proof and the benchmark evaluate thousands of contexts).
 * Supports the fragment this package emits and reads: Effect, Action/NotAction, Resource/NotResource
 * wildcards, String*, Arn*, Date*, Numeric*, Bool and Null operators with `IfExists`, negation and
 * `ForAnyValue`/`ForAllValues`, multi-value OR and multi-key AND, and AWS's missing-key rules.
 *
 * @param policies - Parsed documents or JSON text (SCPs or identity policies).
 * @throws {@link ScpPolicyError} `UNSUPPORTED_POLICY` for constructs outside the fragment (policy
 * variables, IP or binary operators, Principal) and `MALFORMED_POLICY` for text that is not a policy.
 * @example
 * ```ts
 * const compiled = compilePolicies(result.documents.map((d) => d.json));
 * compiled.evaluate(ctx).decision; // 'explicit-deny'
 * ```
 */
export function compilePolicies(policies: readonly (PolicyDocument | string)[]): CompiledPolicies {
  const statements: CompiledStatement[] = [];
  policies.forEach((p, policyIndex) => {
    const doc = parsePolicy(p, `policies[${policyIndex}]`);
    statementsOf(doc).forEach((s, i) => {
      statements.push(compileStatement(s, policyIndex, i));
    });
  });
  return {
    evaluate(context) {
      const keys = new Map<string, readonly string[]>();
      for (const [k, v] of Object.entries(context.keys)) {
        keys.set(k.toLowerCase(), typeof v === 'string' ? [v] : v);
      }
      const resource = context.resource ?? '*';
      const matched: MatchedStatement[] = [];
      for (const s of statements) {
        if (!s.action(context.action) || !s.resource(resource)) continue;
        if (!s.condition.every((test) => test(keys))) continue;
        const m: MatchedStatement = {
          policyIndex: s.policyIndex,
          statementIndex: s.statementIndex,
          effect: s.effect,
        };
        if (s.sid !== undefined) m.sid = s.sid;
        matched.push(m);
      }
      const decision: Decision = matched.some((m) => m.effect === 'Deny')
        ? 'explicit-deny'
        : matched.some((m) => m.effect === 'Allow')
          ? 'allow'
          : 'implicit-deny';
      return { decision, matched };
    },
  };
}

/**
 * Evaluates one request against a set of policies: `explicit-deny` when any Deny statement matches (for
 * an SCP set, the request is blocked whatever else allows it), `allow` when only Allow statements match,
 * `implicit-deny` when nothing matches. Lists every matching statement.
 *
 * @param policies - Parsed documents or JSON text.
 * @param context - The request (see the `./testing` builders for realistic principals).
 * @throws {@link ScpPolicyError} `UNSUPPORTED_POLICY` or `MALFORMED_POLICY`; see {@link compilePolicies}.
 * @example
 * ```ts
 * evaluate([scp], { action: 's3:GetObject', keys: { 'aws:userid': 'AROAEXAMPLE:jdoe@example.com' } });
 * ```
 */
export function evaluate(
  policies: readonly (PolicyDocument | string)[],
  context: RequestContext,
): EvaluationResult {
  return compilePolicies(policies).evaluate(context);
}
