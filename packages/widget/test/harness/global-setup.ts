import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A fresh build of the widget (the same files `pnpm build` writes to dist), made once per test run. */
    widgetDist: string;
  }
}

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Builds the real bundles once, into a temporary folder, so browser tests load exactly what ships. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const outDir = await mkdtemp(join(tmpdir(), 'dotbase-widget-dist-'));
  // Vitest sets NODE_ENV=test, which would make Vite pick Lit's development build; test what ships instead.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    for (const mode of ['es', 'iife', 'react', 'admin']) {
      await build({ root, configFile: join(root, 'vite.config.ts'), mode, logLevel: 'warn', build: { outDir, emptyOutDir: false } });
    }
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  project.provide('widgetDist', outDir);
  return () => rm(outDir, { recursive: true, force: true });
}
