import { describe, expect, it } from 'vitest';
import {
  abortError,
  CoreError,
  CoreErrorCode,
  createErrorGuard,
  isCoreError,
  isSecblocksError,
  requireOption,
  SecblocksError,
} from '../src/index.js';

class WidgetError extends SecblocksError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super('widget', code, message, options);
  }
}
const isWidgetError = createErrorGuard<WidgetError>('widget');

describe('SecblocksError', () => {
  it('carries code, package, name and cause', () => {
    const cause = new Error('root');
    const e = new WidgetError('BROKEN', 'Widget broke', { cause });
    expect(e.code).toBe('BROKEN');
    expect(e.pkg).toBe('widget');
    expect(e.name).toBe('WidgetError');
    expect(e.cause).toBe(cause);
    expect(e).toBeInstanceOf(Error);
  });

  it('keeps the brand out of JSON and enumeration', () => {
    const e = new WidgetError('BROKEN', 'Widget broke');
    expect(Object.keys(e)).not.toContain(Symbol.for('@secblocks/error'));
    expect(JSON.stringify(e)).not.toContain('secblocks');
  });
});

describe('isSecblocksError', () => {
  it('recognises errors of any package and narrows by package', () => {
    const e = new WidgetError('X', 'x');
    expect(isSecblocksError(e)).toBe(true);
    expect(isSecblocksError(e, 'widget')).toBe(true);
    expect(isSecblocksError(e, 'core')).toBe(false);
    expect(isWidgetError(e)).toBe(true);
    expect(isCoreError(e)).toBe(false);
  });

  it('recognises a branded error from another copy of the package (no instanceof)', () => {
    const foreign = Object.assign(new Error('copy'), { code: 'X' });
    Object.defineProperty(foreign, Symbol.for('@secblocks/error'), { value: 'widget' });
    expect(isWidgetError(foreign)).toBe(true);
  });

  it('rejects plain errors and non-objects', () => {
    for (const v of [new Error('x'), null, undefined, 'WidgetError', 42, { code: 'X' }]) {
      expect(isSecblocksError(v)).toBe(false);
    }
  });
});

describe('requireOption', () => {
  it('throws INVALID_OPTION naming the option when the condition fails', () => {
    expect(() => requireOption(false, 'limit', 'a positive integer')).toThrowError(
      expect.objectContaining({
        code: CoreErrorCode.INVALID_OPTION,
        message: expect.stringContaining('"limit"'),
      }),
    );
  });
  it('passes when the condition holds', () => {
    expect(() => requireOption(true, 'limit', 'x')).not.toThrow();
  });
});

describe('abortError', () => {
  it('wraps the signal reason as an ABORTED CoreError', () => {
    const c = new AbortController();
    c.abort(new Error('user cancelled'));
    const e = abortError(c.signal);
    expect(e).toBeInstanceOf(CoreError);
    expect(e.code).toBe('ABORTED');
    expect((e.cause as Error).message).toBe('user cancelled');
  });
});
