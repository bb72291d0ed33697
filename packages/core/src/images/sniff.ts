/** Image types dotbase stores. SVG is deliberately absent: it can carry scripts. */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/**
 * Decides an image's type from its first bytes, never from a name or a declared header, which callers control.
 * Returns null for anything that is not PNG, JPEG, WebP or GIF.
 */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  // RIFF....WEBP
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) {
    return 'image/webp';
  }
  return null;
}

/** Image operations that need a native image library; the Node entry provides them with sharp. */
export interface ImageTools {
  /** Swaps black and white of a mask, for models that repaint black where dotbase's convention repaints white. */
  invertMask(bytes: Uint8Array): Promise<{ bytes: Uint8Array; contentType: string }>;
}
