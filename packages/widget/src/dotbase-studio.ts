import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { refFromFileUrl, urlForRef } from './api/files.js';
import { parseActions, parseList, requestedActions } from './attributes.js';
import { ApiClient, type TokenProvider } from './api/client.js';
import { ApiError } from './api/errors.js';
import { ACTIONS, isAction, type Action, type Generation, type ModelInfo } from './api/types.js';
import { loadAdmin } from './admin/load.js';
import type { DotbaseActionTabs } from './components/action-tabs/action-tabs.js';
import type { DotbaseHistory } from './components/history/history.js';
import type { DotbaseMaskPainter } from './components/mask-painter/mask-painter.js';
import type { DotbaseResultView } from './components/result-view/result-view.js';
import type { DotbaseSettingsForm } from './components/settings-form/settings-form.js';
import { schemaFields, settingsToSend } from './components/settings-form/schema-fields.js';
import { BatchController } from './controllers/batch.js';
import { CatalogController } from './controllers/catalog.js';
import { GenerationController } from './controllers/generation.js';
import { InputImagesController } from './controllers/input-images.js';
import { SignInController } from './controllers/sign-in.js';
import { TELEGRAM_WIDGET_SRC } from './api/telegram.js';
import { renderAccount, renderSignIn } from './sign-in-view.js';
import { emit, isTouch, type DotbaseEventDetails } from './events.js';
import { errorText, imageProblemText, isLocaleLoaded, loadLocale, localeOf, packFor, stringsFor, type Strings } from './i18n/index.js';
import { studioStyles } from './dotbase-studio.styles.js';
import { sharedStyles } from './styles/shared.js';
import { themeTokens } from './styles/theme.js';

const LOCALE_KEY = 'dotbase-locale';
/** Each language named in itself, as language menus do. */
const LANGUAGE_NAMES = { en: 'English', ru: 'Русский' } as const;

function readStoredLocale(): string | null {
  try {
    return localStorage.getItem(LOCALE_KEY);
  } catch {
    return null;
  }
}
/** The server's limit on items in one batch. */
const BATCH_MAX_ITEMS = 100;

/**
 * `<dotbase-studio>`: create, edit, upscale and remove the background of images with AI models, through a dotbase
 * server. Embed it on any page; the server may live on another origin (it must list the page in its CORS origins).
 *
 * @summary The dotbase image studio.
 * @tagname dotbase-studio
 *
 * @attr endpoint - The dotbase server's base URL, e.g. `https://api.example.com`. Empty: the page's own origin.
 * @attr token - A bearer token (e.g. an embed token) sent as `Authorization`. Without one, cookies are used.
 * @attr actions - Which actions to offer, in order: comma-separated subset of `create,edit,upscale,remove-bg`.
 * @attr models - Allowlist of model ids (comma-separated); actions left without models are hidden.
 * @attr default-action - The action selected first.
 * @attr locale - `en` or `ru` (BCP 47 tags such as `ru-RU` work); anything else falls back to English. Without it:
 *   the nearest `lang` on the page (e.g. `<html lang="ru">`), else the browser's language.
 * @attr language-switch - Shows an English / Russian switch in the header; the choice is remembered in this browser,
 *   and until one is made the browser's language is used (the page's `lang` is then not consulted).
 * @attr theme - `light`, `dark` or `auto` (follows the system; the default).
 * @attr telegram-widget-src - Where the Telegram Login Widget script is loaded from (default: telegram.org's).
 *
 * @slot telegram-login - Filled by the studio itself with the Telegram Login Widget while nobody is signed in.
 *
 * @prop {() => Promise<string | null>} getToken - Called before each request for a fresh bearer token (wins over `token`).
 *
 * @fires {CustomEvent<DotbaseReadyDetail>} dotbase-ready - The server answered; `detail.mode` is `simulator` or `replicate`.
 * @fires {CustomEvent<DotbaseActionChangeDetail>} dotbase-action-change - The user picked another action.
 * @fires {CustomEvent<DotbaseGenerationStartDetail>} dotbase-generation-start - A generation was accepted by the server.
 * @fires {CustomEvent<DotbaseGenerationDetail>} dotbase-generation-progress - The followed generation changed (status or progress).
 * @fires {CustomEvent<DotbaseGenerationDetail>} dotbase-generation-complete - The followed generation completed; `output_urls` are set.
 * @fires {CustomEvent<DotbaseGenerationDetail>} dotbase-generation-failed - The followed generation failed.
 * @fires {CustomEvent<DotbaseGenerationDetail>} dotbase-generation-canceled - The followed generation was canceled.
 * @fires {CustomEvent<DotbaseUploadDetail>} dotbase-upload - An input image finished uploading.
 * @fires {CustomEvent<DotbaseErrorDetail>} dotbase-error - Something failed; `detail.context` says where.
 *
 * @csspart base - The studio's outer box.
 * @csspart header - The title row with the Studio / History switch.
 * @csspart title - The title.
 * @csspart notice - Notices (simulator mode, load failures).
 * @csspart sign-in - The sign-in panel shown while nobody is signed in.
 * @csspart account - Who is signed in, with Sign out.
 * @csspart tablist - The action tabs row.
 * @csspart tab - Each action tab.
 * @csspart tab-selected - The selected tab.
 * @csspart panel - The action panel.
 * @csspart form - The settings column.
 * @csspart model - Each model card.
 * @csspart model-selected - The chosen model.
 * @csspart settings - The generated settings fieldset.
 * @csspart dropzone - The image drop area.
 * @csspart preview - Each input image.
 * @csspart submit - The main button.
 * @csspart result - The result column.
 * @csspart progress - The progress bar.
 * @csspart output - Each output image.
 * @csspart output-menu - The actions menu of each output image.
 * @csspart viewer - The full-size dialog.
 * @csspart mask-canvas - The mask painting canvas (inpainting models).
 * @csspart batch - The batch panel (several images dropped on Upscale or Remove background).
 * @csspart batch-item - Each image's card in a batch.
 * @csspart batch-download - The batch's "Download all" button.
 * @csspart history-item - Each history card.
 * @csspart pagination - History page controls.
 *
 * @cssprop --dotbase-font-family - Font stack.
 * @cssprop --dotbase-accent - Accent colour (buttons, selection, focus).
 * @cssprop --dotbase-on-accent - Text on the accent colour.
 * @cssprop --dotbase-accent-soft - Selected-card background.
 * @cssprop --dotbase-bg - Background.
 * @cssprop --dotbase-surface - Raised areas.
 * @cssprop --dotbase-surface-strong - Tracks and chips.
 * @cssprop --dotbase-fg - Text.
 * @cssprop --dotbase-muted - Secondary text.
 * @cssprop --dotbase-border - Borders.
 * @cssprop --dotbase-danger - Errors.
 * @cssprop --dotbase-danger-soft - Error backgrounds.
 * @cssprop --dotbase-success - Completed status.
 * @cssprop --dotbase-notice - Notice background.
 * @cssprop --dotbase-on-notice - Notice text.
 * @cssprop --dotbase-radius - Corner radius (default 12px).
 * @cssprop --dotbase-spacing - Base gap (default 16px).
 */
export class DotbaseStudio extends LitElement {
  static override styles = [themeTokens, sharedStyles, studioStyles];
  static override properties = {
    endpoint: {},
    token: {},
    getToken: { attribute: false },
    actions: { converter: { fromAttribute: parseActions, toAttribute: (value: Action[] | undefined) => value?.join(',') ?? null } },
    models: { converter: { fromAttribute: parseList, toAttribute: (value: string[] | undefined) => value?.join(',') ?? null } },
    defaultAction: { attribute: 'default-action' },
    locale: { reflect: true },
    languageSwitch: { type: Boolean, attribute: 'language-switch' },
    theme: { reflect: true },
    telegramWidgetSrc: { attribute: 'telegram-widget-src' },
    action: { state: true },
    view: { state: true },
    prompt: { state: true },
    problems: { state: true },
    announcement: { state: true },
  };

  declare endpoint: string;
  declare token: string | null;
  declare getToken: TokenProvider | null;
  declare actions: Action[] | undefined;
  declare models: string[] | undefined;
  declare defaultAction: string | undefined;
  declare locale: string | undefined;
  declare languageSwitch: boolean;
  declare theme: 'light' | 'dark' | 'auto';
  declare telegramWidgetSrc: string;
  declare private action: Action | null;
  declare private view: 'studio' | 'history' | 'admin';
  declare private prompt: string;
  /**
   * What stops the form, each beside its field: `prompt`, `images`, `mask`, `settings.<name>`, or `form` (beside the
   * button) for the rest. A field's own problem goes when the field changes; all go with another model or action.
   */
  declare private problems: Record<string, string>;
  declare private announcement: string;

  private client = new ApiClient();
  private langObserver: MutationObserver | null = null;
  private historyOpened = false;
  /** Touch screens have no Ctrl+Enter to hint at. */
  private readonly touch = isTouch();
  private strings: Strings = stringsFor('en');
  /** The language the studio was last asked for; its file may still be loading (then `strings` stay as they were). */
  private requestedLocale = 'en';
  /** Nothing is shown until the first language's words are here: no flash of English for a Russian page. */
  private waitingForWords = false;
  private readonly selectedModel = new Map<Action, string>();
  private readonly settingsValues = new Map<string, Record<string, unknown>>();
  private readonly catalog = new CatalogController(this);
  private readonly images = new InputImagesController(this, {
    client: () => this.client,
    onUpload: (upload) => this.fire('dotbase-upload', { upload }),
    onError: (error) => this.fire('dotbase-error', { code: error.code, message: error.message, context: 'upload' }),
    maxBytes: () => this.catalog.health?.limits?.max_upload_bytes,
  });
  private readonly generation = new GenerationController(this, {
    client: () => this.client,
    emit: (name, detail) => this.fire(name, detail),
    onStatus: (generation) => this.announceStatus(generation),
    onSettled: (generation) => this.afterSettled(generation),
  });

  private readonly batch = new BatchController(this, {
    client: () => this.client,
    onError: (error, context) => this.fire('dotbase-error', { code: error.code, message: error.message, context }),
  });

  private readonly signIn = new SignInController(this, {
    client: () => this.client,
    usesToken: () => this.usesToken(),
    widgetSlot: () => this.loginSlot(),
    widgetSrc: () => this.telegramWidgetSrc,
    lang: () => this.strings.lang,
    onChange: () => this.reload(),
    onError: (error) => this.fire('dotbase-error', { code: error.code, message: error.message, context: 'sign-in' }),
  });

  constructor() {
    super();
    this.endpoint = '';
    this.token = null;
    this.getToken = null;
    this.languageSwitch = false;
    this.theme = 'auto';
    this.telegramWidgetSrc = TELEGRAM_WIDGET_SRC;
    this.action = null;
    this.view = 'studio';
    this.prompt = '';
    this.problems = {};
    this.announcement = '';
    this.addEventListener('paste', (event) => this.onPaste(event));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The page may switch its language after the studio rendered (a site's own language menu).
    this.langObserver = new MutationObserver(() => this.requestUpdate());
    this.langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    if (this.hasUpdated) this.reload();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.langObserver?.disconnect();
    this.catalog.stop();
  }

  /** Reloads models and server status, e.g. after the embedder's user signs in. */
  reload(): void {
    // Every action's models, not only the shown ones: changing `actions` later needs no reload.
    void this.catalog.load(this.client, ACTIONS).then(() => {
      const health = this.catalog.health;
      if (this.catalog.signedIn === false) this.signIn.signedOut(health?.sign_in);
      else if (this.catalog.signedIn) this.signIn.signedIn();
      if (health) this.fire('dotbase-ready', { mode: health.mode, version: health.version });
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.pickLocale();
    if (changed.has('endpoint') || changed.has('token') || changed.has('getToken')) {
      this.client = new ApiClient({ endpoint: this.endpoint, token: this.token, getToken: this.getToken });
      if (this.isConnected) this.reload();
    }
    const visible = this.visibleActions();
    if (this.action === null || !visible.includes(this.action)) {
      const preferred = isAction(this.defaultAction) && visible.includes(this.defaultAction) ? this.defaultAction : visible[0];
      this.action = preferred ?? null;
    }
  }

  /**
   * Languages other than English ship as their own file (`dotbase-ru.js`, see i18n/locales.ts) that only the pages
   * that need them load: until it arrives the studio keeps its current words (shows nothing on first render), and if
   * it cannot be loaded it speaks English.
   */
  private pickLocale(): void {
    const locale = localeOf(this.effectiveLocale());
    if (locale !== this.requestedLocale) {
      this.requestedLocale = locale;
      if (!isLocaleLoaded(locale)) {
        this.waitingForWords ||= !this.hasUpdated;
        void loadLocale(locale).then(() => {
          this.waitingForWords = false;
          this.requestUpdate();
        });
      }
    }
    if (isLocaleLoaded(locale)) this.strings = stringsFor(locale);
  }

  /** The `locale` attribute, else the language switch's remembered choice, else the page's `lang`, else the browser's. */
  private effectiveLocale(): string {
    if (this.locale) return this.locale;
    const browser = typeof navigator === 'undefined' ? undefined : navigator.language;
    // With its own switch the studio is the page (as at the server's /): the visitor's choice, then their browser's.
    if (this.languageSwitch) return readStoredLocale() ?? browser ?? 'en';
    return this.closest('[lang]')?.getAttribute('lang') ?? browser ?? 'en';
  }

  private switchLanguage(locale: string): void {
    this.locale = locale;
    try {
      localStorage.setItem(LOCALE_KEY, locale);
    } catch {
      // Storage may be off (private mode, sandboxed frame): the switch still works for this page.
    }
  }

  private renderLanguageSwitch() {
    if (!this.languageSwitch) return nothing;
    const current = this.strings.lang;
    return html`<div class="views languages" role="group" aria-label=${this.strings.language}>
      ${(['en', 'ru'] as const).map(
        (lang) => html`<button type="button" class="small" lang=${lang} aria-pressed=${current === lang ? 'true' : 'false'} @click=${() => this.switchLanguage(lang)}>
          ${LANGUAGE_NAMES[lang]}
        </button>`,
      )}
    </div>`;
  }

  private usesToken(): boolean {
    return Boolean(this.token || this.getToken);
  }

  /**
   * The Telegram Login Widget must sit in the document, not in a shadow root (it finds itself through
   * document.currentScript), so it lives in a light-DOM child of the studio, shown through a slot.
   */
  private loginSlot(): HTMLElement {
    let slot = this.querySelector<HTMLElement>(':scope > [slot="telegram-login"]');
    if (!slot) {
      slot = document.createElement('div');
      slot.slot = 'telegram-login';
      this.append(slot);
    }
    return slot;
  }

  private fire<K extends keyof DotbaseEventDetails>(name: K, detail: DotbaseEventDetails[K]): void {
    emit(this, name, detail);
  }

  private modelsFor(action: Action): ModelInfo[] {
    const all = this.catalog.models.get(action) ?? [];
    return this.models ? all.filter((model) => this.models!.includes(model.id)) : all;
  }

  /** The requested actions, minus those the model allowlist leaves empty (once models are known). */
  private visibleActions(): Action[] {
    const requested = requestedActions(this.actions);
    return this.catalog.loaded ? requested.filter((action) => this.modelsFor(action).length > 0) : requested;
  }

  private currentModel(): ModelInfo | undefined {
    if (!this.action) return undefined;
    const models = this.modelsFor(this.action);
    const chosen = this.selectedModel.get(this.action);
    return models.find((model) => model.id === chosen) ?? models[0];
  }

  /** Upscale and remove-bg models take one image; several dropped at once run as one batch, up to 100. */
  private imageLimit(action: Action, model: ModelInfo): number {
    const batchable = (action === 'upscale' || action === 'remove-bg') && model.inputs.images.max === 1;
    return batchable ? BATCH_MAX_ITEMS : model.inputs.images.max;
  }

  private setAction(action: Action): void {
    if (action === this.action) return;
    this.action = action;
    this.problems = {};
    this.fire('dotbase-action-change', { action });
  }

  /** The dashboard is its own bundle (admin/load.ts), fetched the first time an admin opens it. */
  private openAdmin(): void {
    this.view = 'admin';
    loadAdmin().catch((error: unknown) => this.fire('dotbase-error', { code: 'network_error', message: String(error), context: 'load' }));
  }

  private renderAdmin() {
    return html`<dotbase-admin .client=${this.client} locale=${this.strings.lang} theme=${this.theme}></dotbase-admin>`;
  }

  private setView(view: 'studio' | 'history'): void {
    // The history stays in the page once opened, so its filters and page survive opening an item; it reloads
    // when shown again, to include what was made meanwhile.
    if (view === 'history' && this.historyOpened) void this.shadowRoot?.querySelector<DotbaseHistory>('dotbase-history')?.load();
    if (view === 'history') this.historyOpened = true;
    this.view = view;
    void this.updateComplete.then(() => {
      const target = view === 'history' ? this.shadowRoot?.querySelector('dotbase-history') : this.shadowRoot?.querySelector<DotbaseActionTabs>('dotbase-action-tabs');
      (target as HTMLElement | null | undefined)?.focus();
    });
  }

  private say(message: string): void {
    // Re-setting the same text would not be announced again; a trailing no-break space makes it new.
    this.announcement = this.announcement === message ? `${message}\u00a0` : message;
  }

  private announceStatus(generation: Generation): void {
    const s = this.strings.result;
    const messages: Partial<Record<Generation['status'], string>> = {
      pending: s.announceStart,
      processing: s.announceStart,
      completed: s.announceDone(generation.output_urls.length),
      failed: s.announceFailed,
      canceled: s.announceCanceled,
    };
    const message = messages[generation.status];
    if (message && !(generation.status === 'processing' && this.announcement.startsWith(s.announceStart))) this.say(message);
  }

  /** Keyboard users waiting on the button land on the first result; anyone elsewhere keeps their focus. */
  private afterSettled(generation: Generation): void {
    void this.updateComplete.then(() => {
      const active = this.shadowRoot?.activeElement;
      const waiting = !active || active.matches('button[type="submit"]');
      if (generation.status === 'completed' && waiting) this.shadowRoot?.querySelector<DotbaseResultView>('dotbase-result-view')?.focusFirstOutput();
    });
  }

  private onPaste(event: ClipboardEvent): void {
    const model = this.currentModel();
    if (this.view !== 'studio' || !model || model.inputs.images.max === 0) return;
    const files = [...(event.clipboardData?.files ?? [])].filter((file) => file.type.startsWith('image/'));
    if (files.length === 0) return;
    event.preventDefault();
    this.clearProblems('images');
    void this.images.addFiles(files, model.inputs.images.max);
  }

  private useAsInput(url: string, action: Action): void {
    this.setAction(action);
    this.view = 'studio';
    const max = this.currentModel()?.inputs.images.max ?? 1;
    this.images.clear();
    this.images.addRef(refFromFileUrl(url), url, max);
    void this.updateComplete.then(() => this.shadowRoot?.querySelector<DotbaseActionTabs>('dotbase-action-tabs')?.focus());
  }

  private reuse(generation: Generation): void {
    if (this.visibleActions().includes(generation.action)) this.setAction(generation.action);
    this.selectedModel.set(generation.action, generation.model_id);
    this.settingsValues.set(generation.model_id, { ...generation.settings });
    this.prompt = generation.prompt ?? '';
    const max = this.modelsFor(generation.action).find((model) => model.id === generation.model_id)?.inputs.images.max ?? 0;
    if (max > 0 && generation.input_images?.length) {
      this.images.clear();
      for (const ref of generation.input_images) this.images.addRef(ref, urlForRef(this.client.endpoint, ref), max);
    }
    this.setView('studio');
  }

  private async setFavorite(generation: Generation, favorite: boolean): Promise<void> {
    const refused = await this.generation.setFavorite(generation, favorite);
    const s = this.strings.result;
    this.say(refused ? errorText(this.strings, refused.code, refused.message) : favorite ? s.starred : s.unstarred);
  }

  private openFromHistory(generation: Generation): void {
    if (this.visibleActions().includes(generation.action)) this.setAction(generation.action);
    this.generation.show(generation);
    this.view = 'studio';
    void this.updateComplete.then(() => this.shadowRoot?.querySelector<DotbaseResultView>('dotbase-result-view')?.focus());
  }

  private problem(field: string, message: string, focusSelector?: string): void {
    this.problems = { [field]: message };
    if (focusSelector) this.shadowRoot?.querySelector<HTMLElement>(focusSelector)?.focus();
  }

  /** Drops the problems of one field (`settings` drops every setting's) and the form-wide one. */
  private clearProblems(field: string): void {
    const kept = Object.entries(this.problems).filter(([key]) => key !== 'form' && key !== field && !key.startsWith(`${field}.`));
    if (kept.length !== Object.keys(this.problems).length) this.problems = Object.fromEntries(kept);
  }

  /** A refused create, beside the fields the server named; what names no field goes beside the button. */
  private showRefusal(error: ApiError): void {
    const issues = (error.details as { issues?: { path?: unknown; message?: unknown }[] } | undefined)?.issues;
    const problems: Record<string, string> = {};
    if (error.code === 'invalid_input' && Array.isArray(issues)) {
      for (const issue of issues) {
        const path = typeof issue.path === 'string' ? issue.path : '';
        const sent = typeof issue.message === 'string' ? issue.message : '';
        // the server words issues in English; the studio's language says them again where it knows how
        const message = packFor(this.strings.lang).issue?.(sent) ?? sent;
        const field = path === 'prompt' || path === 'mask' ? path : path.startsWith('input_images') ? 'images' : path.startsWith('settings.') ? path.split('.', 2).join('.') : 'form';
        problems[field] = problems[field] ? `${problems[field]} ${message}` : message;
      }
      if (problems.form) problems.form = errorText(this.strings, error.code, problems.form);
    } else {
      problems.form = errorText(this.strings, error.code, error.message);
    }
    this.problems = problems;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const model = this.currentModel();
    if (!model || !this.action || this.generation.submitting) return;
    const s = this.strings;
    const { images, prompt: promptRule, mask: takesMask, mask_required: maskRequired } = model.inputs;
    this.problems = {};
    const prompt = this.prompt.trim();
    const imageLimit = this.imageLimit(this.action, model);
    const maxPrompt = this.catalog.health?.limits?.max_prompt_length;
    if (promptRule === 'required' && !prompt) return this.problem('prompt', s.promptRequired, '#prompt');
    if (promptRule !== 'none' && maxPrompt !== undefined && prompt.length > maxPrompt) return this.problem('prompt', s.promptTooLong(maxPrompt), '#prompt');
    if (images.max > 0) {
      if (this.images.uploading) return this.problem('images', s.images.stillUploading);
      const count = this.images.refs().length;
      if (count < images.min) return this.problem('images', s.images.needMore(images.min), 'dotbase-image-input');
      if (count > imageLimit) return this.problem('images', s.images.tooMany(imageLimit), 'dotbase-image-input');
    }
    const settingsForm = this.shadowRoot?.querySelector<DotbaseSettingsForm>('dotbase-settings-form');
    if (settingsForm && !settingsForm.reportValidity()) return;
    let mask: string | undefined;
    if (takesMask) {
      const painter = this.shadowRoot?.querySelector<DotbaseMaskPainter>('dotbase-mask-painter');
      const painted = painter?.hasMask() ?? false;
      if (maskRequired && !painted) return this.problem('mask', s.mask.required, 'dotbase-mask-painter');
      if (painter && painted) {
        try {
          mask = (await this.client.upload(await painter.toBlob(), 'mask.png')).id;
        } catch (error) {
          const apiError = error instanceof ApiError ? error : new ApiError('internal', String(error));
          this.fire('dotbase-error', { code: apiError.code, message: apiError.message, context: 'upload' });
          return this.problem('mask', errorText(s, apiError.code, apiError.message));
        }
      }
    }
    const refs = this.images.refs();
    if (imageLimit > images.max && refs.length > 1) {
      // several images for a one-image model: the same settings for each, as one batch
      const settings = settingsToSend(schemaFields(model.settings_schema), this.settingsValues.get(model.id) ?? {});
      const previews = this.images.items.filter((item) => item.ref).map((item) => item.previewUrl);
      await this.batch.start(
        refs.map((ref) => ({ action: this.action!, model_id: model.id, settings, ...(promptRule !== 'none' && prompt ? { prompt } : {}), input_images: [ref] })),
        previews,
      );
      if (this.batch.problem) this.problem('form', errorText(s, this.batch.problem.code, this.batch.problem.message));
      return;
    }
    this.batch.clear();
    const refused = await this.generation.start({
      action: this.action,
      model_id: model.id,
      settings: settingsToSend(schemaFields(model.settings_schema), this.settingsValues.get(model.id) ?? {}),
      ...(promptRule !== 'none' && prompt ? { prompt } : {}),
      ...(images.max > 0 ? { input_images: this.images.refs() } : {}),
      ...(mask ? { mask } : {}),
    });
    if (refused) this.showRefusal(refused);
  }

  private async retry(): Promise<void> {
    const refused = await this.generation.retry();
    if (refused) this.showRefusal(refused);
  }

  private renderNotices() {
    const s = this.strings;
    const { health, signedIn, problem, loading } = this.catalog;
    return html`
      ${health?.mode === 'simulator' ? html`<p class="notice" part="notice" role="note" data-notice="simulator">${s.simulatorNotice}</p>` : nothing}
      ${signedIn === false
        ? renderSignIn(s, health?.sign_in, { busy: this.signIn.busy, problem: this.signIn.problem, usesToken: this.usesToken() })
        : nothing}
      ${problem && !(signedIn === false && problem.status === 401)
        ? html`<div class="notice error" part="notice" role="alert">
            <span>${s.loadFailed} ${errorText(s, problem.code, problem.message)}</span>
            <button type="button" class="small" ?disabled=${loading} @click=${() => this.reload()}>${s.retry}</button>
          </div>`
        : nothing}
    `;
  }

  private renderForm(action: Action, model: ModelInfo | undefined) {
    const s = this.strings;
    if (!model) return html`<div class="compose"><p class="hint">${this.catalog.loading ? s.loading : s.noModels}</p></div>`;
    const { images, mask, prompt } = model.inputs;
    const firstImage = this.images.items[0];
    const problems = this.problems;
    const settingsProblems = Object.fromEntries(
      Object.entries(problems).flatMap(([key, message]) => (key.startsWith('settings.') ? [[key.slice('settings.'.length), message]] : [])),
    );
    return html`<form class="compose" part="form" novalidate @submit=${this.submit}>
      <dotbase-model-picker
        exportparts="model, model-selected"
        .models=${this.modelsFor(action)}
        .selected=${model.id}
        .strings=${s}
        @model-select=${(e: CustomEvent<{ modelId: string }>) => {
          this.selectedModel.set(action, e.detail.modelId);
          this.problems = {};
          this.requestUpdate();
        }}
      ></dotbase-model-picker>
      ${images.max > 0
        ? html`<dotbase-image-input
            exportparts="dropzone, preview"
            tabindex="-1"
            .items=${this.images.items}
            .min=${images.min}
            .max=${this.imageLimit(action, model)}
            .strings=${s}
            .problem=${problems.images ?? (this.images.problem ? imageProblemText(s, this.images.problem, this.catalog.health?.limits?.max_upload_bytes) : '')}
            @images-add=${(e: CustomEvent<{ files: File[] }>) => {
              this.clearProblems('images');
              void this.images.addFiles(e.detail.files, this.imageLimit(action, model));
            }}
            @image-url-add=${(e: CustomEvent<{ url: string }>) => {
              this.clearProblems('images');
              this.images.addRef(e.detail.url, e.detail.url, this.imageLimit(action, model));
            }}
            @image-remove=${(e: CustomEvent<{ key: string }>) => {
              this.clearProblems('images');
              this.images.remove(e.detail.key);
            }}
          ></dotbase-image-input>`
        : nothing}
      ${mask && firstImage
        ? html`<dotbase-mask-painter exportparts="mask-canvas" .src=${firstImage.previewUrl} .strings=${s} @mask-change=${() => this.clearProblems('mask')}></dotbase-mask-painter>
            ${problems.mask ? html`<p class="error-text field-problem" role="alert">${problems.mask}</p>` : nothing}`
        : nothing}
      ${prompt !== 'none'
        ? html`<div class="prompt">
            <label for="prompt">${prompt === 'required' ? s.prompt : s.promptOptional}</label>
            <textarea
              id="prompt"
              rows="3"
              placeholder=${s.promptPlaceholder[action]}
              aria-describedby="prompt-hint prompt-problem"
              aria-invalid=${problems.prompt ? 'true' : 'false'}
              ?required=${prompt === 'required'}
              .value=${this.prompt}
              @input=${(e: Event) => {
                this.prompt = (e.target as HTMLTextAreaElement).value;
                this.clearProblems('prompt');
              }}
              @keydown=${(e: KeyboardEvent) => {
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  (e.target as HTMLTextAreaElement).form?.requestSubmit();
                }
              }}
            ></textarea>
            <span class="error-text field-problem" id="prompt-problem" role="alert">${problems.prompt ?? ''}</span>
            ${this.touch ? nothing : html`<span class="hint" id="prompt-hint">${s.promptHint}</span>`}
          </div>`
        : nothing}
      <dotbase-settings-form
        exportparts="settings"
        .schema=${model.settings_schema}
        .values=${this.settingsValues.get(model.id) ?? {}}
        .strings=${s}
        .problems=${settingsProblems}
        @settings-change=${(e: CustomEvent<{ values: Record<string, unknown> }>) => {
          this.settingsValues.set(model.id, e.detail.values);
          this.clearProblems('settings');
          this.requestUpdate();
        }}
      ></dotbase-settings-form>
      <div class="submit-row">
        <p class="form-problem" role="alert">${problems.form ?? ''}</p>
        <button type="submit" class="primary submit" part="submit" ?disabled=${this.generation.submitting} aria-busy=${this.generation.submitting ? 'true' : 'false'}>
          ${s.submit[action]}
        </button>
      </div>
    </form>`;
  }

  private renderStudio() {
    const action = this.action;
    if (this.catalog.problem && !this.catalog.loaded) return nothing;
    if (!action) return html`<p class="hint">${this.catalog.loading ? this.strings.loading : this.strings.noModels}</p>`;
    const current = this.generation.current;
    const chain = this.visibleActions().filter((candidate) => candidate !== 'create');
    return html`<dotbase-action-tabs
      exportparts="tablist, tab, tab-selected, panel"
      .actions=${this.visibleActions()}
      .selected=${action}
      .strings=${this.strings}
      @action-select=${(e: CustomEvent<{ action: Action }>) => this.setAction(e.detail.action)}
    >
      <div class="workspace">
        ${this.renderForm(action, this.currentModel())}
        ${this.batch.batch
          ? html`<dotbase-batch-view
              class="result"
              exportparts="batch, batch-item, batch-download"
              .batch=${this.batch.batch}
              .previews=${this.batch.previews}
              .strings=${packFor(this.strings.lang).batch}
              @batch-cancel=${() => this.batch.cancel()}
              @batch-download=${() => this.batch.download()}
            ></dotbase-batch-view>`
          : html`<dotbase-result-view
          class="result"
          exportparts="result, progress, output, viewer"
          .generation=${current}
          .problem=${this.generation.problem}
          .strings=${this.strings}
          .modelName=${current ? (this.catalog.modelName(current.model_id) ?? current.model_id) : ''}
          .elapsedMs=${this.generation.elapsedMs()}
          .canceling=${this.generation.canceling}
          .chainActions=${chain}
          .session=${this.generation.session}
          .endpoint=${this.client.endpoint}
          @result-show=${(e: CustomEvent<{ generation: Generation }>) => this.generation.show(e.detail.generation)}
          @result-favorite=${(e: CustomEvent<{ generation: Generation; favorite: boolean }>) => void this.setFavorite(e.detail.generation, e.detail.favorite)}
          @result-cancel=${() => this.generation.cancel()}
          @result-retry=${() => void this.retry()}
          @result-reuse=${(e: CustomEvent<{ generation: Generation }>) => this.reuse(e.detail.generation)}
          @result-use=${(e: CustomEvent<{ url: string; action: Action }>) => this.useAsInput(e.detail.url, e.detail.action)}
        ></dotbase-result-view>`}
      </div>
    </dotbase-action-tabs>`;
  }

  private renderHistory() {
    const names: Record<string, string> = {};
    for (const list of this.catalog.models.values()) for (const model of list) names[model.id] = model.name;
    return html`<dotbase-history
      exportparts="history-item, pagination"
      .client=${this.client}
      .strings=${this.strings}
      .actions=${requestedActions(this.actions)}
      .modelNames=${names}
      @history-open=${(e: CustomEvent<{ generation: Generation }>) => this.openFromHistory(e.detail.generation)}
      @history-reuse=${(e: CustomEvent<{ generation: Generation }>) => this.reuse(e.detail.generation)}
      @history-error=${(e: CustomEvent<{ error: ApiError }>) => this.fire('dotbase-error', { code: e.detail.error.code, message: e.detail.error.message, context: 'history' })}
      @announce=${(e: CustomEvent<{ message: string }>) => this.say(e.detail.message)}
    ></dotbase-history>`;
  }

  override render() {
    if (this.waitingForWords) return nothing;
    const s = this.strings;
    return html`<div class="shell" part="base" lang=${s.lang}>
      <header part="header">
        <h2 part="title">
          <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22"><circle cx="6" cy="12" r="3" /><circle cx="18" cy="6" r="3" /><circle cx="18" cy="18" r="3" /></svg>
          ${s.title}
        </h2>
        ${renderAccount(s, this.catalog.me, { busy: this.signIn.busy, usesToken: this.usesToken(), onSignOut: () => void this.signIn.signOut() })}
        ${this.renderLanguageSwitch()}
        <div class="views" role="group" aria-label=${s.views}>
          <button type="button" class="small" aria-pressed=${this.view === 'studio' ? 'true' : 'false'} @click=${() => this.setView('studio')}>${s.studio}</button>
          <button type="button" class="small" aria-pressed=${this.view === 'history' ? 'true' : 'false'} @click=${() => this.setView('history')}>${s.history}</button>
          ${this.catalog.isAdmin
            ? html`<button type="button" class="small" aria-pressed=${this.view === 'admin' ? 'true' : 'false'} @click=${() => this.openAdmin()}>${s.admin}</button>`
            : nothing}
        </div>
      </header>
      ${this.renderNotices()} ${this.view === 'studio' ? this.renderStudio() : this.view === 'admin' ? this.renderAdmin() : nothing}
      ${this.historyOpened ? html`<div ?hidden=${this.view !== 'history'}>${this.renderHistory()}</div>` : nothing}
      <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
    </div>`;
  }
}
