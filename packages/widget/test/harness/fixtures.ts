import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { inject } from 'vitest';
import { ApiClient } from '../../src/api/client.js';
import { isTerminal, type Generation } from '../../src/api/types.js';
import { startApiServer, type ApiServer } from './api-server.js';
import { launchBrowser } from './browser.js';
import { startPageServer, type PageServer } from './page-server.js';

/** One browser, one API server and one embedding site (another origin) per test file. */
export interface E2E {
  api: ApiServer;
  site: PageServer;
  browser: Browser;
  /** A node-side client of the API server, for seeding and checking what the browser did. */
  client: ApiClient;
  close(): Promise<void>;
}

export async function startE2E(options: { apiKeys?: string; admins?: string; env?: Record<string, string> } = {}): Promise<E2E> {
  const site = await startPageServer(inject('widgetDist'));
  const api = await startApiServer({
    corsOrigins: [site.origin],
    ...(options.apiKeys ? { apiKeys: options.apiKeys } : {}),
    ...(options.admins ? { admins: options.admins } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  const browser = await launchBrowser();
  return {
    api,
    site,
    browser,
    client: new ApiClient({ endpoint: api.url }),
    async close() {
      await browser.close();
      await Promise.all([api.close(), site.close()]);
    },
  };
}

/** A page whose host document records every public widget event that reaches `document` (so: bubbling + composed). */
export async function openPage(context: BrowserContext | Browser, url: string): Promise<Page> {
  const page = await context.newPage();
  // Well under the test timeout, so a stuck step fails with its own locator in the message.
  page.setDefaultTimeout(10_000);
  await page.addInitScript(() => {
    const names = [
      'dotbase-ready',
      'dotbase-action-change',
      'dotbase-generation-start',
      'dotbase-generation-complete',
      'dotbase-generation-failed',
      'dotbase-generation-canceled',
      'dotbase-upload',
      'dotbase-error',
    ];
    const log: { type: string; detail: unknown; composedPath: number }[] = [];
    (window as unknown as { dotbaseEvents: typeof log }).dotbaseEvents = log;
    for (const name of names) {
      document.addEventListener(name, (event) => log.push({ type: event.type, detail: (event as CustomEvent).detail, composedPath: event.composedPath().length }));
    }
  });
  await page.goto(url);
  return page;
}

export interface RecordedEvent<T = unknown> {
  type: string;
  detail: T;
}

export function recordedEvents<T = unknown>(page: Page, type: string): Promise<RecordedEvent<T>[]> {
  return page.evaluate((type) => (window as unknown as { dotbaseEvents: RecordedEvent[] }).dotbaseEvents.filter((event) => event.type === type), type) as Promise<RecordedEvent<T>[]>;
}

/** Waits until the host page has seen `count` events of `type`. */
export async function waitForEvents(page: Page, type: string, count: number, timeout = 15_000): Promise<void> {
  await page.waitForFunction(
    ({ type, count }) => (window as unknown as { dotbaseEvents: { type: string }[] }).dotbaseEvents.filter((event) => event.type === type).length >= count,
    { type, count },
    { timeout },
  );
}

export function studio(page: Page): Locator {
  return page.locator('dotbase-studio');
}

/** Waits for the result view to show a terminal status and returns it. */
export async function waitForResult(page: Page, status: Generation['status'] = 'completed', timeout = 15_000): Promise<void> {
  await studio(page).locator(`.status[data-status="${status}"]`).waitFor({ timeout });
}

/** Polls the API until every listed generation is terminal. */
export async function settle(client: ApiClient, ids: string[], timeoutMs = 20_000): Promise<Generation[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await Promise.all(ids.map((id) => client.generation(id)));
    if (all.every((generation) => isTerminal(generation.status))) return all;
    if (Date.now() > deadline) throw new Error(`generations still running: ${all.filter((g) => !isTerminal(g.status)).map((g) => g.id)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
