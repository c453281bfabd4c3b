import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateReturnPath } from '../src/index.js';

describe('validateReturnPath', () => {
  it.each([
    ['/', '/'],
    ['/orders', '/orders'],
    ['/orders?id=1#top', '/orders?id=1#top'],
    ['/a/../b', '/b'],
    ['/caf%C3%A9', '/caf%C3%A9'],
  ])('accepts the same-origin path %s', (input, expected) => {
    expect(validateReturnPath(input)).toBe(expected);
  });

  it.each([
    'https://evil.example/',
    'http://evil.example',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/%2F%2Fevil.example',
    '/%2f/evil.example',
    '%2F%2Fevil.example',
    '/%5Cevil.example',
    '/%255Cevil.example',
    '/%25252F%25252Fevil',
    'javascript:alert(1)',
    '/\tevil',
    '/\n/evil.example',
    '/%09/evil.example',
    '/%0d%0aSet-Cookie:x',
    ' /orders',
    'orders',
    '',
    '/%E0%A4%A',
    `/${'a'.repeat(3000)}`,
  ])('rejects %j', (input) => {
    expect(validateReturnPath(input)).toBeUndefined();
  });

  it('rejects non-strings', () => {
    for (const v of [undefined, null, 1, {}, ['/']]) expect(validateReturnPath(v)).toBeUndefined();
  });

  it('applies allowed prefixes on whole segments', () => {
    const allowedPrefixes = ['/app'];
    expect(validateReturnPath('/app', { allowedPrefixes })).toBe('/app');
    expect(validateReturnPath('/app/x', { allowedPrefixes })).toBe('/app/x');
    expect(validateReturnPath('/application', { allowedPrefixes })).toBeUndefined();
    expect(validateReturnPath('/other', { allowedPrefixes })).toBeUndefined();
    expect(validateReturnPath('/app/../admin', { allowedPrefixes })).toBeUndefined();
  });

  it('never returns a value that a browser would resolve off-site (property)', () => {
    const piece = fc.constantFrom(
      '/',
      '//',
      '\\',
      '%2F',
      '%5C',
      '%252F',
      'evil.example',
      ':',
      '@',
      '.',
      '..',
      'a',
      '%09',
      '?',
      '#',
      'http:',
      '%0A',
      ' ',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), fc.string({ maxLength: 20 }), (pieces, tail) => {
        const input = pieces.join('') + tail;
        const out = validateReturnPath(input);
        if (out === undefined) return;
        const base = 'https://app.example';
        // The browser resolves Location relative to the current URL: it must stay on our origin,
        // including after one more round of decoding by a proxy.
        expect(new URL(out, base).origin).toBe(base);
        expect(new URL(decodeURIComponent(out), base).origin).toBe(base);
        expect(out.startsWith('/')).toBe(true);
        expect(out.startsWith('//')).toBe(false);
        expect(out.includes('\\')).toBe(false);
      }),
      { numRuns: 400 },
    );
  });
});
