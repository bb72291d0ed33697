import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** A real image of the given format: a blue square with a white disc, so edits have something to work on. */
export async function sampleImage(format: 'png' | 'jpeg' | 'webp' | 'gif' = 'png', width = 256, height = 256): Promise<Uint8Array> {
  const disc = Buffer.from(
    `<svg width="${width}" height="${height}"><circle cx="${width / 2}" cy="${height / 2}" r="${Math.min(width, height) / 4}" fill="#ffffff"/></svg>`,
  );
  const image = sharp({ create: { width, height, channels: 3, background: '#2050c0' } }).composite([{ input: disc }]);
  return new Uint8Array(await image.toFormat(format).toBuffer());
}

/** White (repaint) on the left half, black (keep) elsewhere. */
export async function sampleMask(width = 256, height = 256): Promise<Uint8Array> {
  const left = Buffer.from(`<svg width="${width}" height="${height}"><rect x="0" y="0" width="${width / 2}" height="${height}" fill="#ffffff"/></svg>`);
  return new Uint8Array(await sharp({ create: { width, height, channels: 3, background: '#000000' } }).composite([{ input: left }]).png().toBuffer());
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A decompression bomb: a valid PNG header announcing `width × height` pixels (a gigapixel by default) in a file of
 * a few hundred bytes. Decoding it would need gigabytes; the server must refuse it from the header.
 */
export function pixelBombPng(width = 40_000, height = 40_000): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(Buffer.alloc(width + 1))),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

export const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>');
