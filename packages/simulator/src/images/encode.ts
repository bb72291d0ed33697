import type { Sharp } from 'sharp';
import type { ImageFormat } from '../catalog/types.js';

const CONTENT_TYPES: Record<ImageFormat, string> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' };

export function contentTypeOf(format: ImageFormat): string {
  return CONTENT_TYPES[format];
}

/** Every output says in its EXIF that it is simulated, so a copied file still tells where it came from. */
const SIMULATED_EXIF = {
  IFD0: {
    ImageDescription: 'SIMULATED image made by @dotbase/simulator; not the output of a real model',
    Software: '@dotbase/simulator',
  },
};

export function encode(image: Sharp, format: ImageFormat, quality?: number): Promise<Buffer> {
  const tagged = image.withExif(SIMULATED_EXIF);
  const options = quality === undefined ? {} : { quality: Math.max(1, quality) };
  switch (format) {
    case 'png':
      return tagged.png().toBuffer();
    case 'jpg':
      return tagged.flatten({ background: '#ffffff' }).jpeg(options).toBuffer();
    case 'webp':
      return tagged.webp(options).toBuffer();
  }
}
