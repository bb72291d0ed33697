import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe } from 'vitest';

/** Debian's Chromium (`.ci/run` installs it); override with DOTBASE_CHROMIUM. */
export const CHROMIUM = process.env.DOTBASE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * `describe` for the browser tests. On a machine without Chromium (the README's quick start needs only Node and
 * npm) they are skipped with a message saying how to run them; in CI (`CI=true`) they always run, so a missing
 * browser fails the build instead of passing silently.
 */
const skipBrowserTests = !existsSync(CHROMIUM) && process.env.CI !== 'true';
export const describeBrowser = describe.skipIf(skipBrowserTests);
if (skipBrowserTests) {
  console.warn(`[widget tests] no Chromium at ${CHROMIUM}: browser tests skipped (apt-get install chromium, or set DOTBASE_CHROMIUM)`);
}

export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Saves a full-page screenshot to `test-artifacts/<name>.png` (git-ignored) for a human to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

/** Collects page errors and console errors, so a test can assert the page stayed clean. */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // Failed loads are reported below with their URL.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.request().method()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => {
    const error = request.failure()?.errorText ?? '';
    // The widget stops reading a generation's event stream itself once the generation is over.
    if (error === 'net::ERR_ABORTED' && request.url().endsWith('/events')) return;
    problems.push(`failed: ${request.method()} ${request.url()} ${error}`);
  });
  return problems;
}

/** Runs axe-core (loaded from the page server) on the document, shadow roots included; returns serious violations. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ url: '/axe.js' });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id} (${violation.impact}): ${JSON.stringify(violation.nodes.map((node) => node.target))}`);
  });
}

/** Makes a real PNG in the browser (a gradient with a shape), returned as bytes for file inputs and uploads. */
export async function makePng(page: Page, width: number, height: number, hue = 210): Promise<Buffer> {
  const base64 = await page.evaluate(
    async ({ width, height, hue }) => {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext('2d')!;
      const gradient = context.createLinearGradient(0, 0, width, height);
      gradient.addColorStop(0, `hsl(${hue} 70% 55%)`);
      gradient.addColorStop(1, `hsl(${(hue + 80) % 360} 70% 35%)`);
      context.fillStyle = gradient;
      context.fillRect(0, 0, width, height);
      context.fillStyle = '#fff';
      context.beginPath();
      context.arc(width / 2, height / 2, Math.min(width, height) / 4, 0, Math.PI * 2);
      context.fill();
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let binary = '';
      for (const byte of bytes) binary += String.fromCharCode(byte);
      return btoa(binary);
    },
    { width, height, hue },
  );
  return Buffer.from(base64, 'base64');
}
