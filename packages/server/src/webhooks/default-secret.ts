import { DEFAULT_REPLICATE_BASE_URL } from '@dotbase/core';

/**
 * Asks Replicate for the account's webhook signing secret (`GET /v1/webhooks/default/secret`), for servers that
 * set `DOTBASE_PUBLIC_URL` but not `REPLICATE_WEBHOOK_SECRET`. Null when it cannot be had: the server then keeps
 * to polling rather than accept unverifiable webhooks.
 */
export async function fetchWebhookSecret(token: string, baseUrl: string = DEFAULT_REPLICATE_BASE_URL, fetchImpl: typeof fetch = fetch): Promise<string | null> {
  try {
    const response = await fetchImpl(`${baseUrl.replace(/\/+$/, '')}/webhooks/default/secret`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) return null;
    const body = (await response.json()) as { key?: unknown };
    return typeof body.key === 'string' && /^whsec_[A-Za-z0-9+/]+=*$/.test(body.key) ? body.key : null;
  } catch {
    return null;
  }
}
