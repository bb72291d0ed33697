import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Where the widget's build output is: the `dist` folder of the `@dotbase/widget` package this server depends on,
 * found the way Node finds any dependency (so it works in this workspace, in an npm install with hoisting or
 * without, and in pnpm's nested layout). Undefined when the package cannot be found: `/widget.js` then answers 404
 * with a hint.
 */
export function defaultWidgetDir(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve('@dotbase/widget/package.json');
    return join(dirname(manifest), 'dist');
  } catch {
    return undefined;
  }
}
