import { createHmac, randomBytes } from 'node:crypto';

/**
 * The `webhook-signature` value Replicate (through Svix) sends: `v1,` + base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)),
 * where the key is the base64 part of the `whsec_...` secret, decoded.
 *
 * @example
 * signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')
 * // → 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
 */
export function signWebhook(secret: string, id: string, timestamp: number | string, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** A fresh secret in Replicate's format. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** Svix-style message ids, e.g. `msg_2Lh9KRb0pzN5LtvLv1bZw3KMU5K`. */
export function newWebhookId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`;
}
