import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ApiClient } from '../api/client.js';
import { ApiError } from '../api/errors.js';
import type { Upload } from '../api/types.js';

/** One image the user gave as input: a local file being uploaded, an upload, an earlier output, or an https URL. */
export interface InputImage {
  key: string;
  name: string;
  /** What the `<img>` shows: an object URL for local files, the server or https URL otherwise. */
  previewUrl: string;
  status: 'uploading' | 'ready' | 'failed';
  /** 0–1 while uploading. */
  progress: number;
  /** What the server accepts in `input_images`: an upload id or an https URL. */
  ref?: string;
  error?: ApiError;
}

export interface InputImagesHooks {
  client(): ApiClient;
  onUpload(upload: Upload): void;
  onError(error: ApiError): void;
}

let counter = 0;

/**
 * Owns the input images: uploads files as they are added (with progress), keeps previews, and frees object URLs
 * when images are removed or the studio goes away.
 */
export class InputImagesController implements ReactiveController {
  items: InputImage[] = [];
  private readonly host: ReactiveControllerHost;
  private readonly hooks: InputImagesHooks;
  private readonly uploads = new Map<string, AbortController>();

  constructor(host: ReactiveControllerHost, hooks: InputImagesHooks) {
    this.host = host;
    this.hooks = hooks;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.clear();
  }

  get uploading(): boolean {
    return this.items.some((item) => item.status === 'uploading');
  }

  get failed(): boolean {
    return this.items.some((item) => item.status === 'failed');
  }

  refs(): string[] {
    return this.items.flatMap((item) => (item.ref ? [item.ref] : []));
  }

  /** Adds files; when the model takes one image only, a new one replaces the old. */
  addFiles(files: File[], max: number): void {
    for (const file of files) {
      const item: InputImage = { key: `img-${++counter}`, name: file.name || 'image', previewUrl: URL.createObjectURL(file), status: 'uploading', progress: 0 };
      this.push(item, max);
      void this.upload(item.key, file);
    }
  }

  /** Adds an image the server already knows (an upload id, an earlier output) or an https URL. */
  addRef(ref: string, previewUrl: string, max: number, name = ref): void {
    this.push({ key: `img-${++counter}`, name, previewUrl, status: 'ready', progress: 1, ref }, max);
  }

  remove(key: string): void {
    this.uploads.get(key)?.abort();
    const item = this.items.find((candidate) => candidate.key === key);
    if (item) this.release(item);
    this.items = this.items.filter((candidate) => candidate.key !== key);
    this.host.requestUpdate();
  }

  clear(): void {
    for (const item of [...this.items]) this.remove(item.key);
  }

  private push(item: InputImage, max: number): void {
    if (max === 1) this.clear();
    this.items = [...this.items, item];
    this.host.requestUpdate();
  }

  private patch(key: string, patch: Partial<InputImage>): void {
    this.items = this.items.map((item) => (item.key === key ? { ...item, ...patch } : item));
    this.host.requestUpdate();
  }

  private async upload(key: string, file: File): Promise<void> {
    const abort = new AbortController();
    this.uploads.set(key, abort);
    try {
      const upload = await this.hooks.client().upload(file, file.name || 'image.png', (progress) => this.patch(key, { progress }), abort.signal);
      this.patch(key, { status: 'ready', progress: 1, ref: upload.id });
      this.hooks.onUpload(upload);
    } catch (error) {
      if (abort.signal.aborted) return;
      const apiError = error instanceof ApiError ? error : new ApiError('network_error', String(error));
      this.patch(key, { status: 'failed', error: apiError });
      this.hooks.onError(apiError);
    } finally {
      this.uploads.delete(key);
    }
  }

  private release(item: InputImage): void {
    if (item.previewUrl.startsWith('blob:')) URL.revokeObjectURL(item.previewUrl);
  }
}
