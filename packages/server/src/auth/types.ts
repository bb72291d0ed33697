/** Who is calling. `id` owns generations and uploads; admins may use `/api/admin/*`. */
export interface Principal {
  id: string;
  username?: string;
  is_admin: boolean;
  /** For an end user of an embed token: the API-key user that minted it (their active generations count together). */
  minter?: string;
}

/**
 * A way of recognising callers. Implementations answer null for anything they do not recognise or cannot
 * verify (missing, forged, expired, malformed) and never throw on bad input, so they chain safely.
 *
 * @example
 * const principal = await apiKeys.authenticate(request); // null → try the next authenticator
 */
export interface Authenticator {
  readonly name: string;
  authenticate(request: Request): Promise<Principal | null>;
}
