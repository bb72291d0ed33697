/**
 * Which Bearer tokens the simulator accepts. Without a list, any non-empty token is an account of its own;
 * revoked tokens are refused either way until added again.
 */
export class TokenRegistry {
  readonly #accepted: Set<string> | undefined;
  readonly #revoked = new Set<string>();

  constructor(tokens: readonly string[] | undefined) {
    this.#accepted = tokens ? new Set(tokens) : undefined;
  }

  accepts(token: string | undefined): token is string {
    if (!token || this.#revoked.has(token)) return false;
    return this.#accepted ? this.#accepted.has(token) : true;
  }

  revoke(token: string): void {
    this.#revoked.add(token);
  }

  add(token: string): void {
    this.#revoked.delete(token);
    this.#accepted?.add(token);
  }
}

/** The token of an `Authorization: Bearer <token>` header (Replicate also takes the older `Token <token>`). */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^(?:Bearer|Token)\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
