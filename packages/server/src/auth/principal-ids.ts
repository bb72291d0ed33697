/**
 * Every principal id says which authenticator made it, and no two authenticators can make the same id:
 *
 * - `local`: the anonymous user of a server without authentication
 * - `<user>`: an API-key user (letters, digits, `_ . @ -`; never `:` and never a reserved name)
 * - `telegram:<id>`: a Telegram user (numeric id)
 * - `<minter>:<user_id>`: an end user of an embed token minted by the API-key user `<minter>`
 *
 * So an API-key user called `telegram` could mint `telegram:4242`, and one called `local` would be the anonymous
 * user: those names are refused in the configuration and at sign-in.
 */
export const RESERVED_USER_NAMES = ['local', 'telegram'] as const;

/** Names no API-key user may have (compared case-insensitively, so `Telegram` is refused too). */
export function isReservedUserName(name: string): boolean {
  return (RESERVED_USER_NAMES as readonly string[]).includes(name.toLowerCase());
}

/** A Telegram principal id: Telegram's user ids are positive whole numbers. */
export function telegramPrincipalId(telegramUserId: string): string | null {
  return /^[1-9]\d{0,19}$/.test(telegramUserId) ? `telegram:${telegramUserId}` : null;
}

/**
 * Whether an id is one of the built-in namespaces above, which your own authenticators may not hand out: `local`,
 * `telegram:…`, or `<api-key user>:…`. Ids starting with `#` are the digests storage uses for long ids.
 */
export function isBuiltInId(id: string, apiKeyUsers: ReadonlySet<string>): boolean {
  if (id === 'local' || id.startsWith('#') || apiKeyUsers.has(id)) return true;
  const colon = id.indexOf(':');
  if (colon < 0) return false;
  const prefix = id.slice(0, colon);
  return prefix.toLowerCase() === 'telegram' || apiKeyUsers.has(prefix);
}
