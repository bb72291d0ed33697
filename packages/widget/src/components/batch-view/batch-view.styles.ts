import { css } from 'lit';

export const batchViewStyles = css`
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
    align-items: center;
    flex-wrap: wrap;
    gap: 10px;
  }
  h3 {
    margin: 0 auto 0 0;
    font-size: var(--db-text-md);
    font-weight: 650;
  }
  .summary {
    color: var(--dotbase-muted);
    font-size: var(--db-text-sm);
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(120px, 1fr));
    gap: 10px;
  }
  li {
    display: flex;
    flex-direction: column;
    gap: 6px;
    padding: 8px;
    border: 1px solid var(--dotbase-border);
    border-radius: var(--dotbase-radius, 12px);
    background: var(--dotbase-surface);
  }
  img {
    width: 100%;
    aspect-ratio: 1;
    object-fit: cover;
    border-radius: 8px;
    background: var(--dotbase-surface-strong);
  }
  progress {
    width: 100%;
    accent-color: var(--dotbase-accent);
  }
  .state {
    font-size: var(--db-text-xs);
    font-weight: 600;
  }
  li[data-status='completed'] .state {
    color: var(--dotbase-success);
  }
  li[data-status='failed'] .state {
    color: var(--dotbase-danger);
  }
  .error {
    color: var(--dotbase-danger);
    font-size: var(--db-text-xs);
    overflow-wrap: anywhere;
  }
`;
