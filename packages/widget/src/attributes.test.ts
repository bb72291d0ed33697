import { describe, expect, it } from 'vitest';
import { parseActions, parseList, requestedActions } from './attributes.js';

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
});
