import { randomBytes } from 'node:crypto';
import type { EnvelopeError } from '../src/index.js';

/** Awaits `promise` expecting a rejection; returns the error. */
export async function rejection(promise: Promise<unknown>): Promise<EnvelopeError> {
  try {
    await promise;
  } catch (error) {
    return error as EnvelopeError;
  }
  throw new Error('expected a rejection');
}

/** Calls `fn` expecting it to throw; returns the error. */
export function thrown(fn: () => unknown): EnvelopeError {
  try {
    fn();
  } catch (error) {
    return error as EnvelopeError;
  }
  throw new Error('expected a throw');
}

/** A random UUID-shaped Connect contact ID. */
export const contactId = (): string => crypto.randomUUID();

/** A random Luhn-valid PAN of `length` digits (test data, never a real card). */
export function randomPan(length = 16): string {
  const digits = [...randomBytes(length - 1)].map((b) => b % 10);
  digits[0] = 4;
  let sum = 0;
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits[i] as number;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return `${digits.join('')}${(10 - (sum % 10)) % 10}`;
}
