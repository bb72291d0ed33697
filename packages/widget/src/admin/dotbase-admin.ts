import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { ApiClient, type TokenProvider } from '../api/client.js';
import { ApiError, isAbort } from '../api/errors.js';
import { ACTIONS, GENERATION_STATUSES } from '../api/types.js';
import { sharedStyles } from '../styles/shared.js';
import { themeTokens } from '../styles/theme.js';
import { adminStyles } from './admin.styles.js';
import { loadOverview, setTokenActive, type AdminToken, type Overview } from './api.js';
import { STACK_ORDER, meter, slotsOf, stackedBars, ticksOf } from './charts.js';
import { formatDateTime, formatDuration, formatTime, percent } from './format.js';
import { adminStringsFor, type AdminStrings } from './strings.js';

/**
 * `<dotbase-admin>`: the operator's dashboard of a dotbase server — the token pool (with switching tokens off and
 * on), the last hours by action and status with charts, failure reasons, recent errors and users. Admins only:
 * anyone else sees why. `<dotbase-studio>` shows it to admins in its "Admin" view, loading it on first use; a page
 * may also embed it on its own.
 *
 * @summary The dotbase admin dashboard.
 * @tagname dotbase-admin
 *
 * @attr endpoint - The dotbase server's base URL. Empty: the page's own origin.
 * @attr token - A bearer token (an admin's API key, server-side pages only). Without one, cookies are used.
 * @attr hours - The window in hours (default 24).
 * @attr refresh-seconds - Reload every this many seconds while shown (default 15; 0: only on demand).
 * @attr locale - `en` or `ru`.
 * @attr theme - `light`, `dark` or `auto`.
 *
 * @csspart admin - The dashboard.
 */
export class DotbaseAdmin extends LitElement {
  static override styles = [themeTokens, sharedStyles, adminStyles];
  static override properties = {
    endpoint: {},
    token: {},
    getToken: { attribute: false },
    client: { attribute: false },
    hours: { type: Number },
    refreshSeconds: { type: Number, attribute: 'refresh-seconds' },
    locale: { reflect: true },
    theme: { reflect: true },
    data: { state: true },
    problem: { state: true },
    loading: { state: true },
    switching: { state: true },
  };

  declare endpoint: string;
  declare token: string | null;
  declare getToken: TokenProvider | null;
  /** The studio hands over its own client, so the dashboard uses the same endpoint and credentials. */
  declare client: ApiClient | null;
  declare hours: number;
  declare refreshSeconds: number;
  declare locale: string;
  declare theme: 'light' | 'dark' | 'auto';
  declare private data: Overview | null;
  declare private problem: ApiError | null;
  declare private loading: boolean;
  /** The token whose switch is being flipped. */
  declare private switching: string | null;

  private strings: AdminStrings = adminStringsFor('en');
  private ownClient = new ApiClient();
  private abort: AbortController | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private loadedAt = 0;

  constructor() {
    super();
    this.endpoint = '';
    this.token = null;
    this.getToken = null;
    this.client = null;
    this.hours = 24;
    this.refreshSeconds = 15;
    this.locale = 'en';
    this.theme = 'auto';
    this.data = null;
    this.problem = null;
    this.loading = false;
    this.switching = null;
  }

  private get api(): ApiClient {
    return this.client ?? this.ownClient;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) void this.refresh();
    this.schedule();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
    this.abort?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale')) this.strings = adminStringsFor(this.locale);
    if (changed.has('endpoint') || changed.has('token') || changed.has('getToken')) {
      this.ownClient = new ApiClient({ endpoint: this.endpoint, token: this.token, getToken: this.getToken });
    }
    if (changed.has('refreshSeconds')) this.schedule();
  }

  protected override updated(changed: PropertyValues<this>): void {
    // after the update, so the loading state it sets starts a new one instead of changing this one
    if (changed.has('endpoint') || changed.has('token') || changed.has('getToken') || changed.has('client') || changed.has('hours')) void this.refresh();
  }

  private schedule(): void {
    clearInterval(this.timer);
    if (this.isConnected && this.refreshSeconds > 0) this.timer = setInterval(() => void this.refresh(), this.refreshSeconds * 1000);
  }

  /** Loads everything again; the previous figures stay on screen until the new ones arrive. */
  async refresh(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    try {
      this.data = await loadOverview(this.api, this.hours, abort.signal);
      this.problem = null;
      this.loadedAt = Date.now();
      this.dispatchEvent(new CustomEvent('dotbase-admin-load', { bubbles: true, composed: true }));
    } catch (error) {
      if (isAbort(error) || abort.signal.aborted) return;
      this.problem = error instanceof ApiError ? error : new ApiError('network_error', String(error));
    } finally {
      if (this.abort === abort) this.loading = false;
    }
  }

  private async switchToken(token: AdminToken): Promise<void> {
    this.switching = token.id;
    try {
      await setTokenActive(this.api, token.id, !token.is_active);
      await this.refresh();
    } catch (error) {
      this.problem = error instanceof ApiError ? error : new ApiError('network_error', String(error));
    } finally {
      this.switching = null;
    }
  }

  private renderProblem() {
    const problem = this.problem;
    if (!problem) return nothing;
    const s = this.strings;
    const text = problem.status === 403 ? s.forbidden : problem.status === 401 ? s.signIn : `${s.failedToLoad} ${problem.message}`;
    return html`<p class="notice error" role="alert" data-problem=${problem.status || problem.code}>${text}</p>`;
  }

  private renderTiles(data: Overview) {
    const s = this.strings;
    const rows = data.activity.rows;
    const sum = (status?: string) => rows.filter((row) => status === undefined || row.status === status).reduce((total, row) => total + row.count, 0);
    const total = sum();
    const completed = rows.filter((row) => row.status === 'completed');
    const completedCount = sum('completed');
    const avg = completedCount > 0 ? completed.reduce((acc, row) => acc + (row.avg_processing_time_ms ?? 0) * row.count, 0) / completedCount : null;
    const p95 = completed.reduce<number | null>((worst, row) => (row.p95_processing_time_ms === null ? worst : Math.max(worst ?? 0, row.p95_processing_time_ms)), null);
    const inFlight = data.tokens.reduce((acc, token) => acc + token.in_flight, 0);
    const tiles: Array<[string, string, string, string?]> = [
      ['total', s.tiles.total, String(total)],
      ['completed', s.tiles.completed, String(completedCount), percent(completedCount, total)],
      ['failed', s.tiles.failed, String(sum('failed')), percent(sum('failed'), total)],
      ['in-flight', s.tiles.inFlight, String(inFlight)],
      ['avg', s.tiles.avg, formatDuration(avg, s.units)],
      ['p95', s.tiles.p95, formatDuration(p95, s.units)],
    ];
    return html`<dl class="tiles">
      ${tiles.map(
        ([key, label, value, note]) => html`<div class="tile" data-tile=${key}>
          <dt>${label}</dt>
          <dd>${value}${note ? html` <span class="note">${note}</span>` : nothing}</dd>
        </div>`,
      )}
    </dl>`;
  }

  private renderSeries(data: Overview) {
    const s = this.strings;
    const slots = slotsOf(data.activity);
    const total = slots.reduce((sum, slot) => sum + slot.total, 0);
    const lang = s.lang;
    const chart = stackedBars(
      slots,
      (slot) => `${formatTime(slot.start, lang)}: ${STACK_ORDER.filter((status) => slot.counts[status]).map((status) => `${s.statuses[status]} ${slot.counts[status]}`).join(', ') || 0}`,
    );
    const peak = Math.max(0, ...slots.map((slot) => slot.total));
    return html`<section class="card wide" aria-labelledby="per-hour">
      <h3 id="per-hour">${s.perHour}</h3>
      <div class="chart" role="img" aria-label=${s.perHourLabel(total, this.hours)} data-chart="per-hour">
        <span class="peak" aria-hidden="true">${peak}</span>
        ${chart}
        <div class="ticks" aria-hidden="true">
          ${ticksOf(slots).map((tick) => html`<span style=${`left:${tick.at}%`}>${formatTime(tick.start, lang)}</span>`)}
        </div>
      </div>
      <ul class="legend">
        ${STACK_ORDER.map((status) => html`<li><span class="swatch s-${status}"></span>${s.statuses[status]}</li>`)}
      </ul>
    </section>`;
  }

  private renderByAction(data: Overview) {
    const s = this.strings;
    const rows = [...data.activity.rows].sort((a, b) => ACTIONS.indexOf(a.action) - ACTIONS.indexOf(b.action) || GENERATION_STATUSES.indexOf(a.status) - GENERATION_STATUSES.indexOf(b.status));
    const max = Math.max(0, ...rows.map((row) => row.count));
    return html`<section class="card" aria-labelledby="by-action">
      <h3 id="by-action">${s.byAction}</h3>
      ${rows.length === 0
        ? html`<p class="hint">${s.none}</p>`
        : html`<div class="scroll"><table data-table="by-action">
            <thead><tr><th scope="col">${s.columns.action}</th><th scope="col">${s.columns.status}</th><th scope="col" class="num">${s.columns.count}</th><th scope="col" class="num">${s.columns.avg}</th><th scope="col" class="num">${s.columns.p95}</th></tr></thead>
            <tbody>
              ${rows.map(
                (row) => html`<tr data-action=${row.action} data-status=${row.status}>
                  <td>${s.actions[row.action]}</td>
                  <td><span class="status s-${row.status}">${s.statuses[row.status]}</span></td>
                  <td class="num"><span class="count">${row.count}</span>${meter(row.count, max, row.status)}</td>
                  <td class="num">${formatDuration(row.avg_processing_time_ms, s.units)}</td>
                  <td class="num">${formatDuration(row.p95_processing_time_ms, s.units)}</td>
                </tr>`,
              )}
            </tbody>
          </table></div>`}
    </section>`;
  }

  private renderReasons(data: Overview) {
    const s = this.strings;
    const reasons = data.activity.failure_reasons;
    const max = Math.max(0, ...reasons.map((reason) => reason.count));
    return html`<section class="card" aria-labelledby="reasons">
      <h3 id="reasons">${s.reasons}</h3>
      ${reasons.length === 0
        ? html`<p class="hint">${s.noFailures}</p>`
        : html`<ul class="reasons" data-list="reasons">
            ${reasons.slice(0, 8).map(
              (reason) => html`<li>
                <span class="reason" title=${reason.reason}>${reason.reason}</span>
                <span class="count">${reason.count}</span>
                ${meter(reason.count, max, 'failed')}
              </li>`,
            )}
          </ul>`}
    </section>`;
  }

  private renderTokens(data: Overview) {
    const s = this.strings;
    const c = s.tokenColumns;
    const now = this.loadedAt || Date.now();
    return html`<section class="card wide" aria-labelledby="tokens">
      <h3 id="tokens">${s.tokens}</h3>
      <div class="scroll">
        <table data-table="tokens">
          <thead>
            <tr>
              <th scope="col">${c.token}</th><th scope="col">${c.status}</th><th scope="col" class="num">${c.requests}</th><th scope="col" class="num">${c.errors}</th>
              <th scope="col" class="num">${c.inFlight}</th><th scope="col">${c.cooldown}</th><th scope="col">${c.lastError}</th><th scope="col"><span class="sr-only">${s.enable}</span></th>
            </tr>
          </thead>
          <tbody>
            ${data.tokens.map(
              (token) => html`<tr data-token=${token.id} data-status=${token.status}>
                <th scope="row"><code>${token.id}</code></th>
                <td><span class="badge t-${token.status}">${s.tokenStatus[token.status]}</span></td>
                <td class="num">${token.request_count}</td>
                <td class="num">${token.error_count}</td>
                <td class="num">${token.in_flight}</td>
                <td class="nowrap">${token.cooldown_until !== null && token.cooldown_until > now ? formatDuration(token.cooldown_until - now, s.units) : '—'}</td>
                <td class="error-cell" title=${token.last_error ?? ''}>${token.last_error ?? '—'}</td>
                <td>
                  <button
                    type="button"
                    class="small ${token.is_active ? 'danger' : ''}"
                    ?disabled=${this.switching !== null}
                    aria-label=${`${token.is_active ? s.disable : s.enable} ${token.id}`}
                    @click=${() => this.switchToken(token)}
                  >
                    ${token.is_active ? s.disable : s.enable}
                  </button>
                </td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>`;
  }

  private renderRecentErrors(data: Overview) {
    const s = this.strings;
    const c = s.errorColumns;
    const failures = data.activity.recent_failures.slice(0, 10);
    return html`<section class="card wide" aria-labelledby="recent-errors">
      <h3 id="recent-errors">${s.recentErrors}</h3>
      ${failures.length === 0
        ? html`<p class="hint">${s.noFailures}</p>`
        : html`<div class="scroll">
            <table data-table="recent-errors">
              <thead><tr><th scope="col">${c.when}</th><th scope="col">${c.user}</th><th scope="col">${c.what}</th><th scope="col">${c.error}</th></tr></thead>
              <tbody>
                ${failures.map(
                  (failure) => html`<tr data-generation=${failure.id}>
                    <td class="nowrap">${formatDateTime(failure.completed_at ?? failure.created_at, s.lang)}</td>
                    <td><code>${failure.user_id}</code></td>
                    <td>${s.actions[failure.action]} · ${failure.model_id}</td>
                    <td class="error-cell" title=${failure.error}>${failure.error}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`}
    </section>`;
  }

  private renderUsers(data: Overview) {
    const s = this.strings;
    const shown: Array<'completed' | 'failed' | 'canceled' | 'processing'> = ['completed', 'failed', 'canceled', 'processing'];
    return html`<section class="card wide" aria-labelledby="users">
      <h3 id="users">${s.users}</h3>
      ${data.users.length === 0
        ? html`<p class="hint">${s.none}</p>`
        : html`<div class="scroll">
            <table data-table="users">
              <thead>
                <tr>
                  <th scope="col">${s.userColumns.user}</th><th scope="col" class="num">${s.userColumns.total}</th>
                  ${shown.map((status) => html`<th scope="col" class="num">${s.statuses[status]}</th>`)}
                </tr>
              </thead>
              <tbody>
                ${data.users.map(
                  (user) => html`<tr data-user=${user.user_id}>
                    <th scope="row"><code>${user.user_id}</code></th>
                    <td class="num">${user.total}</td>
                    ${shown.map((status) => html`<td class="num">${(user.counts[status] ?? 0) + (status === 'processing' ? (user.counts.pending ?? 0) : 0)}</td>`)}
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>
          ${data.usersTotal > data.users.length ? html`<p class="hint">${s.moreUsers(data.users.length, data.usersTotal)}</p>` : nothing}`}
    </section>`;
  }

  override render() {
    const s = this.strings;
    const data = this.data;
    return html`<section class="admin" part="admin" lang=${s.lang} aria-labelledby="admin-title" aria-busy=${this.loading ? 'true' : 'false'}>
      <header>
        <h2 id="admin-title">${s.title}</h2>
        <span class="hint">${s.window(this.hours)}${this.loadedAt ? ` · ${s.updated(new Date(this.loadedAt).toLocaleTimeString(s.lang))}` : ''}</span>
        <button type="button" class="small" ?disabled=${this.loading} @click=${() => this.refresh()}>${s.refresh}</button>
      </header>
      ${this.renderProblem()}
      ${data
        ? html`${this.renderTiles(data)}
            <div class="grid">
              ${this.renderSeries(data)} ${this.renderByAction(data)} ${this.renderReasons(data)} ${this.renderTokens(data)} ${this.renderRecentErrors(data)}
              ${this.renderUsers(data)}
            </div>`
        : this.problem
          ? nothing
          : html`<p class="hint">${s.loading}</p>`}
    </section>`;
  }
}
