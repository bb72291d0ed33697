import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Generation } from '../src/api/types.js';
import { accessibilityViolations, screenshot, watchConsole, describeBrowser } from './harness/browser.js';
import { openPage, recordedEvents, startE2E, studio, waitForEvents, waitForResult, type E2E } from './harness/fixtures.js';
import { studioPage } from './harness/page-server.js';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 60_000);
afterAll(() => e2e?.close());

/** The focused element, looking through every open shadow root. */
function deepFocus(page: Page): Promise<{ tag: string; role: string | null; text: string; part: string | null; use: string | null; cls: string }> {
  return page.evaluate(() => {
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return {
      tag: active?.tagName.toLowerCase() ?? '',
      role: active?.getAttribute('role') ?? null,
      text: (active?.textContent ?? '').trim(),
      part: active?.getAttribute('part') ?? null,
      use: active?.getAttribute('data-use') ?? null,
      cls: active?.getAttribute('class') ?? '',
    };
  });
}

/** Presses Tab until `matches` holds for the focused element (bounded, so a focus trap fails the test). */
async function tabTo(page: Page, matches: (focus: Awaited<ReturnType<typeof deepFocus>>) => boolean, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (matches(await deepFocus(page))) return;
  }
  throw new Error(`focus never reached the target; last: ${JSON.stringify(await deepFocus(page))}`);
}

const tabs = (page: Page) => studio(page).getByRole('tab').allTextContents();

describeBrowser('<dotbase-studio> attributes, theming and accessibility', () => {
  it('honours actions (order), models (allowlist) and default-action, and reacts to property changes', async () => {
    const url = e2e.site.page(
      '/attributes.html',
      studioPage({ attributes: `endpoint="${e2e.api.url}" actions="upscale, create, edit" models="flux-schnell,real-esrgan,clarity-upscaler" default-action="upscale"` }),
    );
    const page = await openPage(e2e.browser, url);
    const problems = watchConsole(page);
    await studio(page).locator('[part~="model"]').first().waitFor();
    // Edit has no allowed model, so its tab is hidden; remove-bg was not asked for.
    expect((await tabs(page)).map((t) => t.trim())).toEqual(['Upscale', 'Create']);
    expect(await studio(page).getByRole('tab', { name: 'Upscale' }).getAttribute('aria-selected')).toBe('true');
    expect((await studio(page).locator('[part~="model"] .name').allTextContents()).sort()).toEqual(['Clarity Upscaler', 'Real-ESRGAN']);
    const ready = await recordedEvents<{ mode: string }>(page, 'dotbase-ready');
    expect(ready.map((event) => event.detail.mode)).toEqual(['simulator']);

    await page.evaluate(() => {
      const element = document.querySelector('dotbase-studio') as HTMLElement & { actions: string[]; models: string[] | undefined };
      element.models = undefined;
      element.actions = ['remove-bg', 'create'];
    });
    await page.waitForFunction(() => document.querySelector('dotbase-studio')!.shadowRoot!.querySelectorAll('dotbase-action-tabs')[0]?.shadowRoot?.querySelectorAll('[role="tab"]').length === 2);
    expect((await tabs(page)).map((t) => t.trim())).toEqual(['Remove background', 'Create']);
    expect(await studio(page).getByRole('tab', { name: 'Remove background' }).getAttribute('aria-selected')).toBe('true');
    expect(await studio(page).locator('[part~="model"]').count()).toBe(3);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('draws the model and settings groups as titled sections, not framed fieldsets', async () => {
    const page = await openPage(e2e.browser, e2e.site.page('/fieldsets.html', studioPage({ attributes: `endpoint="${e2e.api.url}"` })));
    await studio(page).locator('[part~="settings"]').first().waitFor();
    const looks = await studio(page)
      .locator('fieldset')
      .evaluateAll((sets) =>
        sets.map((set) => {
          const own = getComputedStyle(set);
          const legend = getComputedStyle(set.querySelector('legend')!);
          return { border: own.borderTopWidth, padding: own.paddingTop, margin: own.marginTop, legendGap: legend.marginBottom, legendWeight: legend.fontWeight };
        }),
      );
    expect(looks.length).toBeGreaterThanOrEqual(2);
    for (const look of looks) expect(look).toEqual({ border: '0px', padding: '0px', margin: '0px', legendGap: '8px', legendWeight: '600' });
    await page.close();
  });

  it('themes light, dark and auto, passes axe in each, and fits a 360 px phone', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 1100, height: 900 } });
    const background = (page: Page) => studio(page).locator('[part~="base"]').evaluate((element) => getComputedStyle(element).backgroundColor);
    const dark = await openPage(context, e2e.site.page('/dark.html', studioPage({ attributes: `endpoint="${e2e.api.url}" theme="dark"`, style: 'body { background: #0b0c10; color: #eee }' })));
    await studio(dark).locator('[part~="model"]').first().waitFor();
    expect(await background(dark)).toBe('rgb(20, 22, 27)');
    await screenshot(dark, 'theme-dark');
    expect(await accessibilityViolations(dark)).toEqual([]);

    const auto = await openPage(context, e2e.site.page('/auto.html', studioPage({ attributes: `endpoint="${e2e.api.url}"` })));
    await studio(auto).locator('[part~="model"]').first().waitFor();
    expect(await background(auto)).toBe('rgb(255, 255, 255)');
    expect(await accessibilityViolations(auto)).toEqual([]);
    await auto.emulateMedia({ colorScheme: 'dark' });
    expect(await background(auto)).toBe('rgb(20, 22, 27)');
    await auto.emulateMedia({ colorScheme: 'light' });

    // Theming from the host page: a custom property and a part.
    const themed = await openPage(
      context,
      e2e.site.page(
        '/themed.html',
        studioPage({ attributes: `endpoint="${e2e.api.url}"`, style: 'dotbase-studio { --dotbase-accent: rgb(15, 118, 110) } dotbase-studio::part(submit) { text-transform: uppercase }' }),
      ),
    );
    const submit = studio(themed).locator('[part~="submit"]');
    await submit.waitFor();
    expect(await submit.evaluate((element) => [getComputedStyle(element).backgroundColor, getComputedStyle(element).textTransform])).toEqual(['rgb(15, 118, 110)', 'uppercase']);

    const phone = await openPage(await e2e.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }), `${e2e.site.origin}/auto.html`);
    await studio(phone).locator('[part~="model"]').first().waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await studio(phone).getByRole('tab', { name: 'Edit' }).click();
    await studio(phone).locator('[part~="dropzone"]').waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(phone, 'phone-360-edit');
    expect(await accessibilityViolations(phone)).toEqual([]);
    await context.close();
    await phone.context().close();
  });

  it('works from a classic <script> tag (the self-contained IIFE build)', async () => {
    const page = await openPage(e2e.browser, e2e.site.page('/classic.html', studioPage({ attributes: `endpoint="${e2e.api.url}"`, script: 'classic' })));
    await studio(page).locator('[part~="model"]').first().waitFor();
    expect(await page.evaluate(() => [typeof customElements.get('dotbase-studio'), document.querySelectorAll('script[type="module"]').length])).toEqual(['function', 0]);
    await page.close();
  });

  it('works by keyboard alone: create, then edit the result with a keyboard-painted mask', async () => {
    const page = await openPage(e2e.browser, e2e.site.page('/keyboard.html', studioPage({ attributes: `endpoint="${e2e.api.url}" theme="light"` })));
    const problems = watchConsole(page);
    const root = studio(page);
    await root.locator('[part~="model"]').first().waitFor();

    await tabTo(page, (focus) => focus.role === 'tab');
    expect((await deepFocus(page)).text).toBe('Create');
    await page.keyboard.press('ArrowRight');
    expect((await deepFocus(page)).text).toBe('Edit');
    await page.keyboard.press('ArrowLeft');
    expect((await deepFocus(page)).text).toBe('Create');
    await page.keyboard.press('Tab');
    expect((await deepFocus(page)).tag).toBe('input');
    await page.keyboard.press('ArrowDown');
    const model = await root.locator('[part~="model-selected"] .name').textContent();
    await page.keyboard.press('Tab');
    expect((await deepFocus(page)).tag).toBe('textarea');
    await page.keyboard.type('A paper boat on a pond');
    await screenshot(page, 'keyboard-01-focus');
    await page.keyboard.press('Control+Enter');
    await waitForResult(page);
    const created = (await recordedEvents<{ generation: Generation }>(page, 'dotbase-generation-complete'))[0]!.detail.generation;
    expect(created.prompt).toBe('A paper boat on a pond');
    expect(await root.locator('[part~="model-selected"] .name').textContent()).toBe(model);

    // Each result has one actions menu: open it from the keyboard, then pick "Use as input for: Edit".
    await tabTo(page, (focus) => focus.cls.includes('menu-button'));
    await page.keyboard.press('Enter');
    await tabTo(page, (focus) => focus.use === 'edit');
    await page.keyboard.press('Enter');
    expect(await deepFocus(page)).toMatchObject({ role: 'tab', text: 'Edit' });
    await page.keyboard.press('Tab');
    for (let i = 0; i < 8 && !((await root.locator('[part~="model-selected"] .name').textContent()) === 'FLUX Fill Pro'); i++) await page.keyboard.press('ArrowDown');
    expect(await root.locator('[part~="model-selected"] .name').textContent()).toBe('FLUX Fill Pro');
    await tabTo(page, (focus) => focus.tag === 'canvas');
    await page.waitForFunction(() => {
      const canvas = document.querySelector('dotbase-studio')!.shadowRoot!.querySelector('dotbase-mask-painter')!.shadowRoot!.querySelector('canvas')!;
      return canvas.width > 0;
    });
    await page.keyboard.press('Space');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
    await screenshot(page, 'keyboard-02-mask');
    await tabTo(page, (focus) => focus.tag === 'textarea');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('A lantern on the boat');
    await tabTo(page, (focus) => (focus.part ?? '').split(' ').includes('submit'));
    await page.keyboard.press('Enter');
    await waitForEvents(page, 'dotbase-generation-complete', 2);
    const filled = (await recordedEvents<{ generation: Generation }>(page, 'dotbase-generation-complete'))[1]!.detail.generation;
    expect(filled).toMatchObject({ action: 'edit', model_id: 'flux-fill-pro', prompt: 'A lantern on the boat' });
    expect(filled.mask).toMatch(/^uploads\//);
    // Waiting on the button, focus moves to the first result; Enter opens it full size and Escape returns.
    await page.waitForFunction(() => {
      let active: Element | null = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      return active?.classList.contains('thumb') ?? false;
    });
    await page.keyboard.press('Enter');
    await root.locator('dialog[open]').waitFor();
    await screenshot(page, 'keyboard-03-viewer');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => {
      let active: Element | null = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      return active?.classList.contains('thumb') ?? false;
    });
    expect(problems).toEqual([]);
    await page.close();
  });
});
