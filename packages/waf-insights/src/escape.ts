import { invalidParameter } from './errors.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Rejects a query parameter that contains control characters (newlines, NUL, ...). WAF logs never carry
 * them in the fields questions filter on (URIs and labels are URL-encoded or restricted), and refusing
 * them removes a whole class of injection into line-oriented query languages.
 *
 * @param name - The parameter's name, used in the error.
 * @param value - The value.
 * @throws {@link WafInsightsError} `INVALID_PARAMETER` naming `name`.
 * @example
 * ```ts
 * assertSafeParameter('ip', '198.51.100.7');
 * ```
 */
export function assertSafeParameter(name: string, value: string): void {
  if (typeof value !== 'string') throw invalidParameter(name, 'a string');
  if (CONTROL.test(value))
    throw invalidParameter(name, 'a value without control characters (newlines, tabs, NUL)');
}

/**
 * Quotes a value as a CloudWatch Logs Insights double-quoted string literal (`\` and `"` escaped).
 *
 * @param value - Parameter value without control characters.
 * @throws {@link WafInsightsError} `INVALID_PARAMETER` when the value contains control characters.
 * @example
 * ```ts
 * logsInsightsString('a"b'); // "a\"b"
 * ```
 */
export function logsInsightsString(value: string): string {
  assertSafeParameter('value', value);
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * Escapes a value for use inside a Logs Insights `/regex/` literal so it matches itself literally: every
 * ASCII character other than letters, digits and `_` is backslash-escaped (including the `/` delimiter).
 *
 * @param value - Parameter value without control characters.
 * @throws {@link WafInsightsError} `INVALID_PARAMETER` when the value contains control characters.
 * @example
 * ```ts
 * logsInsightsRegexLiteral('/a.b'); // \/a\.b
 * ```
 */
export function logsInsightsRegexLiteral(value: string): string {
  assertSafeParameter('value', value);
  return value.replace(/[\x20-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7e]/g, (c) => `\\${c}`);
}

/**
 * Quotes a value as a SQL string literal for Athena (Trino) and DuckDB: `'` doubled; neither dialect
 * treats backslash as an escape in standard literals.
 *
 * @param value - Parameter value without control characters.
 * @throws {@link WafInsightsError} `INVALID_PARAMETER` when the value contains control characters.
 * @example
 * ```ts
 * sqlString("O'Brien"); // 'O''Brien'
 * ```
 */
export function sqlString(value: string): string {
  assertSafeParameter('value', value);
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Quotes a SQL identifier with double quotes (`"` doubled).
 *
 * @param name - Identifier.
 * @example
 * ```ts
 * sqlIdentifier('timestamp'); // "timestamp"
 * ```
 */
export function sqlIdentifier(name: string): string {
  assertSafeParameter('identifier', name);
  return `"${name.replace(/"/g, '""')}"`;
}
