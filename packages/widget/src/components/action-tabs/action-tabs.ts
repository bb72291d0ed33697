import { LitElement, html } from 'lit';
import type { Action } from '../../api/types.js';
import { notify } from '../../events.js';
import type { Strings } from '../../i18n/index.js';
import { sharedStyles } from '../../styles/shared.js';
import { actionTabsStyles } from './action-tabs.styles.js';

/**
 * @tagname dotbase-action-tabs
 *
 * The action tabs (Create, Edit, Upscale, Remove background) and the panel they control. The panel's content is
 * slotted, so the tabs and their panel share one shadow root and their ARIA references resolve.
 * Arrow keys, Home and End move between tabs and select them (automatic activation).
 *
 * @fires action-select - internal: `{ action }` when a tab is chosen.
 * @csspart tablist - the row of tabs.
 * @csspart tab - each tab; the selected one also has `tab-selected`.
 * @csspart panel - the tab panel around the slotted content.
 */
export class DotbaseActionTabs extends LitElement {
  static override styles = [sharedStyles, actionTabsStyles];
  static override properties = {
    actions: { attribute: false },
    selected: {},
    strings: { attribute: false },
  };

  declare actions: Action[];
  declare selected: Action;
  declare strings: Strings;

  constructor() {
    super();
    this.actions = [];
    this.selected = 'create';
  }

  /** Moves keyboard focus to the selected tab. */
  override focus(): void {
    this.renderRoot.querySelector<HTMLElement>('[aria-selected="true"]')?.focus();
  }

  private choose(action: Action, focus: boolean): void {
    if (action !== this.selected) notify(this, 'action-select', { action });
    // The tab exists already; only its tabindex waits for the studio to re-render with the new selection.
    if (focus) this.renderRoot.querySelector<HTMLElement>(`#tab-${action}`)?.focus();
  }

  private onKeydown(event: KeyboardEvent): void {
    const index = this.actions.indexOf(this.selected);
    const last = this.actions.length - 1;
    const next: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: last };
    const target = next[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const action = this.actions[(target + this.actions.length) % this.actions.length];
    if (action) this.choose(action, true);
  }

  override render() {
    return html`
      <div role="tablist" part="tablist" aria-label=${this.strings.actionsLabel} @keydown=${this.onKeydown}>
        ${this.actions.map(
          (action) => html`
            <button
              type="button"
              role="tab"
              id="tab-${action}"
              part=${action === this.selected ? 'tab tab-selected' : 'tab'}
              aria-selected=${action === this.selected ? 'true' : 'false'}
              aria-controls="panel"
              tabindex=${action === this.selected ? 0 : -1}
              @click=${() => this.choose(action, false)}
            >
              ${this.strings.actions[action]}
            </button>
          `,
        )}
      </div>
      <div role="tabpanel" id="panel" part="panel" aria-labelledby="tab-${this.selected}">
        <slot></slot>
      </div>
    `;
  }
}
