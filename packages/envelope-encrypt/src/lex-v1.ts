import { silentLogger } from '@secblocks/core';
import {
  contactIdFromAttributes,
  type LexHandlerOptions,
  malformed,
  planSlots,
  processSensitiveSlots,
  stringMap,
} from './sensitive-slots.js';

/**
 * The Lex V1 (classic) Lambda input event. Lex V1 reached end of support on 2025-09-15: use it only for
 * existing bots while you migrate to Lex V2.
 * @see https://docs.aws.amazon.com/lex/latest/dg/lambda-input-response-format.html
 */
export interface LexV1Event {
  messageVersion?: string;
  invocationSource: 'DialogCodeHook' | 'FulfillmentCodeHook';
  userId?: string;
  sessionAttributes?: Record<string, string> | null;
  requestAttributes?: Record<string, string> | null;
  bot?: { name: string; alias: string | null; version: string };
  outputDialogMode?: 'Text' | 'Voice';
  inputTranscript?: string;
  currentIntent: {
    name: string;
    slots?: Record<string, string | null>;
    slotDetails?: Record<string, { resolutions?: { value: string }[]; originalValue?: string } | null>;
    confirmationStatus?: 'None' | 'Confirmed' | 'Denied';
    nluIntentConfidenceScore?: number | null;
  };
  [key: string]: unknown;
}

/** The Lex V1 Lambda response this handler returns. */
export interface LexV1Response {
  sessionAttributes: Record<string, string>;
  dialogAction:
    | { type: 'Delegate'; slots: Record<string, string | null> }
    | {
        type: 'ElicitSlot';
        intentName: string;
        slots: Record<string, string | null>;
        slotToElicit: string;
        message?: { contentType: 'PlainText'; content: string };
      }
    | {
        type: 'Close';
        fulfillmentState: 'Fulfilled' | 'Failed';
        message?: { contentType: 'PlainText'; content: string };
      };
}

/** Options of {@link createLexV1Handler}. */
export type LexV1HandlerOptions = LexHandlerOptions<LexV1Event>;

/** A Lex V1 code hook. */
export type LexV1Handler = (event: LexV1Event) => Promise<LexV1Response>;

/**
 * Creates a Lex V1 (classic) code hook with the same validation, retries and encryption as
 * {@link createLexV2Handler}. **Legacy**: Lex V1 reached end of support on 2025-09-15. A V1 `Close`
 * response has no `slots` field, so Lex V1 may still hand the slot's plaintext to Connect
 * (`$.Lex.Slots`); `ElicitSlot` responses do clear the sensitive slots. Migrate to Lex V2.
 *
 * @param options - Encryptor, sensitive slots, contact-ID reader, retries, messages and logger.
 * @returns The Lambda handler; it never throws to Lex.
 * @throws {@link EnvelopeError} `INVALID_OPTION` naming the bad option (at creation only).
 * @see https://docs.aws.amazon.com/lex/latest/dg/lambda-input-response-format.html
 * @example
 * ```ts
 * export const handler = createLexV1Handler({ encryptor, slots: { authNumber: { validate: 'pan' } } });
 * ```
 */
export function createLexV1Handler(options: LexV1HandlerOptions): LexV1Handler {
  const { plans, maxRetries, failedMessage, fulfilledMessage } = planSlots(options);
  const logger = options.logger ?? silentLogger;
  const sensitiveSlots = new Set(plans.map((p) => p.slot));
  const text = (content: string | undefined) =>
    content === undefined ? {} : { message: { contentType: 'PlainText' as const, content } };

  return async (event) => {
    const attrs = stringMap(event?.sessionAttributes);
    const failed = (reason: string): LexV1Response => {
      logger.warn('envelope-encrypt: lex v1 request refused', { reason });
      return {
        sessionAttributes: attrs,
        dialogAction: { type: 'Close', fulfillmentState: 'Failed', ...text(failedMessage) },
      };
    };
    try {
      if (typeof event !== 'object' || event === null) throw malformed('not an object');
      if (event.invocationSource !== 'DialogCodeHook' && event.invocationSource !== 'FulfillmentCodeHook') {
        throw malformed('invocationSource');
      }
      const intent = event.currentIntent;
      if (typeof intent !== 'object' || intent === null || typeof intent.name !== 'string')
        throw malformed('currentIntent');
      const slots = intent.slots ?? {};
      if (typeof slots !== 'object' || slots === null) throw malformed('currentIntent.slots');
      const contactId = options.contactId ? options.contactId(event) : contactIdFromAttributes(attrs);
      if (typeof contactId !== 'string' || contactId.length === 0) return failed('MISSING_CONTACT_ID');
      const values = new Map<string, string | null>();
      for (const plan of plans) {
        if (!Object.hasOwn(slots, plan.slot)) continue;
        const value = slots[plan.slot];
        const original = intent.slotDetails?.[plan.slot]?.originalValue;
        values.set(
          plan.slot,
          typeof value === 'string' && value.length > 0
            ? value
            : typeof original === 'string' && original
              ? original
              : null,
        );
      }
      if (values.size === 0 && event.invocationSource === 'DialogCodeHook') {
        // Not one of our intents: let Lex carry on unchanged.
        return { sessionAttributes: attrs, dialogAction: { type: 'Delegate', slots: { ...slots } } };
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
      if (outcome.kind === 'elicit') {
        const scrubbed: Record<string, string | null> = {};
        for (const [name, value] of Object.entries(slots))
          scrubbed[name] = sensitiveSlots.has(name) ? null : value;
        return {
          sessionAttributes: attrs,
          dialogAction: {
            type: 'ElicitSlot',
            intentName: intent.name,
            slots: scrubbed,
            slotToElicit: outcome.slot,
            ...text(outcome.message),
          },
        };
      }
      if (outcome.state === 'Failed')
        logger.warn('envelope-encrypt: lex v1 closed as failed', { reason: outcome.reason });
      return {
        sessionAttributes: attrs,
        dialogAction: { type: 'Close', fulfillmentState: outcome.state, ...text(outcome.message) },
      };
    } catch (error) {
      return failed((error as { code?: string }).code ?? 'UNEXPECTED');
    }
  };
}
