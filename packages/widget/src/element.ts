/**
 * `@dotbase/widget/dotbase-studio`: the element class and everything typed around it, without registering any tag.
 * Call `defineDotbaseStudio()` when you choose (or register the class under a name of your own).
 *
 * @example
 * import { DotbaseStudio, defineDotbaseStudio } from '@dotbase/widget/dotbase-studio';
 * defineDotbaseStudio();
 *
 * @module @dotbase/widget/dotbase-studio
 */
export { DotbaseStudio } from './dotbase-studio.js';
export { defineDotbaseStudio } from './register.js';
export { ApiClient, type ApiClientOptions, type TokenProvider } from './api/client.js';
export { ApiError } from './api/errors.js';
export type * from './api/types.js';
export type * from './events.js';
export { loadLocale, registerLocale, stringsFor, SUPPORTED_LOCALES, type Locale, type LocalePack, type Strings } from './i18n/index.js';

declare global {
  interface HTMLElementTagNameMap {
    'dotbase-studio': import('./dotbase-studio.js').DotbaseStudio;
  }
}
