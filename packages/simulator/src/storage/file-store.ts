import { createHash, randomBytes } from 'node:crypto';

/** Replicate keeps uploaded files for 24 hours. */
export const FILE_TTL_MS = 24 * 60 * 60 * 1000;

export interface UploadedFile {
  id: string;
  token: string;
  name: string;
  contentType: string;
  metadata: Record<string, unknown>;
  bytes: Buffer;
  sha256: string;
  md5: string;
  createdAt: number;
  expiresAt: number;
}

/** Replicate's file object, as `POST /files` and `GET /files/{id}` answer it. */
export interface FileJson {
  id: string;
  name: string;
  content_type: string;
  size: number;
  etag: string;
  checksums: { sha256: string; md5: string };
  metadata: Record<string, unknown>;
  created_at: string;
  expires_at: string;
  urls: { get: string };
}

export function toFileJson(file: UploadedFile, apiBase: string): FileJson {
  return {
    id: file.id,
    name: file.name,
    content_type: file.contentType,
    size: file.bytes.byteLength,
    etag: file.md5,
    checksums: { sha256: file.sha256, md5: file.md5 },
    metadata: file.metadata,
    created_at: new Date(file.createdAt).toISOString(),
    expires_at: new Date(file.expiresAt).toISOString(),
    urls: { get: `${apiBase}/files/${file.id}` },
  };
}

/** Uploaded files, scoped to the token that uploaded them (listing, reading metadata, deleting). */
export class FileStore {
  readonly #files = new Map<string, UploadedFile>();

  create(token: string, upload: { name: string; contentType: string; metadata: Record<string, unknown>; bytes: Buffer }, now: number): UploadedFile {
    const file: UploadedFile = {
      id: randomBytes(12).toString('hex'),
      token,
      ...upload,
      sha256: createHash('sha256').update(upload.bytes).digest('hex'),
      md5: createHash('md5').update(upload.bytes).digest('hex'),
      createdAt: now,
      expiresAt: now + FILE_TTL_MS,
    };
    this.#files.set(file.id, file);
    return file;
  }

  /** Any token's file, for resolving a file URL given as a model input. */
  get(id: string, now: number): UploadedFile | undefined {
    const file = this.#files.get(id);
    return file && now < file.expiresAt ? file : undefined;
  }

  getFor(token: string, id: string, now: number): UploadedFile | undefined {
    const file = this.get(id, now);
    return file?.token === token ? file : undefined;
  }

  listFor(token: string, now: number): UploadedFile[] {
    return [...this.#files.values()].filter((file) => file.token === token && now < file.expiresAt).reverse();
  }

  delete(id: string): void {
    this.#files.delete(id);
  }

  sweep(now: number): void {
    for (const [id, file] of this.#files) if (now >= file.expiresAt) this.#files.delete(id);
  }
}
