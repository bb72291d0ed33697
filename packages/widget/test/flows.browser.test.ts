import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Generation, Upload } from '../src/api/types.js';
import { accessibilityViolations, makePng, screenshot, watchConsole, describeBrowser } from './harness/browser.js';
import { openPage, recordedEvents, startE2E, studio, waitForEvents, waitForResult, type E2E } from './harness/fixtures.js';
import { studioPage } from './harness/page-server.js';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
  e2e.site.page('/flows.html', studioPage({ attributes: `endpoint="${e2e.api.url}" theme="light"` }));
}, 60_000);
afterAll(() => e2e?.close());

/** The one failed response these flows provoke on purpose: the server refusing a request, naming the field. */
const REFUSED_CREATE = /^HTTP 422 POST .*\/api\/generations\/create$/;

async function newStudioPage(): Promise<{ page: Page; problems: string[] }> {
  const context = await e2e.browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await openPage(context, `${e2e.site.origin}/flows.html`);
  const problems = watchConsole(page);
  await studio(page).getByRole('tab', { name: 'Create' }).waitFor();
  await studio(page).locator('[part~="model"]').first().waitFor();
  return { page, problems };
}

async function chooseModel(page: Page, id: string): Promise<void> {
  await studio(page).locator(`[part~="model"][data-model="${id}"]`).click();
  await studio(page).locator(`[part~="model-selected"][data-model="${id}"]`).waitFor();
}

async function completed(page: Page, count: number): Promise<Generation> {
  await waitForEvents(page, 'dotbase-generation-complete', count);
  const events = await recordedEvents<{ generation: Generation }>(page, 'dotbase-generation-complete');
  return events[count - 1]!.detail.generation;
}

/** Reads an image's size and a few pixels in a page on the API's own origin, where the file is same-origin. */
async function inspectImage(url: string, points: [number, number][]): Promise<{ width: number; height: number; pixels: number[][] }> {
  const page = await e2e.browser.newPage();
  try {
    await page.goto(`${e2e.api.url}/api/health`);
    return await page.evaluate(
      async ({ url, points }) => {
        const bitmap = await createImageBitmap(await (await fetch(url)).blob());
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d')!;
        context.drawImage(bitmap, 0, 0);
        const pixels = points.map(([x, y]) => [...context.getImageData(Math.round(x * bitmap.width), Math.round(y * bitmap.height), 1, 1).data]);
        return { width: bitmap.width, height: bitmap.height, pixels };
      },
      { url, points },
    );
  } finally {
    await page.close();
  }
}

describeBrowser('<dotbase-studio> end to end (page and API on different origins)', () => {
  it('creates an image, upscales the result, then removes its background', async () => {
    const { page, problems } = await newStudioPage();
    const root = studio(page);
    await root.locator('[data-notice="simulator"]').waitFor();
    await screenshot(page, 'flow-01-create-form');

    await chooseModel(page, 'flux-schnell');
    await root.getByLabel('Prompt', { exact: true }).fill('A lighthouse at dawn, watercolor');
    await root.getByLabel('Aspect ratio').selectOption('16:9');
    await root.locator('[part~="submit"]').click();
    await waitForEvents(page, 'dotbase-generation-start', 1);
    await screenshot(page, 'flow-02-create-running');
    await waitForResult(page);
    const created = await completed(page, 1);
    expect(created).toMatchObject({ action: 'create', model_id: 'flux-schnell', status: 'completed', settings: expect.objectContaining({ aspect_ratio: '16:9' }) });
    expect(created.output_urls.length).toBeGreaterThan(0);
    await root.locator('[part~="output"] img').first().evaluate((img: HTMLImageElement) => img.decode());
    await screenshot(page, 'flow-03-create-done');

    await root.locator('[part~="output-menu"] summary').first().click();

    await root.locator('[data-use="upscale"]').first().click();
    expect(await root.getByRole('tab', { name: 'Upscale' }).getAttribute('aria-selected')).toBe('true');
    await root.locator('[part~="preview"]').first().waitFor();
    await chooseModel(page, 'real-esrgan');
    await root.getByLabel('Scale', { exact: true }).fill('2');
    await root.getByLabel('Scale', { exact: true }).dispatchEvent('change');
    await screenshot(page, 'flow-04-upscale-form');
    await root.locator('[part~="submit"]').click();
    const upscaled = await completed(page, 2);
    expect(upscaled).toMatchObject({ action: 'upscale', model_id: 'real-esrgan', settings: expect.objectContaining({ scale: 2 }) });
    expect(upscaled.input_images?.[0]).toMatch(/^outputs\//);
    expect(created.output_urls[0]).toContain(upscaled.input_images![0]!);
    const before = await inspectImage(created.output_urls[0]!, []);
    const after = await inspectImage(upscaled.output_urls[0]!, []);
    expect(after.width).toBe(before.width * 2);
    await waitForResult(page);
    await screenshot(page, 'flow-05-upscale-done');

    await root.locator('[part~="output-menu"] summary').first().click();

    await root.locator('[data-use="remove-bg"]').first().click();
    await chooseModel(page, 'birefnet');
    await root.locator('[part~="submit"]').click();
    const cutout = await completed(page, 3);
    expect(cutout).toMatchObject({ action: 'remove-bg', model_id: 'birefnet' });
    expect(upscaled.output_urls[0]).toContain(cutout.input_images![0]!);
    await waitForResult(page);
    await root.locator('[part~="output"] img').first().evaluate((img: HTMLImageElement) => img.decode());
    await screenshot(page, 'flow-06-remove-bg-done');

    const starts = await recordedEvents(page, 'dotbase-generation-start');
    expect(starts.map((event) => (event.detail as { request: { action: string } }).request.action)).toEqual(['create', 'upscale', 'remove-bg']);
    // Seen on `document`: the events bubbled out of the shadow root.
    expect(await page.evaluate(() => (window as unknown as { dotbaseEvents: { composedPath: number }[] }).dotbaseEvents.every((e) => e.composedPath > 3))).toBe(true);

    await root.locator('[part~="output"]').first().click();
    await root.locator('dialog[open] img').waitFor();
    await screenshot(page, 'flow-07-full-size');
    await page.keyboard.press('Escape');
    await root.locator('dialog[open]').waitFor({ state: 'detached' }).catch(() => undefined);
    expect(await root.locator('dialog[open]').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('edits an uploaded file, showing its preview and upload progress', async () => {
    const { page, problems } = await newStudioPage();
    const root = studio(page);
    await root.getByRole('tab', { name: 'Edit' }).click();
    await chooseModel(page, 'flux-kontext-pro');
    const png = await makePng(page, 640, 480, 30);
    const uploads: Upload[] = [];
    page.on('response', async (response) => {
      if (response.url().endsWith('/api/uploads') && response.ok()) uploads.push((await response.json()) as Upload);
    });
    await root.locator('input[type="file"]').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: png });
    await root.locator('[part~="preview"].ready').waitFor();
    await screenshot(page, 'flow-10-edit-uploaded');
    await root.getByLabel('Prompt', { exact: true }).fill('Make the sky purple');
    await root.locator('[part~="submit"]').click();
    const edited = await completed(page, 1);
    expect(uploads).toHaveLength(1);
    expect(edited).toMatchObject({ action: 'edit', model_id: 'flux-kontext-pro', prompt: 'Make the sky purple', input_images: [uploads[0]!.id] });
    const uploadEvents = await recordedEvents<{ upload: Upload }>(page, 'dotbase-upload');
    expect(uploadEvents.map((event) => event.detail.upload.id)).toEqual([uploads[0]!.id]);
    await waitForResult(page);
    await screenshot(page, 'flow-11-edit-done');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('takes several images for Multi-Image Kontext, by drag and drop and by paste', async () => {
    const { page, problems } = await newStudioPage();
    const root = studio(page);
    await root.getByRole('tab', { name: 'Edit' }).click();
    await chooseModel(page, 'multi-image-kontext');
    const dropped = await page.evaluateHandle(async () => {
      const canvas = new OffscreenCanvas(300, 200);
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#2a9d8f';
      context.fillRect(0, 0, 300, 200);
      const transfer = new DataTransfer();
      transfer.items.add(new File([await canvas.convertToBlob({ type: 'image/png' })], 'dropped.png', { type: 'image/png' }));
      return transfer;
    });
    await root.locator('[part~="dropzone"]').dispatchEvent('dragover', { dataTransfer: dropped });
    await root.locator('[part~="dropzone"]').dispatchEvent('drop', { dataTransfer: dropped });
    await root.getByLabel('Prompt', { exact: true }).focus();
    await page.evaluate(async () => {
      const canvas = new OffscreenCanvas(200, 300);
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#e76f51';
      context.fillRect(0, 0, 200, 300);
      const transfer = new DataTransfer();
      transfer.items.add(new File([await canvas.convertToBlob({ type: 'image/png' })], 'pasted.png', { type: 'image/png' }));
      const prompt = document.querySelector('dotbase-studio')!.shadowRoot!.querySelector('textarea')!;
      prompt.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, composed: true }));
    });
    await root.locator('[part~="preview"].ready').nth(1).waitFor();
    expect(await root.locator('[part~="preview"]').count()).toBe(2);
    expect(await root.getByLabel('Prompt', { exact: true }).inputValue()).toBe('');
    await root.getByLabel('Prompt', { exact: true }).fill('Put the two colours side by side');
    await screenshot(page, 'flow-20-multi-image');
    await root.locator('[part~="submit"]').click();
    const generation = await completed(page, 1);
    expect(generation.model_id).toBe('multi-image-kontext');
    expect(generation.input_images).toHaveLength(2);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('inpaints with FLUX Fill Pro using a painted mask the size of the image (white = repaint)', async () => {
    const { page, problems } = await newStudioPage();
    const root = studio(page);
    await root.getByRole('tab', { name: 'Edit' }).click();
    await chooseModel(page, 'flux-fill-pro');
    await root.getByLabel('Prompt', { exact: true }).fill('A red balloon');
    await root.locator('[part~="submit"]').click();
    await root.getByText('Add an image first.').waitFor();

    const uploads: Upload[] = [];
    page.on('response', async (response) => {
      if (response.url().endsWith('/api/uploads') && response.ok()) uploads.push((await response.json()) as Upload);
    });
    await root.locator('input[type="file"]').setInputFiles({ name: 'room.png', mimeType: 'image/png', buffer: await makePng(page, 400, 300, 120) });
    await root.locator('[part~="preview"].ready').waitFor();
    // Without a painted mask and without outpaint the server refuses, naming the mask (FLUX Fill Pro's mask is
    // optional in its summary, since it outpaints without one).
    await root.locator('[part~="submit"]').click();
    await root.getByRole('alert').filter({ hasText: 'needs a mask to inpaint' }).waitFor();
    expect(uploads).toHaveLength(1);

    const canvas = root.locator('[part~="mask-canvas"]');
    await canvas.waitFor();
    await page.waitForFunction(() => {
      const c = document.querySelector('dotbase-studio')!.shadowRoot!.querySelector('dotbase-mask-painter')!.shadowRoot!.querySelector('canvas')!;
      return c.width === 400 && c.height === 300;
    });
    const box = (await canvas.boundingBox())!;
    // A stroke across the middle, then a stray dab in the corner that undo takes back.
    await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.65, box.y + box.height * 0.5, { steps: 5 });
    await page.mouse.up();
    await page.mouse.click(box.x + box.width * 0.95, box.y + box.height * 0.1);
    await root.getByRole('button', { name: 'Undo' }).click();
    await screenshot(page, 'flow-30-mask-painted');
    await root.locator('[part~="submit"]').click();
    const filled = await completed(page, 1);
    expect(uploads).toHaveLength(2);
    const [image, mask] = uploads as [Upload, Upload];
    expect(filled).toMatchObject({ model_id: 'flux-fill-pro', input_images: [image.id], mask: mask.id });

    const checked = await inspectImage(mask.url, [
      [0.5, 0.5],
      [0.4, 0.5],
      [0.05, 0.05],
      [0.95, 0.1],
      [0.5, 0.95],
    ]);
    expect({ width: checked.width, height: checked.height }).toEqual({ width: 400, height: 300 });
    const [center, stroke, corner, undone, bottom] = checked.pixels;
    expect(center!.slice(0, 3)).toEqual([255, 255, 255]);
    expect(stroke!.slice(0, 3)).toEqual([255, 255, 255]);
    for (const kept of [corner, undone, bottom]) expect(kept!.slice(0, 3)).toEqual([0, 0, 0]);
    await waitForResult(page);
    await screenshot(page, 'flow-31-fill-done');
    expect(problems.filter((line) => !REFUSED_CREATE.test(line))).toEqual([]);
    await page.context().close();
  });

  it('outpaints with FLUX Fill Pro without a mask, and the server refuses a painted mask it would ignore', async () => {
    const { page, problems } = await newStudioPage();
    const root = studio(page);
    await root.getByRole('tab', { name: 'Edit' }).click();
    await chooseModel(page, 'flux-fill-pro');
    await root.getByLabel('Prompt', { exact: true }).fill('More sky above');
    await root.locator('input[type="file"]').setInputFiles({ name: 'room.png', mimeType: 'image/png', buffer: await makePng(page, 200, 100, 60) });
    await root.locator('[part~="preview"].ready').waitFor();
    await root.getByText('More settings', { exact: true }).click();
    await root.getByLabel('Outpaint', { exact: true }).selectOption('Top outpaint');
    await root.locator('[part~="submit"]').click();
    const outpainted = await completed(page, 1);
    expect(outpainted).toMatchObject({ model_id: 'flux-fill-pro', mask: null, settings: expect.objectContaining({ outpaint: 'Top outpaint' }) });
    const grown = await inspectImage(outpainted.output_urls[0]!, []);
    expect({ width: grown.width, height: grown.height }).toEqual({ width: 200, height: 150 });

    const canvas = root.locator('[part~="mask-canvas"]');
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 5 });
    await page.mouse.up();
    await root.locator('[part~="submit"]').click();
    await root.getByRole('alert').filter({ hasText: 'ignored by FLUX Fill Pro when outpainting' }).waitFor();
    await screenshot(page, 'flow-32-outpaint-mask-refused');
    expect(problems.filter((line) => !REFUSED_CREATE.test(line))).toEqual([]);
    await page.context().close();
  });
});
