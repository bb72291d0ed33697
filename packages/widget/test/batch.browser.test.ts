import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { accessibilityViolations, describeBrowser, screenshot, watchConsole } from './harness/browser.js';
import { openPage, startE2E, studio, type E2E } from './harness/fixtures.js';
import { studioPage } from './harness/page-server.js';

const run = promisify(execFile);

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
  e2e.site.page('/batch.html', studioPage({ attributes: `endpoint="${e2e.api.url}" theme="light"` }));
}, 60_000);
afterAll(() => e2e?.close());

/** Drops `count` PNGs of different colours on the image drop area, as a user dragging files from the desktop. */
async function dropImages(page: Page, count: number): Promise<void> {
  const transfer = await page.evaluateHandle(async (count) => {
    const transfer = new DataTransfer();
    for (let i = 0; i < count; i++) {
      const canvas = new OffscreenCanvas(160, 120);
      const context = canvas.getContext('2d')!;
      context.fillStyle = `hsl(${i * 90}, 70%, 50%)`;
      context.fillRect(0, 0, 160, 120);
      transfer.items.add(new File([await canvas.convertToBlob({ type: 'image/png' })], `photo-${i}.png`, { type: 'image/png' }));
    }
    return transfer;
  }, count);
  const dropzone = studio(page).locator('[part~="dropzone"]');
  await dropzone.dispatchEvent('dragover', { dataTransfer: transfer });
  await dropzone.dispatchEvent('drop', { dataTransfer: transfer });
}

describeBrowser('<dotbase-studio> batches', () => {
  for (const [tab, model] of [
    ['Upscale', 'real-esrgan'],
    ['Remove background', 'background-remover'],
  ] as const) {
    it(`runs several images dropped on ${tab} as one batch, with progress per image and "download all"`, async () => {
      const context = await e2e.browser.newContext({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
      const page = await openPage(context, `${e2e.site.origin}/batch.html`);
      const problems = watchConsole(page);
      const root = studio(page);
      await root.getByRole('tab', { name: tab }).click();
      await root.locator(`[part~="model"][data-model="${model}"]`).click();
      await root.locator(`[part~="model-selected"][data-model="${model}"]`).waitFor();

      await dropImages(page, 3);
      await root.locator('[part~="preview"].ready').nth(2).waitFor();
      expect(await root.locator('[part~="preview"]').count()).toBe(3);
      await root.locator('[part~="submit"]').click();

      const panel = root.locator('[part~="batch"]');
      await panel.waitFor();
      expect(await root.locator('[part~="batch-item"]').count()).toBe(3);
      await screenshot(page, `batch-${model}-running`);
      await root.locator('[part~="batch"][data-status="completed"]').waitFor({ timeout: 30_000 });
      for (let i = 0; i < 3; i++) {
        const item = root.locator(`[part~="batch-item"][data-index="${i}"]`);
        expect(await item.getAttribute('data-status')).toBe('completed');
        expect(await item.locator('img').getAttribute('src')).toContain(`${e2e.api.url}/files/outputs/`);
      }
      await screenshot(page, `batch-${model}-done`);
      expect(await accessibilityViolations(page)).toEqual([]);

      // the server holds it as one batch of this model, one generation per image
      const batchId = await panel.getAttribute('data-batch');
      const batch = await e2e.client.request<any>('GET', `/api/batches/${batchId}`);
      expect(batch.counts.completed).toBe(3);
      expect(batch.generations.map((g: any) => g.model_id)).toEqual([model, model, model]);

      const [download] = await Promise.all([page.waitForEvent('download'), root.locator('[part~="batch-download"]').click()]);
      const dir = await mkdtemp(join(tmpdir(), 'dotbase-widget-zip-'));
      try {
        const file = join(dir, download.suggestedFilename());
        await download.saveAs(file);
        expect(download.suggestedFilename()).toMatch(/^dotbase-batch-[0-9a-f]{8}\.zip$/);
        const listing = (await run('unzip', ['-Z1', file])).stdout.trim().split('\n').sort();
        expect(listing.map((name) => name.replace(/\.\w+$/, ''))).toEqual([`001-${model}`, `002-${model}`, `003-${model}`]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      expect(problems).toEqual([]);
      await context.close();
    });
  }
});
