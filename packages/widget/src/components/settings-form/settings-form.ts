import { LitElement, html, nothing } from 'lit';
import type { JsonSchema } from '../../api/types.js';
import { notify } from '../../events.js';
import { fieldLabel, type Strings } from '../../i18n/index.js';
import { fieldHint, valueLabel } from '../../i18n/values.js';
import { plainFieldsetStyles, sharedStyles } from '../../styles/shared.js';
import { parseFieldValue, schemaFields, type SettingsField } from './schema-fields.js';
import { settingsFormStyles } from './settings-form.styles.js';

/**
 * @tagname dotbase-settings-form
 *
 * A model's settings as a form generated from its JSON Schema: enums as selects, numbers with their ranges,
 * booleans as checkboxes. Primary settings (aspect ratio, outputs, seed, format…) come first; the rest fold
 * under "More settings". Empty means "use the model's default".
 *
 * @fires settings-change - internal: `{ values }`, the user's values by field name.
 * @csspart settings - the fieldset.
 */
export class DotbaseSettingsForm extends LitElement {
  static override styles = [sharedStyles, plainFieldsetStyles, settingsFormStyles];
  static override properties = {
    schema: { attribute: false },
    values: { attribute: false },
    strings: { attribute: false },
    problems: { attribute: false },
  };

  declare schema: JsonSchema | undefined;
  declare values: Record<string, unknown>;
  declare strings: Strings;
  /** The server's objections by field name, shown under each field. */
  declare problems: Record<string, string>;
  private fields: SettingsField[] = [];

  constructor() {
    super();
    this.values = {};
    this.problems = {};
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('schema')) this.fields = schemaFields(this.schema);
  }

  /** Runs the browser's constraint validation on every field, showing the first problem. */
  reportValidity(): boolean {
    const controls = [...this.renderRoot.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')];
    const invalid = controls.find((control) => !control.checkValidity());
    if (!invalid) return true;
    const fold = invalid.closest('details');
    if (fold) fold.open = true;
    invalid.reportValidity();
    invalid.focus();
    return false;
  }

  private change(field: SettingsField, raw: string | boolean): void {
    const values = { ...this.values };
    const value = parseFieldValue(field, raw);
    if (value === undefined) delete values[field.name];
    else values[field.name] = value;
    notify(this, 'settings-change', { values });
  }

  private shown(field: SettingsField): unknown {
    return this.values[field.name] ?? field.default;
  }

  private renderField(field: SettingsField) {
    const id = `field-${field.name}`;
    const label = fieldLabel(this.strings, field.name, field.title);
    const hintId = `${id}-hint`;
    const bounded = field.kind === 'number' && field.name !== 'seed' && (field.min !== undefined || field.max !== undefined);
    const range = bounded ? `${field.min ?? '…'}–${field.max ?? '…'}` : '';
    // Primary settings explain themselves; their schema descriptions would only add noise under each control.
    const hint = [range, field.primary ? '' : fieldHint(this.strings, field.name, field.description)].filter(Boolean).join(' · ');
    const problem = this.problems[field.name];
    const problemId = `${id}-problem`;
    const describedBy = [hint ? hintId : '', problem ? problemId : ''].join(' ').trim() || nothing;
    const problemText = problem ? html`<span class="error-text" id=${problemId} role="alert">${problem}</span>` : nothing;
    if (problem) {
      // A refused setting folded under "More settings" would be invisible.
      void this.updateComplete.then(() => {
        const fold = this.renderRoot.querySelector<HTMLElement>(`#${id}`)?.closest('details');
        if (fold) fold.open = true;
      });
    }
    const value = this.shown(field);
    let control;
    switch (field.kind) {
      case 'boolean':
        return html`<div class="field check">
          <input
            id=${id}
            type="checkbox"
            .checked=${Boolean(value)}
            aria-describedby=${describedBy}
            @change=${(e: Event) => this.change(field, (e.target as HTMLInputElement).checked)}
          />
          <label for=${id}>${label}</label>
          ${hint ? html`<span class="hint" id=${hintId}>${hint}</span>` : nothing} ${problemText}
        </div>`;
      case 'select':
        control = html`<select id=${id} aria-describedby=${describedBy} ?required=${field.required} @change=${(e: Event) => this.change(field, (e.target as HTMLSelectElement).value)}>
          ${field.default === undefined ? html`<option value="" ?selected=${value === undefined}>${this.strings.defaultValue}</option>` : nothing}
          ${field.options.map((option) => html`<option value=${String(option)} ?selected=${option === value}>${valueLabel(this.strings, option)}</option>`)}
        </select>`;
        break;
      case 'number':
        control = html`<input
          id=${id}
          type="number"
          inputmode=${field.integer ? 'numeric' : 'decimal'}
          min=${field.min ?? nothing}
          max=${field.max ?? nothing}
          step=${field.step}
          ?required=${field.required}
          placeholder=${field.name === 'seed' ? this.strings.random : field.default === undefined ? '' : String(field.default)}
          .value=${value === undefined ? '' : String(value)}
          aria-describedby=${describedBy}
          @change=${(e: Event) => this.change(field, (e.target as HTMLInputElement).value)}
        />`;
        break;
      case 'text':
        control = html`<input
          id=${id}
          type="text"
          ?required=${field.required}
          .value=${value === undefined ? '' : String(value)}
          aria-describedby=${describedBy}
          @change=${(e: Event) => this.change(field, (e.target as HTMLInputElement).value)}
        />`;
        break;
    }
    return html`<div class="field ${field.kind === 'text' ? 'wide' : ''}">
      <label for=${id} title=${fieldHint(this.strings, field.name, field.description) ?? nothing}>${label}</label>
      ${control} ${hint ? html`<span class="hint" id=${hintId}>${hint}</span>` : nothing} ${problemText}
    </div>`;
  }

  override render() {
    if (this.fields.length === 0) return nothing;
    const primary = this.fields.filter((field) => field.primary);
    const rest = this.fields.filter((field) => !field.primary);
    return html`
      <fieldset part="settings">
        <legend>${this.strings.settings}</legend>
        ${primary.length > 0 ? html`<div class="grid">${primary.map((field) => this.renderField(field))}</div>` : nothing}
        ${primary.length === 0 ? html`<div class="grid">${rest.map((field) => this.renderField(field))}</div>` : nothing}
        ${primary.length > 0 && rest.length > 0
          ? html`<details>
              <summary>${this.strings.advanced}</summary>
              <div class="grid">${rest.map((field) => this.renderField(field))}</div>
            </details>`
          : nothing}
      </fieldset>
    `;
  }
}
