import { en, type Strings } from './en.js';
import { ru } from './ru.js';

export type { Strings } from './en.js';

export const LOCALES = { en, ru } as const satisfies Record<string, Strings>;
export type Locale = keyof typeof LOCALES;

/** Strings for a BCP 47 tag: `ru-RU` → Russian; anything unknown or missing → English. */
export function stringsFor(locale: string | null | undefined): Strings {
  const language = (locale ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return Object.hasOwn(LOCALES, language) ? LOCALES[language as Locale] : en;
}

/** A field's label: a translated name when there is one, else the schema title or the name made readable. */
export function fieldLabel(strings: Strings, name: string, title?: string): string {
  const known = strings.fields[name];
  if (known) return known;
  if (title) return title;
  const words = name.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** An error in plain words: the translation of its code, else the server's message, else a generic line. */
export function errorText(strings: Strings, code: string | undefined, message?: string): string {
  if (code === 'cors_refused') return strings.corsRefused(typeof location === 'undefined' ? '' : location.origin);
  const known = code ? strings.errors[code] : undefined;
  if (known && code === 'invalid_input' && message) return `${known} ${message}`;
  return known ?? message ?? strings.errors.fallback ?? 'Something went wrong.';
}

/** A refused or failed input file in plain words, naming the file. */
export function imageProblemText(strings: Strings, problem: { code: string; message: string; name: string }, maxBytes?: number): string {
  const s = strings.images;
  if (problem.code === 'not_an_image') return s.notImage(problem.name);
  if (problem.code === 'file_too_large' || problem.code === 'payload_too_large') {
    return maxBytes ? s.tooBig(problem.name, (maxBytes / 1024 / 1024).toFixed(maxBytes % (1024 * 1024) === 0 ? 0 : 1)) : s.notUploaded(problem.name, strings.errors.payload_too_large!);
  }
  // The server checks the file again (it decodes it); its wording ("file: …") is for developers, not people.
  if (problem.code === 'invalid_input' || problem.code === 'unsupported_media_type') return s.notUploaded(problem.name, strings.errors.unsupported_media_type!);
  return s.notUploaded(problem.name, errorText(strings, problem.code, problem.message));
}
