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
  const known = code ? strings.errors[code] : undefined;
  if (known && code === 'invalid_input' && message) return `${known} ${message}`;
  return known ?? message ?? strings.errors.fallback ?? 'Something went wrong.';
}
