import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach } from 'vitest';
import { startSimulator, type SimulatorOptions } from '@dotbase/simulator';
import { createDotbase, type DotbaseOptions } from '../src/index.js';
import { fsStorage } from '../src/node.js';

/** A real PNG: a blue square with a white disc in the middle, so edits and background removal have something to do. */
export async function samplePng(width = 256, height = 256): Promise<Uint8Array> {
  const disc = Buffer.from(
    `<svg width="${width}" height="${height}"><circle cx="${width / 2}" cy="${height / 2}" r="${Math.min(width, height) / 4}" fill="#ffffff"/></svg>`,
  );
  const png = await sharp({ create: { width, height, channels: 3, background: '#2050c0' } }).composite([{ input: disc }]).png().toBuffer();
  return new Uint8Array(png);
}

/** A mask the size of `samplePng`: white (repaint) in the left half, black (keep) elsewhere. */
export async function sampleMask(width = 256, height = 256): Promise<Uint8Array> {
  const left = Buffer.from(`<svg width="${width}" height="${height}"><rect x="0" y="0" width="${width / 2}" height="${height}" fill="#ffffff"/></svg>`);
  const png = await sharp({ create: { width, height, channels: 3, background: '#000000' } }).composite([{ input: left }]).png().toBuffer();
  return new Uint8Array(png);
}

export const TOKENS = ['r8_test_token_alpha', 'r8_test_token_bravo', 'r8_test_token_charlie'];

export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'dotbase-core-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }) };
}

/** A running simulator plus a started dotbase over fs storage in a temp dir. */
export async function startStack(options: { simulator?: SimulatorOptions; dotbase?: Partial<DotbaseOptions>; dir?: string } = {}) {
  const simulator = await startSimulator({ tokens: TOKENS, timing: { startingMs: 20, processingMs: 80 }, ...options.simulator });
  const temp = options.dir ? undefined : await tempDir();
  const dir = options.dir ?? temp!.dir;
  const dotbase = createDotbase({
    tokens: TOKENS,
    baseUrl: simulator.url,
    storage: fsStorage(dir),
    ...options.dotbase,
    service: { pollIntervalMs: 40, ...options.dotbase?.service },
  });
  await dotbase.service.start();
  return {
    simulator,
    dotbase,
    dir,
    async close() {
      await dotbase.service.stop();
      await simulator.close();
      await temp?.remove();
    },
  };
}

/**
 * For test files that start a stack per test: `stackWith` starts one and registers it for closing after the
 * test, and `cleanups` takes anything else to undo. Call once at the top of the file.
 */
export function useStacks() {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });
  async function stackWith(...args: Parameters<typeof startStack>) {
    const stack = await startStack(...args);
    cleanups.push(() => stack.close());
    return stack;
  }
  return { cleanups, stackWith };
}
