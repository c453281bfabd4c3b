// `pnpm demo`: the secure API's whole session lifecycle over HTTP on 127.0.0.1, printed step by step.
// (The browser test in test/browser.test.ts runs the same flow in headless Chromium.)
import { startEnvironment } from './environment.js';

/** A tiny cookie jar honouring Path and Max-Age=0, enough to play the browser here. */
const jar = new Map<string, { value: string; path: string }>();
const receive = (res: Response) => {
  for (const line of res.headers.getSetCookie()) {
    const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
    const name = pair.slice(0, pair.indexOf('='));
    const path = attrs.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
    if (attrs.some((a) => a.toLowerCase() === 'max-age=0')) jar.delete(name);
    else jar.set(name, { value: pair.slice(name.length + 1), path });
  }
};
const cookieHeader = (url: string) =>
  [...jar]
    .filter(([, c]) => new URL(url).pathname.startsWith(c.path))
    .map(([n, c]) => `${n}=${c.value}`)
    .join('; ');
const go = async (url: string, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  const cookies = cookieHeader(url);
  if (cookies && url.startsWith(env.origin)) headers.set('cookie', cookies);
  const res = await fetch(url, { ...init, headers, redirect: 'manual' });
  if (url.startsWith(env.origin)) receive(res);
  return res;
};
const where = (res: Response) => {
  const u = new URL(res.headers.get('location') ?? '', env.origin);
  return `${u.origin === env.origin ? 'app' : 'IdP'} ${u.pathname}`;
};
const describeCookies = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => {
      const [pair = '', ...attrs] = c.split(';').map((s) => s.trim());
      return `${pair.slice(0, pair.indexOf('='))} [${attrs.join('; ')}]`;
    })
    .join('\n      ');

const env = await startEnvironment();
let failed = false;
const expect = (ok: boolean, what: string) => {
  if (!ok) {
    failed = true;
    console.error(`  ✘ expected ${what}`);
  }
};
try {
  const r = env.syncReport;
  console.log(
    `vault-sync: ${r.outcome.done} secrets replicated from Vault to Secrets Manager (vault/apps/secure-api/cognito, …/cookie-keys);`,
  );
  console.log(
    `the API read the Cognito client secret and cookie keys from Secrets Manager. App on ${env.origin}\n`,
  );

  let res = await go(`${env.origin}/api/me`);
  console.log(`1. GET /api/me without a session          -> ${res.status}`);
  expect(res.status === 403, '403');

  res = await go(`${env.origin}/auth/login`);
  const authorize = new URL(res.headers.get('location') ?? '');
  console.log(`2. GET /auth/login                        -> ${res.status} to ${where(res)}`);
  console.log(
    `      PKCE ${authorize.searchParams.get('code_challenge_method')}, state and nonce set; transaction cookie: ${describeCookies(res)}`,
  );
  res = await go(authorize.href);
  console.log(`3. IdP signs alice in                     -> ${res.status} to ${where(res)}?code=…&state=…`);
  res = await go(new URL(res.headers.get('location') ?? '', env.origin).href);
  console.log(`4. GET /oauth2/callback                   -> ${res.status} to ${where(res)}, cookies:`);
  console.log(`      ${describeCookies(res)}`);
  expect(res.status === 302 && jar.has('__Host-access-token'), 'an access-token cookie');

  res = await go(`${env.origin}/api/me`);
  console.log(`5. GET /api/me with the cookie            -> ${res.status} ${await res.text()}`);
  expect(res.status === 200, '200');

  const before = jar.get('__Host-access-token')?.value;
  res = await go(`${env.origin}/auth/session/refresh`, {
    method: 'POST',
    headers: { 'x-requested-with': 'fetch' },
  });
  console.log(
    `6. POST /auth/session/refresh             -> ${res.status}, new access token cookie: ${jar.get('__Host-access-token')?.value !== before}`,
  );
  res = await go(`${env.origin}/api/me`);
  console.log(`   GET /api/me                            -> ${res.status}`);
  expect(res.status === 200, '200 after refresh');

  res = await go(`${env.origin}/auth/session/logout`, { method: 'POST', headers: { origin: env.origin } });
  console.log(
    `7. POST /auth/session/logout              -> ${res.status} to ${where(res)}; cookies expired: ${jar.size === 0}`,
  );
  res = await go(res.headers.get('location') ?? '');
  console.log(`   IdP /logout                            -> ${res.status} to ${where(res)}`);
  res = await go(`${env.origin}/api/me`);
  console.log(`8. GET /api/me after logout               -> ${res.status}`);
  expect(res.status === 403, '403 after logout');
  console.log(
    `\nIdP calls: token ${env.idp.count('token')} (code + refresh), revoke ${env.idp.count('revoke')}, logout ${env.idp.count('logout')}`,
  );
} finally {
  await env.close();
}
if (failed) process.exitCode = 1;
