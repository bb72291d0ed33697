import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks' signature: `v1,` + base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)), the key being the
 * base64 after `whsec_`. Hand-written because it is one HMAC: the `standardwebhooks` package verifies it in the
 * tests, so the two are checked against each other rather than against themselves.
 *
 * @example
 * signWebhookBody('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
 * // → 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
 */
export function signWebhookBody(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** A fresh signing secret: 32 random bytes, as Standard Webhooks recommends (24 at least). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
