import { css } from 'lit';

export const actionTabsStyles = css`
  :host {
    display: block;
  }
  [role='tablist'] {
    display: flex;
    gap: 4px;
    padding: 4px;
    border-radius: var(--db-radius);
    background: var(--db-surface);
    overflow-x: auto;
    scrollbar-width: none;
  }
  [role='tab'] {
    flex: 1 0 auto;
    border-color: transparent;
    background: transparent;
    color: var(--db-muted);
    min-height: 38px;
  }
  [role='tab']:hover:not([aria-selected='true']) {
    background: var(--db-surface-strong);
    border-color: transparent;
    color: var(--db-fg);
  }
  [role='tab'][aria-selected='true'] {
    background: var(--db-bg);
    color: var(--db-fg);
    border-color: var(--db-border);
    box-shadow: 0 1px 2px rgb(0 0 0 / 0.08);
  }
  @container dotbase (max-width: 480px) {
    [role='tablist'] {
      display: grid;
      grid-template-columns: 1fr 1fr;
    }
  }
  [role='tabpanel'] {
    padding-top: var(--db-gap);
  }
  [role='tabpanel']:focus-visible {
    outline: none;
  }
`;
