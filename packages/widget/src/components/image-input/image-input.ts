import { LitElement, html, nothing } from 'lit';
import type { InputImage } from '../../controllers/input-images.js';
import { notify } from '../../events.js';
import type { Strings } from '../../i18n/index.js';
import { sharedStyles } from '../../styles/shared.js';
import { imageInputStyles } from './image-input.styles.js';

/**
 * @tagname dotbase-image-input
 *
 * Where input images come in: a file picker, drag and drop, an https URL (paste is handled by the studio so it works
 * anywhere inside it). Shows each image's preview with its upload progress and a remove button.
 *
 * @fires images-add - internal: `{ files }`.
 * @fires image-url-add - internal: `{ url }`.
 * @fires image-remove - internal: `{ key }`.
 * @csspart dropzone - the drop area.
 * @csspart preview - each input image preview.
 */
export class DotbaseImageInput extends LitElement {
  static override styles = [sharedStyles, imageInputStyles];
  static override properties = {
    items: { attribute: false },
    min: { type: Number },
    max: { type: Number },
    strings: { attribute: false },
    problem: {},
    dragging: { state: true },
    urlError: { state: true },
  };

  declare items: InputImage[];
  declare min: number;
  declare max: number;
  declare strings: Strings;
  /** Why the last file was refused or failed to upload, in plain words (set by the studio). */
  declare problem: string;
  declare dragging: boolean;
  declare urlError: string;

  constructor() {
    super();
    this.items = [];
    this.min = 1;
    this.max = 1;
    this.dragging = false;
    this.urlError = '';
    this.problem = '';
  }

  override focus(): void {
    this.renderRoot.querySelector<HTMLElement>('#choose')?.focus();
  }

  /** Every file goes to the studio, which checks each by its bytes (a MIME type is only the file name's guess). */
  private addFiles(list: FileList | null | undefined): void {
    const files = [...(list ?? [])];
    if (files.length > 0) notify(this, 'images-add', { files });
  }

  private onDrop(event: DragEvent): void {
    event.preventDefault();
    this.dragging = false;
    this.addFiles(event.dataTransfer?.files);
  }

  private onDragOver(event: DragEvent): void {
    event.preventDefault();
    this.dragging = true;
  }

  private onUrlSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#url');
    const value = input?.value.trim() ?? '';
    let valid = false;
    try {
      valid = new URL(value).protocol === 'https:';
    } catch {
      valid = false;
    }
    if (!valid) {
      this.urlError = this.strings.images.badUrl;
      input?.focus();
      return;
    }
    this.urlError = '';
    if (input) input.value = '';
    notify(this, 'image-url-add', { url: value });
  }

  private renderItem(item: InputImage, index: number) {
    const s = this.strings.images;
    const percent = Math.round(item.progress * 100);
    return html`<li part="preview" class=${item.status}>
      <img src=${item.previewUrl} alt=${s.preview(index + 1)} />
      ${item.status === 'uploading'
        ? html`<div class="bar" role="progressbar" aria-label=${s.uploading(percent)} aria-valuenow=${percent} aria-valuemin="0" aria-valuemax="100">
            <span style="width:${percent}%"></span>
          </div>`
        : nothing}
      <span class="state ${item.status}">${item.status === 'uploading' ? s.uploading(percent) : s.uploaded}</span>
      <button type="button" class="remove small" aria-label=${s.remove(index + 1)} @click=${() => notify(this, 'image-remove', { key: item.key })}>✕</button>
    </li>`;
  }

  override render() {
    const s = this.strings.images;
    const single = this.max === 1;
    return html`
      <div class="head">
        <span class="label" id="label">${single ? s.labelOne : s.label}</span>
        <span class="hint">${s.count(this.min, this.max)}</span>
      </div>
      ${this.items.length > 0 ? html`<ul class="previews" aria-labelledby="label">${this.items.map((item, i) => this.renderItem(item, i))}</ul>` : nothing}
      <div
        class="drop ${this.dragging ? 'dragging' : ''}"
        part="dropzone"
        @dragover=${this.onDragOver}
        @dragleave=${() => (this.dragging = false)}
        @drop=${this.onDrop}
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22"><path fill="currentColor" d="M19 13v6H5v-6H3v6a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2v-6zm-8-9.4V16h2V3.6l3.6 3.6L18 5.8 12 0 6 5.8l1.4 1.4z" /></svg>
        <span>${single ? s.dropOne : s.drop}</span>
        <button type="button" id="choose" class="small" @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#file')?.click()}>
          ${single ? s.chooseOne : s.choose}
        </button>
        <input
          id="file"
          type="file"
          accept="image/*"
          ?multiple=${!single}
          hidden
          aria-labelledby="choose"
          @change=${(e: Event) => {
            const input = e.target as HTMLInputElement;
            this.addFiles(input.files);
            input.value = '';
          }}
        />
      </div>
      <p class="error-text upload-problem" id="upload-problem" role=${this.problem ? 'alert' : nothing}>${this.problem}</p>
      <form class="url" @submit=${this.onUrlSubmit} novalidate>
        <label for="url">${s.url}</label>
        <div class="row">
          <input id="url" type="url" inputmode="url" placeholder=${s.urlPlaceholder} aria-describedby="url-error" aria-invalid=${this.urlError ? 'true' : 'false'} />
          <button type="submit">${s.addUrl}</button>
        </div>
        <span id="url-error" class="error-text" role=${this.urlError ? 'alert' : nothing}>${this.urlError}</span>
      </form>
    `;
  }
}
