import type { LexV1Event } from '../lex-v1.js';
import type { LexV2Event, LexV2Intent, LexV2SessionState, LexV2Slot } from '../lex-v2.js';

/**
 * Builders of Lex V2, Lex V1 and Amazon Connect Lambda events in the shapes AWS documents, with the
 * slot value in every place Lex puts it (`inputTranscript`, `interpretations`, `proposedNextState`,
 * `sessionState`, `transcriptions`), so a leak test covers them all.
 */

/** Options of {@link lexV2Event}. */
export interface LexV2EventOptions {
  /** Intent name. @defaultValue `'CaptureCard'` */
  intentName?: string;
  /** Slot name → spoken value (`null` for an unfilled slot). */
  slots: Record<string, string | null>;
  /** @defaultValue `'DialogCodeHook'` */
  invocationSource?: 'DialogCodeHook' | 'FulfillmentCodeHook';
  /** @defaultValue `{}` */
  sessionAttributes?: Record<string, string>;
  /** @defaultValue `'DTMF'` */
  inputMode?: 'DTMF' | 'Speech' | 'Text';
  /** Lex session ID. @defaultValue a random UUID */
  sessionId?: string;
  /** The slot Lex was eliciting. @defaultValue the first slot */
  slotToElicit?: string;
}

const scalar = (value: string | null): LexV2Slot =>
  value === null
    ? null
    : { shape: 'Scalar', value: { originalValue: value, interpretedValue: value, resolvedValues: [value] } };

/**
 * Builds a Lex V2 code-hook event as documented in "AWS Lambda input event format for Lex V2".
 *
 * @param options - Intent, slots, source and session attributes.
 * @see https://docs.aws.amazon.com/lexv2/latest/dg/lambda-input-format.html
 * @example
 * ```ts
 * const event = lexV2Event({ slots: { CardNumber: '4111111111111111' }, sessionAttributes: { contactId } });
 * ```
 */
export function lexV2Event(options: LexV2EventOptions): LexV2Event & {
  sessionState: LexV2SessionState & { intent: LexV2Intent; sessionAttributes: Record<string, string> };
  interpretations: { interpretationSource: string; intent: LexV2Intent; nluConfidence?: number }[];
  proposedNextState: {
    dialogAction: { type: string; slotToElicit?: string };
    intent: LexV2Intent;
    prompt: unknown;
  };
  transcriptions: {
    transcription: string;
    transcriptionConfidence: number;
    resolvedContext: unknown;
    resolvedSlots: unknown;
  }[];
} {
  const intentName = options.intentName ?? 'CaptureCard';
  const slots = Object.fromEntries(Object.entries(options.slots).map(([k, v]) => [k, scalar(v)]));
  const transcript = Object.values(options.slots)
    .filter((v): v is string => v !== null)
    .join(' ');
  const slotToElicit = options.slotToElicit ?? Object.keys(options.slots)[0] ?? 'Slot';
  const intent: LexV2Intent = { name: intentName, slots, state: 'InProgress', confirmationState: 'None' };
  return {
    messageVersion: '1.0',
    invocationSource: options.invocationSource ?? ('DialogCodeHook' as const),
    inputMode: options.inputMode ?? ('DTMF' as const),
    responseContentType: 'text/plain; charset=utf-8',
    sessionId: options.sessionId ?? crypto.randomUUID(),
    inputTranscript: transcript,
    invocationLabel: 'capture',
    bot: {
      id: 'ABCDEFGHIJ',
      name: 'SecureInputBot',
      aliasId: 'TSTALIASID',
      aliasName: 'TestBotAlias',
      localeId: 'en_US',
      version: 'DRAFT',
    },
    interpretations: [
      { interpretationSource: 'Lex', intent: structuredClone(intent), nluConfidence: 1 },
      {
        interpretationSource: 'Lex',
        intent: { name: 'FallbackIntent', slots: {}, state: 'InProgress', confirmationState: 'None' },
      },
    ],
    proposedNextState: {
      dialogAction: { type: 'ElicitSlot', slotToElicit },
      intent: structuredClone(intent),
      prompt: { attempt: 'Initial' },
    },
    requestAttributes: { 'x-amz-lex:channels:platform': 'Connect' },
    sessionState: {
      activeContexts: [],
      sessionAttributes: { ...(options.sessionAttributes ?? {}) },
      dialogAction: { type: 'ElicitSlot' as const, slotToElicit },
      intent,
      originatingRequestId: crypto.randomUUID(),
    },
    transcriptions: [
      {
        transcription: transcript,
        transcriptionConfidence: 1,
        resolvedContext: { intent: intentName },
        resolvedSlots: Object.fromEntries(Object.entries(slots).filter(([, v]) => v !== null)),
      },
    ],
  };
}

/** Options of {@link lexV1Event}. */
export interface LexV1EventOptions {
  /** @defaultValue `'CaptureCard'` */
  intentName?: string;
  /** Slot name → value (`null` unfilled). */
  slots: Record<string, string | null>;
  /** @defaultValue `'FulfillmentCodeHook'` */
  invocationSource?: 'DialogCodeHook' | 'FulfillmentCodeHook';
  /** @defaultValue `{}` */
  sessionAttributes?: Record<string, string>;
}

/**
 * Builds a Lex V1 (classic) code-hook event as documented in "Lambda Function Input Event and Response
 * Format". Lex V1 reached end of support on 2025-09-15.
 *
 * @param options - Intent, slots, source and session attributes.
 * @see https://docs.aws.amazon.com/lex/latest/dg/lambda-input-response-format.html
 * @example
 * ```ts
 * const event = lexV1Event({ slots: { authNumber: '02139' }, sessionAttributes: { contactId } });
 * ```
 */
export function lexV1Event(options: LexV1EventOptions): LexV1Event & {
  currentIntent: {
    slots: Record<string, string | null>;
    slotDetails: Record<string, { originalValue?: string } | null>;
  };
} {
  const transcript = Object.values(options.slots)
    .filter((v): v is string => v !== null)
    .join(' ');
  return {
    messageVersion: '1.0',
    invocationSource: options.invocationSource ?? ('FulfillmentCodeHook' as const),
    userId: crypto.randomUUID(),
    sessionAttributes: { ...(options.sessionAttributes ?? {}) },
    requestAttributes: null,
    bot: { name: 'secure_LexInput', alias: '$LATEST', version: '$LATEST' },
    outputDialogMode: 'Voice' as const,
    currentIntent: {
      name: options.intentName ?? 'CaptureCard',
      nluIntentConfidenceScore: 1,
      slots: { ...options.slots },
      slotDetails: Object.fromEntries(
        Object.entries(options.slots).map(([k, v]) => [
          k,
          v === null ? null : { resolutions: [], originalValue: v },
        ]),
      ),
      confirmationStatus: 'None' as const,
    },
    alternativeIntents: [],
    inputTranscript: transcript,
    recentIntentSummaryView: null,
  };
}

/** Options of {@link connectEvent}. */
export interface ConnectEventOptions {
  /** @defaultValue a random UUID */
  contactId?: string;
  /** @defaultValue the contact ID */
  initialContactId?: string;
  /** The block's Lambda parameters (`Details.Parameters`). */
  parameters?: Record<string, string>;
  /** Contact attributes. @defaultValue `{}` */
  attributes?: Record<string, string>;
}

/**
 * Builds an Amazon Connect "Invoke AWS Lambda function" event as documented in the admin guide.
 *
 * @param options - Contact IDs, parameters and attributes.
 * @see https://docs.aws.amazon.com/connect/latest/adminguide/connect-lambda-functions.html
 * @example
 * ```ts
 * const event = connectEvent({ contactId, parameters: { encrypted: ciphertext, field: 'CardNumber' } });
 * ```
 */
export function connectEvent(options: ConnectEventOptions = {}) {
  const contactId = options.contactId ?? crypto.randomUUID();
  return {
    Name: 'ContactFlowEvent' as const,
    Details: {
      ContactData: {
        Attributes: { ...(options.attributes ?? {}) },
        Channel: 'VOICE',
        ContactId: contactId,
        CustomerEndpoint: { Address: '+11234567890', Type: 'TELEPHONE_NUMBER' },
        CustomerId: 'someCustomerId',
        Description: 'someDescription',
        InitialContactId: options.initialContactId ?? contactId,
        InitiationMethod: 'INBOUND',
        InstanceARN: 'arn:aws:connect:us-east-1:111122223333:instance/11111111-2222-3333-4444-555555555555',
        LanguageCode: 'en-US',
        MediaStreams: { Customer: { Audio: null } },
        Name: 'ContactFlowEvent',
        PreviousContactId: options.initialContactId ?? contactId,
        Queue: {
          ARN: 'arn:aws:connect:us-east-1:111122223333:instance/11111111-2222-3333-4444-555555555555/queue/aaaa',
          Name: 'PasswordReset',
          OutboundCallerId: { Address: '+12345678903', Type: 'TELEPHONE_NUMBER' },
        },
        References: {},
        SystemEndpoint: { Address: '+11234567890', Type: 'TELEPHONE_NUMBER' },
      },
      Parameters: { ...(options.parameters ?? {}) },
    },
  };
}
