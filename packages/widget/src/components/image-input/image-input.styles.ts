import { css } from 'lit';

export const imageInputStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  .head {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: 8px;
  }
  .drop {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: center;
    gap: 8px 10px;
    padding: 16px;
    border: 1.5px dashed var(--db-border);
    border-radius: var(--db-radius-small);
    background: var(--db-surface);
    color: var(--db-muted);
    text-align: center;
    transition: border-color 120ms, background-color 120ms;
  }
  .drop.dragging {
    border-color: var(--db-accent);
    background: var(--db-accent-soft);
  }
  .url {
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .url label {
    font-weight: 500;
    color: var(--db-muted);
    font-size: var(--db-text-xs);
  }
  .row {
    display: flex;
    gap: 8px;
  }
  .error-text:empty {
    display: none;
  }
  .previews {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(112px, 1fr));
    gap: 8px;
  }
  li {
    position: relative;
    border-radius: var(--db-radius-small);
    overflow: hidden;
    border: 1px solid var(--db-border);
    background: var(--db-surface);
  }
  img {
    display: block;
    width: 100%;
    aspect-ratio: 1;
    object-fit: cover;
  }
  .bar {
    position: absolute;
    left: 8px;
    right: 8px;
    bottom: 30px;
    height: 4px;
    border-radius: 2px;
    background: rgb(255 255 255 / 0.6);
    overflow: hidden;
  }
  .bar span {
    display: block;
    height: 100%;
    background: var(--db-accent);
    transition: width 120ms;
  }
  .state {
    display: block;
    padding: 4px 8px;
    font-size: var(--db-text-xs);
    color: var(--db-muted);
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .upload-problem {
    margin: 0;
  }
  .remove {
    position: absolute;
    top: 6px;
    right: 6px;
    min-height: 28px;
    width: 28px;
    padding: 0;
    border-radius: 50%;
    background: rgb(0 0 0 / 0.6);
    border-color: transparent;
    color: #fff;
  }
  .remove:hover:not(:disabled) {
    background: rgb(0 0 0 / 0.8);
    border-color: transparent;
  }
`;
