import { css } from 'lit';

export const historyStyles = css`
  :host {
    display: block;
  }
  section {
    display: flex;
    flex-direction: column;
    gap: 12px;
  }
  .head {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: 8px;
  }
  h3 {
    margin: 0;
    font-size: var(--db-text-md);
    font-weight: 650;
  }
  .filters {
    display: flex;
    flex-wrap: wrap;
    gap: 12px;
  }
  /* sits on the baseline of the selects beside it */
  .filters .favorites {
    align-self: flex-end;
    min-height: 36px;
  }
  .filters .favorites[aria-pressed='true'] {
    border-color: var(--db-accent);
  }
  .filters label {
    display: flex;
    flex-direction: column;
    gap: 4px;
    flex: 1 1 160px;
    max-width: 240px;
  }
  .items {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 12px;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 220px), 1fr));
  }
  .items:focus-visible {
    outline-offset: 4px;
  }
  .item {
    display: flex;
    flex-direction: column;
    gap: 10px;
    padding: 10px;
    border: 1px solid var(--db-border);
    border-radius: var(--db-radius);
    background: var(--db-bg);
    min-width: 0;
  }
  .thumb {
    aspect-ratio: 1;
    border-radius: var(--db-radius-small);
    overflow: hidden;
    background: var(--db-surface);
    display: grid;
    place-items: center;
  }
  .thumb img {
    width: 100%;
    height: 100%;
    object-fit: cover;
  }
  .placeholder {
    font-size: var(--db-text-xs);
    color: var(--db-muted);
    text-align: center;
    padding: 4px;
  }
  .body {
    display: flex;
    flex-direction: column;
    gap: 2px;
    min-width: 0;
    flex: 1;
  }
  .line {
    display: flex;
    justify-content: space-between;
    gap: 6px;
    align-items: center;
  }
  .line strong {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .status {
    font-size: var(--db-text-xs);
    font-weight: 600;
    padding: 1px 8px;
    border-radius: 999px;
    background: var(--db-surface-strong);
    flex-shrink: 0;
  }
  .status.completed {
    color: var(--db-success);
  }
  .status.failed {
    color: var(--db-danger);
  }
  .status.processing,
  .status.pending {
    color: var(--db-accent);
  }
  .sub {
    color: var(--db-muted);
    font-size: var(--db-text-xs);
  }
  .prompt,
  .reason {
    margin: 2px 0 6px;
    overflow-wrap: anywhere;
  }
  .reason {
    color: var(--db-danger);
    font-size: var(--db-text-xs);
  }
  /* "Delete" becoming "Confirm delete" must not move the card's other buttons. */
  .danger {
    min-width: 9.5em;
  }
  .buttons {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin-top: auto;
  }
  nav {
    display: flex;
    align-items: center;
    justify-content: center;
    gap: 12px;
  }
  .page {
    font-variant-numeric: tabular-nums;
    color: var(--db-muted);
  }
  .problem {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 8px;
    padding: 10px 14px;
    border-radius: var(--db-radius-small);
    background: var(--db-danger-soft);
  }
  .empty {
    color: var(--db-muted);
    text-align: center;
    padding: 32px 0;
  }
`;
