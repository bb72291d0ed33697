/** A stored file: bytes now, or a renderer that makes them on first read (generated pictures are rendered lazily). */
export interface StoredBlob {
  contentType: string;
  expiresAt: number;
  bytes?: Buffer;
  render?: () => Promise<Buffer>;
}

/**
 * In-memory files with an expiry, used for prediction outputs. Reads after expiry find nothing. Memory stays bounded:
 * `sweep` drops expired entries, and past `maxBytes` the oldest stored bytes are dropped early.
 */
export class BlobStore {
  readonly #blobs = new Map<string, StoredBlob>();
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  put(key: string, blob: StoredBlob): void {
    this.delete(key);
    this.#blobs.set(key, blob);
    this.#bytes += blob.bytes?.byteLength ?? 0;
    for (const [oldKey, old] of this.#blobs) {
      if (this.#bytes <= this.#maxBytes) break;
      if (old.bytes && oldKey !== key) this.delete(oldKey);
    }
  }

  async read(key: string, now: number): Promise<{ bytes: Buffer; contentType: string } | undefined> {
    const blob = this.#blobs.get(key);
    if (!blob) return undefined;
    if (now >= blob.expiresAt) {
      this.delete(key);
      return undefined;
    }
    const bytes = blob.bytes ?? (await blob.render!());
    return { bytes, contentType: blob.contentType };
  }

  delete(key: string): void {
    const blob = this.#blobs.get(key);
    if (!blob) return;
    this.#bytes -= blob.bytes?.byteLength ?? 0;
    this.#blobs.delete(key);
  }

  sweep(now: number): void {
    for (const [key, blob] of this.#blobs) {
      if (now >= blob.expiresAt) this.delete(key);
    }
  }
}
