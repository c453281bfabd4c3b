// The whole session in headless Chromium (Debian's `chromium` driven by playwright-core), on 127.0.0.1
// only: login → callback → the page calls /api/me with the HttpOnly cookie → refresh → logout → 403.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Environment, startEnvironment } from '../src/environment.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let env: Environment;
let context: BrowserContext;
let page: Page;
let profile: string;
const requested: string[] = [];

beforeAll(async () => {
  env = await startEnvironment();
  profile = mkdtempSync(join(tmpdir(), 'secure-api-chromium-'));
  // A fresh profile (--user-data-dir) per run; no network but loopback.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
    ],
  });
  context.on('request', (r) => requested.push(r.url()));
  page = context.pages()[0] ?? (await context.newPage());
});

afterAll(async () => {
  await context?.close();
  await env?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

const statusCode = (code: string) =>
  page.waitForFunction((c) => document.getElementById('status')?.dataset.code === c, code);
const accessCookie = async () =>
  (await context.cookies(env.origin)).find((c) => c.name === '__Host-access-token');

describe('secure-api in Chromium', () => {
  it('is signed out before login: /api/me answers 403', async () => {
    await page.goto(`${env.origin}/`);
    await statusCode('403');
  });

  it('signs in through the IdP and calls /api/me with the HttpOnly cookie', async () => {
    await page.click('#login');
    await page.waitForURL(`${env.origin}/`);
    await statusCode('200');
    expect(await page.textContent('#status')).toBe('Signed in as alice');
    const cookie = await accessCookie();
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
  });

  it('keeps the tokens out of document.cookie', async () => {
    const cookie = await accessCookie();
    const visible = await page.evaluate(() => document.cookie);
    expect(visible).not.toContain('access-token');
    expect(visible).not.toContain('refresh-token');
    expect(visible).not.toContain((cookie?.value ?? 'missing').slice(0, 24));
    // The page's own script sees only /api/me's JSON, never a token.
    expect(await page.evaluate(() => fetch('/api/me').then((r) => r.text()))).not.toMatch(/eyJ/);
  });

  it('refreshes the session: a new access-token cookie and /api/me still 200', async () => {
    const before = (await accessCookie())?.value;
    expect(
      await page.evaluate(() =>
        (
          window as unknown as { secureApi: { refreshSession(): Promise<number> } }
        ).secureApi.refreshSession(),
      ),
    ).toBe(200);
    expect((await accessCookie())?.value).not.toBe(before);
    expect(env.idp.count('token')).toBe(2);
    expect(await page.evaluate(() => fetch('/api/me').then((r) => r.status))).toBe(200);
  });

  it('logs out: revokes, expires the cookies, and /api/me answers 403', async () => {
    await Promise.all([page.waitForURL(`${env.origin}/`), page.click('#logout button')]);
    await statusCode('403');
    expect(env.idp.count('revoke')).toBe(1);
    expect(env.idp.count('logout')).toBe(1);
    expect(await accessCookie()).toBeUndefined();
    expect(await page.evaluate(() => fetch('/api/me').then((r) => r.status))).toBe(403);
  });

  it('talked to 127.0.0.1 only', () => {
    expect(requested.length).toBeGreaterThan(5);
    for (const url of requested) expect(new URL(url).hostname).toBe('127.0.0.1');
  });
});
