import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, launchBrowser, watchConsole } from './harness/browser.js';
import { startApiServer, type ApiServer } from './harness/api-server.js';
import { openPage, studio, waitForEvents } from './harness/fixtures.js';
import type { Browser } from 'playwright-core';

// The zero-config server (no authentication, loopback) answers only loopback host names and refuses cross-site
// state changes: its own page must still work, under 127.0.0.1 and under localhost alike.
let api: ApiServer;
let browser: Browser;
beforeAll(async () => {
  api = await startApiServer({ corsOrigins: [] });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

describeBrowser('the zero-config home page', () => {
  for (const host of ['127.0.0.1', 'localhost']) {
    it(`creates a generation when opened as http://${host}:<port>/`, async () => {
      const url = `http://${host}:${new URL(api.url).port}/`;
      const page = await openPage(browser, url);
      const problems = watchConsole(page);
      const root = studio(page);
      await root.getByRole('tab', { name: 'Create' }).waitFor();
      await root.getByLabel('Prompt', { exact: true }).fill(`from ${host}`);
      await root.locator('[part~="submit"]').click();
      await waitForEvents(page, 'dotbase-generation-complete', 1);
      expect(problems).toEqual([]);
      await page.close();
    });
  }
});
