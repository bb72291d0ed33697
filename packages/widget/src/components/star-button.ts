import { html } from 'lit';

/**
 * The favorite toggle used on history cards and in the viewer: one name (`label`) whose state is `aria-pressed`,
 * so a screen reader says "Favorite, toggle button, pressed" rather than a label that flips between two sentences.
 */
export function starButton(label: string, favorite: boolean, onToggle: () => void, extraClass = '') {
  return html`<button type="button" class="small star ${extraClass}" aria-pressed=${favorite ? 'true' : 'false'} aria-label=${label} title=${label} @click=${onToggle}>
    <span aria-hidden="true">${favorite ? '★' : '☆'}</span>
  </button>`;
}
