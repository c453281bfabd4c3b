// `pnpm demo`: a simulated IVR call capturing a card number and ZIP code, encrypted in the Lex code hook.
import { simulateCall } from './call.js';

const call = await simulateCall({
  cardAttempts: ['4111 1111 1111 1112', '4111 1111 1111 1111'], // the first fails the Luhn check
  zip: 'oh two one three nine',
});

console.log(
  `Contact ${call.contactId}; bot intent CaptureCard with slots CardNumber (pan) and ZipCode (zip).\n`,
);
for (const [i, t] of call.turns.entries()) {
  const s = t.response.sessionState;
  const said = t.response.messages?.map((m) => m.content).join(' ') ?? '';
  const next =
    s.dialogAction.type === 'Close'
      ? `Close (${s.intent?.state})`
      : `ElicitSlot ${s.dialogAction.slotToElicit}`;
  const stored = Object.keys(s.sessionAttributes).filter((k) => k.endsWith('Encrypted'));
  const slots = Object.entries(s.intent?.slots ?? {})
    .map(([k, v]) => `${k}=${v === null ? 'null' : 'SET'}`)
    .join(' ');
  console.log(`Turn ${i + 1}: caller gives ${t.slot} -> ${next}${said ? ` · bot: "${said}"` : ''}`);
  console.log(
    `        slots returned to Lex: ${slots}; encrypted attributes: ${stored.join(', ') || 'none'}`,
  );
}

console.log('\nWhat Connect stores (contact attributes, from $.Lex.SessionAttributes):');
for (const [k, v] of Object.entries(call.attributes)) {
  console.log(`  ${k} = ${v.slice(0, 32)}… (${v.length} chars, base64url)`);
}

console.log('\nOperator check (Connect invokes the decrypt-only Lambda):');
const op = call.operator;
const masked = 'last4' in op ? `${'*'.repeat(Number(op.length) - 4)}${op.last4}` : '(nothing)';
console.log(`  same contact    -> ${JSON.stringify(op)}  shown to the agent as ${masked}`);
console.log(
  `  another contact -> ${JSON.stringify(call.replayElsewhere)} (the ciphertext is bound to its contact)`,
);
console.log(
  `\nKMS calls: GenerateDataKey ${call.kmsCalls.GenerateDataKey}, Decrypt ${call.kmsCalls.Decrypt}`,
);

if (call.operator.status !== 'OK' || call.replayElsewhere.status === 'OK') process.exitCode = 1;
