import { createHmac, timingSafeEqual } from 'node:crypto';

/** Replicate's window: a delivery whose timestamp is further than this from our clock is refused (replays). */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

export type WebhookVerdict = { ok: true; id: string } | { ok: false; reason: string };

/**
 * Checks a Replicate webhook (the Standard Webhooks scheme): key = base64 of the secret after `whsec_`,
 * signature = base64(HMAC-SHA-256(key, `${id}.${timestamp}.${body}`)), any `v1,` entry of the space-separated
 * `webhook-signature` header may match (compared in constant time), timestamp within ±5 min.
 *
 * @example
 * const verdict = verifyReplicateWebhook(secret, request.headers, await request.text());
 * if (!verdict.ok) return new Response(verdict.reason, { status: 401 });
 */
export function verifyReplicateWebhook(
  secret: string,
  headers: Headers,
  rawBody: string,
  nowMs: number = Date.now(),
): WebhookVerdict {
  const id = headers.get('webhook-id');
  const timestamp = headers.get('webhook-timestamp');
  const signatures = headers.get('webhook-signature');
  if (!id || !timestamp || !signatures) return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'webhook-timestamp is not a unix time' };
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > WEBHOOK_TOLERANCE_SECONDS) {
    return { ok: false, reason: 'webhook-timestamp is outside the 5 minute window' };
  }
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${rawBody}`).digest();
  let matched = false;
  for (const entry of signatures.split(' ')) {
    const [version, signature] = entry.split(',', 2);
    if (version !== 'v1' || !signature) continue;
    const given = Buffer.from(signature, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  return matched ? { ok: true, id } : { ok: false, reason: 'no matching signature' };
}
