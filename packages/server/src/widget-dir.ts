import { fileURLToPath } from 'node:url';

/**
 * Where the widget's build output is: beside this package, in a workspace (`packages/widget/dist`) and when
 * installed (`node_modules/@dotbase/widget/dist`) alike, since both put the two packages next to each other.
 */
export function defaultWidgetDir(): string {
  return fileURLToPath(new URL('../../widget/dist', import.meta.url));
}
