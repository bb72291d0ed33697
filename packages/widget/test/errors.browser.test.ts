import { createServer } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Generation } from '../src/api/types.js';
import { startApiServer, type ApiServer } from './harness/api-server.js';
import { describeBrowser, makePng, screenshot } from './harness/browser.js';
import { openPage, recordedEvents, startE2E, studio, waitForEvents, waitForResult, type E2E } from './harness/fixtures.js';
import { studioPage } from './harness/page-server.js';

/** The server's upload limit in these tests: small, so a "too big" file is quick to make. */
const MAX_UPLOAD = 200 * 1024;

let e2e: E2E;
/** A server that does not list the test site among its CORS origins. */
let foreign: ApiServer;
/** A loopback port nobody listens on. */
let closedPort: number;

beforeAll(async () => {
  e2e = await startE2E({ env: { DOTBASE_MAX_UPLOAD_BYTES: String(MAX_UPLOAD) } });
  foreign = await startApiServer({ corsOrigins: ['http://127.0.0.1:1'] });
  closedPort = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}, 60_000);
afterAll(() => Promise.all([e2e?.close(), foreign?.close()]));

async function open(endpoint: string, name: string): Promise<Page> {
  const context = await e2e.browser.newContext({ viewport: { width: 1200, height: 900 } });
  return openPage(context, e2e.site.page(`/${name}.html`, studioPage({ attributes: `endpoint="${endpoint}" theme="light"` })));
}

/** Counts upload requests the page makes, to prove a refused file never left the browser. */
function countUploads(page: Page): () => number {
  let count = 0;
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/api/uploads')) count += 1;
  });
  return () => count;
}

describeBrowser('errors where they belong', () => {
  it('checks files before uploading (type by bytes, the published size limit) and drops failed tiles with a reason', async () => {
    const page = await open(e2e.api.url, 'upload-errors');
    const root = studio(page);
    const uploads = countUploads(page);
    await root.getByRole('tab', { name: 'Upscale' }).click();
    await root.locator('[part~="model"]').first().waitFor();
    const problem = root.locator('dotbase-image-input .upload-problem');

    // A PDF that claims to be a PNG: refused by its bytes, no tile, no request.
    await root.locator('input[type="file"]').setInputFiles({ name: 'scan.png', mimeType: 'image/png', buffer: Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj') });
    await expect.poll(() => problem.textContent()).toBe('scan.png is not a PNG, JPEG, WebP or GIF image.');
    expect(await root.locator('[part~="preview"]').count()).toBe(0);

    // Over the server's published limit: refused before a byte is sent.
    const big = Buffer.concat([await makePng(page, 64, 64), Buffer.alloc(MAX_UPLOAD)]);
    await root.locator('input[type="file"]').setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: big });
    await expect.poll(() => problem.textContent()).toBe('huge.png is larger than 0.2 MB, the most this server accepts.');
    expect(await root.locator('[part~="preview"]').count()).toBe(0);
    expect(uploads()).toBe(0);
    await screenshot(page, 'error-upload-refused');

    // PNG magic but not a decodable image: the server refuses it; the tile goes, the reason stays beside the drop area.
    const fake = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
    await root.locator('input[type="file"]').setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: fake });
    await expect.poll(() => problem.textContent()).toMatch(/^broken\.png was not uploaded\. /);
    expect(uploads()).toBe(1);
    expect(await root.locator('[part~="preview"]').count()).toBe(0);
    expect(await problem.textContent()).not.toMatch(/file:|the request body/);
    // Not under the Image URL field, which is about URLs.
    expect(await root.locator('dotbase-image-input #url-error').textContent()).toBe('');

    // A good file clears the message.
    await root.locator('input[type="file"]').setInputFiles({ name: 'ok.png', mimeType: 'image/png', buffer: await makePng(page, 64, 64) });
    await root.locator('[part~="preview"].ready').waitFor();
    expect(await problem.textContent()).toBe('');
    await page.context().close();
  });

  it('shows a refused request beside its field, not under the previous result, and clears it when the field changes', async () => {
    const page = await open(e2e.api.url, 'form-errors');
    const root = studio(page);
    const prompt = root.getByLabel('Prompt', { exact: true });
    const promptProblem = root.locator('#prompt-problem');
    await root.locator('[part~="model"]').first().waitFor();

    // "Write a prompt first." goes as soon as the prompt is typed.
    await root.locator('[part~="submit"]').click();
    await expect.poll(() => promptProblem.textContent()).toBe('Write a prompt first.');
    await prompt.pressSequentially('a');
    expect(await promptProblem.textContent()).toBe('');

    // A failed generation, then a prompt over the server's limit (4000).
    await prompt.fill('simulate:fail now');
    await root.locator('[part~="submit"]').click();
    await waitForResult(page, 'failed');
    await prompt.fill('x'.repeat(5000));
    await root.locator('[part~="submit"]').click();
    await expect.poll(() => promptProblem.textContent()).toBe('The prompt is too long: at most 4000 characters.');
    const result = root.locator('dotbase-result-view');
    expect(await result.getByRole('alert').count()).toBe(1);
    expect(await result.getByRole('alert').textContent()).not.toContain('too long');
    expect(await recordedEvents(page, 'dotbase-generation-start')).toHaveLength(1);
    await screenshot(page, 'error-prompt-too-long');

    // Another model drops it; so does editing the prompt.
    await root.locator('[part~="model"]:not([part~="model-selected"])').first().click();
    expect(await promptProblem.textContent()).toBe('');
    await root.locator('[part~="submit"]').click();
    await expect.poll(() => promptProblem.textContent()).not.toBe('');
    await prompt.fill('a short prompt');
    expect(await promptProblem.textContent()).toBe('');
    await page.context().close();
  });

  it('puts what the server refuses beside the field it names, with no Retry that could only fail again', async () => {
    const page = await open(e2e.api.url, 'server-refusal');
    const root = studio(page);
    await root.getByLabel('Prompt', { exact: true }).fill('A lighthouse');
    await root.locator('[part~="submit"]').click();
    await waitForEvents(page, 'dotbase-generation-complete', 1);
    const [done] = await recordedEvents<{ generation: Generation }>(page, 'dotbase-generation-complete');
    await root.locator('[part~="output-menu"] summary').first().click();
    await root.locator('[data-use="upscale"]').first().click();
    await root.locator('[part~="preview"]').first().waitFor();
    // The output is gone by the time the upscale is asked for: the server names input_images.0.
    await e2e.client.deleteGeneration(done!.detail.generation.id);
    await root.locator('[part~="submit"]').click();
    const problem = root.locator('dotbase-image-input .upload-problem');
    await expect.poll(() => problem.textContent()).toMatch(/^no upload with id outputs\//);
    expect(await root.locator('.form-problem').textContent()).toBe('');
    expect(await root.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    // The previous result stays as it was: completed, not marked with this refusal.
    expect(await root.locator('.status').getAttribute('data-status')).toBe('completed');
    await root.locator('[part~="preview"] .remove').click();
    expect(await problem.textContent()).toBe('');
    await page.context().close();
  });

  it('tells a CORS refusal (naming the page origin and DOTBASE_CORS_ORIGINS) apart from an unreachable server', async () => {
    const refused = await open(foreign.url, 'cors-refused');
    const alert = studio(refused).locator('[part~="notice"][role="alert"]');
    await expect.poll(() => alert.textContent(), { timeout: 10_000 }).toContain(
      `does not allow this page (${e2e.site.origin}). Add ${e2e.site.origin} to DOTBASE_CORS_ORIGINS on the server.`,
    );
    expect(await alert.textContent()).not.toContain('could not be reached');
    await screenshot(refused, 'error-cors');
    await refused.context().close();

    const down = await open(`http://127.0.0.1:${closedPort}`, 'unreachable');
    const downAlert = studio(down).locator('[part~="notice"][role="alert"]');
    await expect.poll(() => downAlert.textContent(), { timeout: 10_000 }).toContain('The server could not be reached.');
    expect(await downAlert.textContent()).not.toContain('DOTBASE_CORS_ORIGINS');
    await down.context().close();
  });
});
