import sharp from 'sharp';
import type { ImageRef } from '../catalog/types.js';

/** An image input that cannot be read; the prediction fails with this message, as Replicate's models do. */
export class ImageInputError extends Error {
  override name = 'ImageInputError';
  constructor(field: string, reason: string) {
    super(`Could not read input image "${field}": ${reason}`);
  }
}

export interface LoadedImage {
  bytes: Buffer;
  width: number;
  height: number;
  hasAlpha: boolean;
}

export interface ImageLoaderOptions {
  /** Answers the simulator's own URLs (uploaded files, outputs) without HTTP; undefined when not its own. */
  resolveLocal(url: URL): Promise<Buffer | 'missing' | undefined>;
  fetchTimeoutMs: number;
  maxBytes: number;
}

function fromDataUrl(field: string, url: string): Buffer {
  const comma = url.indexOf(',');
  if (comma === -1) throw new ImageInputError(field, 'malformed data URL');
  const header = url.slice(5, comma);
  const payload = url.slice(comma + 1);
  return header.endsWith(';base64') ? Buffer.from(payload, 'base64') : Buffer.from(decodeURIComponent(payload), 'latin1');
}

async function download(field: string, url: URL, options: ImageLoaderOptions): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(options.fetchTimeoutMs), redirect: 'follow' });
  } catch (error) {
    throw new ImageInputError(field, `download from ${url.href} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ImageInputError(field, `download from ${url.href} answered HTTP ${response.status}`);
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.byteLength > options.maxBytes) throw new ImageInputError(field, `larger than ${options.maxBytes} bytes`);
  return bytes;
}

/** Reads an image input: a data URL, one of the simulator's own URLs, or an http(s) URL; checks it decodes. */
export async function loadImage(ref: ImageRef, options: ImageLoaderOptions): Promise<LoadedImage> {
  let bytes: Buffer;
  if (ref.url.startsWith('data:')) {
    bytes = fromDataUrl(ref.field, ref.url);
  } else {
    let url: URL;
    try {
      url = new URL(ref.url);
    } catch {
      throw new ImageInputError(ref.field, `not a URL: ${ref.url.slice(0, 80)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ImageInputError(ref.field, `unsupported URL scheme ${url.protocol}`);
    }
    const local = await options.resolveLocal(url);
    if (local === 'missing') throw new ImageInputError(ref.field, `${url.href} was not found (expired or never uploaded)`);
    bytes = local ?? (await download(ref.field, url, options));
  }
  try {
    const meta = await sharp(bytes).metadata();
    return { bytes, width: meta.width, height: meta.height, hasAlpha: meta.hasAlpha };
  } catch {
    throw new ImageInputError(ref.field, 'cannot identify image file');
  }
}
