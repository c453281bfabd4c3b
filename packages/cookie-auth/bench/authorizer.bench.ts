/**
 * Per-request authorizer cost vs bare aws-jwt-verify `verifySync` on the same tokens, same run.
 *
 *   pnpm --filter @secblocks/cookie-auth bench                       # 20,000 tokens
 *   BENCH_TOKENS=2000 pnpm --filter @secblocks/cookie-auth bench     # quick run
 *
 * Both sides use a cached JWKS (no network). Our side adds the cookie read (exact-name tokenizer, caps,
 * duplicate check), the CSRF check, issuer dispatch and context flattening; the encrypted variant adds an
 * AES-256-GCM open. Each variant runs over all tokens per round (rotating the order), timed in process
 * CPU time; the best round per variant is reported. Prints CPU µs/op and ratios; never asserts on time.
 * BENCH_ROUNDS (default 5) sets the number of rounds.
 */
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { createCookieAuthorizer, createSessionCookies } from '../src/index.js';
import { httpApiAuthorizerEvent, startOidcEmulator } from '../src/testing/index.js';

const N = Number(process.env.BENCH_TOKENS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const idp = await startOidcEmulator();
const jwks = JSON.parse(Buffer.from(await idp.fetcher.fetch(idp.jwksUri)).toString());
const tokens = Array.from({ length: N }, () => idp.mintToken({ claims: { scope: 'openid orders/read' } }));
await idp.close();
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

// A realistic request: the session cookie among analytics and preference cookies.
const otherCookies = ['_ga=GA1.2.1234567890.1700000000', 'theme=dark', 'consent=yes'];
const plainEvents = tokens.map((t) =>
  httpApiAuthorizerEvent({ cookies: [...otherCookies, `__Host-access-token=${t}`] }),
);
const encryptedEvents = tokens.map((t) => {
  const value = (encryptedCookies.write({ accessToken: t })[0] as string).split(';')[0] as string;
  return httpApiAuthorizerEvent({ cookies: [...otherCookies, value] });
});

let allowed = 0;
const variants = {
  bare: async (i: number) => {
    if (bare.verifySync(tokens[i] as string)) allowed++;
  },
  plain: async (i: number) => {
    if ((await plain.httpApiSimple(plainEvents[i] as never)).isAuthorized) allowed++;
  },
  encrypted: async (i: number) => {
    if ((await encrypted.httpApiSimple(encryptedEvents[i] as never)).isAuthorized) allowed++;
  },
};
type Variant = keyof typeof variants;
const order: Variant[] = ['bare', 'plain', 'encrypted'];

// Warm-up: key import memoization, JIT.
for (let i = 0; i < Math.min(N, 500); i++) for (const v of order) await variants[v](i);
allowed = 0;

// Each round runs every variant over all tokens, rotating which goes first. Ratios are paired within a
// round (same load conditions) and the median round is reported, which filters out interference on a
// shared machine better than comparing independent best times.
const samples: Record<Variant, number[]> = { bare: [], plain: [], encrypted: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < order.length; k++) {
    const v = order[(round + k) % order.length] as Variant;
    // CPU time of this process (µs), not wall time: other processes distort wall time.
    const t0 = process.cpuUsage();
    for (let i = 0; i < N; i++) await variants[v](i);
    const d = process.cpuUsage(t0);
    samples[v].push((d.user + d.system) / N);
  }
}
if (allowed !== 3 * N * ROUNDS)
  throw new Error(`expected every request to be authorized, got ${allowed} of ${3 * N * ROUNDS}`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const ratio = (v: Variant) => median(samples[v].map((x, r) => x / (samples.bare[r] as number)));
const fmt = (v: number) => `${v.toFixed(1).padStart(6)} µs/op`;
console.log(
  `${N} RS256 Cognito-shaped access tokens (${tokens[0]?.length} B), 4 cookies per request, ${ROUNDS} rounds, median, process CPU time`,
);
console.log(`bare aws-jwt-verify verifySync          ${fmt(median(samples.bare))}   baseline`);
console.log(
  `cookie authorizer, plain cookie         ${fmt(median(samples.plain))}   ratio ${ratio('plain').toFixed(3)} (target ≤ 1.25)`,
);
console.log(
  `cookie authorizer, AES-256-GCM cookie   ${fmt(median(samples.encrypted))}   ratio ${ratio('encrypted').toFixed(3)}; encryption overhead ${(median(samples.encrypted) - median(samples.plain)).toFixed(1)} µs/op`,
);
