import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/**
 * A concurrency limit that follows the event loop (additive increase, multiplicative decrease, as TCP does with its
 * window). All of a server's work runs on one event loop; when more is admitted than the CPU can do, each turn of
 * the loop takes longer and every timer, request and response waits for it. So the event-loop delay measures
 * overload directly, whatever a generation costs and however long Replicate takes: each `intervalMs` the mean
 * wait for the loop (see meanWaitMs) is compared with `targetLagMs`; above it the limit drops to 70 % of what is in flight (at once, not one
 * step at a time: under overload every interval counts), below it the limit grows by 10 % while it is being
 * reached. It never leaves [min, max].
 *
 * `update` is called on each admission, so nothing runs while no generations are being created.
 *
 * @example
 * const limit = createLagLimit({ max: 1000, min: 8, targetLagMs: 50 });
 * queue.setLimit(limit.update(queue.stats().inFlight, Date.now()));
 */
export interface LagLimitOptions {
  max: number;
  min: number;
  /** Mean wait for the event loop (see meanWaitMs) above which the limit comes down, in ms. */
  targetLagMs: number;
  /** How often the limit is reconsidered (default 250 ms). */
  intervalMs?: number;
  /** The mean wait for the event loop since the previous call, in ms (default: from perf_hooks' monitor). For tests. */
  sampleLagMs?: () => number;
}

const RESOLUTION_MS = 10;

/**
 * How long something arriving at a random moment waits for the event loop, on average, from the monitor's samples:
 * a sample of delay d stands for a stretch of d + resolution during which an arrival waits d/2 on average, so the
 * mean wait is Σd² / 2Σ(d + resolution) — from the histogram's mean and deviation. Unlike the plain mean of the
 * samples, it is not diluted by the many short samples of an idle stretch: a loop that is stuck for 400 ms once a
 * second makes requests wait ~80 ms, however quick its other turns are.
 */
export function meanWaitMs(histogram: { mean: number; stddev: number }): number {
  // the histogram counts in ns, and each sample includes the resolution the monitor sleeps for
  const sampleMs = histogram.mean / 1e6;
  const delayMs = Math.max(0, sampleMs - RESOLUTION_MS);
  const deviationMs = histogram.stddev / 1e6;
  return sampleMs > 0 ? (deviationMs ** 2 + delayMs ** 2) / (2 * sampleMs) : 0;
}

function eventLoopSampler(): { sample: () => number; stop: () => void } {
  let histogram: IntervalHistogram | undefined;
  return {
    sample() {
      if (!histogram) {
        histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
        histogram.enable();
        return 0;
      }
      const wait = histogram.count > 0 ? meanWaitMs(histogram) : 0;
      histogram.reset();
      return wait;
    },
    stop: () => histogram?.disable(),
  };
}

export function createLagLimit(options: LagLimitOptions) {
  const intervalMs = options.intervalMs ?? 250;
  const min = Math.min(options.min, options.max);
  const sampler = options.sampleLagMs ? { sample: options.sampleLagMs, stop: () => undefined } : eventLoopSampler();
  let limit = options.max;
  let lastAt: number | undefined;
  let reached = false;
  let lastLagMs = 0;

  return {
    /** The limit to apply now, given what is in flight; `now` in ms. */
    update(inFlight: number, now: number): number {
      if (inFlight >= limit) reached = true;
      if (lastAt === undefined) {
        lastAt = now;
        sampler.sample();
        return limit;
      }
      if (now - lastAt < intervalMs) return limit;
      lastAt = now;
      lastLagMs = sampler.sample();
      if (lastLagMs > options.targetLagMs) {
        limit = Math.max(min, Math.floor(Math.min(limit, inFlight) * 0.7));
      } else if (reached) {
        limit = Math.min(options.max, limit + Math.max(1, Math.ceil(limit * 0.1)));
      }
      reached = false;
      return limit;
    },
    get limit(): number {
      return limit;
    },
    /** The mean wait for the event loop in the last interval, in ms. */
    get lagMs(): number {
      return lastLagMs;
    },
    stop: sampler.stop,
  };
}
