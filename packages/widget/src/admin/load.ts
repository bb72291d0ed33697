import { importBeside } from '../script-url.js';

/**
 * The admin dashboard ships as its own file, `dotbase-admin.js`, beside the studio's bundle, and is imported only
 * when an admin opens it: the studio bundle stays small for everyone else.
 */
let loading: Promise<void> | null = null;

/** Defines `<dotbase-admin>` by importing its bundle, once. */
export function loadAdmin(): Promise<void> {
  if (customElements.get('dotbase-admin')) return Promise.resolve();
  loading ??= importBeside('dotbase-admin.js').then(
    () => undefined,
    (error: unknown) => {
      loading = null; // a later click may retry
      throw error;
    },
  );
  return loading;
}
