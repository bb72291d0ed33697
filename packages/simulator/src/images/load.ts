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

/**
 * Fetches one image input under a byte cap and a timeout; throws with a message fit to show the prediction's owner
 * (it becomes the prediction's error), or answers `status` for a non-2xx answer.
 */
export type ImageFetch = (url: URL, limits: { maxBytes: number; timeoutMs: number }) => Promise<{ status: number; bytes: Uint8Array }>;

export interface ImageLoaderOptions {
  /** See `SimulatorOptions.fetchImage`. */
  fetchImage?: ImageFetch;
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

/** The default input fetch: no redirects followed (each would need checking), the body streamed under the cap. */
const defaultFetchImage: ImageFetch = async (url, limits) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(limits.timeoutMs), redirect: 'manual' });
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    return { status: response.status, bytes: new Uint8Array() };
  }
  if (Number(response.headers.get('content-length') ?? 0) > limits.maxBytes) {
    await response.body.cancel();
    throw new Error(`larger than ${limits.maxBytes} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    total += next.value.byteLength;
    if (total > limits.maxBytes) {
      await reader.cancel();
      throw new Error(`larger than ${limits.maxBytes} bytes`);
    }
    chunks.push(next.value);
  }
  return { status: response.status, bytes: Buffer.concat(chunks, total) };
};

async function download(field: string, url: URL, options: ImageLoaderOptions): Promise<Buffer> {
  let answer: { status: number; bytes: Uint8Array };
  try {
    answer = await (options.fetchImage ?? defaultFetchImage)(url, { maxBytes: options.maxBytes, timeoutMs: options.fetchTimeoutMs });
  } catch (error) {
    // the cause (refused, reset, timed out, an internal address) would tell a prober what listens where: only a
    // size verdict, which says nothing about the network, is passed on
    const tooLarge = error instanceof Error && /larger than \d+ bytes/.exec(error.message);
    throw new ImageInputError(field, tooLarge ? tooLarge[0] : 'the URL could not be downloaded');
  }
  if (answer.status < 200 || answer.status > 299) throw new ImageInputError(field, 'the URL could not be downloaded');
  return Buffer.from(answer.bytes);
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
