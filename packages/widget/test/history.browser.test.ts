import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/errors.js';
import type { Generation } from '../src/api/types.js';
import { accessibilityViolations, screenshot, watchConsole, describeBrowser } from './harness/browser.js';
import { openPage, settle, startE2E, studio, waitForResult, type E2E } from './harness/fixtures.js';
import { studioPage } from './harness/page-server.js';

let e2e: E2E;
let creates: Generation[] = [];
let upscales: Generation[] = [];

beforeAll(async () => {
  e2e = await startE2E();
  e2e.site.page('/history.html', studioPage({ attributes: `endpoint="${e2e.api.url}" theme="light"` }));
  e2e.site.page('/ru.html', studioPage({ attributes: `endpoint="${e2e.api.url}" locale="ru-RU" theme="light"` }));
  // 14 creates (the newest with a seed and an aspect ratio to reuse) and 2 upscales of the first: 16 in all.
  const createIds: string[] = [];
  for (let i = 1; i <= 14; i++) {
    const settings = i === 14 ? { seed: 1234, aspect_ratio: '3:2' } : {};
    createIds.push((await e2e.client.createGeneration({ action: 'create', model_id: 'flux-schnell', prompt: `History item ${i}`, settings })).id);
  }
  creates = await settle(e2e.client, createIds);
  const source = creates[0]!.output_urls[0]!.match(/outputs\/[^/?#]+$/)![0];
  const upscaleIds: string[] = [];
  for (let i = 0; i < 2; i++) {
    upscaleIds.push((await e2e.client.createGeneration({ action: 'upscale', model_id: 'real-esrgan', settings: { scale: 2 }, input_images: [source] })).id);
  }
  upscales = await settle(e2e.client, upscaleIds);
}, 90_000);
afterAll(() => e2e?.close());

async function openHistory(page: Page, label = 'History'): Promise<void> {
  await studio(page).getByRole('button', { name: label, exact: true }).click();
  await studio(page).locator('[part~="history-item"]').first().waitFor();
}

const items = (page: Page) => studio(page).locator('[part~="history-item"]');

describeBrowser('history', () => {
  it('has settled every seeded generation', () => {
    expect([...creates, ...upscales].map((generation) => generation.status)).toEqual(Array(16).fill('completed'));
  });

  it('shows 12 per page with pagination and filters by action and status', async () => {
    const page = await openPage(e2e.browser, `${e2e.site.origin}/history.html`);
    const problems = watchConsole(page);
    await openHistory(page);
    const root = studio(page);
    expect(await items(page).count()).toBe(12);
    await root.getByText('16 in total').waitFor();
    await root.getByText('Page 1 of 2').waitFor();
    expect(await root.getByRole('button', { name: 'Previous' }).isDisabled()).toBe(true);
    // Newest first: the two upscales, then the creates from the 14th down.
    expect(await items(page).nth(0).getAttribute('data-id')).toBe(upscales[1]!.id);
    expect(await items(page).nth(2).getAttribute('data-id')).toBe(creates[13]!.id);
    await screenshot(page, 'history-01-page-1');

    await root.getByRole('button', { name: 'Next' }).click();
    await root.getByText('Page 2 of 2').waitFor();
    await page.waitForFunction(() => document.querySelector('dotbase-studio')!.shadowRoot!.querySelector('dotbase-history')!.shadowRoot!.querySelectorAll('[part~="history-item"]').length === 4);
    expect(await items(page).last().getAttribute('data-id')).toBe(creates[0]!.id);
    await screenshot(page, 'history-02-page-2');

    await root.getByLabel('Action').selectOption('upscale');
    await root.getByText('2 in total').waitFor();
    expect(await items(page).count()).toBe(2);
    expect(await root.getByRole('navigation', { name: 'Pages' }).count()).toBe(0);
    await root.getByLabel('Status').selectOption('failed');
    await root.getByText('No generations match these filters.').waitFor();
    await root.getByLabel('Status').selectOption('completed');
    await root.getByText('2 in total').waitFor();
    await screenshot(page, 'history-03-filtered');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens, reuses and deletes generations', async () => {
    const page = await openPage(e2e.browser, `${e2e.site.origin}/history.html`);
    const problems = watchConsole(page);
    const root = studio(page);
    await openHistory(page);

    await items(page).nth(0).getByRole('button', { name: 'Open' }).click();
    await waitForResult(page);
    expect(await root.getByRole('tab', { name: 'Upscale' }).getAttribute('aria-selected')).toBe('true');
    expect(await root.locator('[part~="output"] img').first().getAttribute('src')).toBe(upscales[1]!.output_urls[0]);
    await screenshot(page, 'history-10-opened');

    await openHistory(page);
    await items(page).nth(2).getByRole('button', { name: 'Reuse' }).click();
    await root.getByLabel('Prompt', { exact: true }).waitFor();
    expect(await root.getByRole('tab', { name: 'Create' }).getAttribute('aria-selected')).toBe('true');
    expect(await root.getByLabel('Prompt', { exact: true }).inputValue()).toBe('History item 14');
    expect(await root.locator('[part~="model-selected"]').textContent()).toContain('FLUX Schnell');
    expect(await root.getByLabel('Aspect ratio', { exact: true }).inputValue()).toBe('3:2');
    expect(await root.getByLabel('Seed', { exact: true }).inputValue()).toBe('1234');
    await screenshot(page, 'history-11-reused');

    await openHistory(page);
    const doomed = await items(page).nth(0).getAttribute('data-id');
    const remove = items(page).nth(0).getByRole('button', { name: 'Delete' });
    await remove.click();
    await items(page).nth(0).getByRole('button', { name: 'Confirm delete' }).click();
    await root.getByText('15 in total').waitFor();
    expect(await items(page).nth(0).getAttribute('data-id')).not.toBe(doomed);
    const gone = await e2e.client.generation(doomed!).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(ApiError);
    expect((gone as ApiError).status).toBe(404);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('speaks Russian with locale="ru-RU", history included', async () => {
    const page = await openPage(e2e.browser, `${e2e.site.origin}/ru.html`);
    const problems = watchConsole(page);
    const root = studio(page);
    await root.getByRole('tab', { name: 'Создать' }).waitFor();
    expect(await root.getByRole('tab').allTextContents()).toEqual(['Создать', 'Редактировать', 'Увеличить', 'Удалить фон'].map((t) => expect.stringContaining(t)));
    await root.getByText('Демо-режим', { exact: false }).waitFor();
    expect(await root.locator('[part~="base"]').getAttribute('lang')).toBe('ru');
    await root.getByLabel('Запрос', { exact: true }).fill('Маяк на рассвете');
    await root.locator('[part~="submit"]').click();
    await waitForResult(page);
    await root.getByText('Готово', { exact: true }).first().waitFor();
    await screenshot(page, 'ru-01-created');
    await openHistory(page, 'История');
    await root.getByRole('heading', { name: 'Ваши генерации' }).waitFor();
    await root.getByText('Страница 1 из 2').waitFor();
    await screenshot(page, 'ru-02-history');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('keeps its filters while an item is opened, tells "no matches" from empty, shows why an item failed, and keeps cards still', async () => {
    const failing = await e2e.client.createGeneration({ action: 'create', model_id: 'flux-schnell', prompt: 'simulate:fail on purpose', settings: {} });
    await settle(e2e.client, [failing.id]);
    const { total } = await e2e.client.listGenerations({ page: 1, limit: 1 });
    const upscaled = (await e2e.client.listGenerations({ page: 1, limit: 1, action: 'upscale' })).total;
    expect(upscaled).toBeGreaterThan(0);
    const page = await openPage(e2e.browser, `${e2e.site.origin}/history.html`);
    const root = studio(page);
    await openHistory(page);

    const reason = items(page).filter({ hasText: 'simulate:fail on purpose' }).locator('.reason');
    expect(await reason.textContent()).toContain('simulate:fail');

    await root.locator('#filter-action').selectOption('upscale');
    await root.locator('#filter-status').selectOption('canceled');
    await root.getByText('No generations match these filters.').waitFor();
    await root.getByRole('button', { name: 'Clear filters' }).click();
    await root.getByText(`${total} in total`).waitFor();

    // Search by prompt: the server filters, the count says how many match.
    await root.getByLabel('Search prompts').fill('item 1');
    await root.getByText('6 in total').waitFor();
    expect(await items(page).locator('.prompt').allTextContents()).toEqual(['History item 14', 'History item 13', 'History item 12', 'History item 11', 'History item 10', 'History item 1']);
    await root.getByLabel('Search prompts').fill('');
    await root.getByText(`${total} in total`).waitFor();

    await root.locator('#filter-action').selectOption('upscale');
    await root.getByText(`${upscaled} in total`).waitFor();
    await items(page).nth(0).getByRole('button', { name: 'Open' }).click();
    await waitForResult(page);
    await root.getByRole('button', { name: 'History', exact: true }).click();
    expect(await root.locator('#filter-action').inputValue()).toBe('upscale');
    await root.getByText(`${upscaled} in total`).waitFor();

    const card = items(page).nth(0);
    const before = await card.getByRole('button', { name: 'Open' }).boundingBox();
    const cardBefore = await card.boundingBox();
    await card.getByRole('button', { name: 'Delete' }).click();
    await card.getByRole('button', { name: 'Confirm delete' }).waitFor();
    expect(await card.getByRole('button', { name: 'Open' }).boundingBox()).toEqual(before);
    expect(await card.boundingBox()).toEqual(cardBefore);
    await screenshot(page, 'history-20-grid');
    await page.close();
  });
});
