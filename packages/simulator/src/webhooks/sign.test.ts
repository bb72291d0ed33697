import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signWebhook } from './sign.js';

describe('signWebhook', () => {
  it('matches the known-answer vector from Replicate/Svix', () => {
    expect(signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('changes when any signed part changes', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const base = signWebhook(secret, 'msg_1', 1, '{}');
    expect(signWebhook(secret, 'msg_2', 1, '{}')).not.toBe(base);
    expect(signWebhook(secret, 'msg_1', 2, '{}')).not.toBe(base);
    expect(signWebhook(secret, 'msg_1', 1, '{ }')).not.toBe(base);
  });

  it('generates secrets whose base64 key signs like any other', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update('id.5.body').digest('base64');
    expect(signWebhook(secret, 'id', 5, 'body')).toBe(`v1,${expected}`);
  });
});
