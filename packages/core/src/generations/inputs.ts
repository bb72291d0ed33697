import { DotbaseError } from '../errors.js';
import type { ImageTools } from '../images/sniff.js';
import type { ImageProvider } from '../providers/types.js';
import type { BlobStore } from '../storage/types.js';

/** Blob keys a caller may pass as an image: its uploads and earlier outputs (for chaining create → upscale). */
const BLOB_REF = /^(uploads|outputs)\/[A-Za-z0-9_-]{8,}\.(png|jpg|webp|gif)$/;

export function isBlobRef(ref: string): boolean {
  return BLOB_REF.test(ref);
}

function isHttpsUrl(ref: string): boolean {
  try {
    return new URL(ref).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Checks every image reference before anything is recorded or sent: each is a stored upload/output that exists,
 * or a URL (passed to Replicate as it is). URLs must be https; with `checkUrl` (the server's SSRF rules) they must
 * also pass it. Those checks can resolve host names, so they run only once every other reference is fine.
 */
export async function checkImageRefs(
  blobs: BlobStore,
  checkUrl: ((url: string) => Promise<unknown>) | undefined,
  refs: { path: string; ref: string }[],
): Promise<void> {
  const issues: { path: string; message: string }[] = [];
  const urls: { path: string; ref: string }[] = [];
  for (const { path, ref } of refs) {
    if (typeof ref !== 'string' || ref.length === 0) {
      issues.push({ path, message: 'must be an upload id or an https URL' });
    } else if (isBlobRef(ref)) {
      if (!(await blobs.has(ref))) issues.push({ path, message: `no upload with id ${ref}` });
    } else if (checkUrl) {
      urls.push({ path, ref });
    } else if (!isHttpsUrl(ref)) {
      issues.push({ path, message: 'must be an upload id or an https URL' });
    }
  }
  if (issues.length === 0 && checkUrl) {
    const results = await Promise.allSettled(urls.map(({ ref }) => checkUrl(ref)));
    results.forEach((result, i) => {
      if (result.status === 'rejected') {
        const reason = result.reason instanceof Error ? result.reason.message : 'is not allowed';
        issues.push({ path: urls[i]!.path, message: `URL ${reason}` });
      }
    });
  }
  if (issues.length > 0) {
    throw new DotbaseError('invalid_input', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { details: { issues } });
  }
}

export interface InputUrlOptions {
  blobs: BlobStore;
  provider: ImageProvider;
  /** Stored images up to this size travel inline as data URLs (Replicate advises ~256 KB); larger ones go through its files API. */
  inlineMaxBytes: number;
  /** When the server is reachable from Replicate, it can hand out its own file URLs instead. */
  publicFileUrl?: (key: string) => string | undefined;
  imageTools?: ImageTools;
}

function toDataUrl(bytes: Uint8Array, contentType: string): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return `data:${contentType};base64,${btoa(binary)}`;
}

/**
 * Turns one reference into a URL Replicate can read, with the token the prediction will be created with (files
 * uploaded through the files API belong to that token's account). `invert` swaps mask colours first.
 */
export async function urlForImage(options: InputUrlOptions, token: string, ref: string, invert: boolean): Promise<string> {
  if (!isBlobRef(ref)) return ref;
  if (!invert) {
    const publicUrl = options.publicFileUrl?.(ref);
    if (publicUrl) return publicUrl;
  }
  const stored = await options.blobs.get(ref);
  if (!stored) throw new DotbaseError('invalid_input', `no upload with id ${ref}`);
  let { bytes, contentType } = stored;
  if (invert) {
    if (!options.imageTools) {
      throw new DotbaseError('invalid_input', 'this model repaints black; converting the mask needs image tools (pass imageTools, e.g. from @dotbase/core/node)');
    }
    ({ bytes, contentType } = await options.imageTools.invertMask(bytes));
  }
  if (bytes.byteLength <= options.inlineMaxBytes) return toDataUrl(bytes, contentType);
  const filename = ref.slice(ref.lastIndexOf('/') + 1);
  return options.provider.uploadFile(token, bytes, contentType, filename);
}
