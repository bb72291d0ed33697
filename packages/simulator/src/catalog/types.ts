import type { FieldMap } from './fields.js';

export type ImageFormat = 'png' | 'jpg' | 'webp';

export interface Size {
  width: number;
  height: number;
}

/** An image input by the field it came from, so failures can name the field. */
export interface ImageRef {
  field: string;
  url: string;
}

/** A model input after validation: known fields only, defaults applied. */
export type ValidInput = Record<string, unknown>;

/**
 * What the simulator renders for one prediction: the generic image engine reads only this, so everything
 * model-specific (field names, sizes, counts, formats) stays in the model's catalog entry.
 */
export type RenderPlan =
  | {
      kind: 'generate';
      prompt: string;
      seed: number;
      size: Size;
      count: number;
      format: ImageFormat;
      quality?: number;
    }
  | {
      /** Sources are changed visibly (several are combined side by side); `size` 'match-input' keeps the first source's aspect ratio. */
      kind: 'edit';
      prompt: string;
      seed: number;
      sources: ImageRef[];
      size: Size | { matchInput: true; megapixels: number };
      count: number;
      format: ImageFormat;
      quality?: number;
    }
  | {
      /** Inpainting: only where the mask has the `repaint` colour changes; outpainting grows the canvas first. */
      kind: 'fill';
      prompt: string;
      seed: number;
      image: ImageRef;
      mask?: ImageRef;
      repaint: 'white' | 'black';
      /** FLUX Fill refuses a mask of another size; Ideogram resizes it to the image. */
      resizeMask: boolean;
      /** Without a mask or outpaint, the image's transparent pixels are repainted; 'square' pads the short side. */
      outpaint?: Outpaint | 'square';
      format: ImageFormat;
    }
  | { kind: 'upscale'; image: ImageRef; scale: number; format: ImageFormat; quality?: number }
  | { kind: 'remove-bg'; image: ImageRef; background: Background; reverse: boolean; format: ImageFormat };

/** How much canvas outpainting adds on each side, as fractions of the original size. */
export interface Outpaint {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export type Background = 'transparent' | 'white' | 'green' | 'map' | 'blur' | 'overlay';

/** A rule spanning several fields; answers the 422 to send, naming the field. */
export interface CrossFieldError {
  field: string;
  description: string;
}

/**
 * One model as the simulator knows it. Adding a model is adding one of these to the catalog.
 */
export interface CatalogModel {
  slug: string;
  /** Official models are called by name; community models only by their pinned version. */
  route: { kind: 'official' } | { kind: 'version'; version: string };
  description: string;
  /** Input fields in Replicate's order. */
  fields: FieldMap;
  /** Whether extra fields are refused (catalog models) or ignored (the generic stand-in for unknown models). */
  strict: boolean;
  output: 'one' | 'list';
  check?(input: ValidInput): CrossFieldError | undefined;
  plan(input: ValidInput): RenderPlan;
}
