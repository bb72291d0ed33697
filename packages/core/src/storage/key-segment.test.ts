import { describe, expect, it } from 'vitest';
import { isDotbaseError } from '../errors.js';
import { fromKeySegment, keySegment, keySegmentLength } from './key-segment.js';

describe('keySegment', () => {
  it('passes lowercase letters, digits and dashes unchanged (uuids, numeric ids)', () => {
    expect(keySegment('0f8c6a1e-5b2d-4c3a-9e7f-123456789abc')).toBe('0f8c6a1e-5b2d-4c3a-9e7f-123456789abc');
    expect(keySegment('123456789')).toBe('123456789');
  });

  it('escapes every other byte so no separator, dot segment or case clash survives', () => {
    expect(keySegment('Alice')).toBe('_41lice');
    expect(keySegment('a:b/c?d')).toBe('a_3ab_2fc_3fd');
    expect(keySegment('..')).toBe('_2e_2e');
    expect(keySegment('_')).toBe('_5f');
    expect(keySegment('é')).toBe('_c3_a9');
  });

  it('is one-to-one over tricky inputs', () => {
    const inputs = ['alice', 'Alice', 'ALICE', 'a_41', 'a:b', 'a/b', 'a b', '_41lice', 'a.b', 'a..b', 'é', 'e\u0301'];
    const segments = inputs.map(keySegment);
    expect(new Set(segments).size).toBe(inputs.length);
    for (const segment of segments) expect(segment).toMatch(/^[a-z0-9_-]+$/);
  });

  it('refuses empty ids', () => {
    let error: unknown;
    try {
      keySegment('');
    } catch (caught) {
      error = caught;
    }
    expect(isDotbaseError(error, 'invalid_input')).toBe(true);
  });
});

describe('keySegment length', () => {
  it('refuses ids whose encoded form would not fit a file name, with invalid_input', () => {
    expect(keySegment('a'.repeat(200))).toHaveLength(200);
    expect(() => keySegment('a'.repeat(201))).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    // each Cyrillic letter is two UTF-8 bytes, six characters once encoded: 67 of them are too long
    expect(() => keySegment('я'.repeat(67))).toThrow(/too long/);
  });
});

describe('keySegmentLength', () => {
  it('is the length keySegment produces, also for ids too long to store', () => {
    for (const id of ['0f8c6a1e-5b2d-4c3a-9e7f-123456789abc', 'Alice', 'a:b/c?d', '..', '_', 'é', '\u{1f98a}', 'я'.repeat(30), 'abc-9']) {
      expect(keySegmentLength(id), id).toBe(keySegment(id).length);
    }
    expect(keySegmentLength('')).toBe(0);
    expect(keySegmentLength('я'.repeat(67))).toBe(402);
  });
});

describe('fromKeySegment', () => {
  it('gives back the id of every segment keySegment makes', () => {
    for (const id of ['alice', 'Alice', 'a:b/c?d', 'ünï cødé', '..', '_41', 'telegram:42', '😀']) expect(fromKeySegment(keySegment(id)), id).toBe(id);
  });
});
