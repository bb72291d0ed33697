import sharp, { type Sharp } from 'sharp';
import type { Outpaint, Size } from '../catalog/types.js';
import type { LoadedImage } from './load.js';
import { pictureSvg } from './picture.js';

export interface FillRequest {
  prompt: string;
  seed: number;
  image: LoadedImage;
  mask?: LoadedImage;
  repaint: 'white' | 'black';
  resizeMask: boolean;
  outpaint?: Outpaint | 'square';
}

async function rawRgb(bytes: Buffer | Sharp, size: Size): Promise<Buffer> {
  const image = Buffer.isBuffer(bytes) ? sharp(bytes) : bytes;
  return image.resize(size.width, size.height, { fit: 'fill' }).removeAlpha().raw().toBuffer();
}

/** Per pixel, how much to repaint (0–255): from the mask, or from the image's own transparency. */
async function repaintWeights(request: FillRequest, size: Size): Promise<Buffer> {
  const { image, mask } = request;
  if (!mask) {
    if (!image.hasAlpha) throw new Error('No mask was given and the image has no transparent area to fill');
    return sharp(image.bytes).ensureAlpha().extractChannel('alpha').negate().raw().toBuffer();
  }
  if (!request.resizeMask && (mask.width !== image.width || mask.height !== image.height)) {
    throw new Error(`The mask (${mask.width}x${mask.height}) must have the same size as the image (${image.width}x${image.height})`);
  }
  const grey = sharp(mask.bytes).resize(size.width, size.height, { fit: 'fill' }).flatten({ background: '#000000' }).greyscale();
  return (request.repaint === 'black' ? grey.negate() : grey).raw().toBuffer();
}

/** Blends a generated picture into the image by weight: pixels with weight 0 stay exactly as they were. */
async function inpaint(request: FillRequest): Promise<Sharp> {
  const size = { width: request.image.width, height: request.image.height };
  const [base, painted, weights] = await Promise.all([
    rawRgb(request.image.bytes, size),
    rawRgb(sharp(Buffer.from(pictureSvg(request.prompt, request.seed, size))), size),
    repaintWeights(request, size),
  ]);
  const out = Buffer.alloc(base.length);
  for (let pixel = 0; pixel < weights.length; pixel++) {
    const weight = weights[pixel]!;
    for (let channel = 0; channel < 3; channel++) {
      const at = pixel * 3 + channel;
      out[at] = Math.round((base[at]! * (255 - weight) + painted[at]! * weight) / 255);
    }
  }
  return sharp(out, { raw: { width: size.width, height: size.height, channels: 3 } });
}

/** Outpainting: a generated picture fills the grown canvas and the original sits unchanged inside it. */
async function outpaint(request: FillRequest, grow: Outpaint | 'square'): Promise<Sharp> {
  const { width, height } = request.image;
  const sides =
    grow === 'square'
      ? {
          left: (Math.max(width, height) - width) / 2 / width,
          right: (Math.max(width, height) - width) / 2 / width,
          top: (Math.max(width, height) - height) / 2 / height,
          bottom: (Math.max(width, height) - height) / 2 / height,
        }
      : grow;
  const left = Math.round(width * sides.left);
  const top = Math.round(height * sides.top);
  const size = { width: left + width + Math.round(width * sides.right), height: top + height + Math.round(height * sides.bottom) };
  const original = await sharp(request.image.bytes).removeAlpha().png().toBuffer();
  return sharp(Buffer.from(pictureSvg(request.prompt, request.seed, size))).composite([{ input: original, left, top }]);
}

/** Inpainting and outpainting (FLUX Fill Pro, Ideogram with image + mask). */
export function fillImage(request: FillRequest): Promise<Sharp> {
  return request.outpaint ? outpaint(request, request.outpaint) : inpaint(request);
}
