/**
 * Who is an admin. `DOTBASE_ADMINS` lists user ids or usernames (compared case-insensitively, `@` optional).
 * When it is empty, nobody is: holding an API key makes you a user, not the operator. (The anonymous `local`
 * user of a zero-config loopback server is the admin, see `anonymousAuthenticator`.)
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
      return listed.has(id.toLowerCase()) || (username !== undefined && listed.has(username.toLowerCase()));
    },
  };
}
