import type { QueryValue } from './query-result.js';

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint']);
const FLOAT_TYPES = new Set(['double', 'float', 'real']);

/**
 * Casts one `GetQueryResults` cell (always `VarCharValue` text, or absent for SQL NULL) to a JS value by
 * its `ColumnInfo.Type`: integer types to `number` (or `bigint` beyond 2^53), `double`/`real`/`float`
 * and `decimal` to `number` (`NaN`/`Infinity` spelled as Athena prints them), `boolean` to `true`/`false`.
 * Everything else, including `date`, `timestamp`, `array`, `map`, `row` and `json`, stays text, because
 * Athena prints nested values in a format that is not JSON.
 *
 * @param type - `ColumnInfo.Type`, e.g. `bigint`, `varchar`, `decimal(20,8)`.
 * @param text - `Datum.VarCharValue`; `undefined` means NULL.
 * @returns The typed value.
 * @example
 * ```ts
 * castAthenaValue('bigint', '3000000000'); // 3000000000
 * castAthenaValue('bigint', '9007199254740993'); // 9007199254740993n
 * ```
 */
export function castAthenaValue(type: string, text: string | undefined | null): QueryValue {
  if (text === undefined || text === null) return null;
  const base = type.toLowerCase().replace(/\(.*$/, '').trim();
  if (INTEGER_TYPES.has(base)) {
    if (!/^-?\d+$/.test(text)) return text;
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  }
  if (FLOAT_TYPES.has(base) || base === 'decimal') {
    if (text === 'NaN') return Number.NaN;
    if (text === 'Infinity') return Number.POSITIVE_INFINITY;
    if (text === '-Infinity') return Number.NEGATIVE_INFINITY;
    const n = Number(text);
    return text.trim() === '' || Number.isNaN(n) ? text : n;
  }
  if (base === 'boolean') {
    if (text === 'true') return true;
    if (text === 'false') return false;
    return text;
  }
  return text;
}

const MIB = 1024 * 1024;
const TIB = MIB * MIB;

/**
 * Estimates what Athena charges for a query that scanned `bytes`: `$5` per TB (`pricePerTerabyteUsd`),
 * rounded up to the next MB, with a 10 MB minimum for any query that scanned data. A query that scanned
 * nothing (DDL, reused results, cancelled before reading) costs 0.
 *
 * @param bytes - `Statistics.DataScannedInBytes`.
 * @param pricePerTerabyteUsd - Price per TiB scanned; check your Region's price.
 * @returns Cost in US dollars.
 * @see https://aws.amazon.com/athena/pricing/
 * @example
 * ```ts
 * athenaQueryCostUsd(1024 ** 4); // 5
 * athenaQueryCostUsd(1); // cost of 10 MB
 * ```
 */
export function athenaQueryCostUsd(bytes: number, pricePerTerabyteUsd = 5): number {
  if (!(bytes > 0)) return 0;
  const billedMb = Math.max(10, Math.ceil(bytes / MIB));
  return (billedMb * MIB * pricePerTerabyteUsd) / TIB;
}
