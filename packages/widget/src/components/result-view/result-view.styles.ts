import { css } from 'lit';

export const resultViewStyles = css`
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
    gap: 10px;
    min-height: 28px;
  }
  h3 {
    margin: 0;
    font-size: var(--db-text-md);
    font-weight: 650;
    margin-right: auto;
  }
  h3:focus-visible {
    outline-offset: 4px;
    border-radius: 4px;
  }
  .status {
    font-size: var(--db-text-xs);
    font-weight: 600;
    padding: 2px 10px;
    border-radius: 999px;
    background: var(--db-surface-strong);
  }
  .status.completed {
    color: var(--db-success);
  }
  .status.failed {
    color: var(--db-danger);
    background: var(--db-danger-soft);
  }
  .status.processing,
  .status.pending {
    color: var(--db-accent);
    background: var(--db-accent-soft);
  }
  .elapsed {
    font-variant-numeric: tabular-nums;
    color: var(--db-muted);
    font-size: var(--db-text-xs);
    min-width: 5ch;
    text-align: right;
  }
  .empty {
    display: grid;
    place-items: center;
    min-height: 220px;
    border: 1.5px dashed var(--db-border);
    border-radius: var(--db-radius);
    color: var(--db-muted);
    text-align: center;
    padding: 16px;
  }
  .running {
    display: flex;
    flex-direction: column;
    gap: 8px;
    padding: 16px;
    border-radius: var(--db-radius);
    background: var(--db-surface);
  }
  .running-row {
    display: flex;
    align-items: center;
    justify-content: space-between;
  }
  .percent {
    font-variant-numeric: tabular-nums;
    font-weight: 600;
  }
  .bar {
    height: 8px;
    border-radius: 4px;
    background: var(--db-surface-strong);
    overflow: hidden;
  }
  .bar span {
    display: block;
    height: 100%;
    width: 0;
    background: var(--db-accent);
    border-radius: inherit;
    transition: width 200ms ease-out;
  }
  .bar.indeterminate span {
    width: 35%;
    animation: slide 1.2s ease-in-out infinite;
  }
  @keyframes slide {
    from {
      transform: translateX(-100%);
    }
    to {
      transform: translateX(300%);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .bar.indeterminate span {
      animation: none;
      width: 100%;
      opacity: 0.4;
    }
  }
  .problem {
    padding: 12px 16px;
    border-radius: var(--db-radius);
    background: var(--db-danger-soft);
    color: var(--db-fg);
    border: 1px solid color-mix(in srgb, var(--db-danger) 40%, transparent);
  }
  .problem p {
    margin: 0 0 8px;
  }
  .outputs {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 12px;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 200px), 1fr));
  }
  .outputs.single {
    grid-template-columns: 1fr;
  }
  .outputs li {
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  .thumb,
  dialog img {
    background: repeating-conic-gradient(var(--db-surface) 0 25%, var(--db-surface-strong) 0 50%) 0 0 / 16px 16px;
  }
  .thumb {
    padding: 0;
    min-height: 0;
    border-radius: var(--db-radius);
    overflow: hidden;
    display: block;
    line-height: 0;
  }
  .thumb img {
    display: block;
    width: 100%;
    max-height: 480px;
    object-fit: contain;
  }
  .outputs li {
    position: relative;
  }
  .menu {
    position: absolute;
    top: 8px;
    right: 8px;
  }
  .menu summary {
    list-style: none;
    display: grid;
    place-items: center;
    width: 36px;
    height: 36px;
    border-radius: 50%;
    background: rgb(0 0 0 / 0.6);
    color: #fff;
    font-size: 20px;
    line-height: 1;
    cursor: pointer;
  }
  .menu summary::-webkit-details-marker {
    display: none;
  }
  .menu summary:focus-visible {
    outline: 2px solid var(--db-accent);
    outline-offset: 2px;
  }
  .menu-items {
    position: absolute;
    right: 0;
    top: 42px;
    z-index: 2;
    display: flex;
    flex-direction: column;
    min-width: 200px;
    padding: 6px;
    border: 1px solid var(--db-border);
    border-radius: var(--db-radius-small);
    background: var(--db-bg);
    box-shadow: 0 8px 24px rgb(0 0 0 / 0.18);
  }
  .menu-items button {
    justify-content: flex-start;
    text-align: left;
  }
  .session h4 {
    margin: 8px 0;
    font-size: var(--db-text-sm);
  }
  .session ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    gap: 8px;
    overflow-x: auto;
  }
  .session button {
    padding: 0;
    width: 64px;
    height: 64px;
    overflow: hidden;
  }
  .session button[aria-current='true'] {
    outline: 2px solid var(--db-accent);
    outline-offset: 1px;
  }
  .session img {
    width: 100%;
    height: 100%;
    object-fit: cover;
  }
  .canceled {
    background: var(--db-surface);
    border-color: var(--db-border);
  }
  /* as wide as the image is shown (not the dialog), so the original on top and the slider below line up with it */
  .frame {
    width: fit-content;
    max-width: 100%;
    margin: 0 auto;
  }
  /* the image's height limit below leaves room for the slider and the buttons; the stage is no shorter, so an
     unzoomed image is never cut off and the original laid over it has exactly its box */
  .stage {
    position: relative;
    overflow: auto;
    max-height: calc(96vh - 130px);
  }
  .stage img {
    cursor: zoom-in;
  }
  .stage.zoomed img {
    max-width: none;
    max-height: none;
    cursor: zoom-out;
  }
  .stage .before {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    clip-path: inset(0 calc(100% - var(--split)) 0 0);
    pointer-events: none;
  }
  /* input.divider: outranks the shared input[type='range'] { width: auto } that left it at the browser's ~130 px;
     no side margins (Chromium gives range inputs 2 px), so its ends are the image's edges */
  input.divider {
    display: block;
    width: 100%;
    margin: 8px 0 0;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 12px;
    color: var(--db-muted);
    font-size: var(--db-text-xs);
  }
  .model {
    font-weight: 600;
    color: var(--db-fg);
  }
  /* takes what the buttons leave and ends in an ellipsis, so model, prompt, star and buttons share one line */
  .prompt {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    max-width: 100%;
    min-width: 0;
    flex: 1 1 40px;
  }
  .reuse {
    margin-left: auto;
  }
  dialog {
    border: 0;
    padding: 12px;
    border-radius: var(--db-radius);
    background: var(--db-bg);
    color: var(--db-fg);
    max-width: min(96vw, 1200px);
    max-height: 96vh;
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.7);
  }
  dialog img {
    display: block;
    max-width: 100%;
    max-height: calc(96vh - 130px);
    margin: 0 auto;
    object-fit: contain;
  }
  .viewer-actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: 8px;
    margin-top: 12px;
  }
`;
