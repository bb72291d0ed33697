import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyReplicateWebhook } from './verify.js';

// Replicate's documented known-answer vector.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TIMESTAMP = 1614265330;
const BODY = '{"test": 2432232314}';
const SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

function headers(overrides: Record<string, string> = {}): Headers {
  return new Headers({ 'webhook-id': ID, 'webhook-timestamp': String(TIMESTAMP), 'webhook-signature': SIGNATURE, ...overrides });
}

describe('verifyReplicateWebhook', () => {
  const now = TIMESTAMP * 1000;

  it('accepts the known-answer vector', () => {
    expect(verifyReplicateWebhook(SECRET, headers(), BODY, now)).toEqual({ ok: true, id: ID });
  });

  it('accepts when any of several signatures matches, and ignores other versions', () => {
    const many = headers({ 'webhook-signature': `v2,abc v1,AAAA ${SIGNATURE}` });
    expect(verifyReplicateWebhook(SECRET, many, BODY, now).ok).toBe(true);
  });

  it('refuses a changed body, id or timestamp, and another secret', () => {
    expect(verifyReplicateWebhook(SECRET, headers(), '{"test": 2432232315}', now).ok).toBe(false);
    expect(verifyReplicateWebhook(SECRET, headers({ 'webhook-id': 'msg_other' }), BODY, now).ok).toBe(false);
    expect(verifyReplicateWebhook(SECRET, headers({ 'webhook-timestamp': String(TIMESTAMP + 1) }), BODY, now + 1000).ok).toBe(false);
    expect(verifyReplicateWebhook('whsec_c2VjcmV0', headers(), BODY, now).ok).toBe(false);
  });

  it('refuses timestamps more than 5 minutes away, either side', () => {
    expect(verifyReplicateWebhook(SECRET, headers(), BODY, now + 301_000)).toMatchObject({ ok: false, reason: expect.stringMatching(/window/) });
    expect(verifyReplicateWebhook(SECRET, headers(), BODY, now - 301_000).ok).toBe(false);
    expect(verifyReplicateWebhook(SECRET, headers(), BODY, now + 299_000).ok).toBe(true);
  });

  it('refuses missing headers and garbage without throwing', () => {
    expect(verifyReplicateWebhook(SECRET, new Headers(), BODY, now).ok).toBe(false);
    expect(verifyReplicateWebhook(SECRET, headers({ 'webhook-signature': 'v1' }), BODY, now).ok).toBe(false);
    expect(verifyReplicateWebhook(SECRET, headers({ 'webhook-signature': 'v1,%%%not base64%%%' }), BODY, now).ok).toBe(false);
    expect(verifyReplicateWebhook(SECRET, headers({ 'webhook-timestamp': 'yesterday' }), BODY, now).ok).toBe(false);
  });

  it('checks what it computes, not a fixed answer: a fresh signature over a fresh body verifies', () => {
    const body = JSON.stringify({ id: 'p1', status: 'succeeded' });
    const ts = Math.floor(Date.now() / 1000);
    const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
    const signature = createHmac('sha256', key).update(`msg_1.${ts}.${body}`).digest('base64');
    const fresh = new Headers({ 'webhook-id': 'msg_1', 'webhook-timestamp': String(ts), 'webhook-signature': `v1,${signature}` });
    expect(verifyReplicateWebhook(SECRET, fresh, body)).toEqual({ ok: true, id: 'msg_1' });
  });
});
