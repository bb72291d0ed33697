/** Where the Telegram Login Widget script comes from unless the embedder says otherwise (`telegram-widget-src`). */
export const TELEGRAM_WIDGET_SRC = 'https://telegram.org/js/telegram-widget.js?22';

/** The Login Widget's payload: the user's fields plus `auth_date` and `hash`, checked by the server. */
export type TelegramLoginPayload = Record<string, string | number>;

interface TelegramWindow {
  Telegram?: { WebApp?: { initData?: string } };
}

/**
 * The signed `initData` when the page runs as a Telegram Mini App: from Telegram's SDK when the page loaded it,
 * else from the launch URL's `#tgWebAppData=…`, which Telegram always adds (so no script is needed for this).
 */
export function miniAppInitData(): string | null {
  if (typeof window === 'undefined') return null;
  const fromSdk = (window as TelegramWindow).Telegram?.WebApp?.initData;
  if (fromSdk) return fromSdk;
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('tgWebAppData');
  return fromHash || null;
}

let callbacks = 0;

/**
 * Puts the official Login Widget into `container`, which must be in the document itself: the widget script finds
 * its place through `document.currentScript`, which is null inside a shadow root. Telegram calls the `data-onauth`
 * code with `user`; a global function (removed by the returned cleanup) hands the payload on.
 */
export function mountLoginWidget(container: HTMLElement, options: { src: string; botUsername: string; lang: string; onAuth(user: TelegramLoginPayload): void }): () => void {
  const name = `dotbaseTelegramAuth${++callbacks}`;
  const global = window as unknown as Record<string, unknown>;
  global[name] = (user: TelegramLoginPayload) => options.onAuth(user);
  const script = document.createElement('script');
  script.async = true;
  script.src = options.src;
  script.dataset.telegramLogin = options.botUsername;
  script.dataset.size = 'large';
  script.dataset.userpic = 'false';
  script.dataset.requestAccess = 'write';
  script.dataset.lang = options.lang;
  script.setAttribute('data-onauth', `${name}(user)`);
  container.replaceChildren(script);
  return () => {
    delete global[name];
    container.replaceChildren();
  };
}
