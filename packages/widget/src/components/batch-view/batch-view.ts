import { LitElement, html, nothing } from 'lit';
import { isBatchOver, type Batch } from '../../api/batches.js';
import type { BatchStrings } from '../../i18n/batch.js';
import { sharedStyles } from '../../styles/shared.js';
import { batchViewStyles } from './batch-view.styles.js';

function notify<T>(target: EventTarget, name: string, detail?: T): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

/**
 * A batch's progress: one card per image with its status and progress bar, the result once it is done, and
 * "Download all" (a ZIP of every output) when the batch is over.
 *
 * @tagname dotbase-batch-view
 * @fires batch-cancel - internal: the user asked to cancel the batch.
 * @fires batch-download - internal: the user asked for the ZIP.
 * @csspart batch - The batch panel.
 * @csspart batch-item - Each image's card.
 * @csspart batch-download - The "Download all" button.
 */
export class DotbaseBatchView extends LitElement {
  static override styles = [sharedStyles, batchViewStyles];
  static override properties = {
    batch: { attribute: false },
    previews: { attribute: false },
    strings: { attribute: false },
  };

  declare batch: Batch | null;
  declare previews: string[];
  declare strings: BatchStrings;

  constructor() {
    super();
    this.batch = null;
    this.previews = [];
  }

  override render() {
    const batch = this.batch;
    const s = this.strings;
    if (!batch || !s) return nothing;
    const total = batch.items.length;
    const ended = batch.counts.completed + batch.counts.failed + batch.counts.canceled;
    const over = isBatchOver(batch);
    return html`<section part="batch" aria-label=${s.title(total)} data-batch=${batch.id} data-status=${batch.status}>
      <div class="head">
        <h3>${s.title(total)}</h3>
        <span class="summary" role="status" aria-live="polite">${s.summary(ended, total)}</span>
        ${over
          ? html`<button type="button" class="primary small" part="batch-download" ?disabled=${batch.counts.completed === 0} @click=${() => notify(this, 'batch-download')}>
              ${s.downloadAll}
            </button>`
          : html`<button type="button" class="small" @click=${() => notify(this, 'batch-cancel')}>${s.cancel}</button>`}
      </div>
      <ol>
        ${batch.generations.map((item) => {
          const status = item.status ?? 'pending';
          const image = item.output_urls[0] ?? this.previews[item.index];
          const progress = status === 'completed' ? 100 : (item.progress ?? (status === 'processing' ? null : 0));
          return html`<li part="batch-item" data-index=${item.index} data-status=${status} aria-label=${`${s.item(item.index)}: ${s.status[status]}`}>
            ${image ? html`<img src=${image} alt=${s.item(item.index)} loading="lazy" />` : nothing}
            <span class="state">${s.status[status]}</span>
            ${status === 'pending' || status === 'processing'
              ? progress === null
                ? html`<progress aria-label=${s.item(item.index)}></progress>`
                : html`<progress max="100" .value=${progress} aria-label=${s.item(item.index)}></progress>`
              : nothing}
            ${item.output_urls[0] ? html`<a href=${item.output_urls[0]} target="_blank" rel="noopener">${s.open}</a>` : nothing}
            ${item.error ? html`<span class="error">${item.error}</span>` : nothing}
          </li>`;
        })}
      </ol>
    </section>`;
  }
}
