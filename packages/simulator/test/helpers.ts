import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Replicate from 'replicate';
import sharp from 'sharp';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../src/index.js';

/** Fast lifecycle for tests: 20 ms starting, 4 steps over 80 ms. */
export const FAST_TIMING = { startingMs: 20, processingMs: 80, steps: 4 };

export function startFastSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ timing: FAST_TIMING, ...options });
}

export function sdk(sim: RunningSimulator, token = 'r8_test'): Replicate {
  return new Replicate({ auth: token, baseUrl: sim.url, useFileOutput: false });
}

/** Plain fetch against the simulator's API, for what the SDK hides (statuses, headers, retries). */
export function api(sim: RunningSimulator, path: string, init: { token?: string | null; method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? 'r8_test'}`;
  return fetch(`${sim.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

export interface Prediction {
  id: string;
  status: string;
  output: string | string[] | null;
  error: string | null;
  logs: string;
  data_removed: boolean;
  [key: string]: unknown;
}

export async function waitForPrediction(sim: RunningSimulator, id: string, token = 'r8_test', timeoutMs = 10_000): Promise<Prediction> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await api(sim, `/predictions/${id}`, { token });
    const prediction = (await response.json()) as Prediction;
    if (['succeeded', 'failed', 'canceled', 'aborted'].includes(prediction.status)) return prediction;
    if (Date.now() > deadline) throw new Error(`prediction ${id} still ${prediction.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Creates through the official route, waits for the end, answers the prediction. */
export async function runModel(sim: RunningSimulator, slug: string, input: Record<string, unknown>, token = 'r8_test'): Promise<Prediction> {
  const response = await api(sim, `/models/${slug}/predictions`, { token, body: { input } });
  if (response.status !== 201) throw new Error(`create ${slug} answered ${response.status}: ${await response.text()}`);
  const created = (await response.json()) as Prediction;
  return waitForPrediction(sim, created.id, token);
}

export async function runVersion(sim: RunningSimulator, version: string, input: Record<string, unknown>, token = 'r8_test'): Promise<Prediction> {
  const response = await api(sim, '/predictions', { token, body: { version, input } });
  if (response.status !== 201) throw new Error(`create ${version} answered ${response.status}: ${await response.text()}`);
  return waitForPrediction(sim, ((await response.json()) as Prediction).id, token);
}

export async function download(url: string): Promise<{ bytes: Buffer; contentType: string | null; status: number }> {
  const response = await fetch(url);
  return { bytes: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type'), status: response.status };
}

/** A solid-coloured image with a differently coloured centred disc: a subject on a plain background. */
export async function subjectImage(width: number, height: number, format: 'png' | 'jpeg' = 'png'): Promise<Buffer> {
  const r = Math.min(width, height) / 4;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#2e8b57"/><circle cx="${width / 2}" cy="${height / 2}" r="${r}" fill="#ffcc00"/></svg>`;
  const image = sharp(Buffer.from(svg));
  return format === 'png' ? image.png().toBuffer() : image.jpeg().toBuffer();
}

export function dataUrl(bytes: Buffer, type = 'image/png'): string {
  return `data:${type};base64,${bytes.toString('base64')}`;
}

export async function sizeOf(bytes: Buffer): Promise<{ width: number; height: number; format: string | undefined; hasAlpha: boolean }> {
  const meta = await sharp(bytes).metadata();
  return { width: meta.width, height: meta.height, format: meta.format, hasAlpha: meta.hasAlpha };
}

export interface LoopbackServer {
  url: string;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 with a free port, for image inputs and webhook receivers. */
export async function startLoopbackServer(handler: (request: IncomingMessage, body: Buffer, response: ServerResponse) => void): Promise<LoopbackServer> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handler(request, Buffer.concat(chunks), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
