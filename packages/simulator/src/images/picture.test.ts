import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { escapeXml, pictureSvg } from './picture.js';

describe('prompt text in the rendered picture', () => {
  it('escapes markup and replaces characters XML forbids', () => {
    expect(escapeXml('<a & "b">')).toBe('&#60;a &#38; &#34;b&#34;&#62;');
    expect(escapeXml('nul\u0000 bell\u0007 lone\uD800 pair😀')).toBe('nul\uFFFD bell\uFFFD lone\uFFFD pair😀');
  });

  it('renders prompts with control characters and lone surrogates instead of throwing', async () => {
    const svg = pictureSvg('fox\u0000\u001F\uDC00 <script>', 1, { width: 64, height: 48 });
    const png = await sharp(Buffer.from(svg)).png().toBuffer();
    expect((await sharp(png).metadata()).width).toBe(64);
  });
});
