import { describe, expect, it } from 'vitest';
import { keySegmentLength } from '@dotbase/core';
import { fitsStorageKey, ownerIdFor } from './owner-id.js';

describe('ownerIdFor', () => {
  it('keeps ids whose storage segment is short', () => {
    for (const id of ['local', 'alice', 'telegram:123456789', 'shop:u-17', '3f2a9c1e-7b4d-4e0a-9c55-0a1b2c3d4e5f']) expect(ownerIdFor(id)).toBe(id);
  });

  it('replaces long ids by a stable digest that fits', () => {
    const long = `shop:${'A'.repeat(128)}`;
    const owner = ownerIdFor(long);
    expect(owner).toMatch(/^#[0-9a-f]{40}$/);
    expect(ownerIdFor(long)).toBe(owner);
    expect(ownerIdFor(`shop:${'A'.repeat(127)}B`)).not.toBe(owner);
    expect(fitsStorageKey(owner)).toBe(true);
    expect(fitsStorageKey(long)).toBe(false);
  });

  it('counts characters as core escapes them', () => {
    expect(keySegmentLength('abc-9')).toBe(5);
    expect(keySegmentLength('A:')).toBe(6);
    expect(keySegmentLength('\u{1f98a}')).toBe(12);
  });
});
