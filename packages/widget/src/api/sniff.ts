/** The image types the server accepts, as it decides them: by the first bytes, whatever the name or MIME type says. */
export type ImageKind = 'png' | 'jpeg' | 'webp' | 'gif';

const ascii = (bytes: Uint8Array, from: number, text: string) => [...text].every((char, i) => bytes[from + i] === char.charCodeAt(0));

/** Reads the magic bytes of a file: PNG, JPEG, WebP or GIF, or null for anything else (SVG, HEIC, PDF, text…). */
export async function sniffImage(file: Blob): Promise<ImageKind | null> {
  const bytes = new Uint8Array(await file.slice(0, 12).arrayBuffer());
  if (bytes[0] === 0x89 && ascii(bytes, 1, 'PNG')) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return 'webp';
  if (ascii(bytes, 0, 'GIF8')) return 'gif';
  return null;
}
