import { assertNoSentinel, createSentinel } from '@secblocks/core/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCookieAuthorizer,
  createCookieCipher,
  createOAuthHandlers,
  createSessionCookies,
} from '../src/index.js';
import { type OidcEmulator, startOidcEmulator } from '../src/testing/index.js';

let idp: OidcEmulator;
beforeAll(async () => {
  idp = await startOidcEmulator();
});
afterAll(() => idp.close());

const caught = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
};

describe('CookieAuthError', () => {
  it('never echoes a secret passed in a bad option', () => {
    const sentinel = createSentinel('key');
    const errors = [
      caught(() => createCookieCipher([{ id: 'k1', secret: sentinel }])),
      caught(() => createCookieCipher([{ id: sentinel.slice(0, 40), secret: Buffer.alloc(32) }])),
      caught(() => createSessionCookies({ encryptionKeys: [{ id: 'k', secret: `${sentinel}` }] })),
      caught(() =>
        createOAuthHandlers({
          domain: `https://${sentinel}@auth.example.com/x`,
          clientId: 'c',
          clientSecret: sentinel,
          redirectUri: 'https://app.example.com/cb',
          logoutUri: 'https://app.example.com/',
          verifier: { cognito: { userPoolId: idp.userPoolId, clientId: 'c' } },
          cookies: { encryptionKeys: [{ id: 'k', secret: Buffer.alloc(32) }] },
        }),
      ),
      caught(() =>
        createOAuthHandlers({
          clientSecret: 42 as never,
          domain: 'https://auth.example.com',
          clientId: sentinel,
        } as never),
      ),
    ];
    for (const e of errors) expect(e).toMatchObject({ code: 'INVALID_OPTION' });
    assertNoSentinel(sentinel, ...errors);
  });

  it('reports a decryption failure without the blob or the plaintext', () => {
    const sentinel = createSentinel('plaintext');
    const cipher = createCookieCipher([{ id: 'k1', secret: Buffer.alloc(32, 1) }]);
    const blob = cipher.seal('n', sentinel);
    const error = caught(() => cipher.open('other', blob));
    expect(error).toMatchObject({ code: 'DECRYPT_FAILED' });
    assertNoSentinel(sentinel, error);
    expect(String((error as Error).message)).not.toContain(blob.slice(10, 30));
  });
});

describe('createCookieAuthorizer (fuzz)', () => {
  it('allows only when the exact cookie holds the valid token, whatever else the header contains (property)', async () => {
    const authorizer = createCookieAuthorizer({
      verifier: { cognito: { userPoolId: idp.userPoolId, clientId: idp.clientId }, jwksFetcher: idp.fetcher },
    });
    const token = idp.mintToken();
    const NAME = '__Host-access-token';
    const decoy = fc.oneof(
      fc.constant(`x${NAME}=${token}`),
      fc.constant(`${NAME}x=${token}`),
      fc.constant(`next=/?${NAME}=${token}`),
      fc.constant(`${NAME.toLowerCase()}=${token}`),
      fc.constant(`a=${token}`),
      fc.string({ maxLength: 40 }).map((s) => s.replace(/;/g, '')),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(decoy, { maxLength: 6 }),
        fc.boolean(),
        fc.boolean(),
        async (decoys, include, asHeader) => {
          const pairs = include ? [...decoys, `${NAME}=${token}`] : decoys;
          const input = asHeader ? { cookieHeader: pairs.join('; ') } : { cookies: pairs };
          const result = await authorizer.authorize({ ...input, method: 'GET' });
          // Decoys never carry the exact name, so the outcome depends only on the planted cookie.
          expect(result.ok).toBe(include);
        },
      ),
      { numRuns: 150 },
    );
  });
});
