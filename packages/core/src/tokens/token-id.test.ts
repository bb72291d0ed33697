import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { tokenIdFor } from './token-id.js';

describe('tokenIdFor', () => {
  it('is tok_ plus the first 12 hex chars of the SHA-256 of the secret', async () => {
    const secret = 'r8_exampleSecretValue123';
    const expected = `tok_${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`;
    expect(await tokenIdFor(secret)).toBe(expected);
  });

  it('is stable for one secret and distinct for different secrets', async () => {
    const [a1, a2, b] = await Promise.all([tokenIdFor('secret-a'), tokenIdFor('secret-a'), tokenIdFor('secret-b')]);
    expect(a1).toBe(a2);
    expect(a1).not.toBe(b);
  });

  it('has a fixed shape whatever the secret length', async () => {
    for (const secret of ['x', 'r8_' + 'a'.repeat(200)]) expect(await tokenIdFor(secret)).toMatch(/^tok_[0-9a-f]{12}$/);
  });
});
