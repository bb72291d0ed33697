import { LitElement, html } from 'lit';
import type { ModelInfo } from '../../api/types.js';
import { notify } from '../../events.js';
import type { Strings } from '../../i18n/index.js';
import { modelDescription } from '../../i18n/values.js';
import { plainFieldsetStyles, sharedStyles } from '../../styles/shared.js';
import { modelPickerStyles } from './model-picker.styles.js';

/**
 * @tagname dotbase-model-picker
 *
 * The models for the current action as a radio group of cards: name, description, speed (of 3) and quality (of 5).
 * Native radios keep arrow-key selection and screen-reader semantics.
 *
 * @fires model-select - internal: `{ modelId }`.
 * @csspart model - each model card; the chosen one also has `model-selected`.
 */
export class DotbaseModelPicker extends LitElement {
  static override styles = [sharedStyles, plainFieldsetStyles, modelPickerStyles];
  static override properties = {
    models: { attribute: false },
    selected: {},
    strings: { attribute: false },
  };

  declare models: ModelInfo[];
  declare selected: string;
  declare strings: Strings;

  constructor() {
    super();
    this.models = [];
    this.selected = '';
  }

  override focus(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input:checked, input')?.focus();
  }

  private meter(value: number, of: number, label: string, kind: string) {
    return html`<span class="meter ${kind}" role="img" aria-label=${label}>
      ${Array.from({ length: of }, (_, i) => html`<span class=${i < value ? 'on' : ''}></span>`)}
    </span>`;
  }

  override render() {
    const s = this.strings;
    if (this.models.length === 0) return html`<p class="hint">${s.noModels}</p>`;
    return html`
      <fieldset>
        <legend>${s.model}</legend>
        <div class="grid">
          ${this.models.map(
            (model) => html`
              <label class="card" part=${model.id === this.selected ? 'model model-selected' : 'model'} data-model=${model.id}>
                <input
                  type="radio"
                  name="model"
                  .value=${model.id}
                  .checked=${model.id === this.selected}
                  aria-labelledby="name-${model.id}"
                  aria-describedby="meters-${model.id} desc-${model.id}"
                  @change=${() => notify(this, 'model-select', { modelId: model.id })}
                />
                <span class="top">
                  <span class="name" id="name-${model.id}">${model.name}</span>
                  <span class="meters" id="meters-${model.id}">
                    ${this.meter(model.speed, 3, s.speed(model.speed), 'speed')}
                    ${this.meter(model.quality, 5, s.quality(model.quality), 'quality')}
                  </span>
                </span>
                <span class="desc" id="desc-${model.id}">${modelDescription(s, model.id, model.description)}</span>
              </label>
            `,
          )}
        </div>
      </fieldset>
    `;
  }
}
