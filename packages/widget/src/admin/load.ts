/**
 * The admin dashboard ships as its own file, `dotbase-admin.js`, beside the studio's bundle, and is imported only
 * when an admin opens it: the studio bundle stays small for everyone else. Its URL is found from where this script
 * came from: a classic script only knows that while it first runs (`document.currentScript`), an ES module from
 * `import.meta.url`.
 */
const scriptUrl = (typeof document !== 'undefined' && (document.currentScript as HTMLScriptElement | null)?.src) || import.meta.url;

let loading: Promise<void> | null = null;

/** Defines `<dotbase-admin>` by importing its bundle, once. */
export function loadAdmin(): Promise<void> {
  if (customElements.get('dotbase-admin')) return Promise.resolve();
  loading ??= import(/* @vite-ignore */ new URL('dotbase-admin.js', scriptUrl).href).then(
    () => undefined,
    (error: unknown) => {
      loading = null; // a later click may retry
      throw error;
    },
  );
  return loading;
}
