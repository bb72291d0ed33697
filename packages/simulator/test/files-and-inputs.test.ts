import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../src/index.js';
import { api, dataUrl, download, runModel, sdk, sizeOf, startFastSimulator, startLoopbackServer, subjectImage, type LoopbackServer } from './helpers.js';

describe('files and image inputs', () => {
  let sim: RunningSimulator;
  let images: LoopbackServer;
  let png: Buffer;
  beforeAll(async () => {
    sim = await startFastSimulator();
    png = await subjectImage(40, 30);
    images = await startLoopbackServer((request, _body, response) => {
      if (request.url === '/subject.png') response.writeHead(200, { 'content-type': 'image/png' }).end(png);
      else if (request.url === '/text.txt') response.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
      else response.writeHead(404).end();
    });
  });
  afterAll(async () => {
    await sim.close();
    await images.close();
  });

  it('uploads a file with the SDK, lists and gets it, and uses its URL as an input', async () => {
    const replicate = sdk(sim);
    const file = await replicate.files.create(new File([new Uint8Array(png)], 'subject.png', { type: 'image/png' }), { purpose: 'test' });
    expect(file).toMatchObject({ name: 'subject.png', content_type: 'image/png', size: png.byteLength, metadata: { purpose: 'test' } });
    expect(file.urls.get).toBe(`${sim.url}/files/${file.id}`);
    expect((await replicate.files.get(file.id)).checksums.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await replicate.files.list()).results.map((f) => f.id)).toContain(file.id);
    expect((await api(sim, `/files/${file.id}`, { token: 'r8_someone_else' })).status).toBe(404);

    const done = await runModel(sim, 'recraft-ai/recraft-crisp-upscale', { image: file.urls.get });
    expect(done.status).toBe('succeeded');
    expect(await sizeOf((await download(done.output as string)).bytes)).toMatchObject({ width: 80, height: 60 });
  });

  it('lets the SDK upload a Buffer input on its own (file encoding strategy "upload")', async () => {
    const output = await sdk(sim).run('recraft-ai/recraft-crisp-upscale', { input: { image: png } });
    expect(await sizeOf((await download(output as unknown as string)).bytes)).toMatchObject({ width: 80, height: 60 });
  });

  it('takes multipart uploads with filename, type and a metadata string', async () => {
    const form = new FormData();
    form.append('content', new Blob([new Uint8Array(png)]), 'ignored.bin');
    form.append('filename', 'named.png');
    form.append('type', 'image/png');
    form.append('metadata', '{"a":1}');
    const response = await fetch(`${sim.url}/files`, { method: 'POST', body: form, headers: { authorization: 'Bearer r8_test' } });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ name: 'named.png', content_type: 'image/png', metadata: { a: 1 } });
    const deleted = await sdk(sim).files.delete(((await (await fetch(`${sim.url}/files`, { headers: { authorization: 'Bearer r8_test' } })).json()) as { results: { id: string }[] }).results[0]!.id);
    expect(deleted).toBe(true);
  });

  it('reads data URLs, http URLs and its own output URLs as inputs', async () => {
    const fromData = await runModel(sim, 'recraft-ai/recraft-crisp-upscale', { image: dataUrl(png) });
    expect(fromData.status).toBe('succeeded');
    const fromHttp = await runModel(sim, 'recraft-ai/recraft-crisp-upscale', { image: `${images.url}/subject.png` });
    expect(fromHttp.status).toBe('succeeded');
    const chained = await runModel(sim, 'recraft-ai/recraft-crisp-upscale', { image: fromHttp.output as string });
    expect(chained.status).toBe('succeeded');
    expect(await sizeOf((await download(chained.output as string)).bytes)).toMatchObject({ width: 160, height: 120 });
  });

  it('fails the prediction with a clear error when an input image cannot be read', async () => {
    const missing = await runModel(sim, 'recraft-ai/recraft-crisp-upscale', { image: `${images.url}/missing.png` });
    expect(missing).toMatchObject({ status: 'failed', output: null });
    // what answered (a status, a refused connection) stays out of the message: it would help someone probing a network
    expect(missing.error).toBe('Could not read input image "image": the URL could not be downloaded');
    const notImage = await runModel(sim, 'recraft-ai/recraft-crisp-upscale', { image: `${images.url}/text.txt` });
    expect(notImage.error).toBe('Could not read input image "image": cannot identify image file');
    const unknownFile = await runModel(sim, 'recraft-ai/recraft-crisp-upscale', { image: `${sim.url}/files/nope` });
    expect(unknownFile.error).toContain('was not found');
    expect(unknownFile.logs).toContain('Error: Could not read input image');
  });
});
