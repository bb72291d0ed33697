import type { Size } from './types.js';

/** Pixels in one "megapixel" as image models count it: 1 MP at 1:1 is 1024×1024. */
const MEGAPIXEL = 1024 * 1024;

function roundTo(value: number, multiple: number): number {
  return Math.max(multiple, Math.round(value / multiple) * multiple);
}

/** Parses `16:9` into a width/height ratio; undefined for anything else (e.g. `match_input_image`). */
export function parseAspectRatio(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(value);
  if (!match) return undefined;
  return Number(match[1]) / Number(match[2]);
}

/**
 * The size a model produces for an aspect ratio at a pixel budget, rounded to multiples of 16 the way
 * diffusion models size their latents (1 MP 16:9 → 1360×768; Replicate's FLUX answers 1344×768).
 */
export function sizeForAspect(aspectRatio: number, megapixels: number): Size {
  const area = megapixels * MEGAPIXEL;
  const width = Math.sqrt(area * aspectRatio);
  return { width: roundTo(width, 16), height: roundTo(width / aspectRatio, 16) };
}

/** Parses a `1024x768` preset. */
export function parseDimensions(value: string): Size | undefined {
  const match = /^(\d+)x(\d+)$/.exec(value);
  if (!match) return undefined;
  return { width: Number(match[1]), height: Number(match[2]) };
}
