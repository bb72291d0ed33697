import { importBeside } from '../script-url.js';
import { enBatch } from './batch.js';
import { en, type Strings } from './en.js';
import type { LocalePack } from './pack.js';

/** The languages the studio speaks. English is built in; the others are files beside the bundle (`dotbase-ru.js`). */
export const SUPPORTED_LOCALES = ['en', 'ru'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

const ENGLISH: LocalePack = { strings: en, batch: enBatch, modelDescriptions: {}, fieldHints: {}, values: {} };
const packs = new Map<string, LocalePack>([['en', ENGLISH]]);
const loading = new Map<string, Promise<Strings>>();

/** `ru-RU` → `ru`; anything unknown or missing → `en`. */
export function localeOf(tag: string | null | undefined): Locale {
  const language = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return (SUPPORTED_LOCALES as readonly string[]).includes(language) ? (language as Locale) : 'en';
}

/** The pack for a language that is loaded, else English. */
export function packFor(tag: string | null | undefined): LocalePack {
  return packs.get(localeOf(tag)) ?? ENGLISH;
}

/**
 * Strings for a BCP 47 tag, if that language is loaded (`loadLocale`): `ru-RU` → Russian; anything unknown,
 * missing or not loaded yet → English.
 */
export function stringsFor(tag: string | null | undefined): Strings {
  return packFor(tag).strings;
}

/** Whether `stringsFor(tag)` already answers in that language (English always does). */
export function isLocaleLoaded(tag: string | null | undefined): boolean {
  return packs.has(localeOf(tag));
}

/** Makes a language available without fetching its file (an app that bundles `dotbase-ru.js` itself, tests). */
export function registerLocale(pack: LocalePack): void {
  packs.set(pack.strings.lang, pack);
}

/**
 * Loads a language's file from beside the bundle, once, and answers its strings. A language that fails to load
 * answers English (and is tried again on the next call), so the studio always has words to show.
 */
export function loadLocale(tag: string | null | undefined): Promise<Strings> {
  const locale = localeOf(tag);
  if (packs.has(locale)) return Promise.resolve(stringsFor(locale));
  let promise = loading.get(locale);
  if (!promise) {
    promise = importBeside<{ default: LocalePack }>(`dotbase-${locale}.js`).then(
      (module) => {
        registerLocale(module.default);
        return module.default.strings;
      },
      () => {
        loading.delete(locale);
        return en;
      },
    );
    loading.set(locale, promise);
  }
  return promise;
}
