/**
 * Validation and normalisation of caller input before it is encrypted: a value that fails here is
 * asked for again (ElicitSlot) instead of being encrypted and stored.
 */

const WORDS: Readonly<Record<string, string>> = {
  zero: '0',
  oh: '0',
  o: '0',
  nought: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  for: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
};

const REPEAT: Readonly<Record<string, number>> = { double: 2, triple: 3 };

/**
 * Turns a spoken or typed digit string into digits only: strips spaces, dashes, dots and commas,
 * maps number words (`zero`/`oh`/`o` … `nine`) and `double`/`triple`. Returns `undefined` when
 * anything else is left (a word that is not a digit), so the caller re-prompts instead of guessing.
 *
 * @param input - Lex's `interpretedValue` (or `originalValue`) of a slot.
 * @returns The digits, or `undefined`.
 * @example
 * ```ts
 * normalizeSpokenDigits('oh two one three nine'); // '02139'
 * normalizeSpokenDigits('4111-1111 1111 1111');  // '4111111111111111'
 * normalizeSpokenDigits('double four five');      // '445'
 * ```
 */
export function normalizeSpokenDigits(input: string): string | undefined {
  if (typeof input !== 'string' || input.length > 256) return undefined;
  const tokens = input
    .toLowerCase()
    .split(/[\s,.\-_/]+/)
    .filter((t) => t.length > 0);
  let out = '';
  let repeat = 1;
  for (const token of tokens) {
    const times = REPEAT[token];
    if (times !== undefined) {
      if (repeat !== 1) return undefined;
      repeat = times;
      continue;
    }
    let digits: string | undefined;
    if (/^\d+$/.test(token)) digits = token;
    else digits = WORDS[token];
    if (digits === undefined) return undefined;
    out += (digits[0] as string).repeat(repeat - 1) + digits;
    repeat = 1;
  }
  if (repeat !== 1 || out.length === 0) return undefined;
  return out;
}

/**
 * Luhn (mod 10) check of a digit string.
 *
 * @param digits - Digits only.
 * @returns `true` when the check digit is right.
 * @example
 * ```ts
 * luhnCheck('4111111111111111'); // true
 * ```
 */
export function luhnCheck(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Tells whether `digits` is a plausible payment card number: 12 to 19 digits (ISO/IEC 7812) with a
 * valid Luhn check digit.
 *
 * @param digits - Digits only (normalise first).
 * @example
 * ```ts
 * isValidPan('4111111111111111'); // true
 * isValidPan('4111111111111112'); // false
 * ```
 */
export function isValidPan(digits: string): boolean {
  return /^\d{12,19}$/.test(digits) && luhnCheck(digits);
}

/**
 * Tells whether `value` is a US ZIP or ZIP+4 code as digits (`^\d{5}(\d{4})?$`); leading zeros count.
 *
 * @param value - Digits only (normalise first: `02139-1234` becomes `021391234`).
 * @example
 * ```ts
 * isValidZip('02139'); // true
 * isValidZip('2139');  // false: a number slot type dropped the leading zero
 * ```
 */
export function isValidZip(value: string): boolean {
  return /^\d{5}(\d{4})?$/.test(value);
}

/** Normalises and validates one slot value; return `undefined` to reject it (the slot is elicited again). */
export type SlotValidator = (value: string) => string | undefined;

/** Built-in validators by name: `pan` (card number) and `zip` (US ZIP / ZIP+4). */
export type BuiltInValidator = 'pan' | 'zip';

/** @internal */
export const BUILT_IN_VALIDATORS: Readonly<Record<BuiltInValidator, SlotValidator>> = {
  pan: (value) => {
    const digits = normalizeSpokenDigits(value);
    return digits !== undefined && isValidPan(digits) ? digits : undefined;
  },
  zip: (value) => {
    const digits = normalizeSpokenDigits(value);
    return digits !== undefined && isValidZip(digits) ? digits : undefined;
  },
};

/**
 * The masked form shown to operators by default: the last four characters, the rest as `*`
 * (values of four characters or fewer are fully masked).
 *
 * @param value - The plaintext.
 * @example
 * ```ts
 * maskValue('4111111111111111'); // '************1111'
 * ```
 */
export function maskValue(value: string): string {
  if (value.length <= 4) return '*'.repeat(value.length);
  return `${'*'.repeat(value.length - 4)}${value.slice(-4)}`;
}
