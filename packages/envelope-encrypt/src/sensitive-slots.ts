import type { Logger } from '@secblocks/core';
import { EnvelopeError, EnvelopeErrorCode, isEnvelopeError, requireOption } from './errors.js';
import type { FieldEncryptor } from './field-encryptor.js';
import { BUILT_IN_VALIDATORS, type BuiltInValidator, type SlotValidator } from './input-validation.js';

/** How one sensitive slot is validated, bound and stored. */
export interface SensitiveSlotOptions {
  /** `'pan'` (12–19 digits + Luhn), `'zip'` (ZIP / ZIP+4, leading zeros kept) or your own normaliser. */
  validate: BuiltInValidator | SlotValidator;
  /**
   * Session attribute that receives the ciphertext (read in Connect as `$.Lex.SessionAttributes.<name>`).
   * @defaultValue `<slotName>Encrypted`
   */
  attribute?: string;
  /** Field name bound into the ciphertext. @defaultValue the slot name */
  field?: string;
  /** What the bot says when the value is invalid. @defaultValue `"That doesn't look right. Please try again."` */
  invalidPrompt?: string;
}

/** Options shared by the Lex V2 and Lex V1 handlers. */
export interface LexHandlerOptions<Event> {
  /** The encryptor (built once, at module scope). */
  encryptor: FieldEncryptor;
  /** Sensitive slots by slot name; other slots pass through untouched. */
  slots: Readonly<Record<string, SensitiveSlotOptions>>;
  /**
   * Reads the Connect contact ID the values are bound to. Pass `$.ContactId` from the Get customer input
   * block as a session attribute; Lex's session ID is not guaranteed to equal it.
   * @defaultValue the `contactId` session attribute
   */
  contactId?: (event: Event) => string | undefined;
  /**
   * Invalid answers tolerated per slot before the intent closes as `Failed`.
   * @defaultValue `2`
   */
  maxRetries?: number;
  /** What the bot says when the intent closes as `Fulfilled`. @defaultValue no message */
  fulfilledMessage?: string;
  /** What the bot says when the intent closes as `Failed`. @defaultValue `"Sorry, I couldn't take that information."` */
  failedMessage?: string;
  /** Receives reason codes and slot names, never values. @defaultValue silent */
  logger?: Logger;
}

/** @internal */
export interface SlotPlan {
  slot: string;
  attribute: string;
  retryAttribute: string;
  field: string;
  validate: SlotValidator;
  invalidPrompt: string;
}

/** @internal */
export type SlotOutcome =
  | { kind: 'elicit'; slot: string; message?: string }
  | { kind: 'close'; state: 'Fulfilled' | 'Failed'; message?: string; reason?: string };

const ATTRIBUTE = /^[A-Za-z0-9_-]{1,100}$/;

/** Validates the shared Lex handler options. @internal */
export function planSlots<E>(options: LexHandlerOptions<E>): {
  plans: SlotPlan[];
  maxRetries: number;
  failedMessage: string;
  fulfilledMessage: string | undefined;
} {
  requireOption(typeof options === 'object' && options !== null, 'options', 'an options object');
  requireOption(
    typeof options.encryptor === 'object' &&
      options.encryptor !== null &&
      typeof options.encryptor.encrypt === 'function',
    'encryptor',
    'a FieldEncryptor from createFieldEncryptor',
  );
  requireOption(
    options.encryptor.canEncrypt,
    'encryptor',
    'an encryptor configured with a key to encrypt with',
  );
  requireOption(
    typeof options.slots === 'object' && options.slots !== null && Object.keys(options.slots).length > 0,
    'slots',
    'at least one sensitive slot',
  );
  const maxRetries = options.maxRetries ?? 2;
  requireOption(
    Number.isInteger(maxRetries) && maxRetries >= 0 && maxRetries <= 10,
    'maxRetries',
    'an integer from 0 to 10',
  );
  requireOption(
    options.contactId === undefined || typeof options.contactId === 'function',
    'contactId',
    'a function',
  );
  const plans = Object.entries(options.slots).map(([slot, config]): SlotPlan => {
    requireOption(ATTRIBUTE.test(slot), `slots.${slot}`, 'a slot name of letters, digits, - and _');
    requireOption(typeof config === 'object' && config !== null, `slots.${slot}`, 'a slot configuration');
    const validate =
      typeof config.validate === 'function'
        ? config.validate
        : BUILT_IN_VALIDATORS[config.validate as BuiltInValidator];
    requireOption(typeof validate === 'function', `slots.${slot}.validate`, "'pan', 'zip' or a function");
    const attribute = config.attribute ?? `${slot}Encrypted`;
    requireOption(
      ATTRIBUTE.test(attribute),
      `slots.${slot}.attribute`,
      'letters, digits, - and _ (1 to 100)',
    );
    const field = config.field ?? slot;
    requireOption(
      /^[A-Za-z0-9._-]{1,64}$/.test(field),
      `slots.${slot}.field`,
      'a field name of letters, digits, ., - and _',
    );
    return {
      slot,
      attribute,
      retryAttribute: `${slot}Retries`,
      field,
      validate,
      invalidPrompt: config.invalidPrompt ?? "That doesn't look right. Please try again.",
    };
  });
  return {
    plans,
    maxRetries,
    failedMessage: options.failedMessage ?? "Sorry, I couldn't take that information.",
    fulfilledMessage: options.fulfilledMessage,
  };
}

/**
 * The shared decision of both Lex handlers: validates and encrypts each sensitive slot present in the
 * intent, writes ciphertexts and retry counters into `sessionAttributes` (mutated), and tells whether to
 * elicit a slot again or close the intent. @internal
 */
export async function processSensitiveSlots(input: {
  plans: readonly SlotPlan[];
  /** Slot name → raw value (`null` unfilled); slots absent from the intent are left out. */
  values: ReadonlyMap<string, string | null>;
  sessionAttributes: Record<string, string>;
  contactId: string;
  encryptor: FieldEncryptor;
  maxRetries: number;
  failedMessage: string;
  fulfilledMessage: string | undefined;
  logger: Logger;
}): Promise<SlotOutcome> {
  const { sessionAttributes: attrs, logger } = input;
  const fail = (reason: string): SlotOutcome => ({
    kind: 'close',
    state: 'Failed',
    message: input.failedMessage,
    reason,
  });
  for (const plan of input.plans) {
    if (!input.values.has(plan.slot)) continue;
    const raw = input.values.get(plan.slot);
    if (raw === null || raw === undefined || raw === '') {
      if (attrs[plan.attribute]) continue;
      return { kind: 'elicit', slot: plan.slot };
    }
    const normalized = raw.length <= 1024 ? plan.validate(raw) : undefined;
    if (normalized === undefined || normalized.length === 0) {
      const retries = (Number.parseInt(attrs[plan.retryAttribute] ?? '0', 10) || 0) + 1;
      logger.info('envelope-encrypt: invalid slot value', {
        slot: plan.slot,
        retries,
        reason: 'INVALID_INPUT',
      });
      delete attrs[plan.attribute];
      if (retries > input.maxRetries) {
        delete attrs[plan.retryAttribute];
        logger.warn('envelope-encrypt: retries exhausted', { slot: plan.slot, reason: 'RETRIES_EXHAUSTED' });
        return fail('RETRIES_EXHAUSTED');
      }
      attrs[plan.retryAttribute] = String(retries);
      return { kind: 'elicit', slot: plan.slot, message: plan.invalidPrompt };
    }
    try {
      attrs[plan.attribute] = await input.encryptor.encrypt(normalized, {
        contactId: input.contactId,
        field: plan.field,
      });
      delete attrs[plan.retryAttribute];
    } catch (error) {
      const code = isEnvelopeError(error) ? error.code : 'UNEXPECTED';
      logger.error('envelope-encrypt: encryption failed', { slot: plan.slot, code });
      return fail(code);
    }
  }
  return input.fulfilledMessage === undefined
    ? { kind: 'close', state: 'Fulfilled' }
    : { kind: 'close', state: 'Fulfilled', message: input.fulfilledMessage };
}

/** Reads a string→string map, dropping anything else. @internal */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** @internal */
export function malformed(what: string): EnvelopeError {
  return new EnvelopeError(EnvelopeErrorCode.MALFORMED_EVENT, `Malformed event: ${what}`);
}

/** The default contact ID reader: the `contactId` session attribute. @internal */
export function contactIdFromAttributes(attrs: Record<string, string>): string | undefined {
  const id = attrs.contactId;
  return typeof id === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(id) ? id : undefined;
}
