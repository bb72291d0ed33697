import { css } from 'lit';

export const modelPickerStyles = css`
  :host {
    display: block;
  }
  .grid {
    display: grid;
    gap: 8px;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 210px), 1fr));
  }
  .card {
    position: relative;
    display: flex;
    flex-direction: column;
    gap: 4px;
    padding: 10px 12px;
    border: 1px solid var(--db-border);
    border-radius: var(--db-radius-small);
    background: var(--db-bg);
    cursor: pointer;
    font-weight: 400;
    transition: border-color 120ms, background-color 120ms;
  }
  .card:hover {
    border-color: var(--db-muted);
  }
  .card:has(input:checked) {
    border-color: var(--db-accent);
    background: var(--db-accent-soft);
    box-shadow: inset 0 0 0 1px var(--db-accent);
  }
  .card:has(input:focus-visible) {
    outline: 2px solid var(--db-accent);
    outline-offset: 2px;
  }
  input {
    position: absolute;
    opacity: 0;
    pointer-events: none;
  }
  .top {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 8px;
  }
  .name {
    font-weight: 600;
  }
  .desc {
    color: var(--db-muted);
    font-size: var(--db-text-xs);
  }
  .meters {
    display: inline-flex;
    gap: 8px;
    flex-shrink: 0;
  }
  .meter {
    display: inline-flex;
    gap: 2px;
    align-items: flex-end;
  }
  .meter span {
    width: 4px;
    border-radius: 1px;
    background: var(--db-border);
  }
  .speed span {
    height: 10px;
  }
  .speed span:nth-child(1) {
    height: 6px;
  }
  .speed span:nth-child(2) {
    height: 8px;
  }
  .quality span {
    height: 6px;
    width: 6px;
    border-radius: 50%;
  }
  .meter span.on {
    background: var(--db-accent);
  }

  /* On a phone the eight cards would push the prompt 1.5 screens down: one swipeable row of names instead. */
  @container dotbase (max-width: 560px) {
    .grid {
      display: flex;
      overflow-x: auto;
      scroll-snap-type: x proximity;
      padding: 2px 2px 6px;
      margin: -2px;
    }
    .card {
      flex: 0 0 auto;
      scroll-snap-align: start;
    }
    .desc {
      display: none;
    }
  }
`;
