import { assertNoLeaks } from '@secblocks/envelope-encrypt/testing';
import { describe, expect, it } from 'vitest';
import { simulateCall } from '../src/call.js';

const PAN = '4111 1111 1111 1111';

describe('simulateCall', () => {
  it('retries an invalid card, encrypts both slots and never returns them to Lex', async () => {
    const call = await simulateCall({
      cardAttempts: ['4111 1111 1111 1112', PAN],
      zip: 'oh two one three nine',
    });
    expect(call.turns.map((t) => t.response.sessionState.dialogAction)).toEqual([
      { type: 'ElicitSlot', slotToElicit: 'CardNumber' },
      { type: 'ElicitSlot', slotToElicit: 'ZipCode' },
      { type: 'Close' },
    ]);
    expect(call.turns.at(-1)?.response.sessionState.intent?.state).toBe('Fulfilled');
    for (const t of call.turns) {
      expect(Object.values(t.response.sessionState.intent?.slots ?? {})).toEqual([null, null]);
    }
    expect(Object.keys(call.attributes).sort()).toEqual(['CardNumberEncrypted', 'ZipCodeEncrypted']);
    expect(Object.values(call.attributes).every((v) => /^[A-Za-z0-9_-]+$/.test(v))).toBe(true);
  });

  it('shows the operator the last four digits only, and refuses the ciphertext for another contact', async () => {
    const call = await simulateCall({ cardAttempts: [PAN], zip: '02139' });
    expect(call.operator).toEqual({ status: 'OK', last4: '1111', length: '16' });
    expect(call.replayElsewhere.status).not.toBe('OK');
    expect(call.kmsCalls).toEqual({ GenerateDataKey: 2, Decrypt: 1 });
  });

  it('keeps the card number and ZIP code out of logs, results and errors', async () => {
    const { result, logs } = await assertNoLeaks({
      secrets: ['4111111111111111', '02139'],
      run: (log) => simulateCall({ cardAttempts: [PAN], zip: '0 2 1 3 9' }, { logger: log }),
    });
    expect(logs).toContain('CardNumber'); // the handlers did log (reason codes, slot names)
    expect(result?.operator.status).toBe('OK');
  });
});
