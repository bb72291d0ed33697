import { LitElement, html, nothing } from 'lit';
import { canRetry } from '../../api/errors.js';
import { isTerminal, type Action, type Generation } from '../../api/types.js';
import { notify } from '../../events.js';
import { errorText, type Strings } from '../../i18n/index.js';
import { sharedStyles } from '../../styles/shared.js';
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
    viewing: { state: true },
  };

  declare generation: Generation | null;
  declare problem: ResultProblem | null;
  declare strings: Strings;
  declare modelName: string;
  declare elapsedMs: number | null;
  declare canceling: boolean;
  declare chainActions: Action[];
  declare viewing: number | null;
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

  private renderOutputs(generation: Generation) {
    const s = this.strings.result;
    return html`<ul class="outputs ${generation.output_urls.length === 1 ? 'single' : ''}">
      ${generation.output_urls.map(
        (url, index) => html`<li>
          <button type="button" class="thumb" part="output" aria-label=${s.open(index + 1)} @click=${(e: Event) => this.open(index, e)}>
            <img src=${url} alt="" loading="lazy" />
          </button>
          <div class="output-actions">
            <button type="button" class="small" @click=${() => downloadImage(url, downloadName(generation.id, index, url))}>${s.download}</button>
            ${this.chainActions.length > 0
              ? html`<span class="use" role="group" aria-label=${s.useAs}>
                  <span class="hint" aria-hidden="true">${s.useAs}:</span>
                  ${this.chainActions.map(
                    (action) => html`<button type="button" class="small" data-use=${action} @click=${() => notify(this, 'result-use', { url, action })}>
                      ${this.strings.actions[action]}
                    </button>`,
                  )}
                </span>`
              : nothing}
          </div>
        </li>`,
      )}
    </ul>`;
  }

  private renderViewer(generation: Generation) {
    const index = this.viewing;
    const url = index === null ? undefined : generation.output_urls[index];
    const s = this.strings.result;
    return html`<dialog part="viewer" aria-label=${index === null ? s.heading : s.output(index + 1)} @close=${this.onDialogClose} @click=${(e: Event) => e.target === e.currentTarget && this.closeViewer()}>
      ${url && index !== null
        ? html`<img src=${url} alt=${s.output(index + 1)} />
            <div class="viewer-actions">
              <button type="button" @click=${() => downloadImage(url, downloadName(generation.id, index, url))}>${s.download}</button>
              <button type="button" class="primary" @click=${this.closeViewer} autofocus>${s.close}</button>
            </div>`
        : nothing}
    </dialog>`;
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
      ${generation
        ? html`<div class="meta">
            <span class="model">${this.modelName || generation.model_id}</span>
            ${generation.prompt ? html`<span class="prompt">${generation.prompt}</span>` : nothing}
            ${isTerminal(generation.status)
              ? html`<button type="button" class="small ghost reuse" @click=${() => notify(this, 'result-reuse', { generation })}>${s.reuse}</button>`
              : nothing}
          </div>`
        : nothing}
      ${generation ? this.renderViewer(generation) : nothing}
    </section>`;
  }
}
