import { RU_FIELD_HINTS, RU_MODEL_DESCRIPTIONS, RU_VALUES } from './catalog-ru.js';
import type { Strings } from './en.js';

/** English labels where making the raw value readable is not enough. */
const EN_VALUES: Record<string, string> = {
  match_input_image: 'Match the input image',
  custom: 'Custom size',
  b_and_w: 'black and white',
  hdr: 'HDR',
  '2d_art_poster': '2D art poster',
  '2d_art_poster_2': '2D art poster 2',
  handmade_3d: 'handmade 3D',
  block_low_and_above: 'Strictest',
  block_medium_and_above: 'Balanced',
  block_only_high: 'Most permissive',
  DPMSolverMultistep: 'DPM-Solver multistep',
  HeunDiscrete: 'Heun discrete',
  KarrasDPM: 'Karras DPM',
  K_EULER_ANCESTRAL: 'Euler ancestral',
  K_EULER: 'Euler',
  rgba: 'Transparent',
  map: 'Mask only',
  disabled: 'Off',
  webp: 'WebP',
  jpg: 'JPEG',
  png: 'PNG',
};

/** `snake_case` → "Snake case"; values that already read well (`16:9`, `Pop Art`, `1K`) stay as they are. */
function readable(value: string): string {
  if (!value.includes('_')) return value;
  const words = value.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * What a setting value is called for people: `match_input_image` → "Match the input image" / "Как у исходного",
 * `digital_illustration/pixel_art` → "Digital illustration · Pixel art". The raw value is still what is sent.
 */
export function valueLabel(strings: Strings, value: string | number): string {
  const raw = String(value);
  const table = strings.lang === 'ru' ? RU_VALUES : EN_VALUES;
  // Names (schedulers, file formats) have no translation: the English label, then the value made readable.
  const part = (piece: string) => table[piece] ?? EN_VALUES[piece] ?? readable(piece);
  const whole = table[raw] ?? EN_VALUES[raw];
  if (whole) return capitalised(whole);
  return capitalised(raw.split('/').map(part).join(' · '));
}

/** A model's description in the studio's language (the server's English when there is no translation). */
export function modelDescription(strings: Strings, id: string, description: string): string {
  return (strings.lang === 'ru' ? RU_MODEL_DESCRIPTIONS[id] : undefined) ?? description;
}

/**
 * A setting's hint. English uses the schema's own description; other languages their translation, and nothing
 * rather than an English sentence in the middle of a translated form.
 */
export function fieldHint(strings: Strings, name: string, description: string | undefined): string | undefined {
  if (strings.lang === 'en') return description;
  return strings.lang === 'ru' ? RU_FIELD_HINTS[name] : undefined;
}
