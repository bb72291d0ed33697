import type { Rng } from './prng.js';

/** 100k characters: far past every field limit, and past the JSON body limit once wrapped in a request. */
export const HUGE_LENGTH = 100_000;

/**
 * Strings that break naive code: lone surrogates, bidi overrides, zero-width and combining characters, emoji,
 * NUL and control characters, path and markup fragments, prototype keys, and sheer length.
 */
const ODD_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83dy',
  '\u202eevil.png\u202c',
  '\u200f\u0627\u0644\u0639\u0631\u0628\u064a\u0629\u200e',
  '\u200b\u200c\u200d\ufeff',
  '\ufeff',
  'e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301',
  '\ud83d\udc69\u200d\ud83d\udc69\u200d\ud83d\udc67\u200d\ud83d\udc66',
  '\ud83c\uddfa\ud83c\udde6\ud83e\udd8a',
  '\u0007\u0008\u001b[31m\u007f',
  '\r\n\r\nHTTP/1.1 200 OK',
  '\ufffd\ufffe\uffff',
  '\u{10ffff}',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2f',
  '%00',
  '<script>alert(1)</script>',
  '"; DROP TABLE generations; --',
  '${process.env}',
  '{{constructor.constructor("return process")()}}',
  '__proto__',
  'constructor',
  'prototype',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
  'true',
];

/** One odd string, sometimes repeated to a medium length (still under most limits). */
export function oddString(rng: Rng): string {
  const base = rng.pick(ODD_STRINGS);
  return rng.chance(0.15) && base.length > 0 ? base.repeat(rng.int(20, 200)) : base;
}

/** A string of `length` characters made of one odd unit (an astral emoji counts as two, like JS does). */
export function hugeString(rng: Rng, length: number = HUGE_LENGTH): string {
  const unit = rng.pick(['x', '\u{1f98a}', '\u200b', 'e\u0301', '\u202e', '\u0000']);
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/**
 * Percent-encodes a string for a URL path segment as raw bytes: lone surrogates become their (invalid) 3-byte
 * UTF-8 forms, which `encodeURIComponent` refuses to produce but a hostile client can send.
 */
export function encodeSegment(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const isHigh = code >= 0xd800 && code <= 0xdbff;
    const next = value.charCodeAt(i + 1);
    if (isHigh && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(value.slice(i, i + 2));
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(value[i] as string);
    }
  }
  return out;
}

/** Raw path segments sent as they are: traversal, broken and double encodings, separators. */
export const ODD_RAW_SEGMENTS: readonly string[] = [
  '..',
  '%2e%2e',
  '%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '%252e%252e%252f',
  '%E0%A4%A',
  '%',
  '%%',
  '%zz',
  '%C0%AE%C0%AE',
  '%ED%A0%80',
  '%FF%FE',
  '%00',
  'a%00b',
  '..%5c..%5cwindows',
  'a;b=c',
  '%3Fq=1',
  '%23frag',
  '%20',
];
