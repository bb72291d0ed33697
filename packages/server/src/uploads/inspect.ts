import { sniffImageType, type ImageType } from '@dotbase/core';
import type { Metadata } from 'sharp';
import { HttpError } from '../http/errors.js';
import { loadSharp } from '../optional-deps.js';

/** sharp's format names for the types dotbase stores. */
const SHARP_FORMAT: Record<ImageType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

export interface InspectedImage {
  contentType: ImageType;
  width: number;
  height: number;
}

/**
 * Decides whether uploaded bytes are an image dotbase accepts: the type from magic bytes (never the file name or
 * the declared type; no SVG), then the dimensions from the header alone, so a small file that would inflate to
 * gigabytes of pixels is refused before any decoding; only then is the image decoded once to prove it is whole.
 *
 * @example
 * const { contentType } = await inspectImage(bytes, { maxBytes: 10_000_000, maxPixels: 50_000_000 });
 */
export async function inspectImage(bytes: Uint8Array, limits: { maxBytes: number; maxPixels: number }): Promise<InspectedImage> {
  if (bytes.byteLength === 0) throw new HttpError(422, 'invalid_input', 'file: is empty', { details: { field: 'file' } });
  if (bytes.byteLength > limits.maxBytes) {
    throw new HttpError(413, 'payload_too_large', `file: is larger than the ${limits.maxBytes} byte limit`, {
      details: { field: 'file', limit: limits.maxBytes },
    });
  }
  const contentType = sniffImageType(bytes);
  if (!contentType) {
    throw new HttpError(415, 'unsupported_media_type', 'file: is not a PNG, JPEG, WebP or GIF image (decided by its content, not its name)', {
      details: { field: 'file' },
    });
  }
  const sharp = await loadSharp();
  let metadata: Metadata;
  try {
    // Only the header is read here, so sharp's own pixel cap is off: our limit below gives the clearer answer.
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new HttpError(422, 'invalid_input', 'file: the image is damaged or truncated', { details: { field: 'file' } });
  }
  const { width, height } = metadata;
  if (metadata.format !== SHARP_FORMAT[contentType] || !width || !height) {
    throw new HttpError(422, 'invalid_input', 'file: the image is damaged or truncated', { details: { field: 'file' } });
  }
  // Animated images decode every frame: count them all.
  const pixels = width * (metadata.pageHeight ?? height) * (metadata.pages ?? 1);
  if (pixels > limits.maxPixels) {
    throw new HttpError(422, 'image_too_large', `file: ${width}×${height} (${metadata.pages ?? 1} frame(s)) is more than the ${limits.maxPixels} pixel limit`, {
      details: { field: 'file', limit: limits.maxPixels, pixels },
    });
  }
  try {
    // A header can be whole while the data after it is cut off; decoding (shrunk on load, so cheap) proves the rest.
    await sharp(bytes, { failOn: 'truncated', limitInputPixels: limits.maxPixels }).resize(8, 8, { fit: 'inside' }).raw().toBuffer();
  } catch {
    throw new HttpError(422, 'invalid_input', 'file: the image is damaged or truncated', { details: { field: 'file' } });
  }
  return { contentType, width, height };
}
