import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ModelInfo } from '../src/api/types.js';
import { describeBrowser, screenshot } from './harness/browser.js';
import { openPage, settle, startE2E, studio, waitForResult, type E2E } from './harness/fixtures.js';
import { studioPage } from './harness/page-server.js';

/**
 * Latin words allowed in the Russian studio: model and brand names (from the catalogue and its descriptions),
 * file formats and technical names people know in this form (JPEG, HDR, CFG, DDIM…), and the key name Ctrl+Enter.
 */
const NAMES = new Set(
  (
    'ByteDance Black Forest Labs Stability AI Google Gemini Flash Image Large Kontext Fill pro schnell Turbo Remove Background ' +
    'Upscaler Upscale Crisp Clarity Real ESRGAN BRIA BiRefNet Imagen Ideogram Recraft SeeDream FLUX SDXL Lightning Stable Diffusion ' +
    'Nano Banana Multi Remover GFPGAN Telegram PNG JPEG WebP GIF HDR CFG DDIM DPM PNDM SDE Solver Ctrl Enter https fp8 C4D'
  )
    .split(' ')
    .map((word) => word.toLowerCase()),
);

/** Prompts are the user's own text, shown as typed; the failure trigger of the simulator is Latin. */
const USER_TEXT = ['simulate:fail'];

/** Every piece of text a person can see or hear in the studio: visible text, option labels, placeholders, ARIA labels. */
function visibleStrings(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const visible = (element: Element) => element.checkVisibility({ checkOpacity: false, checkVisibilityCSS: true });
    const walk = (root: Node) => {
      for (const node of root.childNodes) {
        if (node.nodeType === Node.TEXT_NODE) {
          const parent = node.parentElement;
          const text = node.textContent?.trim();
          // Options of a closed select are not rendered, but they are what the select offers.
          if (text && parent && !['STYLE', 'SCRIPT'].includes(parent.tagName) && (parent.tagName === 'OPTION' || visible(parent)) && !parent.closest('[lang="en"]')) {
            found.push(text);
          }
        } else if (node instanceof Element) {
          if (node.matches('[lang="en"]')) continue;
          for (const attribute of ['placeholder', 'aria-label', 'title', 'alt']) {
            const value = node.getAttribute(attribute);
            if (value && visible(node)) found.push(value);
          }
          if (node.shadowRoot) walk(node.shadowRoot);
          walk(node);
        }
      }
    };
    walk(document.querySelector('dotbase-studio')!.shadowRoot!);
    return found;
  });
}

/** The strings with an English word in them (a Latin word of three letters or more that is not a name). */
async function english(page: Page): Promise<string[]> {
  const strings = await visibleStrings(page);
  return [...new Set(strings)]
    .filter((text) => !USER_TEXT.some((prompt) => text.includes(prompt)))
    .filter((text) => (text.replace(/[A-Z][A-Z0-9_]{3,}/g, '').match(/\b[A-Za-z][A-Za-z0-9]{2,}\b/g) ?? []).some((word) => !NAMES.has(word.toLowerCase())));
}

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
  // A prompt is user text, not the studio's: the history shows them, so they are written in Russian here.
  const seeded = await Promise.all([
    e2e.client.createGeneration({ action: 'create', model_id: 'flux-schnell', prompt: 'маяк на рассвете', settings: {} }),
    e2e.client.createGeneration({ action: 'create', model_id: 'sdxl-lightning', prompt: 'simulate:fail лиса', settings: {} }),
  ]);
  await settle(e2e.client, seeded.map((generation) => generation.id));
}, 60_000);
afterAll(() => e2e?.close());

async function russianPage(name: string, lang: string | null, attributes = '', locale = 'en-US'): Promise<Page> {
  const context = await e2e.browser.newContext({ viewport: { width: 1200, height: 900 }, locale });
  return openPage(context, e2e.site.page(`/${name}.html`, studioPage({ attributes: `endpoint="${e2e.api.url}" theme="light" ${attributes}`, lang })));
}

describeBrowser('the studio in Russian', () => {
  it('shows no English anywhere: every tab, model, setting, value, result, failure and the history (lang="ru" on the page)', async () => {
    const page = await russianPage('ru-everything', 'ru');
    const root = studio(page);
    await root.getByRole('tab', { name: 'Создать' }).waitFor();
    const offenders = new Map<string, string[]>();
    const check = async (where: string) => {
      const found = await english(page);
      if (found.length > 0) offenders.set(where, found);
    };
    const models = (await e2e.client.request<{ items: ModelInfo[] }>('GET', '/api/models/list')).items;
    for (const tab of ['Создать', 'Редактировать', 'Увеличить', 'Удалить фон']) {
      await root.getByRole('tab', { name: tab }).click();
      for (const model of models) {
        const card = root.locator(`[part~="model"][data-model="${model.id}"]`);
        if ((await card.count()) === 0) continue;
        await card.click();
        await root.locator(`[part~="model-selected"][data-model="${model.id}"]`).waitFor();
        await root.locator('dotbase-settings-form details').evaluateAll((folds) => folds.forEach((fold) => ((fold as HTMLDetailsElement).open = true)));
        await check(`${tab} / ${model.id}`);
      }
    }
    await screenshot(page, 'ru-edit-form');

    await root.getByRole('tab', { name: 'Создать' }).click();
    await root.locator('[part~="model"][data-model="flux-schnell"]').click();
    await root.getByLabel('Запрос', { exact: true }).fill('маяк на рассвете, акварель');
    await root.locator('[part~="submit"]').click();
    await waitForResult(page);
    await check('result: completed');
    await screenshot(page, 'ru-result');
    await root.getByLabel('Запрос', { exact: true }).fill('simulate:fail лиса');
    await root.locator('[part~="submit"]').click();
    await waitForResult(page, 'failed');
    // The model's own failure text comes from the provider and is shown as it is; the studio's words around it are checked.
    await root.locator('dotbase-result-view .problem .hint').evaluate((hint) => hint.remove());
    await check('result: failed');

    // a request the form lets through and the server refuses (Recraft takes a size or an aspect ratio, not both):
    // the server's English issue is shown beside its field in Russian
    await root.locator('[part~="model"][data-model="recraft-v3"]').click();
    await root.locator('[part~="model-selected"][data-model="recraft-v3"]').waitFor();
    await root.getByLabel('Соотношение сторон', { exact: true }).selectOption('1:1');
    await root.getByLabel('Размер', { exact: true }).selectOption('1024x1024');
    await root.locator('[part~="submit"]').click();
    const refusal = root.locator('dotbase-settings-form .error-text[role="alert"]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe('Нельзя вместе с настройкой «Соотношение сторон»: укажите что-то одно.');
    await check('server validation error');
    await screenshot(page, 'ru-server-issue');

    await root.getByRole('button', { name: 'История' }).click();
    await root.locator('[part~="history-item"]').first().waitFor();
    await check('history');
    await screenshot(page, 'ru-history');
    expect(Object.fromEntries(offenders)).toEqual({});
    await page.context().close();
  });

  it('takes the locale from the attribute, else the page lang, else the browser', async () => {
    const byAttribute = await russianPage('locale-attribute', 'ru', 'locale="en"');
    await studio(byAttribute).getByRole('tab', { name: 'Create' }).waitFor();
    await byAttribute.context().close();

    const byBrowser = await russianPage('locale-browser', null, '', 'ru-RU');
    await studio(byBrowser).getByRole('tab', { name: 'Создать' }).waitFor();
    // A page that changes its own lang later is followed.
    await byBrowser.evaluate(() => document.documentElement.setAttribute('lang', 'en'));
    await studio(byBrowser).getByRole('tab', { name: 'Create' }).waitFor();
    await byBrowser.context().close();
  });

  it('ships Russian as its own file: fetched only for Russian, beside the module or the classic script, English if it fails', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'en-US' });
    const scripts: string[] = [];
    context.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    const page = (name: string, lang: string, script: 'module' | 'classic' = 'module') =>
      context.newPage().then(async (tab) => {
        await tab.goto(e2e.site.page(`/${name}.html`, studioPage({ attributes: `endpoint="${e2e.api.url}" theme="light"`, lang, script })));
        return tab;
      });

    // English: the studio never asks for the Russian file
    const english = await page('lazy-en', 'en');
    await studio(english).locator('[part~="model"]').first().waitFor();
    expect(scripts).toEqual(['/widget/dotbase-studio.js']);

    // Russian, with the file held back: the studio shows nothing (no flash of English) until it arrives, then Russian
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await context.route('**/widget/dotbase-ru.js', async (route) => {
      await held;
      await route.continue();
    });
    const russian = await page('lazy-ru', 'ru');
    await expect.poll(() => scripts.filter((path) => path === '/widget/dotbase-ru.js').length).toBe(1);
    expect(await russian.locator('dotbase-studio').evaluate((element) => element.shadowRoot?.textContent?.trim() ?? '')).toBe('');
    release();
    await studio(russian).getByRole('tab', { name: 'Создать' }).waitFor();
    await context.unroute('**/widget/dotbase-ru.js');

    // the classic script finds the file beside itself too
    const classic = await page('lazy-ru-classic', 'ru', 'classic');
    await studio(classic).getByRole('tab', { name: 'Создать' }).waitFor();
    expect(scripts.slice(-2)).toEqual(['/widget/dotbase-studio.iife.js', '/widget/dotbase-ru.js']);

    // a file that cannot be loaded leaves the studio usable, in English
    await context.route('**/widget/dotbase-ru.js', (route) => route.fulfill({ status: 404, body: 'missing' }));
    const failed = await page('lazy-ru-missing', 'ru');
    await studio(failed).getByRole('tab', { name: 'Create' }).waitFor();
    await context.close();
  });

  it("switches language on the server's own page, remembering the choice", async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'en-US' });
    const page = await openPage(context, `${e2e.api.url}/`);
    const root = studio(page);
    await root.getByRole('tab', { name: 'Create' }).waitFor();
    await root.getByRole('button', { name: 'Русский' }).click();
    await root.getByRole('tab', { name: 'Создать' }).waitFor();
    expect(await root.getByRole('button', { name: 'Русский' }).getAttribute('aria-pressed')).toBe('true');
    await page.reload();
    await root.getByRole('tab', { name: 'Создать' }).waitFor();
    await root.getByRole('button', { name: 'English' }).click();
    await root.getByRole('tab', { name: 'Create' }).waitFor();
    await context.close();

    const russianBrowser = await e2e.browser.newContext({ locale: 'ru-RU' });
    const ru = await openPage(russianBrowser, `${e2e.api.url}/`);
    await studio(ru).getByRole('tab', { name: 'Создать' }).waitFor();
    await russianBrowser.close();
  });
});
