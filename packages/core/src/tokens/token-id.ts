const ID_HEX_LENGTH = 12;

/**
 * The public id of a Replicate token: `tok_` + the first 12 hex characters of its SHA-256. Stable across
 * restarts and processes (so shared pool state and stats survive), and a hash prefix reveals nothing usable
 * about the secret.
 *
 * @example
 * await tokenIdFor('r8_abc…'); // 'tok_3f9a0c…' (16 characters)
 */
export async function tokenIdFor(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret));
  const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `tok_${hex.slice(0, ID_HEX_LENGTH)}`;
}
