import { describe, expect, it } from 'vitest';
import { refFromFileUrl, urlForRef } from './files.js';

describe('file references', () => {
  it('turns dotbase file URLs into blob keys and leaves other URLs alone', () => {
    expect(refFromFileUrl('http://127.0.0.1:8787/files/outputs/AbCdEf123456.png')).toBe('outputs/AbCdEf123456.png');
    expect(refFromFileUrl('https://cdn.example.com/v1/uploads/abcdefgh_-12.webp')).toBe('uploads/abcdefgh_-12.webp');
    expect(refFromFileUrl('https://example.com/cat.png')).toBe('https://example.com/cat.png');
    expect(refFromFileUrl('not a url')).toBe('not a url');
  });

  it('turns stored keys back into file URLs on the endpoint', () => {
    expect(urlForRef('https://api.example.com', 'uploads/abcdefgh12.png')).toBe('https://api.example.com/files/uploads/abcdefgh12.png');
    expect(urlForRef('', 'outputs/abcdefgh12.webp')).toBe('/files/outputs/abcdefgh12.webp');
    expect(urlForRef('https://api.example.com', 'https://cdn.example.com/a.png')).toBe('https://cdn.example.com/a.png');
  });
});
