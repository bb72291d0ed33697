import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Generation } from '../src/api/types.js';
import { accessibilityViolations, describeBrowser, screenshot, watchConsole } from './harness/browser.js';
import { openPage, settle, startE2E, studio, waitForResult, type E2E } from './harness/fixtures.js';
import { studioPage } from './harness/page-server.js';

let e2e: E2E;
/** Oldest first: "Fox 1" … "Fox 4". */
let seeded: Generation[] = [];

beforeAll(async () => {
  e2e = await startE2E();
  const ids: string[] = [];
  for (let i = 1; i <= 4; i++) ids.push((await e2e.client.createGeneration({ action: 'create', model_id: 'flux-schnell', prompt: `Fox ${i}`, settings: {} })).id);
  seeded = await settle(e2e.client, ids);
}, 60_000);
afterAll(() => e2e?.close());

async function open(name: string, attributes = ''): Promise<Page> {
  const context = await e2e.browser.newContext({ viewport: { width: 1200, height: 900 } });
  return openPage(context, e2e.site.page(`/${name}.html`, studioPage({ attributes: `endpoint="${e2e.api.url}" theme="light" ${attributes}` })));
}

const cards = (page: Page) => studio(page).locator('[part~="history-item"]');
const card = (page: Page, generation: Generation) => studio(page).locator(`[part~="history-item"][data-id="${generation.id}"]`);
const shownIds = (page: Page) => cards(page).evaluateAll((items) => items.map((item) => item.getAttribute('data-id')));
const starredOnServer = async (generation: Generation) => (await e2e.client.generation(generation.id)).favorite;

describeBrowser('favorites', () => {
  it('stars from a history card by keyboard, filters to favorites, keeps the filter while an item is opened, and stars in the viewer', async () => {
    const page = await open('favorites');
    const problems = watchConsole(page);
    const root = studio(page);
    await root.getByRole('button', { name: 'History', exact: true }).click();
    await cards(page).first().waitFor();
    const [fox1, fox2, fox3, fox4] = seeded as [Generation, Generation, Generation, Generation];

    // keyboard: focus the star of "Fox 2" and press Space, then "Fox 4" with Enter
    const star2 = card(page, fox2).getByRole('button', { name: 'Favorite' });
    expect(await star2.getAttribute('aria-pressed')).toBe('false');
    await star2.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => star2.getAttribute('aria-pressed')).toBe('true');
    await card(page, fox4).getByRole('button', { name: 'Favorite' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => card(page, fox4).getByRole('button', { name: 'Favorite' }).getAttribute('aria-pressed')).toBe('true');
    expect([await starredOnServer(fox2), await starredOnServer(fox4), await starredOnServer(fox1)]).toEqual([true, true, false]);
    await root.locator('[role="status"]').getByText('Added to favorites.').waitFor({ state: 'attached' });

    // the filter, by keyboard too
    const onlyFavorites = root.getByRole('button', { name: 'Favorites only' });
    await onlyFavorites.focus();
    await page.keyboard.press('Enter');
    await root.getByText('2 in total').waitFor();
    expect(await onlyFavorites.getAttribute('aria-pressed')).toBe('true');
    expect(await shownIds(page)).toEqual([fox4.id, fox2.id]);
    await screenshot(page, 'favorites-01-filtered');
    expect(await accessibilityViolations(page)).toEqual([]);

    // open one: its result shows the star; the viewer too, where it is unstarred
    await card(page, fox2).getByRole('button', { name: 'Open' }).click();
    await waitForResult(page);
    const resultStar = root.locator('dotbase-result-view .meta').getByRole('button', { name: 'Favorite' });
    expect(await resultStar.getAttribute('aria-pressed')).toBe('true');
    await root.locator('[part~="output"]').first().click();
    const viewer = root.locator('dialog[open]');
    await viewer.waitFor();
    const viewerStar = viewer.getByRole('button', { name: 'Favorite' });
    expect(await viewerStar.getAttribute('aria-pressed')).toBe('true');
    await viewerStar.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => viewerStar.getAttribute('aria-pressed')).toBe('false');
    expect(await starredOnServer(fox2)).toBe(false);
    await screenshot(page, 'favorites-02-viewer');
    await page.keyboard.press('Escape');
    expect(await resultStar.getAttribute('aria-pressed')).toBe('false');

    // back in history: still "favorites only", reloaded without the one unstarred in the viewer
    await root.getByRole('button', { name: 'History', exact: true }).click();
    await root.getByText('1 in total').waitFor();
    expect(await onlyFavorites.getAttribute('aria-pressed')).toBe('true');
    expect(await shownIds(page)).toEqual([fox4.id]);

    // unstarring under the filter leaves the card where it is (hollow star) until the next load
    await card(page, fox4).getByRole('button', { name: 'Favorite' }).click();
    await expect.poll(() => card(page, fox4).getByRole('button', { name: 'Favorite' }).getAttribute('aria-pressed')).toBe('false');
    expect(await shownIds(page)).toEqual([fox4.id]);
    await onlyFavorites.click();
    await root.getByText('4 in total').waitFor();
    await onlyFavorites.click();
    await root.getByText('No generations match these filters.').waitFor();
    await root.getByRole('button', { name: 'Clear filters' }).click();
    await root.getByText('4 in total').waitFor();
    expect(await onlyFavorites.getAttribute('aria-pressed')).toBe('false');
    expect(await shownIds(page)).toEqual([fox4.id, fox3.id, fox2.id, fox1.id]);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('speaks Russian around the stars', async () => {
    await e2e.client.setFavorite(seeded[0]!.id, true);
    const page = await open('favorites-ru', 'locale="ru"');
    const root = studio(page);
    await root.getByRole('button', { name: 'История', exact: true }).click();
    await cards(page).first().waitFor();
    await root.getByRole('button', { name: 'Только избранное' }).click();
    await root.getByText('Всего: 1').waitFor();
    expect(await card(page, seeded[0]!).getByRole('button', { name: 'Избранное' }).getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, 'favorites-03-ru');
    await page.context().close();
  });
});
