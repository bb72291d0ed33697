import { describe, expect, it } from 'vitest';
import { outputBlobKey, sha256 } from './blob-keys.js';

describe('output blob keys', () => {
  it('hash like WebCrypto (the implementation every runtime without node:crypto uses), Unicode included', async () => {
    for (const text of ['', 'dotbase output\0g\0' + '0\0https://replicate.delivery/x.webp', 'лиса в лесу 🦊', 'x'.repeat(10_000)]) {
      const webCrypto = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
      expect([...(await sha256(text))]).toEqual([...webCrypto]);
    }
  });

  it('are the keys earlier versions wrote for the same output (stored records and other instances name them)', async () => {
    // computed with WebCrypto before Node's hash was used: changing it would orphan every stored output key
    expect(await outputBlobKey('generation-1', 0, 'https://replicate.delivery/x/out-0.webp', 'image/webp')).toEqual({
      key: 'outputs/heKEIuHecLM8fPmMclEhgG.webp',
      contentType: 'image/webp',
    });
  });
});
