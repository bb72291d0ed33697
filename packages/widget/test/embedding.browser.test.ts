import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../src/api/client.js';
import type { Generation } from '../src/api/types.js';
import { startApiServer, type ApiServer } from './harness/api-server.js';
import { screenshot, watchConsole, describeBrowser } from './harness/browser.js';
import { openPage, recordedEvents, settle, startE2E, studio, waitForEvents, waitForResult, type E2E } from './harness/fixtures.js';
import { studioPage } from './harness/page-server.js';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const KEY = 'embed-test-key-0123456789';

let e2e: E2E;
/** Anonymous access off: every request needs the key; generations run slowly enough to cancel. */
let guarded: ApiServer;
let reactDist: string;

beforeAll(async () => {
  e2e = await startE2E();
  guarded = await startApiServer({ corsOrigins: [e2e.site.origin], apiKeys: `alice:${KEY}`, timing: { startingMs: 100, processingMs: 2500, steps: 5 } });
  e2e.site.page('/example.html', await readFile(join(examples, 'widget-html/index.html'), 'utf8'));
  reactDist = await mkdtemp(join(tmpdir(), 'dotbase-react-example-'));
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: join(examples, 'widget-react'), base: '/react/', logLevel: 'warn', build: { outDir: reactDist, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  e2e.site.mount('/react/', reactDist);
}, 90_000);

afterAll(async () => {
  await Promise.all([e2e?.close(), guarded?.close()]);
  if (reactDist) await rm(reactDist, { recursive: true, force: true });
});

describeBrowser('embedding <dotbase-studio>', () => {
  it('runs the plain HTML example, loading the widget from the server itself (/widget.js)', async () => {
    const page = await openPage(e2e.browser, `${e2e.site.origin}/example.html?endpoint=${encodeURIComponent(e2e.api.url)}`);
    const problems = watchConsole(page);
    const root = studio(page);
    await root.locator('[part~="model"]').first().waitFor();
    await root.getByLabel('Prompt', { exact: true }).fill('A fox in the snow');
    await root.locator('[part~="submit"]').click();
    await waitForResult(page);
    await page.locator('#events li', { hasText: 'dotbase-generation-complete' }).waitFor();
    // The page's theming reached inside: its accent colour is on the submit button (not hovered).
    await page.mouse.move(0, 0);
    await page.waitForFunction(() => {
      const submit = document.querySelector('dotbase-studio')!.shadowRoot!.querySelector('[part~="submit"]')!;
      return getComputedStyle(submit).backgroundColor === 'rgb(15, 118, 110)';
    });
    await screenshot(page, 'example-html');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('runs the React example through the @lit/react wrapper (array props, typed event callbacks)', async () => {
    const page = await openPage(e2e.browser, `${e2e.site.origin}/react/?endpoint=${encodeURIComponent(e2e.api.url)}`);
    const problems = watchConsole(page);
    const root = studio(page);
    await root.locator('[part~="model"]').first().waitFor();
    expect((await root.getByRole('tab').allTextContents()).map((tab) => tab.trim())).toEqual(['Create', 'Upscale', 'Remove background']);
    await page.locator('#events li', { hasText: 'ready: simulator' }).waitFor();
    await page.getByLabel('Dark theme').check();
    expect(await root.getAttribute('theme')).toBe('dark');
    await root.getByLabel('Prompt', { exact: true }).fill('A paper crane');
    await root.locator('[part~="submit"]').click();
    await page.locator('#events li', { hasText: 'completed: 1 image(s)' }).waitFor();
    await screenshot(page, 'example-react');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('explains a failed generation in plain words and retries it', async () => {
    const page = await openPage(e2e.browser, e2e.site.page('/fail.html', studioPage({ attributes: `endpoint="${e2e.api.url}"` })));
    const root = studio(page);
    await root.getByLabel('Prompt', { exact: true }).fill('simulate:fail please');
    await root.locator('[part~="submit"]').click();
    await waitForResult(page, 'failed');
    await root.getByRole('alert').filter({ hasText: 'The model could not make this image.' }).waitFor();
    await screenshot(page, 'error-failed');
    const failed = await recordedEvents<{ generation: Generation }>(page, 'dotbase-generation-failed');
    expect(failed).toHaveLength(1);
    const errors = await recordedEvents<{ code: string; context: string; generationId: string }>(page, 'dotbase-error');
    expect(errors.map((event) => event.detail)).toEqual([expect.objectContaining({ code: 'prediction_failed', context: 'generation', generationId: failed[0]!.detail.generation.id })]);

    await root.getByRole('button', { name: 'Retry' }).click();
    await waitForEvents(page, 'dotbase-generation-failed', 2);
    const starts = await recordedEvents<{ generation: Generation }>(page, 'dotbase-generation-start');
    expect(starts).toHaveLength(2);
    expect(starts[1]!.detail.generation.id).not.toBe(starts[0]!.detail.generation.id);
    expect(starts[1]!.detail.generation.prompt).toBe('simulate:fail please');
    await page.close();
  });

  it('authenticates with the token attribute, refreshes through getToken, and cancels a running generation', async () => {
    const url = e2e.site.page('/token.html', studioPage({ attributes: `endpoint="${guarded.url}" token="${KEY}"` }));
    const page = await openPage(e2e.browser, url);
    const problems = watchConsole(page);
    const root = studio(page);
    await root.locator('[part~="model"]').first().waitFor();
    expect(await root.locator('[data-notice="sign-in"]').count()).toBe(0);
    await root.getByLabel('Prompt', { exact: true }).fill('A slow sunrise');
    await root.locator('[part~="submit"]').click();
    await root.locator('[part~="progress"]').waitFor();
    await screenshot(page, 'cancel-running');
    await root.getByRole('button', { name: 'Cancel' }).click();
    await waitForResult(page, 'canceled');
    const started = (await recordedEvents<{ generation: Generation }>(page, 'dotbase-generation-start'))[0]!.detail.generation;
    const alice = new ApiClient({ endpoint: guarded.url, token: KEY });
    expect((await alice.generation(started.id)).status).toBe('canceled');
    expect(await recordedEvents(page, 'dotbase-generation-canceled')).toHaveLength(1);

    // A callback wins over the attribute and is asked before each request.
    await page.evaluate((key) => {
      const element = document.querySelector('dotbase-studio') as HTMLElement & { getToken: () => Promise<string>; token: string | null };
      (window as unknown as { tokenCalls: number }).tokenCalls = 0;
      element.token = null;
      element.getToken = async () => {
        (window as unknown as { tokenCalls: number }).tokenCalls += 1;
        return key;
      };
    }, KEY);
    await root.locator('[part~="model"]').first().waitFor();
    expect(await page.evaluate(() => (window as unknown as { tokenCalls: number }).tokenCalls)).toBeGreaterThan(0);

    // Without any credentials the server refuses, and the studio says so.
    const anonymous = await openPage(e2e.browser, e2e.site.page('/no-token.html', studioPage({ attributes: `endpoint="${guarded.url}"` })));
    await studio(anonymous).locator('[data-notice="sign-in"]').waitFor();
    await screenshot(anonymous, 'signed-out');
    const list = await alice.listGenerations({ page: 1, limit: 12 });
    await settle(alice, list.items.map((generation) => generation.id));
    expect(list.items.map((generation) => generation.id)).toEqual([started.id]);
    expect(problems).toEqual([]);
    await anonymous.close();
    await page.close();
  });
});
