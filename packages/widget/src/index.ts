/**
 * `@dotbase/widget`: importing this module registers `<dotbase-studio>`. For the class without registering,
 * import `@dotbase/widget/dotbase-studio` and call `defineDotbaseStudio()` when you choose.
 */
import './define.js';

export { DotbaseStudio } from './dotbase-studio.js';
export { defineDotbaseStudio } from './register.js';
export { ApiClient, type ApiClientOptions, type TokenProvider } from './api/client.js';
export { ApiError } from './api/errors.js';
export type * from './api/types.js';
export type * from './events.js';
export { LOCALES, stringsFor, type Locale, type Strings } from './i18n/index.js';

declare global {
  interface HTMLElementTagNameMap {
    'dotbase-studio': import('./dotbase-studio.js').DotbaseStudio;
  }
}
