import { hashString } from '../random.js';
import type { ImageFormat, ImageRef, ValidInput } from './types.js';

/** Typed reads of validated input: validation has already checked types, these only narrow them. */
export function stringOf(input: ValidInput, field: string, fallback = ''): string {
  const value = input[field];
  return typeof value === 'string' ? value : fallback;
}

export function numberOf(input: ValidInput, field: string, fallback: number): number {
  const value = input[field];
  return typeof value === 'number' ? value : fallback;
}

export function imageOf(input: ValidInput, field: string): ImageRef | undefined {
  const value = input[field];
  return typeof value === 'string' && value !== '' ? { field, url: value } : undefined;
}

/** A required image field: validation guarantees it is present. */
export function requiredImageOf(input: ValidInput, field: string): ImageRef {
  return imageOf(input, field) ?? { field, url: '' };
}

export function imagesOf(input: ValidInput, field: string): ImageRef[] {
  const value = input[field];
  return Array.isArray(value) ? value.map((url, i) => ({ field: `${field}[${i}]`, url: String(url) })) : [];
}

/** Without a seed the picture still depends only on the prompt, so repeated prompts hit the render cache. */
export function seedOf(input: ValidInput, prompt: string): number {
  const value = input.seed;
  return typeof value === 'number' ? value : hashString(prompt) % 100_000;
}

export function formatOf(input: ValidInput, field: string, fallback: ImageFormat): ImageFormat {
  const value = input[field];
  if (value === 'jpg' || value === 'jpeg') return 'jpg';
  if (value === 'png' || value === 'webp') return value;
  return fallback;
}
