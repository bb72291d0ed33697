import { createHash, createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from './harness/api-server.js';
import { accessibilityViolations, describeBrowser, screenshot, watchConsole } from './harness/browser.js';
import { openPage, startE2E, studio, type E2E } from './harness/fixtures.js';
import { studioPage } from './harness/page-server.js';

/** A made-up bot: the server verifies payloads signed with this token exactly as it would Telegram's. */
const BOT_TOKEN = '424242:TEST-bot-token-for-the-widget-tests';
const BOT_USERNAME = 'dotbase_test_bot';

/** Signs Login Widget fields as Telegram does: HMAC-SHA-256 keyed by SHA-256(bot token) over sorted `k=v` lines. */
function signLogin(fields: Record<string, string | number>): Record<string, string | number> {
  const check = Object.keys(fields).sort().map((key) => `${key}=${fields[key]}`).join('\n');
  return { ...fields, hash: createHmac('sha256', createHash('sha256').update(BOT_TOKEN).digest()).update(check).digest('hex') };
}

/** Signs Mini App initData: the key is HMAC-SHA-256("WebAppData", bot token). */
function signInitData(fields: Record<string, string>): string {
  const check = Object.keys(fields).sort().map((key) => `${key}=${fields[key]}`).join('\n');
  const secret = createHmac('sha256', 'WebAppData').update(BOT_TOKEN).digest();
  return new URLSearchParams({ ...fields, hash: createHmac('sha256', secret).update(check).digest('hex') }).toString();
}

const now = () => Math.floor(Date.now() / 1000);

/**
 * Stands in for telegram.org's Login Widget script (the network is closed): like the real one it reads its
 * `data-telegram-login` and `data-onauth` from `document.currentScript`, shows a button beside itself, and on a
 * click calls the onauth code with `user` — here the payload the test put on `window.telegramTestUser`.
 */
const WIDGET_STAND_IN = `(() => {
  const script = document.currentScript;
  const button = document.createElement('button');
  button.type = 'button';
  button.id = 'telegram-stand-in';
  button.textContent = 'Log in with Telegram (@' + script.dataset.telegramLogin + ')';
  button.addEventListener('click', () => new Function('user', script.getAttribute('data-onauth'))(window.telegramTestUser));
  script.after(button);
})();`;

let e2e: E2E;
let keysOnly: ApiServer;
let standIn: string;

beforeAll(async () => {
  e2e = await startE2E({ env: { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_BOT_USERNAME: BOT_USERNAME, TELEGRAM_ALLOWED_USERNAMES: 'alice' } });
  keysOnly = await startApiServer({ corsOrigins: [e2e.site.origin], apiKeys: 'shop:shop-key-0123456789abcdef' });
  standIn = await mkdtemp(join(tmpdir(), 'dotbase-telegram-stand-in-'));
  await writeFile(join(standIn, 'telegram-widget.js'), WIDGET_STAND_IN);
  e2e.site.mount('/telegram/', standIn);
}, 60_000);
afterAll(async () => {
  await Promise.all([e2e?.close(), keysOnly?.close()]);
  if (standIn) await rm(standIn, { recursive: true, force: true });
});

/** A fresh browser context (its own cookies) on a page embedding the studio, with the Login Widget stand-in. */
async function open(name: string, options: { endpoint?: string; user?: Record<string, string | number>; hash?: string } = {}): Promise<Page> {
  const context = await e2e.browser.newContext({ viewport: { width: 1100, height: 800 } });
  if (options.user) await context.addInitScript((user) => ((window as unknown as { telegramTestUser: unknown }).telegramTestUser = user), options.user);
  const url = e2e.site.page(
    `/${name}.html`,
    studioPage({ attributes: `endpoint="${options.endpoint ?? e2e.api.url}" theme="light" telegram-widget-src="/telegram/telegram-widget.js"` }),
  );
  return openPage(context, `${url}${options.hash ?? ''}`);
}

/** Every request the page made went to loopback: nothing tried to reach telegram.org. */
function onlyLoopback(page: Page): () => string[] {
  const seen: string[] = [];
  page.on('request', (request) => seen.push(request.url()));
  return () => seen.filter((url) => !/^(http:\/\/127\.0\.0\.1[:/]|data:|blob:)/.test(url));
}

describeBrowser('signing in from the studio', () => {
  it('offers the Telegram Login Widget for the configured bot, signs in with its payload, and signs out', async () => {
    const page = await open('login-widget', { user: signLogin({ id: 1001, first_name: 'Alice', username: 'alice', auth_date: now() }) });
    const problems = watchConsole(page);
    const outside = onlyLoopback(page);
    const root = studio(page);
    await root.getByRole('heading', { name: 'Sign in to create images' }).waitFor();
    const login = page.locator('#telegram-stand-in');
    await login.waitFor();
    expect(await login.textContent()).toBe(`Log in with Telegram (@${BOT_USERNAME})`);
    await screenshot(page, 'sign-in-web');
    expect(await accessibilityViolations(page)).toEqual([]);

    await login.click();
    await root.getByText('Signed in as @alice').waitFor();
    await root.locator('[part~="model"]').first().waitFor();
    expect(await root.locator('[part~="sign-in"]').count()).toBe(0);
    expect(await page.locator('#telegram-stand-in').count()).toBe(0);
    await screenshot(page, 'sign-in-signed-in');

    await root.getByRole('button', { name: 'Sign out' }).click();
    await root.getByRole('heading', { name: 'Sign in to create images' }).waitFor();
    await page.locator('#telegram-stand-in').waitFor();
    expect(await root.getByText('Signed in as @alice').count()).toBe(0);
    // The session is really gone: the server answers 401 for this browser now.
    expect(await page.evaluate(async (api) => (await fetch(`${api}/api/auth/me`, { credentials: 'include' })).status, e2e.api.url)).toBe(401);
    expect(outside()).toEqual([]);
    expect(problems.filter((problem) => !problem.includes('/api/auth/me') && !problem.includes('/api/models/list'))).toEqual([]);
    await page.context().close();
  });

  it('tells a Telegram user who is not on the allowlist why they cannot get in', async () => {
    const page = await open('not-allowed', { user: signLogin({ id: 666, first_name: 'Mallory', username: 'mallory', auth_date: now() }) });
    const root = studio(page);
    await page.locator('#telegram-stand-in').click();
    const alert = root.locator('.sign-in-problem');
    await expect
      .poll(() => alert.textContent())
      .toBe("The Telegram account @mallory is not on this server's list of allowed users. Ask its operator to add it (TELEGRAM_ALLOWED_USERNAMES).");
    expect(await root.getByText('Signed in as').count()).toBe(0);
    await screenshot(page, 'sign-in-not-allowed');
    await page.context().close();
  });

  it('signs in by itself inside Telegram (a Mini App launched with #tgWebAppData) and shows who is signed in', async () => {
    const initData = signInitData({ auth_date: String(now()), query_id: 'AAH-test', user: JSON.stringify({ id: 1001, first_name: 'Alice', username: 'alice' }) });
    const page = await open('mini-app', { hash: `#tgWebAppData=${encodeURIComponent(initData)}&tgWebAppVersion=8.0&tgWebAppPlatform=android` });
    const root = studio(page);
    await root.getByText('Signed in as @alice').waitFor();
    await root.locator('[part~="model"]').first().waitFor();
    expect(await page.locator('#telegram-stand-in').count()).toBe(0);
    await page.context().close();
  });

  it('explains how access works where only API keys and embed tokens are configured', async () => {
    const page = await open('keys-only', { endpoint: keysOnly.url });
    const root = studio(page);
    await root.getByRole('heading', { name: 'Sign in to create images' }).waitFor();
    const text = await root.locator('[part~="sign-in"]').textContent();
    expect(text).toContain('access comes from API keys');
    expect(text).toContain('embed token');
    expect(await page.locator('#telegram-stand-in').count()).toBe(0);
    await screenshot(page, 'sign-in-keys-only');
    await page.context().close();
  });
});
