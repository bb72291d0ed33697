import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { ApiClient } from '../src/api/client.js';
import { accessibilityViolations, describeBrowser, screenshot, watchConsole } from './harness/browser.js';
import { openPage, settle, startE2E, studio, type E2E } from './harness/fixtures.js';
import { studioPage } from './harness/page-server.js';

const FAIL_TRIGGER = 'simulate:fail';
const SCREENSHOT_FOR_DOCS = new URL('../../../docs/images/admin-dashboard.png', import.meta.url).pathname;

/** The admin dashboard in real Chromium against the real server: as the studio's Admin view and embedded alone. */
let e2e: E2E;
let failedId: string;

beforeAll(async () => {
  // no API keys: the server's loopback zero-config mode, where everyone is the admin user `local`
  e2e = await startE2E();
  const ids: string[] = [];
  for (const prompt of ['a lighthouse', 'a harbour at dusk', 'a red kite']) ids.push((await e2e.client.createGeneration({ action: 'create', model_id: 'flux-schnell', prompt, settings: {} })).id);
  ids.push((await e2e.client.createGeneration({ action: 'create', model_id: 'sdxl-lightning', prompt: `a storm ${FAIL_TRIGGER}`, settings: {} })).id);
  const done = await settle(e2e.client, ids);
  failedId = done.find((generation) => generation.status === 'failed')!.id;
  // one 429 with a long Retry-After: one token rests while the pool moves on
  e2e.api.server.simulator!.setFaults([{ kind: 'rate_limit', times: 1, retryAfterSeconds: 300 }]);
  await settle(e2e.client, [(await e2e.client.createGeneration({ action: 'create', model_id: 'flux-schnell', prompt: 'a heron', settings: {} })).id]);
}, 60_000);
afterAll(() => e2e?.close());

/** The dashboard inside the studio's shadow root, or on its own. */
const admin = (page: Page) => page.locator('dotbase-admin');

async function openAdminView(page: Page): Promise<void> {
  await studio(page).getByRole('button', { name: 'Admin', exact: true }).click();
  await admin(page).locator('[data-table="tokens"] tbody tr').first().waitFor();
}

describeBrowser('<dotbase-admin>', () => {
  it('is offered to admins in the studio, loaded from its own bundle only when opened, and shows the whole picture', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const scripts: string[] = [];
    context.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    const page = await openPage(context, e2e.site.page('/admin.html', studioPage({ attributes: `endpoint="${e2e.api.url}" theme="light"` })));
    const problems = watchConsole(page);
    await studio(page).locator('[part~="model"]').first().waitFor();
    expect(scripts).toEqual(['/widget/dotbase-studio.js']);

    await openAdminView(page);
    expect(scripts).toEqual(['/widget/dotbase-studio.js', '/widget/dotbase-admin.js']);
    const dashboard = admin(page);

    // tiles and the per-hour chart: five generations, one failed
    await expect.poll(() => dashboard.locator('[data-tile="total"] dd').textContent()).toBe('5');
    expect(await dashboard.locator('[data-tile="failed"] dd').textContent()).toMatch(/^1\b/);
    const chart = dashboard.locator('[data-chart="per-hour"]');
    expect(await chart.getAttribute('aria-label')).toMatch(/^5 generations in the last 24 hours/);
    const bars = chart.locator('g[data-total]');
    expect(await bars.count()).toBeGreaterThanOrEqual(24);
    expect(await bars.last().getAttribute('data-total')).toBe('5');
    expect(await bars.last().locator('rect[data-status="failed"]').count()).toBe(1);

    // by action and status, with times
    const completedCreates = dashboard.locator('[data-table="by-action"] tr[data-action="create"][data-status="completed"] td');
    expect(await completedCreates.nth(2).textContent()).toContain('4');
    expect(await completedCreates.nth(3).textContent()).toMatch(/\d+(\.\d)? (ms|s)/);
    expect(await completedCreates.nth(4).textContent()).toMatch(/\d+(\.\d)? (ms|s)/);

    // failure reasons and recent errors
    expect(await dashboard.locator('[data-list="reasons"] li').first().textContent()).toContain(FAIL_TRIGGER);
    const recent = dashboard.locator(`[data-table="recent-errors"] tr[data-generation="${failedId}"]`);
    expect(await recent.textContent()).toContain('sdxl-lightning');
    expect(await recent.textContent()).toContain('local');

    // users with their counts
    const local = dashboard.locator('[data-table="users"] tr[data-user="local"] td');
    expect(await local.nth(0).textContent()).toBe('5');
    expect(await local.nth(2).textContent()).toBe('1');

    // the token pool: ten tokens, the one that got the 429 is cooling down with its error shown
    const rows = dashboard.locator('[data-table="tokens"] tbody tr');
    expect(await rows.count()).toBe(10);
    const cooling = dashboard.locator('[data-table="tokens"] tr[data-status="cooling"]');
    expect(await cooling.count()).toBe(1);
    expect(await cooling.locator('.error-cell').textContent()).toMatch(/throttled|429|rate/i);
    expect(await cooling.locator('td').nth(4).textContent()).toMatch(/min|s/);

    await screenshot(page, 'admin-01-dashboard');
    // docs/images/admin-dashboard.png, refreshed on demand: DOTBASE_DOCS_IMAGES=1 pnpm exec vitest run --project widget <this file>
    if (process.env.DOTBASE_DOCS_IMAGES === '1') await page.screenshot({ path: SCREENSHOT_FOR_DOCS, fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    // switch a ready token off and on again; the server agrees
    const ready = dashboard.locator('[data-table="tokens"] tr[data-status="ready"]').first();
    const tokenId = (await ready.getAttribute('data-token'))!;
    await ready.getByRole('button', { name: `Disable ${tokenId}` }).click();
    const row = dashboard.locator(`[data-table="tokens"] tr[data-token="${tokenId}"]`);
    await expect.poll(() => row.getAttribute('data-status')).toBe('disabled');
    const serverView = await e2e.client.request<{ items: Array<{ id: string; is_active: boolean }> }>('GET', '/api/admin/tokens');
    expect(serverView.items.find((token) => token.id === tokenId)?.is_active).toBe(false);
    await row.getByRole('button', { name: `Enable ${tokenId}` }).click();
    await expect.poll(() => row.getAttribute('data-status')).toBe('ready');

    expect(problems).toEqual([]);
    await context.close();
  });

  it('comes from the server’s own page (classic script) too, in Russian and dark', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 1100, height: 900 }, colorScheme: 'dark' });
    const page = await openPage(context, `${e2e.api.url}/`);
    const problems = watchConsole(page);
    await openAdminView(page);
    expect(await admin(page).locator('h2').textContent()).toBe('Admin dashboard');
    await page.evaluate(() => document.querySelector('dotbase-studio')!.setAttribute('locale', 'ru'));
    await studio(page).getByRole('button', { name: 'Админ', exact: true }).waitFor();
    await expect.poll(() => admin(page).locator('h2').textContent()).toBe('Панель администратора');
    expect(await admin(page).locator('[data-table="tokens"] tr[data-status="cooling"] .badge').textContent()).toBe('Пауза');
    const background = await admin(page).locator('.card').first().evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(background).toBe('rgb(20, 22, 27)');
    await screenshot(page, 'admin-02-dark-ru');
    // a phone: the cards stack and wide tables scroll inside their card, not the page
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'admin-03-mobile');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps the studio bundle within budget: the dashboard is not in it', async () => {
    const dist = inject('widgetDist');
    const [studioJs, adminJs] = await Promise.all([readFile(join(dist, 'dotbase-studio.js'), 'utf8'), readFile(join(dist, 'dotbase-admin.js'), 'utf8')]);
    expect(studioJs).not.toContain('Token pool');
    expect(adminJs).toContain('Token pool');
    expect(gzipSync(studioJs, { level: 9 }).byteLength).toBeLessThanOrEqual(40 * 1024);
  });
});

describeBrowser('<dotbase-admin> for someone who is not an admin', () => {
  let keyed: E2E;
  beforeAll(async () => {
    keyed = await startE2E({ apiKeys: 'boss:key-boss-0123456789abcdef,alice:key-alice-0123456789abcdef', admins: 'boss' });
  }, 60_000);
  afterAll(() => keyed?.close());

  it('is not offered in the studio, and embedded alone it says why instead of showing anything', async () => {
    const aliceKey = 'key-alice-0123456789abcdef';
    const page = await openPage(keyed.browser, keyed.site.page('/alice.html', studioPage({ attributes: `endpoint="${keyed.api.url}" token="${aliceKey}"` })));
    await studio(page).locator('[part~="model"]').first().waitFor();
    expect(await studio(page).getByRole('button', { name: 'Admin', exact: true }).count()).toBe(0);

    const alone = (key: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>admin</title>
      <script type="module" src="/widget/dotbase-admin.js"></script></head>
      <body><main><dotbase-admin endpoint="${keyed.api.url}" token="${key}" refresh-seconds="0"></dotbase-admin></main></body></html>`;
    const refused = await openPage(keyed.browser, keyed.site.page('/admin-alice.html', alone(aliceKey)));
    await admin(refused).locator('[data-problem="403"]').waitFor();
    expect(await admin(refused).getByRole('alert').textContent()).toBe('Only admins can see this dashboard.');
    expect(await admin(refused).locator('table').count()).toBe(0);

    // the same page with an admin's key shows the dashboard
    const allowed = await openPage(keyed.browser, keyed.site.page('/admin-boss.html', alone('key-boss-0123456789abcdef')));
    await admin(allowed).locator('[data-table="tokens"] tbody tr').first().waitFor();
    expect(await admin(allowed).locator('[data-table="tokens"] tbody tr').count()).toBe(10);
    const client = new ApiClient({ endpoint: keyed.api.url, token: aliceKey });
    await expect(client.request('GET', '/api/admin/activity')).rejects.toMatchObject({ status: 403 });
  });
});
