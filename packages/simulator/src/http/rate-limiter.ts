/**
 * Fixed-window request limits per key (token + bucket), like Replicate's per-account limits: a burst up to
 * `limit` is allowed, then requests are refused until the window resets.
 */
export class RateLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();
  readonly #limit: number;
  readonly #windowMs: number;

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Counts a request; answers undefined when allowed, else the whole seconds until the window resets (≥ 1). */
  take(key: string, now: number): number | undefined {
    let window = this.#windows.get(key);
    if (!window || now >= window.start + this.#windowMs) {
      window = { start: now, count: 0 };
      this.#windows.set(key, window);
    }
    if (window.count < this.#limit) {
      window.count++;
      return undefined;
    }
    return Math.max(1, Math.ceil((window.start + this.#windowMs - now) / 1000));
  }
}
