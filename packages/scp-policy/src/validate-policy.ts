import { invalidOption } from './errors.js';
import type { Finding } from './finding.js';
import { SESSION_NAME_PATTERN } from './input-validation.js';
import { type CustomLimitProfile, type LimitProfileName, resolveLimits } from './limits.js';
import { measurePolicy, type PolicyDocument, serializePolicy } from './policy-document.js';
import { parseDateValue, SUPPORTED_OPERATORS } from './policy-evaluator.js';

/** Options of {@link validatePolicy}. */
export interface ValidatePolicyOptions {
  /** The document type: an SCP, an IAM identity policy, or a permission-set inline policy. */
  type: 'scp' | 'iam' | 'permission-set';
  /** Limit profile for the size check. @defaultValue `'aws-2026-05'` */
  limits?: LimitProfileName | CustomLimitProfile;
  /** For `iam`: size against a managed policy or a role's inline budget. @defaultValue `'managed'` */
  iamPolicyKind?: 'managed' | 'role-inline';
}

/** What {@link validatePolicy} returns. */
export interface PolicyValidation {
  /** True when no `error` finding was reported. */
  valid: boolean;
  /** Size as AWS counts it for the type (whitespace counts for SCPs). */
  size: number;
  maxSize: number;
  findings: Finding[];
}

const VALID_OPERATORS = new Set([...SUPPORTED_OPERATORS, 'IpAddress', 'NotIpAddress', 'BinaryEquals']);
const SINGLE_VALUED = new Set([
  'aws:userid',
  'aws:sourceidentity',
  'aws:principalarn',
  'aws:tokenissuetime',
  'identitystore:userid',
]);
const DOC_KEYS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const glob = (p: string): RegExp =>
  new RegExp(
    `^${p
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeRegex(c)))
      .join('')}$`,
    's',
  );

/**
 * Validates a policy document for its type: size against the limit profile (whitespace counted for SCPs,
 * not for IAM), ASCII, `Version`, Sid charset and uniqueness, SCP restrictions (no `Principal`), required
 * elements, condition operators, value types and date formats; and lints revocation conditions for
 * over-broad patterns (`*`, `*:*@corp.com`), duplicates and shadowed values. Never throws for a bad
 * document: every problem is a finding naming its element.
 *
 * @param input - JSON text (measured exactly as given) or a parsed document (measured minified).
 * @param options - Type and limits.
 * @throws {@link ScpPolicyError} `INVALID_OPTION` for a bad `type` or limit profile.
 * @example
 * ```ts
 * const { valid, findings } = validatePolicy(await readFile('revoke.json', 'utf8'), { type: 'scp' });
 * ```
 */
export function validatePolicy(
  input: string | PolicyDocument,
  options: ValidatePolicyOptions,
): PolicyValidation {
  if (
    typeof options !== 'object' ||
    options === null ||
    !['scp', 'iam', 'permission-set'].includes(options.type)
  ) {
    throw invalidOption('type', `'scp', 'iam' or 'permission-set'`);
  }
  const profile = resolveLimits(options.limits);
  const limit =
    options.type === 'scp'
      ? profile.scp
      : options.type === 'permission-set'
        ? profile.permissionSetInline
        : options.iamPolicyKind === 'role-inline'
          ? profile.roleInline
          : profile.iamManaged;
  const findings: Finding[] = [];
  const add = (severity: Finding['severity'], code: string, path: string, message: string): void => {
    findings.push({ severity, code, path, message: `${path}: ${message}` });
  };
  const text = typeof input === 'string' ? input : serializePolicy(input);
  const size = measurePolicy(text, limit.countsWhitespace);
  const result = (): PolicyValidation => ({
    valid: !findings.some((f) => f.severity === 'error'),
    size,
    maxSize: limit.maxSize,
    findings,
  });
  if (size > limit.maxSize) {
    add(
      'error',
      'SIZE_LIMIT_EXCEEDED',
      '$',
      `${size} characters exceed the ${limit.maxSize} allowed (${profile.name}${limit.countsWhitespace ? ', whitespace counts' : ''})`,
    );
  }
  if (options.type === 'scp' ? /[^\x20-\x7e\t\n\r]/.test(text) : /[^\x20-\xff\t\n\r]/.test(text)) {
    add(
      'error',
      'INVALID_CHARACTER',
      '$',
      options.type === 'scp'
        ? 'keep SCPs pure ASCII so bytes and characters agree'
        : 'IAM allows only TAB, LF, CR and U+0020–U+00FF',
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    add('error', 'MALFORMED_JSON', '$', 'not valid JSON');
    return result();
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    add('error', 'MALFORMED_POLICY', '$', 'a policy is one JSON object');
    return result();
  }
  const d = doc as Record<string, unknown>;
  for (const key of Object.keys(d))
    if (!DOC_KEYS.has(key)) add('error', 'UNKNOWN_ELEMENT', key, 'is not a policy element');
  if (d.Version === undefined)
    add(
      options.type === 'scp' ? 'error' : 'warning',
      'VERSION_MISSING',
      'Version',
      'add "Version": "2012-10-17"',
    );
  else if (d.Version !== '2012-10-17')
    add('error', 'VERSION_INVALID', 'Version', 'must be "2012-10-17" (policy variables need it)');
  const raw = d.Statement;
  if (typeof raw !== 'object' || raw === null) {
    add('error', 'STATEMENT_MISSING', 'Statement', 'is required');
    return result();
  }
  const statements = Array.isArray(raw) ? raw : [raw];
  const sids = new Map<string, number>();
  statements.forEach((s, i) => {
    const p = Array.isArray(raw) ? `Statement[${i}]` : 'Statement';
    if (typeof s !== 'object' || s === null || Array.isArray(s)) {
      add('error', 'MALFORMED_STATEMENT', p, 'is not an object');
      return;
    }
    const st = s as Record<string, unknown>;
    for (const key of Object.keys(st))
      if (!STATEMENT_KEYS.has(key))
        add('error', 'UNKNOWN_ELEMENT', `${p}.${key}`, 'is not a statement element');
    if (st.Sid !== undefined) {
      if (typeof st.Sid !== 'string' || !/^[A-Za-z0-9]*$/.test(st.Sid))
        add('error', 'SID_CHARSET', `${p}.Sid`, 'only letters and digits are allowed');
      else if (sids.has(st.Sid))
        add('error', 'SID_DUPLICATE', `${p}.Sid`, `duplicates Statement[${sids.get(st.Sid)}].Sid`);
      else sids.set(st.Sid, i);
    }
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny')
      add('error', 'EFFECT_INVALID', `${p}.Effect`, 'must be "Allow" or "Deny"');
    for (const key of ['Principal', 'NotPrincipal']) {
      if (st[key] !== undefined) {
        add(
          'error',
          options.type === 'scp' ? 'PRINCIPAL_IN_SCP' : 'PRINCIPAL_IN_IDENTITY_POLICY',
          `${p}.${key}`,
          options.type === 'scp'
            ? 'SCPs do not support Principal/NotPrincipal; use aws:PrincipalArn conditions'
            : 'identity policies do not take a Principal',
        );
      }
    }
    for (const [a, b] of [
      ['Action', 'NotAction'],
      ['Resource', 'NotResource'],
    ] as const) {
      if (st[a] === undefined && st[b] === undefined)
        add('error', `${a.toUpperCase()}_MISSING`, p, `needs ${a} or ${b}`);
      if (st[a] !== undefined && st[b] !== undefined)
        add('error', `${a.toUpperCase()}_CONFLICT`, p, `has both ${a} and ${b}`);
      for (const key of [a, b]) {
        const v = st[key];
        if (v === undefined) continue;
        const list = Array.isArray(v) ? v : [v];
        if (list.length === 0 || !list.every((x) => typeof x === 'string'))
          add('error', 'VALUE_TYPE', `${p}.${key}`, 'must be a string or a non-empty array of strings');
      }
    }
    if (st.Condition !== undefined) checkCondition(st.Condition, `${p}.Condition`, st.Effect === 'Deny', add);
  });
  return result();
}

function checkCondition(
  condition: unknown,
  path: string,
  isDeny: boolean,
  add: (severity: Finding['severity'], code: string, path: string, message: string) => void,
): void {
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) {
    add('error', 'CONDITION_TYPE', path, 'must be an object of operators');
    return;
  }
  for (const [operator, block] of Object.entries(condition)) {
    const op = `${path}.${operator}`;
    const setPrefix = /^(ForAnyValue|ForAllValues):/.exec(operator)?.[0];
    const bare = operator.replace(/^(ForAnyValue|ForAllValues):/, '');
    const base = bare.endsWith('IfExists') ? bare.slice(0, -8) : bare;
    if (!VALID_OPERATORS.has(base) || (base === 'Null' && bare !== base)) {
      add('error', 'UNKNOWN_OPERATOR', op, `${operator} is not a condition operator`);
      continue;
    }
    if (typeof block !== 'object' || block === null || Array.isArray(block)) {
      add('error', 'CONDITION_TYPE', op, 'must map condition keys to values');
      continue;
    }
    for (const [key, value] of Object.entries(block as Record<string, unknown>)) {
      const kp = `${op}.${key}`;
      const list = Array.isArray(value) ? value : [value];
      if (list.length === 0 || !list.every((v) => ['string', 'boolean', 'number'].includes(typeof v))) {
        add('error', 'CONDITION_VALUE_TYPE', kp, 'values must be strings, booleans or numbers');
        continue;
      }
      const strings = list.map(String);
      if (setPrefix && SINGLE_VALUED.has(key.toLowerCase())) {
        add(
          'warning',
          'SET_OPERATOR_ON_SINGLE_VALUED_KEY',
          kp,
          `${setPrefix} is for multi-valued keys; ${key} is single-valued`,
        );
      }
      if (base.startsWith('Date')) {
        strings.forEach((v, i) => {
          if (Number.isNaN(parseDateValue(v)))
            add('error', 'DATE_FORMAT', `${kp}[${i}]`, `"${v}" is not a W3C ISO-8601 date or epoch seconds`);
        });
      }
      if (base === 'Bool' || base === 'Null') {
        strings.forEach((v, i) => {
          if (v !== 'true' && v !== 'false')
            add('error', 'BOOLEAN_FORMAT', `${kp}[${i}]`, 'must be "true" or "false"');
        });
      }
      const seen = new Map<string, number>();
      strings.forEach((v, i) => {
        if (seen.has(v)) add('warning', 'DUPLICATE_VALUE', `${kp}[${i}]`, `duplicates ${kp}[${seen.get(v)}]`);
        else seen.set(v, i);
      });
      lintIdentityValues(base, key.toLowerCase(), strings, kp, isDeny, add);
    }
  }
}

function lintIdentityValues(
  base: string,
  key: string,
  values: string[],
  kp: string,
  isDeny: boolean,
  add: (severity: Finding['severity'], code: string, path: string, message: string) => void,
): void {
  if (!isDeny) return;
  const like = base === 'StringLike';
  if (key === 'aws:userid' && (like || base === 'StringEquals')) {
    values.forEach((v, i) => {
      const p = `${kp}[${i}]`;
      const colon = v.indexOf(':');
      const name = colon >= 0 ? v.slice(colon + 1) : v;
      if (like && (v === '*' || /[*?]/.test(name) || (colon < 0 && /[*?]/.test(v)))) {
        add(
          'error',
          'OVER_BROAD_PATTERN',
          p,
          `"${v}" matches more than one session name; name each user exactly ("*:<session-name>")`,
        );
      } else if (!like && v.startsWith('*:')) {
        add(
          'error',
          'WILDCARD_WITH_EQUALS',
          p,
          'StringEquals does not expand "*"; this value never matches, use StringLike',
        );
      } else if (colon >= 0 && !SESSION_NAME_PATTERN.test(name)) {
        add(
          'warning',
          'INVALID_SESSION_NAME',
          p,
          `"${name}" is not a valid role session name (2–64 of [\\w+=,.@-])`,
        );
      }
    });
  }
  if ((key === 'aws:sourceidentity' || key === 'identitystore:userid') && like) {
    values.forEach((v, i) => {
      if (/[*?]/.test(v))
        add(
          'error',
          'OVER_BROAD_PATTERN',
          `${kp}[${i}]`,
          `"${v}" is a pattern; revoke identities by exact value`,
        );
    });
  }
  if (like) {
    // A value another pattern of the same list already matches is shadowed (dead weight in a size-limited SCP).
    const patterns = values.map((v, i) => ({ v, i, re: /[*?]/.test(v) ? glob(v) : undefined }));
    for (const a of patterns) {
      const by = patterns.find((b) => b.i !== a.i && b.v !== a.v && b.re?.test(a.v));
      if (by)
        add('warning', 'SHADOWED_VALUE', `${kp}[${a.i}]`, `is already matched by ${kp}[${by.i}] ("${by.v}")`);
    }
  }
}
