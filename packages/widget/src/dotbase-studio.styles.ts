import { css } from 'lit';

export const studioStyles = css`
  :host {
    display: block;
    container: dotbase / inline-size;
    min-width: 0;
  }
  .shell {
    position: relative;
    display: flex;
    flex-direction: column;
    gap: var(--db-gap);
    padding: 20px;
    background: var(--db-bg);
    color: var(--db-fg);
    border: 1px solid var(--db-border);
    border-radius: calc(var(--db-radius) + 4px);
  }
  header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    flex-wrap: wrap;
    gap: 8px 16px;
  }
  h2 {
    display: inline-flex;
    align-items: center;
    gap: 8px;
    margin: 0;
    font-size: var(--db-text-lg);
    font-weight: 700;
    letter-spacing: -0.01em;
  }
  h2 svg {
    fill: var(--db-accent);
  }
  .views {
    display: inline-flex;
    gap: 2px;
    padding: 3px;
    border-radius: var(--db-radius-small);
    background: var(--db-surface);
  }
  .views button {
    border-color: transparent;
    background: transparent;
    color: var(--db-muted);
  }
  .views button[aria-pressed='true'] {
    background: var(--db-bg);
    color: var(--db-fg);
    border-color: var(--db-border);
  }
  .notice {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 8px;
    margin: 0;
    padding: 10px 14px;
    border-radius: var(--db-radius-small);
    background: var(--db-notice);
    color: var(--db-on-notice);
    font-size: var(--db-text-sm);
  }
  .notice.error {
    background: var(--db-danger-soft);
    color: var(--db-fg);
  }
  .sign-in {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 10px;
    padding: 20px;
    border: 1px solid var(--db-border);
    border-radius: var(--db-radius);
    background: var(--db-surface);
  }
  .sign-in h3 {
    margin: 0;
    font-size: var(--db-text-md);
  }
  .sign-in p {
    margin: 0;
    max-width: 60ch;
    line-height: 1.5;
  }
  .sign-in-problem:empty {
    display: none;
  }
  .account {
    display: inline-flex;
    align-items: center;
    gap: 8px;
    margin-left: auto;
    font-size: var(--db-text-sm);
    color: var(--db-muted);
  }
  .workspace {
    display: grid;
    gap: calc(var(--db-gap) * 1.5);
  }
  .compose {
    display: flex;
    flex-direction: column;
    gap: 20px;
    min-width: 0;
  }
  .prompt {
    display: flex;
    flex-direction: column;
    gap: 6px;
  }
  textarea {
    resize: vertical;
    min-height: 84px;
    line-height: 1.45;
  }
  .submit-row {
    display: flex;
    align-items: center;
    justify-content: flex-end;
    flex-wrap: wrap;
    gap: 12px;
  }
  .form-problem {
    margin: 0 auto 0 0;
    color: var(--db-danger);
    font-size: var(--db-text-sm);
  }
  .form-problem:empty,
  .field-problem:empty {
    display: none;
  }
  .field-problem {
    margin: 0;
  }
  .submit {
    min-height: 44px;
    padding: 0 28px;
    font-size: var(--db-text-md);
  }
  .result {
    min-width: 0;
  }
  @container dotbase (min-width: 760px) {
    .workspace {
      grid-template-columns: minmax(0, 1.15fr) minmax(0, 1fr);
      align-items: start;
    }
    .result {
      position: sticky;
      top: 16px;
    }
  }
  @container dotbase (max-width: 480px) {
    .shell {
      padding: 12px;
      border-radius: var(--db-radius);
    }
    .submit {
      flex: 1;
    }
    /* The main button stays in reach while the settings scroll by. */
    .submit-row {
      position: sticky;
      bottom: 0;
      z-index: 1;
      margin: 0 -12px -12px;
      padding: 10px 12px 12px;
      background: var(--db-bg);
      border-top: 1px solid var(--db-border);
    }
  }
`;
