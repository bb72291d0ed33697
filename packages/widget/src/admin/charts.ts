import { svg, type SVGTemplateResult } from 'lit';
import type { GenerationStatus } from '../api/types.js';
import type { Activity, StatusCounts } from './api.js';

/** Bottom to top in a stacked bar: finished work first, then what is still running. */
export const STACK_ORDER: readonly GenerationStatus[] = ['completed', 'failed', 'canceled', 'processing', 'pending'];

export interface Slot {
  start: number;
  counts: StatusCounts;
  total: number;
}

/** One slot per bucket from the one holding `since` to the one holding `now`: empty hours are drawn too. */
export function slotsOf(activity: Activity): Slot[] {
  const byStart = new Map(activity.series.map((point) => [point.start, point.counts]));
  const first = Math.floor(activity.since / activity.bucket_ms);
  const last = Math.floor(activity.now / activity.bucket_ms);
  const slots: Slot[] = [];
  for (let bucket = first; bucket <= last; bucket++) {
    const start = bucket * activity.bucket_ms;
    const counts = byStart.get(start) ?? {};
    slots.push({ start, counts, total: Object.values(counts).reduce((sum, count) => sum + (count ?? 0), 0) });
  }
  return slots;
}

const WIDTH = 720;
const HEIGHT = 140;
const AXIS = 2;

/** Where to label the time axis: every `every`-th slot and the last, as a percentage of the width. */
export function ticksOf(slots: readonly Slot[], every = 6): Array<{ start: number; at: number }> {
  return slots.flatMap((slot, i) => (i % every === 0 || i === slots.length - 1 ? [{ start: slot.start, at: ((i + 0.5) / slots.length) * 100 }] : []));
}

/**
 * Stacked bars, one per hour, as inline SVG (stretched to the card's width; the labels are HTML beside it, so the
 * stretching never distorts text): a few dozen rects need no chart library. Each bar has a `<title>` for
 * pointer users; the chart's `aria-label` (set by the caller) summarises it for screen readers.
 */
export function stackedBars(slots: readonly Slot[], label: (slot: Slot) => string): SVGTemplateResult {
  const max = Math.max(1, ...slots.map((slot) => slot.total));
  const step = WIDTH / Math.max(1, slots.length);
  const barWidth = Math.max(2, step * 0.72);
  const plot = HEIGHT - AXIS;
  return svg`<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" preserveAspectRatio="none" class="bars">
    <line x1="0" x2=${WIDTH} y1=${plot + 0.5} y2=${plot + 0.5} class="axis"></line>
    ${slots.map((slot, i) => {
      let y = plot;
      const x = i * step + (step - barWidth) / 2;
      return svg`<g data-start=${slot.start} data-total=${slot.total}>
        <title>${label(slot)}</title>
        <rect x=${i * step} y="0" width=${step} height=${plot} class="hit"></rect>
        ${STACK_ORDER.map((status) => {
          const count = slot.counts[status] ?? 0;
          if (count === 0) return null;
          const height = (count / max) * (plot - 4);
          y -= height;
          return svg`<rect x=${x} y=${y} width=${barWidth} height=${height} class="s-${status}" data-status=${status}></rect>`;
        })}
      </g>`;
    })}
  </svg>`;
}

/** A horizontal bar for a table cell, `value` out of `max`. */
export function meter(value: number, max: number, status?: GenerationStatus): SVGTemplateResult {
  const width = max > 0 ? Math.max(value > 0 ? 2 : 0, (value / max) * 100) : 0;
  return svg`<svg viewBox="0 0 100 8" preserveAspectRatio="none" class="meter" aria-hidden="true">
    <rect x="0" y="0" width="100" height="8" rx="4" class="track"></rect>
    <rect x="0" y="0" width=${width} height="8" rx="4" class=${status ? `s-${status}` : 'fill'}></rect>
  </svg>`;
}
