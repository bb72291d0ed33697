import { css } from 'lit';

/** Controls every component shares: buttons, fields, focus rings, the visually hidden helper. */
export const sharedStyles = css`
  :host {
    font-family: var(--db-font);
    color: var(--db-fg);
    font-size: var(--db-text-sm);
    line-height: 1.45;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  [hidden] {
    display: none !important;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }
  :focus-visible {
    outline: 2px solid var(--db-accent);
    outline-offset: 2px;
  }
  button,
  .button {
    font: inherit;
    font-weight: 550;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 6px;
    min-height: 36px;
    padding: 0 14px;
    border-radius: var(--db-radius-small);
    border: 1px solid var(--db-border);
    background: var(--db-bg);
    color: var(--db-fg);
    cursor: pointer;
    text-decoration: none;
    white-space: nowrap;
    transition: background-color 120ms, border-color 120ms;
  }
  button:hover:not(:disabled),
  .button:hover {
    background: var(--db-surface);
    border-color: var(--db-muted);
  }
  button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  button.primary {
    background: var(--db-accent);
    border-color: var(--db-accent);
    color: var(--db-on-accent);
  }
  button.primary:hover:not(:disabled) {
    background: color-mix(in srgb, var(--db-accent) 88%, var(--db-fg));
    border-color: transparent;
  }
  button.ghost {
    border-color: transparent;
    background: transparent;
  }
  button.danger {
    color: var(--db-danger);
  }
  button.small,
  .button.small {
    min-height: 30px;
    padding: 0 10px;
    font-size: var(--db-text-xs);
  }
  label,
  .label,
  legend {
    font-weight: 600;
    font-size: var(--db-text-sm);
  }
  input,
  select,
  textarea {
    font: inherit;
    color: var(--db-fg);
    background: var(--db-bg);
    border: 1px solid var(--db-border);
    border-radius: var(--db-radius-small);
    min-height: 36px;
    padding: 6px 10px;
    width: 100%;
  }
  input[type='checkbox'],
  input[type='radio'],
  input[type='range'] {
    width: auto;
    min-height: 0;
    accent-color: var(--db-accent);
  }
  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible {
    outline: none;
    border-color: var(--db-accent);
    box-shadow: 0 0 0 3px color-mix(in srgb, var(--db-accent) 35%, transparent);
  }
  input:user-invalid,
  textarea:user-invalid {
    border-color: var(--db-danger);
  }
  .hint {
    color: var(--db-muted);
    font-size: var(--db-text-xs);
    font-weight: 400;
  }
  .error-text {
    color: var(--db-danger);
    font-size: var(--db-text-xs);
  }
  /* the favorite toggle (star-button.ts): gold when pressed, a square target like the other small buttons */
  button.star {
    min-width: 30px;
    padding: 0 6px;
    font-size: var(--db-text-md);
    line-height: 1;
  }
  button.star[aria-pressed='true'] {
    color: #d49a00;
  }
`;

/** A fieldset that groups without drawing: for components whose fieldset is a titled section (model, settings). */
export const plainFieldsetStyles = css`
  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
    min-width: 0;
  }
  legend {
    padding: 0;
    margin-bottom: 8px;
  }
`;
