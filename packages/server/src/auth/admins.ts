/**
 * Who is an admin. `DOTBASE_ADMINS` lists user ids or usernames (compared case-insensitively, `@` optional).
 * When it is empty, every API-key user is an admin: whoever holds a server key operates the server.
 */
export interface AdminPolicy {
  isAdmin(candidate: { id: string; username?: string; via: 'api-key' | 'telegram' | 'embed' }): boolean;
}

export function createAdminPolicy(admins: readonly string[]): AdminPolicy {
  const listed = new Set(admins.map((name) => name.trim().replace(/^@/, '').toLowerCase()).filter(Boolean));
  return {
    isAdmin({ id, username, via }) {
      // Embed tokens are for end users on third-party pages: never admin, whatever id they were minted for.
      if (via === 'embed') return false;
      if (listed.size === 0) return via === 'api-key';
      return listed.has(id.toLowerCase()) || (username !== undefined && listed.has(username.toLowerCase()));
    },
  };
}
