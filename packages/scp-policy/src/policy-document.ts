import { ScpPolicyError, ScpPolicyErrorCode } from './errors.js';

/** A condition block: operator → condition key → value(s). */
export type PolicyCondition = Record<
  string,
  Record<string, string | boolean | number | (string | boolean | number)[]>
>;

/** One IAM-language statement, as this package reads and writes it. */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: PolicyCondition;
}

/** An IAM-language policy document (SCP, identity policy or permission-set inline policy). */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  /** An array, or a single statement object as the IAM console writes `AWSRevokeOlderSessions`. */
  Statement: PolicyStatement[] | PolicyStatement;
}

const DOCUMENT_KEYS = ['Version', 'Id', 'Statement'] as const;
const STATEMENT_KEYS = [
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
] as const;

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sorted, deduplicated values; a single value collapses to a string (the shorter form). */
function canonicalValues(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const strings = value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  const unique = [...new Set(strings)].sort(byteOrder);
  const back = unique.map((s) => {
    const original = value.find((v) => (typeof v === 'string' ? v : JSON.stringify(v)) === s);
    return original;
  });
  return back.length === 1 ? back[0] : back;
}

function canonicalCondition(condition: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const operator of Object.keys(condition).sort(byteOrder)) {
    const block = condition[operator] as Record<string, unknown>;
    const keys: Record<string, unknown> = {};
    for (const key of Object.keys(block ?? {}).sort(byteOrder)) keys[key] = canonicalValues(block[key]);
    out[operator] = keys;
  }
  return out;
}

function canonicalStatement(statement: PolicyStatement): Record<string, unknown> {
  const source = statement as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of STATEMENT_KEYS) {
    if (source[key] === undefined) continue;
    if (key === 'Condition') out[key] = canonicalCondition(source[key] as Record<string, unknown>);
    else if (key === 'Principal' || key === 'NotPrincipal') out[key] = source[key];
    else out[key] = canonicalValues(source[key]);
  }
  for (const key of Object.keys(source).sort(byteOrder)) {
    if (!(STATEMENT_KEYS as readonly string[]).includes(key)) out[key] = source[key];
  }
  return out;
}

/**
 * Puts a policy in canonical form: keys in the order Version, Id, Statement and Sid, Effect, Action,
 * Resource, Condition; condition operators and keys sorted; values sorted (byte order) and deduplicated;
 * one-element arrays collapsed to strings. The statement list keeps its order (and its object form when
 * the document was written with a single statement object).
 *
 * @param document - A parsed policy.
 * @returns A new, canonical document.
 * @example
 * ```ts
 * canonicalizePolicy({ Statement: [{ Effect: 'Deny', Action: ['*'], Resource: '*' }], Version: '2012-10-17' });
 * // { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }
 * ```
 */
export function canonicalizePolicy(document: PolicyDocument): PolicyDocument {
  const source = document as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of DOCUMENT_KEYS) {
    if (source[key] === undefined) continue;
    if (key === 'Statement') {
      const s = source.Statement;
      out.Statement = Array.isArray(s)
        ? s.map((x) => canonicalStatement(x as PolicyStatement))
        : canonicalStatement(s as PolicyStatement);
    } else out[key] = source[key];
  }
  for (const key of Object.keys(source).sort(byteOrder)) {
    if (!(DOCUMENT_KEYS as readonly string[]).includes(key)) out[key] = source[key];
  }
  return out as unknown as PolicyDocument;
}

/**
 * Serializes a policy as minified canonical JSON: the exact string to send as `Content` (Organizations)
 * or `PolicyDocument` (IAM), byte-identical for the same input.
 *
 * @param document - A parsed policy.
 * @example
 * ```ts
 * const content = serializePolicy(doc); // '{"Version":"2012-10-17","Statement":[…]}'
 * ```
 */
export function serializePolicy(document: PolicyDocument): string {
  return JSON.stringify(canonicalizePolicy(document));
}

/**
 * Parses a policy from JSON text (or passes a parsed one through).
 *
 * @param input - JSON text or a parsed document.
 * @param label - How errors name the input, e.g. a file name.
 * @throws {@link ScpPolicyError} `MALFORMED_POLICY` when the text is not JSON or has no `Statement`.
 * @example
 * ```ts
 * const doc = parsePolicy(await readFile('deny.json', 'utf8'), 'deny.json');
 * ```
 */
export function parsePolicy(input: string | PolicyDocument, label = 'policy'): PolicyDocument {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new ScpPolicyError(ScpPolicyErrorCode.MALFORMED_POLICY, `${label} is not valid JSON`, {
        path: label,
      });
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ScpPolicyError(ScpPolicyErrorCode.MALFORMED_POLICY, `${label} is not a JSON object`, {
      path: label,
    });
  }
  const statement = (value as Record<string, unknown>).Statement;
  if (typeof statement !== 'object' || statement === null) {
    throw new ScpPolicyError(ScpPolicyErrorCode.MALFORMED_POLICY, `${label} has no Statement`, {
      path: `${label}.Statement`,
    });
  }
  return value as PolicyDocument;
}

/** The statements of a document as an array. */
export function statementsOf(document: PolicyDocument): PolicyStatement[] {
  return Array.isArray(document.Statement) ? document.Statement : [document.Statement];
}

/**
 * Measures policy text the way AWS counts it: Organizations counts every character of the `Content`
 * string, whitespace included (measured as UTF-8 bytes, so non-ASCII can't sneak under the limit); IAM
 * counts non-whitespace characters only. Generated documents are pure ASCII, so both readings agree.
 *
 * @param content - The exact string sent to AWS.
 * @param countsWhitespace - `true` for Organizations policies, `false` for IAM and permission sets.
 * @example
 * ```ts
 * measurePolicy('{ "a": 1 }', true); // 10
 * measurePolicy('{ "a": 1 }', false); // 7
 * ```
 */
export function measurePolicy(content: string, countsWhitespace: boolean): number {
  if (countsWhitespace) return Buffer.byteLength(content, 'utf8');
  return [...content.replace(/\s/g, '')].length;
}
