/**
 * Where this bundle was loaded from, so files that ship beside it (`dotbase-admin.js`, `dotbase-ru.js`) can be
 * imported only when needed. A classic script only knows its URL while it first runs (`document.currentScript`:
 * this module is evaluated then), an ES module from `import.meta.url` (the IIFE build defines it as `undefined`).
 */
export const scriptUrl: string =
  (typeof document !== 'undefined' && (document.currentScript as HTMLScriptElement | null)?.src) || import.meta.url;

/** Imports a file that ships beside this bundle, e.g. `dotbase-ru.js`. */
export function importBeside<T>(file: string): Promise<T> {
  return import(/* @vite-ignore */ new URL(file, scriptUrl).href) as Promise<T>;
}
