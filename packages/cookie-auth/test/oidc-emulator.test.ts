import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../src/index.js';
import { type OidcEmulator, startOidcEmulator } from '../src/testing/index.js';

let idp: OidcEmulator;
beforeAll(async () => {
  idp = await startOidcEmulator({ clientSecret: 'emulator-secret', rotateRefreshTokens: true });
});
afterAll(() => idp.close());

const basic = `Basic ${Buffer.from(`${'emulatorclient1'}:emulator-secret`).toString('base64')}`;
const token = (form: Record<string, string>, auth = basic) =>
  fetch(`${idp.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
    body: new URLSearchParams(form),
  });
const authorize = async (params: Record<string, string>) => {
  const res = await fetch(`${idp.url}/oauth2/authorize?${new URLSearchParams(params)}`, {
    redirect: 'manual',
  });
  return { status: res.status, location: res.headers.get('location') };
};
const verifier = 'v'.repeat(50);
const challenge = createHash('sha256').update(verifier).digest('base64url');
const base = {
  response_type: 'code',
  client_id: 'emulatorclient1',
  redirect_uri: 'https://app.example.com/auth/callback',
  code_challenge: challenge,
  code_challenge_method: 'S256',
  state: 's1',
};

describe('startOidcEmulator', () => {
  it('serves a JWKS that aws-jwt-verify fetches over HTTP, and rotates keys', async () => {
    const before = idp.count('jwks');
    const v = createTokenVerifier({
      cognito: { userPoolId: idp.userPoolId, clientId: idp.clientId },
      jwksFetcher: idp.fetcher,
    });
    expect((await v.verify(idp.mintToken())).ok).toBe(true);
    idp.rotateKeys();
    const rotated = idp.mintToken();
    expect((await v.verify(rotated)).ok).toBe(true);
    const jwks = (await (await fetch(`${idp.url}/.well-known/jwks.json`)).json()) as { keys: unknown[] };
    expect(jwks.keys).toHaveLength(2);
    idp.retireOldKeys();
    expect(
      ((await (await fetch(`${idp.url}/.well-known/jwks.json`)).json()) as { keys: unknown[] }).keys,
    ).toHaveLength(1);
    expect(idp.count('jwks') - before).toBe(4);
  });

  it('refuses URLs other than its own in the fetcher', async () => {
    await expect(idp.fetcher.fetch('https://example.com/jwks.json')).rejects.toThrow(/only serves/);
  });

  it('redirects with a code and the state, and rejects unregistered redirect URIs', async () => {
    const ok = await authorize(base);
    expect(ok.status).toBe(302);
    expect(new URL(ok.location as string).searchParams.get('state')).toBe('s1');
    expect((await authorize({ ...base, redirect_uri: 'https://evil.example/cb' })).status).toBe(400);
    const noPkce = await authorize({ ...base, code_challenge_method: 'plain' });
    expect(new URL(noPkce.location as string).searchParams.get('error')).toBe('invalid_request');
  });

  it('exchanges a code once, only with the right verifier and client secret', async () => {
    const code = () =>
      authorize(base).then((r) => new URL(r.location as string).searchParams.get('code') as string);
    const form = (c: string, v = verifier) => ({
      grant_type: 'authorization_code',
      client_id: 'emulatorclient1',
      code: c,
      redirect_uri: base.redirect_uri,
      code_verifier: v,
    });
    expect(await (await token(form(await code(), 'w'.repeat(50)))).json()).toEqual({
      error: 'invalid_grant',
    });
    expect(await (await token(form(await code()), 'Basic bad')).json()).toEqual({ error: 'invalid_client' });
    const c = await code();
    const res = await token(form(c));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual([
      'access_token',
      'expires_in',
      'id_token',
      'refresh_token',
      'token_type',
    ]);
    expect(await (await token(form(c))).json()).toEqual({ error: 'invalid_grant' });

    const refreshed = (await (
      await token({
        grant_type: 'refresh_token',
        client_id: 'emulatorclient1',
        refresh_token: body.refresh_token as string,
      })
    ).json()) as Record<string, string>;
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(body.refresh_token);
    expect(
      await (
        await token({
          grant_type: 'refresh_token',
          client_id: 'emulatorclient1',
          refresh_token: body.refresh_token as string,
        })
      ).json(),
    ).toEqual({ error: 'invalid_grant' });
    expect(await (await token({ grant_type: 'password' })).json()).toEqual({
      error: 'unsupported_grant_type',
    });
  });

  it('answers /logout like Cognito: redirect to a registered logout_uri, 400 otherwise', async () => {
    const good = await fetch(
      `${idp.url}/logout?client_id=emulatorclient1&logout_uri=${encodeURIComponent('https://app.example.com/')}`,
      { redirect: 'manual' },
    );
    expect(good.status).toBe(302);
    const bad = await fetch(
      `${idp.url}/logout?client_id=emulatorclient1&logout_uri=${encodeURIComponent('https://evil.example/')}`,
      { redirect: 'manual' },
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe("Required String parameter 'redirect_uri' is not present");
  });
});
