import { describe, expect, it } from 'vitest';
import { normalizeOutput } from './output.js';

const one = { output: 'one' as const };
const list = { output: 'list' as const };

describe('normalizeOutput', () => {
  it('turns one URL into a list of one', () => {
    expect(normalizeOutput(one, 'https://replicate.delivery/a.png')).toEqual(['https://replicate.delivery/a.png']);
  });

  it('keeps a list of URLs in order', () => {
    expect(normalizeOutput(list, ['https://r/a.png', 'https://r/b.png'])).toEqual(['https://r/a.png', 'https://r/b.png']);
  });

  it('reads either shape whatever the model declares', () => {
    expect(normalizeOutput(list, 'https://r/a.png')).toEqual(['https://r/a.png']);
    expect(normalizeOutput(one, ['https://r/a.png'])).toEqual(['https://r/a.png']);
  });

  it('treats anything else as no output', () => {
    for (const output of [null, undefined, '', 42, { url: 'https://r/a.png' }, true]) {
      expect(normalizeOutput(one, output)).toEqual([]);
    }
    expect(normalizeOutput(list, ['https://r/a.png', null, '', 7])).toEqual(['https://r/a.png']);
  });
});
