import { describe, expect, it } from 'vitest';
import { sniffImage } from './sniff.js';

const blob = (...parts: (number[] | string)[]) =>
  new Blob(parts.map((part) => (typeof part === 'string' ? part : new Uint8Array(part))));

describe('sniffImage', () => {
  it('knows the four accepted types by their first bytes', async () => {
    expect(await sniffImage(blob([0x89], 'PNG\r\n\x1a\n'))).toBe('png');
    expect(await sniffImage(blob([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(await sniffImage(blob('RIFF', [1, 2, 3, 4], 'WEBPVP8 '))).toBe('webp');
    expect(await sniffImage(blob('GIF89a'))).toBe('gif');
  });

  it('refuses the rest, whatever the file claims to be', async () => {
    expect(await sniffImage(blob('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(await sniffImage(new Blob(['%PDF-1.7'], { type: 'image/png' }))).toBeNull();
    expect(await sniffImage(blob('RIFF', [1, 2, 3, 4], 'WAVE'))).toBeNull();
    expect(await sniffImage(blob())).toBeNull();
  });
});
