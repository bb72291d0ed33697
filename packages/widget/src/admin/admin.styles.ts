import { css } from 'lit';

export const adminStyles = css`
  :host {
    display: block;
    min-width: 0;
    color: var(--db-fg);
    font-family: var(--db-font);
  }
  .admin {
    display: grid;
    gap: var(--db-gap);
  }
  header {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px 12px;
  }
  h2 {
    margin: 0;
    font-size: var(--db-text-lg);
  }
  header .hint {
    flex: 1;
  }
  h3 {
    margin: 0 0 10px;
    font-size: var(--db-text-md);
  }
  .notice {
    margin: 0;
    padding: 10px 14px;
    border-radius: var(--db-radius-small);
    background: var(--db-notice);
    color: var(--db-on-notice);
  }
  .notice.error {
    background: var(--db-danger-soft);
    color: var(--db-danger);
  }
  .tiles {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(130px, 1fr));
    gap: 10px;
    margin: 0;
  }
  .tile {
    padding: 12px 14px;
    border-radius: var(--db-radius-small);
    background: var(--db-surface);
  }
  .tile dt {
    color: var(--db-muted);
    font-size: var(--db-text-xs);
  }
  .tile dd {
    margin: 4px 0 0;
    font-size: 1.4rem;
    font-weight: 650;
    font-variant-numeric: tabular-nums;
  }
  .tile .note {
    font-size: var(--db-text-xs);
    font-weight: 400;
    color: var(--db-muted);
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(2, minmax(0, 1fr));
    gap: var(--db-gap);
  }
  .card {
    min-width: 0;
    padding: 14px 16px;
    border: 1px solid var(--db-border);
    border-radius: var(--db-radius);
    background: var(--db-bg);
  }
  .card.wide {
    grid-column: 1 / -1;
  }
  @media (max-width: 720px) {
    .grid {
      grid-template-columns: minmax(0, 1fr);
    }
  }
  .chart {
    position: relative;
    padding-top: 18px;
  }
  .chart svg.bars {
    display: block;
    width: 100%;
    height: 140px;
  }
  .peak {
    position: absolute;
    top: 0;
    left: 0;
    font-size: var(--db-text-xs);
    color: var(--db-muted);
  }
  .ticks {
    position: relative;
    height: 1.4em;
    margin-top: 4px;
    font-size: var(--db-text-xs);
    color: var(--db-muted);
  }
  .ticks span {
    position: absolute;
    transform: translateX(-50%);
    white-space: nowrap;
  }
  .ticks span:first-child {
    transform: none;
  }
  .ticks span:last-child {
    transform: translateX(-100%);
  }
  .axis {
    stroke: var(--db-border);
  }
  .hit {
    fill: transparent;
  }
  g:hover .hit {
    fill: var(--db-surface);
  }
  .s-completed {
    fill: var(--db-success);
    background: var(--db-success);
  }
  .s-failed {
    fill: var(--db-danger);
    background: var(--db-danger);
  }
  .s-canceled {
    fill: var(--db-muted);
    background: var(--db-muted);
  }
  .s-processing,
  .s-pending {
    fill: var(--db-accent);
    background: var(--db-accent);
  }
  .s-pending {
    opacity: 0.55;
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: 6px 14px;
    margin: 8px 0 0;
    padding: 0;
    list-style: none;
    font-size: var(--db-text-xs);
    color: var(--db-muted);
  }
  .swatch {
    display: inline-block;
    width: 10px;
    height: 10px;
    margin-right: 6px;
    border-radius: 3px;
    vertical-align: -1px;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: var(--db-text-sm);
  }
  th,
  td {
    padding: 6px 8px;
    border-bottom: 1px solid var(--db-border);
    text-align: left;
    vertical-align: middle;
  }
  thead th {
    color: var(--db-muted);
    font-weight: 500;
    font-size: var(--db-text-xs);
  }
  tbody th {
    font-weight: 400;
  }
  .num {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  td.num .count {
    display: inline-block;
    min-width: 2.5em;
  }
  .nowrap {
    white-space: nowrap;
  }
  .scroll {
    overflow-x: auto;
    /* a wide table scrolls inside its card: its width must not become the page's minimum width */
    contain: inline-size;
    /* and the containing block of the visually hidden header text inside, which would otherwise escape the clip */
    position: relative;
  }
  code {
    font-size: var(--db-text-xs);
  }
  .error-cell {
    max-width: 340px;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    color: var(--db-muted);
  }
  .meter {
    display: inline-block;
    width: 64px;
    height: 8px;
    margin-left: 8px;
    vertical-align: middle;
  }
  .meter .track {
    fill: var(--db-surface-strong);
  }
  .meter .fill {
    fill: var(--db-accent);
  }
  .status {
    background: none;
  }
  .status.s-completed {
    color: var(--db-success);
  }
  .status.s-failed {
    color: var(--db-danger);
  }
  .status.s-canceled {
    color: var(--db-muted);
  }
  .status.s-processing,
  .status.s-pending {
    color: var(--db-accent);
  }
  .badge {
    display: inline-block;
    padding: 2px 8px;
    border-radius: 999px;
    font-size: var(--db-text-xs);
    background: var(--db-surface-strong);
    white-space: nowrap;
  }
  .t-ready {
    background: color-mix(in srgb, var(--db-success) 16%, transparent);
    color: var(--db-success);
  }
  .t-busy {
    background: var(--db-accent-soft);
    color: var(--db-accent);
  }
  .t-cooling {
    background: var(--db-notice);
    color: var(--db-on-notice);
  }
  .t-disabled {
    background: var(--db-danger-soft);
    color: var(--db-danger);
  }
  .reasons {
    display: grid;
    gap: 8px;
    margin: 0;
    padding: 0;
    list-style: none;
    font-size: var(--db-text-sm);
  }
  .reasons li {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto 64px;
    align-items: center;
    gap: 8px;
  }
  .reason {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .reasons .meter {
    margin: 0;
  }
`;
