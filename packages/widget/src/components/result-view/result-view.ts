import { LitElement, html, nothing } from 'lit';
import { canRetry } from '../../api/errors.js';
import { isTerminal, type Action, type Generation } from '../../api/types.js';
import { urlForRef } from '../../api/files.js';
import { notify } from '../../events.js';
import { errorText, type Strings } from '../../i18n/index.js';
import { sharedStyles } from '../../styles/shared.js';
import { starButton } from '../star-button.js';
import { downloadImage, downloadName } from './download.js';
import { resultViewStyles } from './result-view.styles.js';

/** A failure to show instead of (or before) a generation, e.g. a refused create request. */
export interface ResultProblem {
  code: string;
  message: string;
}

/**
 * @tagname dotbase-result-view
 *
 * The live result: status, progress and elapsed time with a cancel button while it runs; then a gallery with
 * full-size view, download, "use as input" for the next action and "reuse settings"; errors in plain words with
 * a retry.
 *
 * @fires result-cancel - internal.
 * @fires result-retry - internal.
 * @fires result-reuse - internal: `{ generation }`.
 * @fires result-use - internal: `{ url, action }`.
 * @fires result-show - internal: `{ generation }`, one of this session's results picked from the gallery.
 * @fires result-favorite - internal: `{ generation, favorite }`, the star toggled in the viewer or under the result.
 * @csspart result - the result section.
 * @csspart progress - the progress bar.
 * @csspart output - each output image button.
 */
export class DotbaseResultView extends LitElement {
  static override styles = [sharedStyles, resultViewStyles];
  static override properties = {
    generation: { attribute: false },
    problem: { attribute: false },
    strings: { attribute: false },
    modelName: {},
    elapsedMs: { type: Number },
    canceling: { type: Boolean },
    chainActions: { attribute: false },
    session: { attribute: false },
    endpoint: {},
    viewing: { state: true },
    zoomed: { state: true },
    comparing: { state: true },
    split: { state: true },
  };

  declare generation: Generation | null;
  declare problem: ResultProblem | null;
  declare strings: Strings;
  declare modelName: string;
  declare elapsedMs: number | null;
  declare canceling: boolean;
  declare chainActions: Action[];
  declare viewing: number | null;
  /** This session's finished results, newest first, for the gallery under the current one. */
  declare session: Generation[];
  /** The server, to show an edit's input image beside its result. */
  declare endpoint: string;
  declare zoomed: boolean;
  declare comparing: boolean;
  /** Where the before/after divider is, in percent from the left. */
  declare split: number;
  private opener: HTMLElement | null = null;

  constructor() {
    super();
    this.generation = null;
    this.problem = null;
    this.modelName = '';
    this.elapsedMs = null;
    this.canceling = false;
    this.chainActions = [];
    this.viewing = null;
    this.session = [];
    this.endpoint = '';
    this.zoomed = false;
    this.comparing = false;
    this.split = 50;
  }

  /** Moves focus to the section heading, e.g. after opening a generation from history. */
  override focus(): void {
    this.renderRoot.querySelector<HTMLElement>('h3')?.focus();
  }

  /** Focuses the first output image, if there is one. */
  focusFirstOutput(): boolean {
    const button = this.renderRoot.querySelector<HTMLElement>('.thumb');
    button?.focus();
    return Boolean(button);
  }

  private open(index: number, event: Event): void {
    this.opener = event.currentTarget as HTMLElement;
    this.viewing = index;
    this.zoomed = false;
    this.comparing = false;
    this.split = 50;
    void this.updateComplete.then(() => this.renderRoot.querySelector('dialog')?.showModal());
  }

  private closeViewer(): void {
    this.renderRoot.querySelector('dialog')?.close();
  }

  private onDialogClose(): void {
    this.viewing = null;
    this.opener?.focus();
    this.opener = null;
  }

  /** One after another: browsers ask once about several downloads, and the files arrive in order. */
  private async downloadAll(generation: Generation): Promise<void> {
    for (const [index, url] of generation.output_urls.entries()) await downloadImage(url, downloadName(generation.id, index, url));
  }

  private renderProgress(generation: Generation) {
    const s = this.strings.result;
    const percent = generation.progress;
    return html`
      <div class="running">
        <div
          class="bar ${percent === null ? 'indeterminate' : ''}"
          part="progress"
          role="progressbar"
          aria-label=${s.progress}
          aria-valuemin="0"
          aria-valuemax="100"
          aria-valuenow=${percent ?? nothing}
        >
          <span style=${percent === null ? '' : `width:${percent}%`}></span>
        </div>
        <div class="running-row">
          <span class="percent">${percent === null ? '' : `${Math.round(percent)}%`}</span>
          <button type="button" class="small" ?disabled=${this.canceling} @click=${() => notify(this, 'result-cancel', {})}>
            ${this.canceling ? s.canceling : s.cancel}
          </button>
        </div>
      </div>
    `;
  }

  /** One menu per image (download, use as the next action's input) instead of a wrapping cluster of buttons. */
  private renderMenu(generation: Generation, url: string, index: number) {
    const s = this.strings.result;
    const close = (event: Event) => ((event.currentTarget as HTMLElement).closest('details')!.open = false);
    return html`<details class="menu" part="output-menu">
      <summary class="small menu-button" aria-label=${s.menu(index + 1)}>⋯</summary>
      <div class="menu-items">
        <button type="button" class="small ghost" @click=${(e: Event) => {
          close(e);
          void downloadImage(url, downloadName(generation.id, index, url));
        }}>${s.download}</button>
        ${this.chainActions.map(
          (action) => html`<button type="button" class="small ghost" data-use=${action} @click=${(e: Event) => {
            close(e);
            notify(this, 'result-use', { url, action });
          }}>${s.useAs}: ${this.strings.actions[action]}</button>`,
        )}
      </div>
    </details>`;
  }

  private renderOutputs(generation: Generation) {
    const s = this.strings.result;
    return html`<ul class="outputs ${generation.output_urls.length === 1 ? 'single' : ''}">
      ${generation.output_urls.map(
        (url, index) => html`<li>
          <button type="button" class="thumb" part="output" aria-label=${s.open(index + 1)} @click=${(e: Event) => this.open(index, e)}>
            <img src=${url} alt="" loading="lazy" />
          </button>
          ${this.renderMenu(generation, url, index)}
        </li>`,
      )}
    </ul>`;
  }

  /** The image an edit, upscale or background removal started from, for the before/after compare. */
  private beforeUrl(generation: Generation): string | null {
    const ref = generation.action === 'create' ? undefined : generation.input_images?.[0];
    return ref ? urlForRef(this.endpoint, ref) : null;
  }

  private renderSession(current: Generation) {
    const others = this.session.filter((generation) => generation.output_urls.length > 0);
    if (others.length < 2) return nothing;
    const s = this.strings.result;
    return html`<div class="session">
      <h4>${s.session}</h4>
      <ul>
        ${others.map(
          (generation) => html`<li>
            <button type="button" class="small" aria-label=${generation.prompt || this.strings.actions[generation.action]} aria-current=${generation.id === current.id ? 'true' : 'false'} @click=${() => notify(this, 'result-show', { generation })}>
              <img src=${generation.output_urls[0]!} alt="" loading="lazy" />
            </button>
          </li>`,
        )}
      </ul>
    </div>`;
  }

  private renderViewer(generation: Generation) {
    const index = this.viewing;
    const url = index === null ? undefined : generation.output_urls[index];
    const s = this.strings.result;
    const before = this.beforeUrl(generation);
    return html`<dialog part="viewer" aria-label=${index === null ? s.heading : s.output(index + 1)} @close=${this.onDialogClose} @click=${(e: Event) => e.target === e.currentTarget && this.closeViewer()}>
      ${url && index !== null
        ? html`<div class="frame">
              <div class="stage ${this.zoomed ? 'zoomed' : ''}" style="--split:${this.split}%">
                <img src=${url} alt=${s.output(index + 1)} @click=${() => (this.zoomed = !this.zoomed)} />
                ${this.comparing && before ? html`<img class="before" src=${before} alt=${s.before} />` : nothing}
              </div>
              ${this.comparing && before
                ? html`<input class="divider" type="range" min="0" max="100" aria-label=${s.compare} .value=${String(this.split)} @input=${(e: Event) => (this.split = Number((e.target as HTMLInputElement).value))} />`
                : nothing}
            </div>
            <div class="viewer-actions">
              <button type="button" aria-pressed=${this.zoomed ? 'true' : 'false'} @click=${() => (this.zoomed = !this.zoomed)}>${s.zoom}</button>
              ${before ? html`<button type="button" aria-pressed=${this.comparing ? 'true' : 'false'} @click=${() => (this.comparing = !this.comparing)}>${s.compare}</button>` : nothing}
              <button type="button" @click=${() => downloadImage(url, downloadName(generation.id, index, url))}>${s.download}</button>
              ${this.renderStar(generation)}
              <button type="button" class="primary" @click=${this.closeViewer} autofocus>${s.close}</button>
            </div>`
        : nothing}
    </dialog>`;
  }

  private renderStar(generation: Generation) {
    const favorite = generation.favorite === true;
    return starButton(this.strings.result.favorite, favorite, () => notify(this, 'result-favorite', { generation, favorite: !favorite }));
  }

  private renderProblem(code: string, message: string) {
    return html`<div class="problem" role="alert">
      <p><strong>${errorText(this.strings, code, code === 'prediction_failed' ? undefined : message)}</strong></p>
      ${code === 'prediction_failed' && message ? html`<p class="hint">${message}</p>` : nothing}
      ${canRetry(code) ? html`<button type="button" class="small" @click=${() => notify(this, 'result-retry', {})}>${this.strings.retry}</button>` : nothing}
    </div>`;
  }

  override render() {
    const s = this.strings.result;
    const generation = this.generation;
    const elapsed = this.elapsedMs === null ? '' : s.elapsed((this.elapsedMs / 1000).toFixed(1));
    return html`<section part="result" aria-labelledby="result-heading">
      <div class="head">
        <h3 id="result-heading" tabindex="-1">${s.heading}</h3>
        ${generation
          ? html`<span class="status ${generation.status}" data-status=${generation.status}>${s.status[generation.status]}</span>
              <span class="elapsed" aria-hidden=${isTerminal(generation.status) ? 'false' : 'true'}>${elapsed}</span>`
          : nothing}
      </div>
      ${this.problem ? this.renderProblem(this.problem.code, this.problem.message) : nothing}
      ${!generation && !this.problem ? html`<div class="empty"><p>${s.empty}</p></div>` : nothing}
      ${generation && !isTerminal(generation.status) ? this.renderProgress(generation) : nothing}
      ${generation?.status === 'failed' ? this.renderProblem('prediction_failed', generation.error ?? '') : nothing}
      ${generation?.status === 'completed' ? this.renderOutputs(generation) : nothing}
      ${generation?.status === 'canceled'
        ? html`<div class="problem canceled">
            <p><strong>${s.canceledText}</strong></p>
            <button type="button" class="small" @click=${() => notify(this, 'result-retry', {})}>${s.runAgain}</button>
          </div>`
        : nothing}
      ${generation
        ? html`<div class="meta">
            <span class="model">${this.modelName || generation.model_id}</span>
            ${generation.prompt ? html`<span class="prompt">${generation.prompt}</span>` : nothing}
            ${generation.output_urls.length > 1
              ? html`<button type="button" class="small ghost" @click=${() => this.downloadAll(generation)}>${s.downloadAll}</button>`
              : nothing}
            ${isTerminal(generation.status) ? this.renderStar(generation) : nothing}
            ${isTerminal(generation.status)
              ? html`<button type="button" class="small ghost reuse" @click=${() => notify(this, 'result-reuse', { generation })}>${s.reuse}</button>`
              : nothing}
          </div>`
        : nothing}
      ${generation ? this.renderSession(generation) : nothing}
      ${generation ? this.renderViewer(generation) : nothing}
    </section>`;
  }
}
