import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { silentLogger } from '../src/log.js';
import { startServer, type RunningServer, type StartOptions } from '../src/start.js';

export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'dotbase-server-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Fast simulator timing for tests: 20 ms starting, 80 ms processing. */
export const FAST_SIMULATOR: NonNullable<StartOptions['simulator']> = { timing: { startingMs: 20, processingMs: 80, steps: 4 } };

// Tests read arbitrary JSON answers and assert on their fields: `any` keeps those assertions short and readable.
export interface TestServer extends RunningServer {
  dir: string;
  /** fetch against the server, relative paths allowed. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** JSON request with an optional bearer token; returns status and parsed body. */
  json<T = any>(method: string, path: string, options?: { body?: unknown; token?: string; headers?: Record<string, string> }): Promise<{ status: number; body: T; headers: Headers }>;
}

/**
 * A real dotbase server on 127.0.0.1 (port 0) over a temp data dir; without `REPLICATE_API_TOKENS` in `env` it
 * runs the in-process simulator with fast timing.
 */
export async function startTestServer(env: Record<string, string> = {}, options: Partial<StartOptions> = {}): Promise<TestServer> {
  const temp = await tempDir();
  const server = await startServer({
    env: { PORT: '0', DOTBASE_DATA_DIR: temp.dir, ...env },
    logger: silentLogger,
    simulator: FAST_SIMULATOR,
    service: { pollIntervalMs: 40 },
    ...options,
  });
  const fetchAt = (path: string, init?: RequestInit) => fetch(path.startsWith('http') ? path : `${server.url}${path}`, init);
  return {
    ...server,
    dir: temp.dir,
    fetch: fetchAt,
    async json(method, path, { body, token, headers = {} } = {}) {
      const response = await fetchAt(path, {
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
    },
    async close() {
      await server.close();
      await temp.remove();
    },
  };
}

/** Uploads bytes as multipart `file`; returns the parsed answer. */
export async function upload(server: TestServer, bytes: Uint8Array, options: { token?: string; filename?: string; type?: string } = {}) {
  const form = new FormData();
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: options.type ?? 'application/octet-stream' }), options.filename ?? 'image.png');
  const response = await server.fetch('/api/uploads', {
    method: 'POST',
    body: form,
    headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** Polls a generation until it reaches a terminal status. */
export async function waitForTerminal(server: TestServer, id: string, token?: string, timeoutMs = 20_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await server.json('GET', `/api/generations/${id}`, token ? { token } : {});
    expect(status).toBe(200);
    if (['completed', 'failed', 'canceled'].includes(body.status)) return body;
    if (Date.now() > deadline) throw new Error(`generation ${id} still ${body.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
