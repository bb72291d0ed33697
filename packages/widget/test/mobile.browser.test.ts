import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { accessibilityViolations, describeBrowser, makePng, screenshot } from './harness/browser.js';
import { openPage, startE2E, studio, type E2E } from './harness/fixtures.js';
import { studioPage } from './harness/page-server.js';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
  e2e.site.page('/phone.html', studioPage({ attributes: `endpoint="${e2e.api.url}" theme="light"`, style: 'body { padding: 0 }' }));
}, 60_000);
afterAll(() => e2e?.close());

/** An iPhone-sized touch screen (390×844). */
async function phone(browser: Browser, url: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, colorScheme });
  return openPage(context, url);
}

describeBrowser('the studio on a phone (390×844, touch)', () => {
  it('reaches the prompt and Create without scrolling past the models, with no keyboard hints', async () => {
    const page = await phone(e2e.browser, `${e2e.site.origin}/phone.html`);
    const root = studio(page);
    await root.locator('[part~="model"]').first().waitFor();
    const prompt = (await root.getByLabel('Prompt', { exact: true }).boundingBox())!;
    const submit = (await root.locator('[part~="submit"]').boundingBox())!;
    expect(prompt.y + prompt.height).toBeLessThan(844);
    expect(submit.y + submit.height).toBeLessThanOrEqual(844);
    expect(await root.getByText('Ctrl+Enter').count()).toBe(0);
    // Every model is still one tap away, in a row that scrolls sideways.
    expect(await root.locator('[part~="model"]').count()).toBe(8);
    await screenshot(page, 'mobile-create');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('keeps the mask toolbar on one line', async () => {
    const page = await phone(e2e.browser, `${e2e.site.origin}/phone.html`);
    const root = studio(page);
    await root.getByRole('tab', { name: 'Edit' }).click();
    await root.locator('[part~="model"][data-model="flux-fill-pro"]').click();
    await root.locator('input[type="file"]').setInputFiles({ name: 'room.png', mimeType: 'image/png', buffer: await makePng(page, 400, 300, 120) });
    await root.locator('[part~="mask-canvas"]').waitFor();
    expect(await root.locator('#mask-hint').textContent()).toBe('Paint over the part to change.');
    // One line: every tool's vertical middle within a few pixels of the others'.
    const middles = await root
      .locator('dotbase-mask-painter [role="toolbar"] > *')
      .evaluateAll((tools) => tools.map((tool) => tool.getBoundingClientRect()).map((box) => box.top + box.height / 2));
    expect(Math.max(...middles) - Math.min(...middles)).toBeLessThan(4);
    await root.locator('[part~="mask-canvas"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'mobile-mask');
    await page.context().close();
  });

  it("the server's own page follows the studio's dark theme", async () => {
    const page = await phone(e2e.browser, `${e2e.api.url}/`, 'dark');
    const root = studio(page);
    await root.locator('[part~="model"]').first().waitFor();
    const page_ = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const shell = await root.locator('[part~="base"]').evaluate((element) => getComputedStyle(element).backgroundColor);
    const luminance = (rgb: string) => (rgb.match(/\d+/g) ?? []).slice(0, 3).map(Number).reduce((sum, value) => sum + value, 0) / 3;
    expect(luminance(shell)).toBeLessThan(60);
    expect(luminance(page_)).toBeLessThan(60);
    await screenshot(page, 'mobile-dark-server-page');
    await page.context().close();
  });
});
