/**
 * `@dotbase/widget`: importing this module registers `<dotbase-studio>` (in a browser; in Node, for server
 * rendering, it only loads). For the class without registering, import `@dotbase/widget/dotbase-studio` and call
 * `defineDotbaseStudio()` when you choose.
 */
import './define.js';

export * from './element.js';
