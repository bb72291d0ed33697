import { css } from 'lit';

export const maskPainterStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  .head {
    display: flex;
    flex-direction: column;
    gap: 2px;
  }
  .tools {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
  }
  .modes {
    display: inline-flex;
    gap: 4px;
  }
  button[aria-pressed='true'] {
    background: var(--db-accent-soft);
    border-color: var(--db-accent);
    color: var(--db-fg);
  }
  .brush {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    font-weight: 500;
    font-size: var(--db-text-xs);
  }
  output {
    min-width: 2.5ch;
    font-variant-numeric: tabular-nums;
    color: var(--db-muted);
  }
  .stage {
    position: relative;
    border-radius: var(--db-radius-small);
    overflow: hidden;
    background: var(--db-surface);
    line-height: 0;
  }
  img {
    display: block;
    width: 100%;
    height: auto;
    user-select: none;
  }
  canvas {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    opacity: 0.55;
    cursor: crosshair;
    touch-action: none;
  }
  canvas:focus-visible {
    outline: 3px solid var(--db-accent);
    outline-offset: -3px;
  }
  .cursor {
    position: absolute;
    transform: translate(-50%, -50%);
    border: 2px solid #fff;
    box-shadow: 0 0 0 1px #000;
    border-radius: 50%;
    pointer-events: none;
  }
  canvas:not(:focus-visible) + .cursor {
    display: none;
  }

  @container dotbase (max-width: 480px) {
    .tools {
      flex-wrap: nowrap;
      gap: 6px;
    }
    .brush input {
      width: 100%;
      min-width: 48px;
    }
    .brush {
      flex: 1;
      min-width: 0;
    }
    .brush-text {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
    }
  }
`;
