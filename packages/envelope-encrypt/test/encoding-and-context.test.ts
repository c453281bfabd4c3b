import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromAnyBase64, fromBase64Url, toBase64Url } from '../src/base64url.js';
import { contextMismatches, validateCallerContext } from '../src/encryption-context.js';
import { EnvelopeErrorCode, inspectCiphertext } from '../src/index.js';
import { thrown } from './helpers.js';

describe('toBase64Url / fromBase64Url', () => {
  it('round-trips any bytes through the Connect-safe alphabet without padding (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(fromBase64Url(text)).toEqual(Buffer.from(bytes));
      }),
      { numRuns: 200 },
    );
  });

  it('accepts only canonical text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const bytes = fromBase64Url(text);
        if (bytes !== undefined) expect(toBase64Url(bytes)).toBe(text);
      }),
      { numRuns: 300 },
    );
    expect(fromBase64Url('QQ==')).toBeUndefined();
    expect(fromBase64Url('QR')).toBeUndefined(); // non-zero trailing bits
    expect(fromBase64Url('a+b/')).toBeUndefined();
  });

  it('also reads standard padded base64, as Connect emits it (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), (bytes) => {
        const b = Buffer.from(bytes);
        expect(fromAnyBase64(b.toString('base64'))).toEqual(b);
        expect(fromAnyBase64(b.toString('base64url'))).toEqual(b);
      }),
      { numRuns: 200 },
    );
  });
});

describe('contextMismatches', () => {
  const key = fc.stringMatching(/^[a-z]{1,8}$/);
  const context = fc.dictionary(key, fc.string({ minLength: 1, maxLength: 10 }), { maxKeys: 5 });

  it('accepts a context equal to the expected one plus aws-crypto-public-key (property)', () => {
    fc.assert(
      fc.property(context, fc.boolean(), (expected, signed) => {
        const actual = signed ? { ...expected, 'aws-crypto-public-key': 'AAAA' } : { ...expected };
        expect(contextMismatches(expected, actual)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('names every missing, changed or extra key (property)', () => {
    fc.assert(
      fc.property(context, key, fc.string({ minLength: 1, maxLength: 10 }), (expected, extraKey, value) => {
        fc.pre(!(extraKey in expected) && extraKey !== 'binding');
        expect(contextMismatches(expected, { ...expected, [extraKey]: value })).toEqual([extraKey]);
        for (const k of Object.keys(expected)) {
          const { [k]: _dropped, ...missing } = expected;
          expect(contextMismatches(expected, missing)).toEqual([k]);
          expect(contextMismatches(expected, { ...expected, [k]: `${expected[k]}x` })).toEqual([k]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('allows the binding marker only with the value header', () => {
    expect(contextMismatches({ a: '1' }, { a: '1', binding: 'header' })).toEqual([]);
    expect(contextMismatches({ a: '1' }, { a: '1', binding: 'kms' })).toEqual(['binding']);
  });
});

describe('validateCallerContext', () => {
  it('rejects every key with the reserved prefix in any case (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9-]{0,10}$/), fc.boolean(), (suffix, upper) => {
        const key = `${upper ? 'AWS-Crypto-' : 'aws-crypto-'}${suffix}`;
        expect(thrown(() => validateCallerContext({ [key]: 'v' }, 'context')).code).toBe(
          EnvelopeErrorCode.INVALID_CONTEXT,
        );
      }),
      { numRuns: 100 },
    );
  });
});

describe('inspectCiphertext', () => {
  it('throws MALFORMED_CIPHERTEXT for anything that is not a message header (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (bytes) => {
        try {
          inspectCiphertext(Buffer.from(bytes).toString('base64url'));
        } catch (error) {
          expect([EnvelopeErrorCode.MALFORMED_CIPHERTEXT, EnvelopeErrorCode.POLICY_VIOLATION]).toContain(
            (error as { code: string }).code,
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});
