import { describe, expect, it } from 'vitest';
import { parseActions, parseList, refFromFileUrl, requestedActions } from './attributes.js';

describe('attributes', () => {
  it('parses the actions attribute: known actions, embedder order, no duplicates', () => {
    expect(parseActions('upscale, create,upscale  remove-bg,unknown')).toEqual(['upscale', 'create', 'remove-bg']);
    expect(parseActions('nothing-valid')).toBeUndefined();
    expect(parseActions(null)).toBeUndefined();
    expect(requestedActions(undefined)).toEqual(['create', 'edit', 'upscale', 'remove-bg']);
    expect(requestedActions(['edit', 'bogus'])).toEqual(['edit']);
  });

  it('parses lists', () => {
    expect(parseList('a, b,,c a')).toEqual(['a', 'b', 'c']);
    expect(parseList('')).toEqual([]);
    expect(parseList(null)).toBeUndefined();
  });

  it('turns dotbase file URLs into blob keys and leaves other URLs alone', () => {
    expect(refFromFileUrl('http://127.0.0.1:8787/files/outputs/AbCdEf123456.png')).toBe('outputs/AbCdEf123456.png');
    expect(refFromFileUrl('https://cdn.example.com/v1/uploads/abcdefgh_-12.webp')).toBe('uploads/abcdefgh_-12.webp');
    expect(refFromFileUrl('https://example.com/cat.png')).toBe('https://example.com/cat.png');
    expect(refFromFileUrl('not a url')).toBe('not a url');
  });
});
