import { isBlobRef } from '@dotbase/core';

/**
 * The API hands out outputs (and uploads) as absolute `/files/` URLs on this server; a caller chaining one into
 * the next generation passes that URL back. It names a stored blob, so it becomes that blob's key again: the
 * ownership check then applies as to any key, and Replicate never gets a URL it may not be able to reach.
 * Anything else (an upload id, an https URL elsewhere) is returned unchanged.
 *
 * @example
 * ownFileRef('https://img.example.com/files/outputs/abc12345.png', 'https://img.example.com'); // 'outputs/abc12345.png'
 */
export function ownFileRef(ref: string, baseUrl: string): string {
  const prefix = `${baseUrl}/files/`;
  if (!ref.startsWith(prefix)) return ref;
  const key = ref.slice(prefix.length);
  return isBlobRef(key) ? key : ref;
}
