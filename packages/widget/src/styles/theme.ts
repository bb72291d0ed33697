import { css } from 'lit';

/**
 * Design tokens. Public knobs are the `--dotbase-*` custom properties; components read the resolved `--db-*`
 * values, which inherit into every nested shadow root.
 */
const light = css`
  --db-bg: var(--dotbase-bg, #ffffff);
  --db-surface: var(--dotbase-surface, #f4f5f8);
  --db-surface-strong: var(--dotbase-surface-strong, #e8eaf0);
  --db-fg: var(--dotbase-fg, #171a21);
  --db-muted: var(--dotbase-muted, #596172);
  --db-border: var(--dotbase-border, #d5d9e1);
  --db-accent: var(--dotbase-accent, #4f46e5);
  --db-on-accent: var(--dotbase-on-accent, #ffffff);
  --db-accent-soft: var(--dotbase-accent-soft, #eef0ff);
  --db-danger: var(--dotbase-danger, #b42318);
  --db-danger-soft: var(--dotbase-danger-soft, #fdecea);
  --db-success: var(--dotbase-success, #067647);
  --db-notice: var(--dotbase-notice, #fff6dc);
  --db-on-notice: var(--dotbase-on-notice, #5c4300);
  color-scheme: light;
`;

const dark = css`
  --db-bg: var(--dotbase-bg, #14161b);
  --db-surface: var(--dotbase-surface, #1d2027);
  --db-surface-strong: var(--dotbase-surface-strong, #2a2e37);
  --db-fg: var(--dotbase-fg, #eceef3);
  --db-muted: var(--dotbase-muted, #a4abb9);
  --db-border: var(--dotbase-border, #363b46);
  --db-accent: var(--dotbase-accent, #a5a0ff);
  --db-on-accent: var(--dotbase-on-accent, #15123d);
  --db-accent-soft: var(--dotbase-accent-soft, #272545);
  --db-danger: var(--dotbase-danger, #ff8a80);
  --db-danger-soft: var(--dotbase-danger-soft, #3a1d1b);
  --db-success: var(--dotbase-success, #6ee7a8);
  --db-notice: var(--dotbase-notice, #3a3019);
  --db-on-notice: var(--dotbase-on-notice, #ffe5a3);
  color-scheme: dark;
`;

export const themeTokens = css`
  :host {
    ${light}
    --db-font: var(--dotbase-font-family, ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --db-radius: var(--dotbase-radius, 12px);
    --db-radius-small: calc(var(--db-radius) * 0.6);
    --db-gap: var(--dotbase-spacing, 16px);
    --db-text-xs: 0.75rem;
    --db-text-sm: 0.875rem;
    --db-text-md: 1rem;
    --db-text-lg: 1.25rem;
  }
  :host([theme='dark']) {
    ${dark}
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light']):not([theme='dark'])) {
      ${dark}
    }
  }
`;
