/**
 * Widget: gzip size of each bundle (Lit included) and time to first render in headless Chromium, on the page the
 * server serves at `/` (which loads `/widget.js`). Builds the widget first.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startProcess } from './procs.js';
import { round, summarize, type BenchRow } from './stats.js';

const widgetDir = fileURLToPath(new URL('../packages/widget/', import.meta.url));
const BUNDLES = ['dotbase-studio.js', 'dotbase-studio.iife.js', 'dotbase-admin.js', 'dotbase-ru.js', 'lib/react.js'];
const RUNS = 7;

function chromiumPath(): string {
  const candidates = [process.env.DOTBASE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error('Chromium not found: apt-get install chromium, or set DOTBASE_CHROMIUM');
  return found;
}

export async function benchWidget(log: (line: string) => void): Promise<BenchRow[]> {
  // through the pnpm that runs `pnpm bench` (npm_execpath), which need not be on PATH
  const pnpm = process.env.npm_execpath;
  if (pnpm) execFileSync(process.execPath, [pnpm, 'run', 'build'], { stdio: 'ignore', cwd: widgetDir });
  else execFileSync('npx', ['--yes', 'pnpm@10.34.8', 'run', 'build'], { stdio: 'ignore', cwd: widgetDir });
  const rows: BenchRow[] = [];
  for (const bundle of BUNDLES) {
    const bytes = await readFile(join(widgetDir, 'dist', bundle));
    const gz = gzipSync(bytes, { level: 9 }).byteLength / 1024;
    const isMain = bundle === 'dotbase-studio.js';
    rows.push({ bench: 'widget', case: bundle, metric: 'gzip size', value: round(gz, 1), unit: `KiB (${round(bytes.byteLength / 1024, 1)} KiB raw)`, ...(isMain ? { target: '≤ 40 (aim 25)', pass: gz <= 40 } : {}) });
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'dotbase-bench-widget-'));
  const server = await startProcess<{ url: string }>('server.ts', [], { PORT: '0', DOTBASE_DATA_DIR: dataDir });
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const firstRender: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext(); // a cold cache every run
      const page = await context.newPage();
      await page.goto(server.info.url);
      const handle = await page.waitForFunction(() => {
        const root = document.querySelector('dotbase-studio')?.shadowRoot;
        return root && root.childElementCount > 0 ? performance.now() : null;
      });
      firstRender.push((await handle.jsonValue()) as number);
      await context.close();
    }
    const { p50 } = summarize(firstRender);
    log(`widget: first render p50 ${round(p50)} ms over ${RUNS} cold loads`);
    rows.push({ bench: 'widget', case: `page load → first render (${RUNS} cold loads)`, metric: 'p50', value: round(p50, 1), unit: 'ms' });
  } finally {
    await browser.close();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
  }
  return rows;
}
