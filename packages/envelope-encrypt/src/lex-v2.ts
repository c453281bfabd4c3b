import { silentLogger } from '@secblocks/core';
import {
  contactIdFromAttributes,
  type LexHandlerOptions,
  malformed,
  planSlots,
  processSensitiveSlots,
  type SlotOutcome,
  stringMap,
} from './sensitive-slots.js';

/** A Lex V2 slot value (`value` of a Scalar slot). */
export interface LexV2SlotValue {
  originalValue?: string;
  interpretedValue?: string;
  resolvedValues?: string[];
}

/** A Lex V2 slot: `null` when unfilled. */
export type LexV2Slot = {
  shape?: 'Scalar' | 'List' | 'Composite';
  value?: LexV2SlotValue;
  values?: LexV2Slot[];
  subSlots?: Record<string, LexV2Slot | null>;
} | null;

/** The intent in a Lex V2 session state. */
export interface LexV2Intent {
  name: string;
  slots?: Record<string, LexV2Slot>;
  state?: 'Failed' | 'Fulfilled' | 'FulfillmentInProgress' | 'InProgress' | 'ReadyForFulfillment' | 'Waiting';
  confirmationState?: 'Confirmed' | 'Denied' | 'None';
}

/** A Lex V2 session state, as sent to and returned by a Lambda code hook. */
export interface LexV2SessionState {
  activeContexts?: unknown[];
  sessionAttributes?: Record<string, string>;
  dialogAction?: {
    type: 'Close' | 'ConfirmIntent' | 'Delegate' | 'ElicitIntent' | 'ElicitSlot';
    slotToElicit?: string;
  };
  intent?: LexV2Intent;
  originatingRequestId?: string;
}

/**
 * The Lex V2 Lambda input event (the fields this package reads; others are ignored, as AWS asks).
 * @see https://docs.aws.amazon.com/lexv2/latest/dg/lambda-input-format.html
 */
export interface LexV2Event {
  messageVersion?: string;
  invocationSource: 'DialogCodeHook' | 'FulfillmentCodeHook';
  inputMode?: 'DTMF' | 'Speech' | 'Text';
  sessionId?: string;
  inputTranscript?: string;
  bot?: { id: string; name: string; localeId: string; version: string; aliasId: string; aliasName?: string };
  sessionState: LexV2SessionState;
  requestAttributes?: Record<string, string>;
  [key: string]: unknown;
}

/** A message in a Lex V2 response. */
export interface LexV2Message {
  contentType: 'PlainText' | 'SSML' | 'CustomPayload' | 'ImageResponseCard';
  content: string;
}

/**
 * The Lex V2 Lambda response this handler returns.
 * @see https://docs.aws.amazon.com/lexv2/latest/dg/lambda-response-format.html
 */
export interface LexV2Response {
  sessionState: LexV2SessionState & {
    sessionAttributes: Record<string, string>;
    dialogAction: { type: 'Close' | 'Delegate' | 'ElicitSlot'; slotToElicit?: string };
  };
  messages?: LexV2Message[];
}

/** Options of {@link createLexV2Handler}. */
export type LexV2HandlerOptions = LexHandlerOptions<LexV2Event>;

/** A Lex V2 code hook: give it to Lambda as the handler. */
export type LexV2Handler = (event: LexV2Event) => Promise<LexV2Response>;

const scalarValue = (slot: LexV2Slot | undefined): string | null => {
  if (slot === null || slot === undefined || typeof slot !== 'object') return null;
  const value = slot.value;
  if (typeof value !== 'object' || value === null) return null;
  // interpretedValue is Lex's normalised value (spoken numbers already turned into digits).
  if (typeof value.interpretedValue === 'string' && value.interpretedValue.length > 0)
    return value.interpretedValue;
  if (typeof value.originalValue === 'string' && value.originalValue.length > 0) return value.originalValue;
  return null;
};

/**
 * Creates a Lex V2 dialog and fulfillment code hook that encrypts sensitive slots (card number, ZIP, …).
 *
 * For each configured slot present in the intent it normalises Lex's `interpretedValue`, validates it
 * (`pan`: 12–19 digits + Luhn; `zip`: `^\d{5}(\d{4})?$` with leading zeros), and either answers
 * `ElicitSlot` with a retry counter in a session attribute (`<slot>Retries`; after `maxRetries` invalid
 * answers the intent closes `Failed`) or encrypts the value bound to the contact and field and stores the
 * ciphertext in `sessionState.sessionAttributes`. Every response sets the sensitive slots to `null`, so
 * `$.Lex.Slots` in Connect never carries the plaintext. Once every sensitive slot is encrypted the intent
 * closes `Fulfilled` (give sensitive slots an intent of their own); a dialog-hook call for an intent with none
 * of the configured slots answers `Delegate` unchanged. Malformed events, a missing contact ID or a KMS failure close the intent `Failed`
 * with a generic message; the reason code goes to the logger. The handler never throws to Lex.
 *
 * @param options - Encryptor, sensitive slots, contact-ID reader, retries, messages and logger.
 * @returns The Lambda handler.
 * @throws {@link EnvelopeError} `INVALID_OPTION` naming the bad option (at creation only).
 * @see https://docs.aws.amazon.com/lexv2/latest/dg/lambda-response-format.html
 * @example
 * ```ts
 * const encryptor = createFieldEncryptor({ keyring: { kind: 'kms', generatorKeyId: process.env.KEY_ARN! } });
 * export const handler = createLexV2Handler({
 *   encryptor,
 *   slots: { CardNumber: { validate: 'pan' }, ZipCode: { validate: 'zip' } },
 * });
 * ```
 */
export function createLexV2Handler(options: LexV2HandlerOptions): LexV2Handler {
  const { plans, maxRetries, failedMessage, fulfilledMessage } = planSlots(options);
  const logger = options.logger ?? silentLogger;
  const sensitiveSlots = new Set(plans.map((p) => p.slot));

  const respond = (
    event: Partial<LexV2Event> | undefined,
    attrs: Record<string, string>,
    outcome: SlotOutcome,
  ): LexV2Response => {
    const intent = event?.sessionState?.intent;
    const slots: Record<string, LexV2Slot> = {};
    if (intent && typeof intent.slots === 'object' && intent.slots !== null) {
      for (const [name, slot] of Object.entries(intent.slots))
        slots[name] = sensitiveSlots.has(name) ? null : slot;
    }
    const message = outcome.message;
    const base = {
      ...(Array.isArray(event?.sessionState?.activeContexts)
        ? { activeContexts: event.sessionState.activeContexts }
        : {}),
      sessionAttributes: attrs,
    };
    const intentOut = (state: NonNullable<LexV2Intent['state']>): LexV2Intent | undefined =>
      intent && typeof intent.name === 'string'
        ? {
            name: intent.name,
            slots,
            state,
            ...(intent.confirmationState ? { confirmationState: intent.confirmationState } : {}),
          }
        : undefined;
    const messages =
      message === undefined ? {} : { messages: [{ contentType: 'PlainText' as const, content: message }] };
    if (outcome.kind === 'elicit') {
      const i = intentOut('InProgress');
      return {
        sessionState: {
          ...base,
          dialogAction: { type: 'ElicitSlot', slotToElicit: outcome.slot },
          ...(i ? { intent: i } : {}),
        },
        ...messages,
      };
    }
    const i = intentOut(outcome.state);
    return {
      sessionState: { ...base, dialogAction: { type: 'Close' }, ...(i ? { intent: i } : {}) },
      ...messages,
    };
  };

  return async (event) => {
    const attrs = stringMap(event?.sessionState?.sessionAttributes);
    const failed = (reason: string) => {
      logger.warn('envelope-encrypt: lex v2 request refused', { reason });
      return respond(event, attrs, { kind: 'close', state: 'Failed', message: failedMessage, reason });
    };
    try {
      if (typeof event !== 'object' || event === null) throw malformed('not an object');
      if (event.invocationSource !== 'DialogCodeHook' && event.invocationSource !== 'FulfillmentCodeHook') {
        throw malformed('invocationSource');
      }
      const intent = event.sessionState?.intent;
      if (typeof intent !== 'object' || intent === null || typeof intent.name !== 'string') {
        throw malformed('sessionState.intent');
      }
      const slots = intent.slots ?? {};
      if (typeof slots !== 'object' || slots === null) throw malformed('sessionState.intent.slots');
      const contactId = options.contactId ? options.contactId(event) : contactIdFromAttributes(attrs);
      if (typeof contactId !== 'string' || contactId.length === 0) return failed('MISSING_CONTACT_ID');
      const values = new Map<string, string | null>();
      for (const plan of plans) {
        if (Object.hasOwn(slots, plan.slot)) values.set(plan.slot, scalarValue(slots[plan.slot]));
      }
      if (values.size === 0 && event.invocationSource === 'DialogCodeHook') {
        // Not one of our intents (or none of its sensitive slots): let Lex carry on unchanged.
        logger.debug('envelope-encrypt: lex v2 delegate', { intent: intent.name });
        return {
          sessionState: {
            ...(Array.isArray(event.sessionState.activeContexts)
              ? { activeContexts: event.sessionState.activeContexts }
              : {}),
            sessionAttributes: attrs,
            dialogAction: { type: 'Delegate' },
            intent: {
              name: intent.name,
              slots,
              ...(intent.confirmationState ? { confirmationState: intent.confirmationState } : {}),
            },
          },
        };
      }
      const outcome = await processSensitiveSlots({
        plans,
        values,
        sessionAttributes: attrs,
        contactId,
        encryptor: options.encryptor,
        maxRetries,
        failedMessage,
        fulfilledMessage,
        logger,
      });
      logger.info('envelope-encrypt: lex v2 response', {
        intent: intent.name,
        source: event.invocationSource,
        action: outcome.kind === 'elicit' ? 'ElicitSlot' : 'Close',
        ...(outcome.kind === 'elicit' ? { slot: outcome.slot } : { state: outcome.state }),
      });
      return respond(event, attrs, outcome);
    } catch (error) {
      return failed((error as { code?: string }).code ?? 'UNEXPECTED');
    }
  };
}
