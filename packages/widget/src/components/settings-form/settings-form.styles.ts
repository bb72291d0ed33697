import { css } from 'lit';

export const settingsFormStyles = css`
  :host {
    display: block;
  }
  .grid {
    display: grid;
    gap: 12px;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 150px), 1fr));
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 4px;
    min-width: 0;
  }
  .field.wide {
    grid-column: 1 / -1;
  }
  .field.check {
    flex-direction: row;
    flex-wrap: wrap;
    align-items: center;
    align-self: end;
    min-height: 36px;
    gap: 8px;
  }
  .field.check .hint {
    flex-basis: 100%;
  }
  details {
    margin-top: 12px;
  }
  summary {
    cursor: pointer;
    font-weight: 600;
    color: var(--db-accent);
    padding: 4px 0;
    margin-bottom: 8px;
    width: fit-content;
    border-radius: 4px;
  }
`;
