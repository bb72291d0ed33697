/**
 * Rendered pictures by key, least recently used dropped first past `maxBytes`. Generated pictures are deterministic,
 * so a dropped one is simply rendered again; concurrent reads of one key share one render.
 */
export class RenderCache {
  readonly #entries = new Map<string, { bytes: Promise<Buffer>; size: number }>();
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  get(key: string, render: () => Promise<Buffer>): Promise<Buffer> {
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.bytes;
    }
    const entry = { bytes: render(), size: 0 };
    this.#entries.set(key, entry);
    entry.bytes.then(
      (bytes) => {
        if (this.#entries.get(key) !== entry) return;
        entry.size = bytes.byteLength;
        this.#bytes += entry.size;
        this.#evict();
      },
      () => this.#entries.get(key) === entry && this.#entries.delete(key),
    );
    return entry.bytes;
  }

  #evict(): void {
    for (const [key, entry] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) return;
      this.#entries.delete(key);
      this.#bytes -= entry.size;
    }
  }
}
