import { createHmac, timingSafeEqual } from 'node:crypto';

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/**
 * Signs small JSON payloads with HMAC-SHA-256 under a key derived from the server secret and a purpose, so a
 * session cookie can never be replayed as an embed token or the other way round.
 *
 * @example
 * const sessions = createSigner(secret, 'session');
 * const token = sessions.sign({ sub: 'telegram:42', exp: 1_900_000_000 });
 * sessions.verify(token); // { sub: 'telegram:42', exp: 1900000000 }, or null when tampered with
 */
export function createSigner(secret: string, purpose: string) {
  const key = createHmac('sha256', secret).update(`dotbase:${purpose}`).digest();
  const mac = (data: string) => createHmac('sha256', key).update(data).digest();
  return {
    sign(payload: Record<string, unknown>): string {
      const data = base64url(JSON.stringify(payload));
      return `${data}.${base64url(mac(data))}`;
    },
    /** The payload, or null when the token is malformed or its signature is wrong. Never throws. */
    verify(token: string): Record<string, unknown> | null {
      if (typeof token !== 'string' || token.length > 8192) return null;
      const [data, signature, ...rest] = token.split('.');
      if (!data || !signature || rest.length > 0) return null;
      const expected = mac(data);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      try {
        const payload: unknown = JSON.parse(Buffer.from(data, 'base64url').toString('utf8'));
        return payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : null;
      } catch {
        return null;
      }
    },
  };
}

export type Signer = ReturnType<typeof createSigner>;
