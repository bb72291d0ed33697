import { z } from 'zod';

/**
 * Zod fragments for the settings many models share under one dotbase name (`aspect_ratio`, `num_outputs`, `seed`,
 * `output_format`). Each model composes them with its own allowed values; its `toInput` maps them onto its own
 * Replicate fields. Values a model cannot honour fail validation — nothing is clamped or dropped.
 *
 * @example
 * const settings = z.strictObject({
 *   aspect_ratio: aspectRatio(['1:1', '16:9'], '1:1'),
 *   num_outputs: numOutputs(4),
 *   seed,
 * });
 */

/** Aspect ratio from the model's own list, with the model's default. */
export function aspectRatio<const T extends readonly [string, ...string[]]>(allowed: T, defaultValue: T[number]) {
  return z.enum(allowed).default(defaultValue).describe('Aspect ratio of the output image (width:height).');
}

/**
 * Aspect ratio from the model's own list, left out when not given: for models where an explicit ratio conflicts with
 * another field (a size preset, a resolution) or where the right default depends on the input images.
 */
export function optionalAspectRatio<const T extends readonly [string, ...string[]]>(allowed: T) {
  return z.enum(allowed).optional().describe('Aspect ratio of the output image (width:height).');
}

/** How many images one run makes, for models that make several. */
export function numOutputs(max: number) {
  return z.int().min(1).max(max).default(1).describe(`How many images to make (1–${max}).`);
}

/** For models that make one image per run: `num_outputs` may be sent, but only as 1. */
export const singleOutput = z
  .literal(1, { error: 'this model makes one image per run, so num_outputs can only be 1' })
  .optional()
  .describe('This model makes one image per run.');

/** The largest seed: Replicate's models take a 32-bit signed integer. */
const MAX_SEED = 2_147_483_647;

const seedValue = z.int().min(0).max(MAX_SEED);

/**
 * Integer seed for reproducible results; left out, the model picks a random one. Only for models whose own default
 * is random: a model with a FIXED default seed takes `drawnSeed` instead, or "left out" would not mean "random".
 */
export const seed = seedValue.optional().describe('Random seed; the same seed and inputs give the same image. Left out, a random one.');

/**
 * The seed for models that, in the usual Cog way, read a seed of 0 or less as "draw one" (their default is 0): an
 * explicit 0 would not reproduce, so the smallest seed taken is 1. Left out, the model's default draws one.
 */
export const positiveSeed = seedValue.min(1).optional().describe('Random seed (1 or more); the same seed and inputs give the same image. Left out, a random one.');

/** A seed drawn uniformly from 0 to MAX_SEED (Web Crypto, so core needs nothing Node-specific). */
export function randomSeed(): number {
  // 2^32 is an exact multiple of MAX_SEED + 1 (2^31), so the modulo keeps the draw uniform.
  return (crypto.getRandomValues(new Uint32Array(1))[0] ?? 0) % (MAX_SEED + 1);
}

/**
 * The seed for models whose own default is a FIXED seed (Clarity Upscaler's is 1337): left out, dotbase draws a
 * random one here. It lands in the validated settings, which are stored with the generation, so the seed used is
 * on record and every re-submit of the generation sends the same one. The JSON Schema shows the input side: an
 * optional integer without a default.
 */
export const drawnSeed = seedValue
  .optional()
  .transform((value) => value ?? randomSeed())
  .describe('Random seed; the same seed and inputs give the same image. Left out, dotbase draws a random one and stores it with the generation.');

/** File format of the output image, from the model's own list. */
export function outputFormat<const T extends readonly [string, ...string[]]>(allowed: T, defaultValue: T[number]) {
  return z.enum(allowed).default(defaultValue).describe('File format of the output image.');
}

/** Parses "16:9" into a width / height ratio. */
function ratioOf(aspect: string): number {
  const [w, h] = aspect.split(':').map(Number);
  if (!w || !h) throw new TypeError(`not an aspect ratio: ${aspect}`);
  return w / h;
}

export interface PixelBox {
  /** Pixel count to aim for, e.g. 1024 * 1024. */
  area: number;
  /** Smallest and largest side the model accepts. */
  min: number;
  max: number;
  /** Both sides are rounded to a multiple of this (latent models need multiples of 8). */
  multiple: number;
}

/**
 * Width and height for an aspect ratio, for models that take pixel sizes instead of a ratio: about `box.area`
 * pixels, shrunk when the long side would exceed `box.max`, each side a multiple of `box.multiple`.
 *
 * @example
 * dimensionsFor('16:9', { area: 1024 * 1024, min: 256, max: 1280, multiple: 8 }); // { width: 1280, height: 720 }
 */
export function dimensionsFor(aspect: string, box: PixelBox): { width: number; height: number } {
  const ratio = ratioOf(aspect);
  let width = Math.sqrt(box.area * ratio);
  let height = width / ratio;
  const shrink = Math.min(1, box.max / Math.max(width, height));
  width *= shrink;
  height *= shrink;
  const snap = (side: number) => Math.min(box.max, Math.max(box.min, Math.round(side / box.multiple) * box.multiple));
  return { width: snap(width), height: snap(height) };
}
