import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidPan, isValidZip, luhnCheck, maskValue, normalizeSpokenDigits } from '../src/index.js';
import { randomPan } from './helpers.js';

const WORD = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

describe('normalizeSpokenDigits', () => {
  it('maps number words, oh and separators to digits', () => {
    expect(normalizeSpokenDigits('oh two one three nine')).toBe('02139');
    expect(normalizeSpokenDigits('4111-1111 1111.1111')).toBe('4111111111111111');
    expect(normalizeSpokenDigits('Double four five')).toBe('445');
    expect(normalizeSpokenDigits('triple 7')).toBe('777');
  });

  it('returns undefined when a non-digit word is left', () => {
    expect(normalizeSpokenDigits('my card is 4111')).toBeUndefined();
    expect(normalizeSpokenDigits('')).toBeUndefined();
    expect(normalizeSpokenDigits('double')).toBeUndefined();
    expect(normalizeSpokenDigits('1'.repeat(300))).toBeUndefined();
  });

  it('recovers any digit string spoken as words with any separators (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{1,20}$/),
        fc.constantFrom(' ', '-', ', ', '  '),
        fc.boolean(),
        (digits, sep, words) => {
          const spoken = [...digits].map((d) => (words ? (WORD[Number(d)] as string) : d)).join(sep);
          expect(normalizeSpokenDigits(spoken)).toBe(digits);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never returns anything but digits (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (input) => {
        const out = normalizeSpokenDigits(input);
        if (out !== undefined) expect(out).toMatch(/^\d+$/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('luhnCheck', () => {
  it('accepts known test numbers and rejects a changed digit', () => {
    expect(luhnCheck('4111111111111111')).toBe(true);
    expect(luhnCheck('378282246310005')).toBe(true);
    expect(luhnCheck('4111111111111112')).toBe(false);
    expect(luhnCheck('41x1')).toBe(false);
  });

  it('detects every single-digit change (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 12, max: 19 }),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (length, at, delta) => {
          const pan = randomPan(length);
          const i = at % length;
          const changed = pan.slice(0, i) + ((Number(pan[i]) + delta) % 10) + pan.slice(i + 1);
          expect(luhnCheck(pan)).toBe(true);
          expect(luhnCheck(changed)).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('isValidPan', () => {
  it('accepts 12 to 19 digits with a valid check digit only', () => {
    expect(isValidPan(randomPan(12))).toBe(true);
    expect(isValidPan(randomPan(19))).toBe(true);
    expect(isValidPan(randomPan(11))).toBe(false);
    expect(isValidPan(randomPan(20))).toBe(false);
    expect(isValidPan('4111 1111 1111 1111')).toBe(false);
  });
});

describe('isValidZip', () => {
  it('accepts ZIP and ZIP+4 with leading zeros and nothing else', () => {
    expect(isValidZip('02139')).toBe(true);
    expect(isValidZip('021394307')).toBe(true);
    expect(isValidZip('2139')).toBe(false);
    expect(isValidZip('02139-4307')).toBe(false);
    expect(isValidZip('0213943')).toBe(false);
  });
});

describe('maskValue', () => {
  it('keeps at most the last four characters (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (value) => {
        const masked = maskValue(value);
        expect(masked.length).toBe(value.length);
        expect(masked.replace(/^\*+/, '').length).toBeLessThanOrEqual(4);
        if (value.length > 4) expect(masked.endsWith(value.slice(-4))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
