import { inspect } from 'node:util';

/** What a {@link Sensitive} value prints as, everywhere. */
export const REDACTED = '[REDACTED]';

const SENSITIVE_BRAND: unique symbol = Symbol.for('@secblocks/sensitive') as never;

/**
 * A wrapper for a secret value (a token, a plaintext, a secret string) that refuses to print itself.
 *
 * `toString()`, `toJSON()`, template literals and `util.inspect` (and so `console.log`) all give
 * `[REDACTED]`. The value is held in a `#private` field, which neither `JSON.stringify` nor `inspect`
 * can see. The only way out is an explicit {@link Sensitive.reveal}, so every use of the secret is
 * greppable.
 *
 * @example
 * ```ts
 * const card = sensitive('4111111111111111');
 * `${card}`;            // '[REDACTED]'
 * JSON.stringify({ card }); // '{"card":"[REDACTED]"}'
 * card.reveal();        // '4111111111111111'
 * ```
 */
export class Sensitive<T> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
    Object.defineProperty(this, SENSITIVE_BRAND, { value: true, enumerable: false });
    Object.freeze(this);
  }

  /** Returns the secret value. Call it only where the value is used, never to log it. */
  reveal(): T {
    return this.#value;
  }

  /**
   * Applies `fn` to the secret and wraps the result, so a derived value stays redacted.
   *
   * @example
   * ```ts
   * const last4 = card.map((v) => v.slice(-4));
   * ```
   */
  map<U>(fn: (value: T) => U): Sensitive<U> {
    return new Sensitive(fn(this.#value));
  }

  /** Always `[REDACTED]`. */
  toString(): string {
    return REDACTED;
  }

  /** Always `[REDACTED]`, so `JSON.stringify` never serializes the value. */
  toJSON(): string {
    return REDACTED;
  }

  /** Always `[REDACTED]` under `util.inspect` and `console.log`. */
  [inspect.custom](): string {
    return REDACTED;
  }

  /** Primitive conversion is redacted too (`+x`, `` `${x}` ``). */
  [Symbol.toPrimitive](): string {
    return REDACTED;
  }
}

/**
 * Wraps `value` as {@link Sensitive}.
 *
 * @param value - The secret.
 * @example
 * ```ts
 * const token = sensitive(rawToken);
 * logger.info('got token', { token }); // logs "[REDACTED]"
 * ```
 */
export function sensitive<T>(value: T): Sensitive<T> {
  return new Sensitive(value);
}

/**
 * Tells whether `value` is a {@link Sensitive} wrapper, including one made by another copy of this package.
 *
 * @example
 * ```ts
 * const plain = isSensitive(v) ? v.reveal() : v;
 * ```
 */
export function isSensitive(value: unknown): value is Sensitive<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[SENSITIVE_BRAND] === true
  );
}
