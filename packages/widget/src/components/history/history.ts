import { LitElement, html, nothing } from 'lit';
import type { ApiClient } from '../../api/client.js';
import { ApiError, isAbort } from '../../api/errors.js';
import { GENERATION_STATUSES, isAction, type Action, type Generation, type GenerationPage, type GenerationStatus } from '../../api/types.js';
import { notify } from '../../events.js';
import { errorText, type Strings } from '../../i18n/index.js';
import { sharedStyles } from '../../styles/shared.js';
import { starButton } from '../star-button.js';
import { historyStyles } from './history.styles.js';

/** The seed shows 12 generations per page. */
export const HISTORY_PAGE_SIZE = 12;

/**
 * @tagname dotbase-history
 *
 * The user's generations, newest first: filters by action, status, star and prompt, 12 per page, and per item a
 * star, open, reuse and delete (with an in-place confirmation, since `confirm()` dialogs are blocked in many embeds).
 *
 * @fires history-open - internal: `{ generation }`.
 * @fires history-reuse - internal: `{ generation }`.
 * @fires history-error - internal: `{ error }`.
 * @fires announce - internal: `{ message }` for the studio's live region.
 * @csspart history-item - each generation card.
 * @csspart pagination - the page controls.
 */
export class DotbaseHistory extends LitElement {
  static override styles = [sharedStyles, historyStyles];
  static override properties = {
    client: { attribute: false },
    strings: { attribute: false },
    actions: { attribute: false },
    modelNames: { attribute: false },
    action: { state: true },
    status: { state: true },
    search: { state: true },
    favorite: { state: true },
    page: { state: true },
    data: { state: true },
    loading: { state: true },
    problem: { state: true },
    confirming: { state: true },
  };

  declare client: ApiClient;
  declare strings: Strings;
  declare actions: Action[];
  declare modelNames: Record<string, string>;
  declare action: Action | '';
  declare status: GenerationStatus | '';
  declare search: string;
  declare favorite: boolean;
  declare page: number;
  declare data: GenerationPage | null;
  declare loading: boolean;
  declare problem: ApiError | null;
  declare confirming: string | null;
  private abort: AbortController | null = null;

  constructor() {
    super();
    this.actions = [];
    this.modelNames = {};
    this.action = '';
    this.status = '';
    this.search = '';
    this.favorite = false;
    this.page = 1;
    this.data = null;
    this.loading = false;
    this.problem = null;
    this.confirming = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
    clearTimeout(this.searchTimer);
  }

  override focus(): void {
    this.renderRoot.querySelector<HTMLElement>('h3')?.focus();
  }

  /** Loads the current page with the current filters; a newer load cancels an older one. */
  async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    try {
      const data = await this.client.listGenerations(
        {
          page: this.page,
          limit: HISTORY_PAGE_SIZE,
          ...(this.action ? { action: this.action } : {}),
          ...(this.status ? { status: this.status } : {}),
          ...(this.search.trim() ? { q: this.search.trim() } : {}),
          ...(this.favorite ? { favorite: true } : {}),
        },
        abort.signal,
      );
      if (data.items.length === 0 && this.page > 1 && data.total > 0) {
        this.page = Math.ceil(data.total / HISTORY_PAGE_SIZE);
        return this.load();
      }
      this.data = data;
      this.problem = null;
    } catch (error) {
      if (isAbort(error)) return;
      this.problem = error instanceof ApiError ? error : new ApiError('network_error', String(error));
      notify(this, 'history-error', { error: this.problem });
    } finally {
      if (this.abort === abort) this.loading = false;
    }
  }

  private filter(kind: 'action' | 'status', value: string): void {
    if (kind === 'action') this.action = isAction(value) ? value : '';
    else this.status = (GENERATION_STATUSES as readonly string[]).includes(value) ? (value as GenerationStatus) : '';
    this.page = 1;
    void this.load();
  }

  private toggleFavoritesOnly(): void {
    this.favorite = !this.favorite;
    this.page = 1;
    void this.load();
  }

  /**
   * Stars or unstars one card in place. Under "favorites only" an unstarred card stays until the next load, so the
   * grid does not jump under the pointer and a slip can be undone with the same button.
   */
  private async toggleStar(generation: Generation): Promise<void> {
    const favorite = generation.favorite !== true;
    try {
      const answer = await this.client.setFavorite(generation.id, favorite);
      if (this.data) this.data = { ...this.data, items: this.data.items.map((item) => (item.id === generation.id ? { ...item, favorite: answer.favorite === true } : item)) };
      notify(this, 'announce', { message: favorite ? this.strings.result.starred : this.strings.result.unstarred });
    } catch (error) {
      this.problem = error instanceof ApiError ? error : new ApiError('network_error', String(error));
      notify(this, 'history-error', { error: this.problem });
    }
  }

  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  /** Searches as the user types, once they pause (one request per pause, not per key). */
  private searchFor(text: string): void {
    this.search = text;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => {
      this.page = 1;
      void this.load();
    }, 250);
  }

  private clearFilters(): void {
    this.action = '';
    this.status = '';
    this.search = '';
    this.favorite = false;
    this.page = 1;
    void this.load();
  }

  private goTo(page: number): void {
    this.page = page;
    void this.load().then(() => this.renderRoot.querySelector<HTMLElement>('.items')?.focus());
  }

  private async deleteItem(generation: Generation): Promise<void> {
    if (this.confirming !== generation.id) {
      this.confirming = generation.id;
      return;
    }
    this.confirming = null;
    try {
      await this.client.deleteGeneration(generation.id);
      notify(this, 'announce', { message: this.strings.historyView.deleted });
      await this.load();
      this.focus();
    } catch (error) {
      this.problem = error instanceof ApiError ? error : new ApiError('network_error', String(error));
      notify(this, 'history-error', { error: this.problem });
    }
  }

  private renderItem(generation: Generation, format: Intl.DateTimeFormat) {
    const h = this.strings.historyView;
    const thumb = generation.output_urls[0];
    const name = this.modelNames[generation.model_id] ?? generation.model_id;
    const headingId = `item-${generation.id}`;
    return html`<li part="history-item" class="item" data-id=${generation.id} aria-labelledby=${headingId}>
      <div class="thumb">${thumb ? html`<img src=${thumb} alt="" loading="lazy" />` : html`<span class="placeholder">${this.strings.actions[generation.action]}</span>`}</div>
      <div class="body">
        <div class="line">
          <strong id=${headingId}>${name}</strong>
          <span class="status ${generation.status}">${this.strings.result.status[generation.status]}</span>
          ${starButton(this.strings.result.favorite, generation.favorite === true, () => void this.toggleStar(generation), 'ghost')}
        </div>
        <span class="sub">${this.strings.actions[generation.action]} · <time datetime=${new Date(generation.created_at).toISOString()}>${format.format(generation.created_at)}</time></span>
        <p class="prompt">${generation.prompt || h.noPrompt}</p>
        ${generation.status === 'failed' && generation.error ? html`<p class="reason">${generation.error}</p>` : nothing}
        <div class="buttons">
          <button type="button" class="small" @click=${() => notify(this, 'history-open', { generation })}>${h.open}</button>
          <button type="button" class="small" @click=${() => notify(this, 'history-reuse', { generation })}>${h.reuse}</button>
          <button
            type="button"
            class="small danger"
            @click=${() => this.deleteItem(generation)}
            @blur=${() => this.confirming === generation.id && (this.confirming = null)}
          >
            ${this.confirming === generation.id ? h.confirmDelete : h.delete}
          </button>
        </div>
      </div>
    </li>`;
  }

  override render() {
    const h = this.strings.historyView;
    const data = this.data;
    const pages = data ? Math.max(1, Math.ceil(data.total / HISTORY_PAGE_SIZE)) : 1;
    const format = new Intl.DateTimeFormat(this.strings.lang, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
    return html`<section aria-labelledby="history-heading" aria-busy=${this.loading ? 'true' : 'false'}>
      <div class="head">
        <h3 id="history-heading" tabindex="-1">${h.heading}</h3>
        ${data ? html`<span class="hint">${h.total(data.total)}</span>` : nothing}
      </div>
      <div class="filters">
        <label>
          <span>${h.search}</span>
          <input id="filter-search" type="search" .value=${this.search} @input=${(e: Event) => this.searchFor((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          <span>${h.action}</span>
          <select id="filter-action" @change=${(e: Event) => this.filter('action', (e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${this.action === ''}>${h.all}</option>
            ${this.actions.map((action) => html`<option value=${action} ?selected=${this.action === action}>${this.strings.actions[action]}</option>`)}
          </select>
        </label>
        <label>
          <span>${h.status}</span>
          <select id="filter-status" @change=${(e: Event) => this.filter('status', (e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${this.status === ''}>${h.all}</option>
            ${GENERATION_STATUSES.map((status) => html`<option value=${status} ?selected=${this.status === status}>${this.strings.result.status[status]}</option>`)}
          </select>
        </label>
        <button type="button" id="filter-favorite" class="small favorites" aria-pressed=${this.favorite ? 'true' : 'false'} @click=${() => this.toggleFavoritesOnly()}>
          <span aria-hidden="true">${this.favorite ? '★' : '☆'}</span> ${h.favorites}
        </button>
      </div>
      ${this.problem
        ? html`<div class="problem" role="alert">
            <span>${errorText(this.strings, this.problem.code, this.problem.message)}</span>
            <button type="button" class="small" @click=${() => this.load()}>${this.strings.retry}</button>
          </div>`
        : nothing}
      ${!data && this.loading ? html`<p class="hint">${this.strings.loading}</p>` : nothing}
      ${data && data.items.length === 0
        ? this.action || this.status || this.search.trim() || this.favorite
          ? html`<p class="empty">${h.noMatches} <button type="button" class="small" @click=${() => this.clearFilters()}>${h.clearFilters}</button></p>`
          : html`<p class="empty">${h.empty}</p>`
        : nothing}
      ${data && data.items.length > 0
        ? html`<ul class="items" tabindex="-1" aria-labelledby="history-heading">${data.items.map((generation) => this.renderItem(generation, format))}</ul>`
        : nothing}
      ${data && pages > 1
        ? html`<nav part="pagination" aria-label=${h.pagination}>
            <button type="button" class="small" ?disabled=${this.page <= 1 || this.loading} @click=${() => this.goTo(this.page - 1)}>${h.previous}</button>
            <span class="page" aria-live="polite">${h.page(this.page, pages)}</span>
            <button type="button" class="small" ?disabled=${this.page >= pages || this.loading} @click=${() => this.goTo(this.page + 1)}>${h.next}</button>
          </nav>`
        : nothing}
    </section>`;
  }
}
