/**
 * Per-request authorizer cost vs bare aws-jwt-verify `verifySync` on the same tokens, same run.
 *
 *   pnpm --filter @secblocks/cookie-auth bench            # 20,000 tokens
 *   BENCH_TOKENS=2000 pnpm --filter @secblocks/cookie-auth bench   # quick run
 *
 * Both sides use a preloaded JWKS (no network). Our side adds the cookie read (exact-name tokenizer,
 * caps, duplicate check), the CSRF check, the async verify and context flattening; the encrypted variant
 * adds an AES-256-GCM open. Prints µs/op and ratios; never asserts on time.
 */
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { createCookieAuthorizer, createSessionCookies } from '../src/index.js';
import { httpApiAuthorizerEvent, startOidcEmulator } from '../src/testing/index.js';

const N = Number(process.env.BENCH_TOKENS ?? 20_000);
const ROUNDS = 3;

const idp = await startOidcEmulator();
const jwks = JSON.parse(Buffer.from(await idp.fetcher.fetch(idp.jwksUri)).toString());
const tokens = Array.from({ length: N }, () => idp.mintToken({ claims: { scope: 'openid orders/read' } }));
const KEY = [{ id: 'k1', secret: Buffer.alloc(32, 1) }];

const bare = CognitoJwtVerifier.create({
  userPoolId: idp.userPoolId,
  clientId: idp.clientId,
  tokenUse: 'access',
});
bare.cacheJwks(jwks);
const verifier = {
  cognito: { userPoolId: idp.userPoolId, clientId: idp.clientId },
  jwks: { [idp.issuer]: jwks },
};
const plain = createCookieAuthorizer({ verifier });
const encryptedCookies = createSessionCookies({ encryptionKeys: KEY });
const encrypted = createCookieAuthorizer({ verifier, cookies: encryptedCookies });

const otherCookies = ['_ga=GA1.2.1234567890.1700000000', 'theme=dark', 'consent=yes'];
const plainEvents = tokens.map((t) =>
  httpApiAuthorizerEvent({ cookies: [...otherCookies, `__Host-access-token=${t}`] }),
);
const encryptedEvents = tokens.map((t) => {
  const value = (encryptedCookies.write({ accessToken: t })[0] as string).split(';')[0] as string;
  return httpApiAuthorizerEvent({ cookies: [...otherCookies, value] });
});

const time = async (fn: (i: number) => unknown): Promise<number> => {
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await fn(i);
  return Number(process.hrtime.bigint() - start) / 1000 / N;
};

// Warm-up: key import memoization, JIT.
for (let i = 0; i < Math.min(N, 500); i++) {
  bare.verifySync(tokens[i] as string);
  await plain.httpApiSimple(plainEvents[i] as never);
  await encrypted.httpApiSimple(encryptedEvents[i] as never);
}

const best = {
  bare: Number.POSITIVE_INFINITY,
  plain: Number.POSITIVE_INFINITY,
  encrypted: Number.POSITIVE_INFINITY,
};
let allowed = 0;
for (let r = 0; r < ROUNDS; r++) {
  best.bare = Math.min(best.bare, await time((i) => bare.verifySync(tokens[i] as string)));
  best.plain = Math.min(
    best.plain,
    await time(async (i) => {
      if ((await plain.httpApiSimple(plainEvents[i] as never)).isAuthorized) allowed++;
    }),
  );
  best.encrypted = Math.min(
    best.encrypted,
    await time(async (i) => {
      if ((await encrypted.httpApiSimple(encryptedEvents[i] as never)).isAuthorized) allowed++;
    }),
  );
}
await idp.close();

if (allowed !== 2 * N * ROUNDS) throw new Error(`expected every request to be authorized, got ${allowed}`);
const fmt = (v: number) => `${v.toFixed(2)} µs/op`;
console.log(
  `tokens: ${N} RS256 Cognito-shaped access tokens (${tokens[0]?.length} B), best of ${ROUNDS} rounds`,
);
console.log(`bare aws-jwt-verify verifySync        ${fmt(best.bare)}   (baseline)`);
console.log(
  `cookie authorizer (plain cookie)      ${fmt(best.plain)}   ratio ${(best.plain / best.bare).toFixed(3)} (target ≤ 1.25)`,
);
console.log(
  `cookie authorizer (AES-256-GCM cookie) ${fmt(best.encrypted)}   ratio ${(best.encrypted / best.bare).toFixed(3)}; encryption overhead ${fmt(best.encrypted - best.plain)}`,
);
