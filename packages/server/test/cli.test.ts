import { stat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '@dotbase/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnCli, type CliProcess } from './cli.js';
import { tempDir } from './helpers.js';

const running: CliProcess[] = [];
const cleanups: Array<() => Promise<unknown>> = [];

function start(env: Record<string, string>, args?: string[]): CliProcess {
  const cli = spawnCli(env, args);
  running.push(cli);
  return cli;
}

afterEach(async () => {
  for (const cli of running.splice(0)) {
    if (cli.child.exitCode === null && cli.child.signalCode === null) {
      cli.child.kill('SIGKILL');
      await cli.exited;
    }
  }
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function json(url: string, init?: RequestInit): Promise<any> {
  const response = await fetch(url, init);
  return response.json();
}

describe('dotbase serve', () => {
  it('starts with zero configuration: in-process simulator, said in the log and in /api/health; stops on SIGTERM', async () => {
    const temp = await tempDir();
    cleanups.push(temp.remove);
    const cli = start({ PORT: '0', DOTBASE_DATA_DIR: temp.dir });
    const url = await cli.listening;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await json(`${url}/api/health`)).toEqual({
      status: 'ok',
      mode: 'simulator',
      version: expect.any(String),
      limits: { max_upload_bytes: 10 * 1024 * 1024, max_prompt_length: 4000 },
      sign_in: { telegram: null, api_keys: false, anonymous: true },
    });
    expect(cli.lines.some((line) => /simulator/.test(line) && /REPLICATE_API_TOKENS/.test(line))).toBe(true);

    // the generated secret is kept private in the data folder and never printed
    const secretFile = join(temp.dir, 'secret');
    expect((await stat(secretFile)).mode & 0o077).toBe(0);
    const secret = (await readFile(secretFile, 'utf8')).trim();
    expect(cli.lines.join('\n')).not.toContain(secret);

    const created = await json(`${url}/api/generations/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'create', model_id: 'flux-schnell', prompt: 'zero config' }),
    });
    expect(created.status).toBe('processing');

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.lines.some((line) => line.includes('dotbase stopped'))).toBe(true);
  });

  it('refuses a wrong configuration with a message naming the variable, and exits non-zero', async () => {
    const cli = start({ PORT: 'eighty', DOTBASE_CORS_ORIGINS: 'not an origin' });
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toMatch(/PORT: must be a whole number/);
    expect(cli.stderr()).toMatch(/DOTBASE_CORS_ORIGINS: must be a list of origins/);
    expect(cli.lines).toEqual([]);
  });

  it('loses nothing when killed mid-flight: the next start finishes every generation', async () => {
    const tokens = ['r8_restart_token_one', 'r8_restart_token_two'];
    const simulator: RunningSimulator = await startSimulator({ tokens, timing: { startingMs: 50, processingMs: 2500, steps: 5 } });
    cleanups.push(() => simulator.close());
    const temp = await tempDir();
    cleanups.push(temp.remove);
    const env = { PORT: '0', DOTBASE_DATA_DIR: temp.dir, REPLICATE_API_TOKENS: tokens.join(','), REPLICATE_API_BASE_URL: simulator.url };

    const first = start(env);
    const firstUrl = await first.listening;
    expect((await json(`${firstUrl}/api/health`)).mode).toBe('replicate');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const created = await json(`${firstUrl}/api/generations/create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'create', model_id: 'flux-schnell', prompt: `restart ${i}` }),
      });
      expect(created.status).toBe('processing');
      ids.push(created.id);
    }
    first.child.kill('SIGKILL');
    await first.exited;
    // killed while Replicate (the simulator) was still working on them
    for (const id of ids) {
      const prediction = simulator.getPrediction((await readPredictionId(temp.dir, id)) ?? '');
      expect(prediction?.status).toMatch(/starting|processing/);
    }

    const second = start(env);
    const secondUrl = await second.listening;
    const deadline = Date.now() + 20_000;
    for (const id of ids) {
      for (;;) {
        const generation = await json(`${secondUrl}/api/generations/${id}`);
        if (generation.status === 'completed') {
          expect(generation.output_urls[0]).toMatch(new RegExp(`^${secondUrl}/files/outputs/`));
          expect((await fetch(generation.output_urls[0])).status).toBe(200);
          break;
        }
        expect(generation.status).toBe('processing');
        if (Date.now() > deadline) throw new Error(`${id} did not complete after the restart`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(simulator.stats().creates).toBe(5);
  });

  it('SIGKILL while 100 generations are in flight (some creates still on the wire): after a restart every recorded one ends, every completed one has its output in dotbase storage', async () => {
    const tokens = ['r8_kill100_one', 'r8_kill100_two', 'r8_kill100_three'];
    const simulator: RunningSimulator = await startSimulator({ tokens, timing: { startingMs: 50, processingMs: 3000, steps: 3 }, outputScale: 0.1 });
    cleanups.push(() => simulator.close());
    const temp = await tempDir();
    cleanups.push(temp.remove);
    const env = {
      PORT: '0',
      DOTBASE_DATA_DIR: temp.dir,
      REPLICATE_API_TOKENS: tokens.join(','),
      REPLICATE_API_BASE_URL: simulator.url,
      DOTBASE_MAX_ACTIVE_GENERATIONS: '1000',
      DOTBASE_RATE_LIMIT_PER_MINUTE: '100000',
    };
    const first = start(env);
    const firstUrl = await first.listening;
    let answered = 0;
    let next = 0;
    const alive = () => first.child.exitCode === null && first.child.signalCode === null;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < 100 && alive()) {
          const i = next++;
          const response = await fetch(`${firstUrl}/api/generations/create`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ action: 'create', model_id: 'flux-schnell', prompt: `kill ${i}` }),
          }).catch(() => null);
          if (response?.status === 201) answered += 1;
          // the kill lands while the other workers' creates are still in flight
          if (answered === 90 && alive()) first.child.kill('SIGKILL');
        }
      }),
    );
    await first.exited;
    expect(answered).toBeGreaterThanOrEqual(90);

    const second = start(env);
    const secondUrl = await second.listening;
    const terminal = ['completed', 'failed', 'canceled'];
    const deadline = Date.now() + 60_000;
    let listed: Array<{ status: string; output_urls: string[] }> = [];
    for (;;) {
      const page = await json(`${secondUrl}/api/generations/list?limit=100`);
      expect(page.items, JSON.stringify(page)).toBeInstanceOf(Array);
      listed = page.items;
      if (listed.every((g) => terminal.includes(g.status))) break;
      if (Date.now() > deadline) throw new Error(`still unfinished: ${listed.filter((g) => !terminal.includes(g.status)).length}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const completed = listed.filter((g) => g.status === 'completed');
    expect(completed.length).toBeGreaterThanOrEqual(answered);
    for (const generation of completed) {
      expect(generation.output_urls[0]).toMatch(new RegExp(`^${secondUrl}/files/outputs/`));
      expect((await fetch(generation.output_urls[0]!)).status).toBe(200);
    }
  }, 120_000);
});

/** The prediction id the killed process recorded, read from the data folder as the next process will. */
async function readPredictionId(dir: string, id: string): Promise<string | null> {
  const { prefixStorage } = await import('unstorage');
  const { createGenerationStore } = await import('@dotbase/core');
  const { fsStorage } = await import('@dotbase/core/node');
  const storage = fsStorage(dir);
  try {
    return (await createGenerationStore(prefixStorage(storage, 'generations')).get(id))?.prediction_id ?? null;
  } finally {
    await storage.dispose();
  }
}
