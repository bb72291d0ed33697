import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ApiClient } from '../api/client.js';
import { ApiError } from '../api/errors.js';
import { sniffImage } from '../api/sniff.js';
import type { Upload } from '../api/types.js';

/** One image the user gave as input: a local file being uploaded, an upload, an earlier output, or an https URL. */
export interface InputImage {
  key: string;
  name: string;
  /** What the `<img>` shows: an object URL for local files, the server or https URL otherwise. */
  previewUrl: string;
  status: 'uploading' | 'ready';
  /** 0–1 while uploading. */
  progress: number;
  /** What the server accepts in `input_images`: an upload id or an https URL. */
  ref?: string;
}

/** Why a file was not taken or did not upload: shown beside the drop area, in the user's language. */
export interface ImageProblem {
  /** An error code: the server's, or `not_an_image` / `file_too_large` from the checks made before sending. */
  code: string;
  message: string;
  /** The file it is about. */
  name: string;
}

export interface InputImagesHooks {
  client(): ApiClient;
  onUpload(upload: Upload): void;
  onError(error: ApiError): void;
  /** The server's published upload limit in bytes, when known: bigger files are refused before sending. */
  maxBytes(): number | undefined;
}

let counter = 0;

/**
 * Owns the input images: uploads files as they are added (with progress), keeps previews, and frees object URLs
 * when images are removed or the studio goes away.
 */
export class InputImagesController implements ReactiveController {
  items: InputImage[] = [];
  /** The last file refused or failed; cleared when images are added or removed. */
  problem: ImageProblem | null = null;
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

  refs(): string[] {
    return this.items.flatMap((item) => (item.ref ? [item.ref] : []));
  }

  /**
   * Adds files; when the model takes one image only, a new one replaces the old. Each is checked first as the
   * server will (type by its first bytes, size against the published limit), so a PDF or a 36 MB photo is refused
   * at once with a clear reason instead of a broken tile after a long upload.
   */
  async addFiles(files: File[], max: number): Promise<void> {
    this.problem = null;
    this.host.requestUpdate();
    const limit = this.hooks.maxBytes();
    for (const file of files) {
      const name = file.name || 'image';
      if (limit !== undefined && file.size > limit) {
        this.refuse({ code: 'file_too_large', message: `${name}: ${file.size} bytes, over ${limit}`, name });
        continue;
      }
      if (!(await sniffImage(file))) {
        this.refuse({ code: 'not_an_image', message: `${name} is not a PNG, JPEG, WebP or GIF`, name });
        continue;
      }
      const item: InputImage = { key: `img-${++counter}`, name, previewUrl: URL.createObjectURL(file), status: 'uploading', progress: 0 };
      this.push(item, max);
      void this.upload(item.key, file);
    }
  }

  /** Adds an image the server already knows (an upload id, an earlier output) or an https URL. */
  addRef(ref: string, previewUrl: string, max: number, name = ref): void {
    this.push({ key: `img-${++counter}`, name, previewUrl, status: 'ready', progress: 1, ref }, max);
  }

  remove(key: string, keepProblem = false): void {
    if (!keepProblem) this.problem = null;
    this.uploads.get(key)?.abort();
    const item = this.items.find((candidate) => candidate.key === key);
    if (item) this.release(item);
    this.items = this.items.filter((candidate) => candidate.key !== key);
    this.host.requestUpdate();
  }

  clear(): void {
    for (const item of [...this.items]) this.remove(item.key);
  }

  private refuse(problem: ImageProblem): void {
    this.problem = problem;
    this.hooks.onError(new ApiError(problem.code, problem.message));
    this.host.requestUpdate();
  }

  private push(item: InputImage, max: number): void {
    this.problem = null;
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
      // A failed tile helps nobody: it goes, and the reason stays beside the drop area.
      const name = this.items.find((item) => item.key === key)?.name ?? file.name;
      this.remove(key, true);
      this.problem = { code: apiError.code, message: apiError.message, name };
      this.hooks.onError(apiError);
      this.host.requestUpdate();
    } finally {
      this.uploads.delete(key);
    }
  }

  private release(item: InputImage): void {
    if (item.previewUrl.startsWith('blob:')) URL.revokeObjectURL(item.previewUrl);
  }
}
