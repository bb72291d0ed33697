import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Generation } from '../src/api/types.js';
import { startApiServer, type ApiServer } from './harness/api-server.js';
import { accessibilityViolations, describeBrowser, screenshot } from './harness/browser.js';
import { openPage, recordedEvents, startE2E, studio, waitForEvents, waitForResult, type E2E } from './harness/fixtures.js';
import { studioPage } from './harness/page-server.js';

let e2e: E2E;
/** Slow generations, so one can be canceled while it runs. */
let slow: ApiServer;
beforeAll(async () => {
  e2e = await startE2E();
  slow = await startApiServer({ corsOrigins: [e2e.site.origin], timing: { startingMs: 100, processingMs: 4000, steps: 4 } });
}, 60_000);
afterAll(() => Promise.all([e2e?.close(), slow?.close()]));

async function open(endpoint: string, name: string): Promise<Page> {
  const context = await e2e.browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
  return openPage(context, e2e.site.page(`/${name}.html`, studioPage({ attributes: `endpoint="${endpoint}" theme="light"` })));
}

async function create(page: Page, prompt: string, count: number): Promise<Generation> {
  const root = studio(page);
  await root.getByLabel('Prompt', { exact: true }).fill(prompt);
  await root.locator('[part~="submit"]').click();
  await waitForEvents(page, 'dotbase-generation-complete', count);
  return (await recordedEvents<{ generation: Generation }>(page, 'dotbase-generation-complete'))[count - 1]!.detail.generation;
}

/** The before/after slider runs from the image's left edge to its right edge, as the image is displayed. */
async function expectSliderSpansImage(page: Page): Promise<void> {
  const viewer = studio(page).locator('dialog[open]');
  const image = await viewer.locator('.stage img:not(.before)').boundingBox();
  const slider = await viewer.locator('input.divider').boundingBox();
  const before = await viewer.locator('img.before').boundingBox();
  expect(image && slider && before).toBeTruthy();
  const viewport = page.viewportSize()!;
  expect(image!.width).toBeGreaterThan(Math.min(200, viewport.width / 2));
  for (const [name, box] of [['slider', slider!], ['original', before!]] as const) {
    expect(Math.abs(box.x - image!.x), `${name} left edge`).toBeLessThanOrEqual(1);
    expect(Math.abs(box.x + box.width - (image!.x + image!.width)), `${name} right edge`).toBeLessThanOrEqual(1);
  }
  expect(image!.x + image!.width).toBeLessThanOrEqual(viewport.width);
  // the box is the picture itself (no letterbox bands) and nothing of it is cut off
  const shown = await viewer.locator('.stage').evaluate((stage) => {
    const img = stage.querySelector<HTMLImageElement>('img:not(.before)')!;
    return { ratio: img.naturalWidth / img.naturalHeight, scrolls: stage.scrollHeight > stage.clientHeight + 1 || stage.scrollWidth > stage.clientWidth + 1 };
  });
  expect(Math.abs(image!.width / image!.height - shown.ratio)).toBeLessThan(0.02);
  expect(shown.scrolls).toBe(false);
  // every viewer button fits on the screen
  for (const box of await viewer.locator('.viewer-actions button').evaluateAll((buttons) => buttons.map((b) => b.getBoundingClientRect().toJSON() as DOMRect))) {
    expect(box.left).toBeGreaterThanOrEqual(0);
    expect(box.right).toBeLessThanOrEqual(viewport.width);
  }
}

describeBrowser('results like a modern generator', () => {
  it("keeps this session's results in a gallery, with one actions menu per image and Download all", async () => {
    const page = await open(e2e.api.url, 'gallery');
    const root = studio(page);
    await root.locator('[part~="model"][data-model="flux-schnell"]').click();
    await root.getByLabel('Number of images').fill('2');
    await root.getByLabel('Number of images').dispatchEvent('change');
    const first = await create(page, 'Two foxes', 1);
    expect(first.output_urls).toHaveLength(2);
    await root.getByLabel('Number of images').fill('1');
    await root.getByLabel('Number of images').dispatchEvent('change');
    await create(page, 'A heron', 2);
    await waitForResult(page);

    const gallery = root.locator('.session button');
    expect(await gallery.count()).toBe(2);
    expect(await gallery.nth(0).getAttribute('aria-current')).toBe('true');
    await gallery.nth(1).click();
    await root.locator('.meta .prompt', { hasText: 'Two foxes' }).waitFor();
    expect(await root.locator('[part~="output"]').count()).toBe(2);

    // One menu per image, not a cluster of buttons under it.
    expect(await root.locator('[part~="output-menu"]').count()).toBe(2);
    expect(await root.locator('[data-use]').first().isVisible()).toBe(false);
    await root.locator('[part~="output-menu"] summary').first().click();
    expect(await root.locator('[part~="output-menu"][open] [data-use]').allTextContents()).toEqual([
      'Use as input for: Edit',
      'Use as input for: Upscale',
      'Use as input for: Remove background',
    ]);
    await screenshot(page, 'gallery-menu');
    await page.keyboard.press('Escape');

    const downloads: string[] = [];
    page.on('download', (download) => downloads.push(download.suggestedFilename()));
    await root.getByRole('button', { name: 'Download all' }).click();
    await expect.poll(() => downloads.length).toBe(2);
    expect(downloads).toEqual([`dotbase-${first.id.slice(0, 8)}-1.webp`, `dotbase-${first.id.slice(0, 8)}-2.webp`]);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('opens a result full size with zoom and a before/after compare for an upscale', async () => {
    const page = await open(e2e.api.url, 'viewer');
    const root = studio(page);
    const created = await create(page, 'A lighthouse', 1);
    await root.locator('[part~="output-menu"] summary').first().click();
    await root.locator('[data-use="upscale"]').click();
    await root.locator('[part~="preview"]').first().waitFor();
    await root.locator('[part~="model"][data-model="real-esrgan"]').click();
    await root.getByLabel('Scale', { exact: true }).fill('2');
    await root.getByLabel('Scale', { exact: true }).dispatchEvent('change');
    await root.locator('[part~="submit"]').click();
    await waitForEvents(page, 'dotbase-generation-complete', 2);
    await waitForResult(page);

    await root.locator('[part~="output"]').first().click();
    const viewer = root.locator('dialog[open]');
    await viewer.waitFor();
    await viewer.getByRole('button', { name: 'Actual size' }).click();
    expect(await viewer.locator('.stage').getAttribute('class')).toContain('zoomed');
    await viewer.getByRole('button', { name: 'Actual size' }).click();
    await viewer.getByRole('button', { name: 'Compare with the original' }).click();
    const before = viewer.locator('img.before');
    await before.evaluate((img: HTMLImageElement) => img.decode());
    expect(await before.getAttribute('src')).toBe(created.output_urls[0]);
    await viewer.getByLabel('Compare with the original').fill('25');
    expect(await viewer.locator('.stage').getAttribute('style')).toBe('--split:25%');
    await screenshot(page, 'viewer-compare');
    await expectSliderSpansImage(page);
    await page.keyboard.press('Escape');

    // the same on a phone: the slider follows the image as it is shown there
    await page.setViewportSize({ width: 390, height: 844 });
    await root.locator('[part~="output"]').first().click();
    await viewer.waitFor();
    await viewer.getByRole('button', { name: 'Compare with the original' }).click();
    await viewer.locator('img.before').evaluate((img: HTMLImageElement) => img.decode());
    await expectSliderSpansImage(page);
    await screenshot(page, 'viewer-compare-mobile');
    await page.keyboard.press('Escape');
    await page.context().close();
  });

  it('explains a canceled generation and offers to run it again', async () => {
    const page = await open(slow.url, 'canceled');
    const root = studio(page);
    await root.getByLabel('Prompt', { exact: true }).fill('A slow painting');
    await root.locator('[part~="submit"]').click();
    await root.getByRole('button', { name: 'Cancel' }).click();
    await waitForResult(page, 'canceled');
    const box = root.locator('.problem.canceled');
    expect(await box.textContent()).toContain('Canceled before it finished: no image was made.');
    await screenshot(page, 'result-canceled');
    await box.getByRole('button', { name: 'Run again' }).click();
    await waitForEvents(page, 'dotbase-generation-start', 2);
    const starts = await recordedEvents<{ generation: Generation }>(page, 'dotbase-generation-start');
    expect(starts[1]!.detail.generation.prompt).toBe('A slow painting');
    await root.getByRole('button', { name: 'Cancel' }).click();
    await waitForResult(page, 'canceled');
    await page.context().close();
  });
});
