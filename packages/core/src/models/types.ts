import type { z } from 'zod';

/** The four things dotbase does with images. */
export const ACTIONS = ['create', 'edit', 'upscale', 'remove-bg'] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * How a model is called on Replicate: official models through `/models/{owner}/{name}/predictions`,
 * community models through `/predictions` with a pinned version id.
 */
export type ModelRoute =
  | { kind: 'official'; slug: string }
  | { kind: 'version'; slug: string; version: string };

/** Image inputs a model takes for one action. */
export interface ImageInputRules {
  images: { min: number; max: number };
  /** Whether a mask is accepted, and whether it is required. */
  mask: { accepted: boolean; required: boolean };
}

/**
 * dotbase's unified request, after the caller's image references have been turned into URLs Replicate can read.
 * Masks follow dotbase's convention: white = repaint, black = keep.
 */
export interface UnifiedRequest {
  action: Action;
  prompt?: string;
  settings: Record<string, unknown>;
  images: string[];
  mask?: string;
}

/**
 * A model is data: one entry declares everything dotbase knows about it. Adding a model is adding one of these.
 * `settings` is a zod object schema (strict: unknown keys are refused) over the unified settings the model can
 * honour (aspect_ratio, num_outputs, seed, output_format) and its own fields, with real enums, ranges and defaults.
 */
export interface ModelDefinition<S extends z.ZodType = z.ZodType> {
  id: string;
  name: string;
  description: string;
  /** 1 (slow) – 3 (fast), from the seed. */
  speed: 1 | 2 | 3;
  /** 1 – 5, from the seed. */
  quality: 1 | 2 | 3 | 4 | 5;
  route: ModelRoute;
  /** Per action this model serves, which images it takes. */
  actions: Partial<Record<Action, ImageInputRules>>;
  /** Whether a prompt is required, optional or not taken, per action. */
  prompt: Partial<Record<Action, 'required' | 'optional' | 'none'>>;
  settings: S;
  /** Maps validated settings + prompt + image URLs to the model's own Replicate input. */
  toInput(request: UnifiedRequest & { settings: z.output<S> }): Record<string, unknown>;
  /**
   * Rules that span several fields or depend on the images, which the settings schema (one field at a time) cannot
   * express: e.g. two fields where the model would silently ignore one. Runs after the schema passed.
   */
  check?(request: UnifiedRequest & { settings: z.output<S> }): InputIssue[];
  /** Replicate answers either one URL or a list. */
  output: 'one' | 'list';
  /** Which colour of the mask this model repaints; dotbase converts from white-repaints when it differs. */
  maskRepaint?: 'white' | 'black';
}

/**
 * One reason a request was refused, as carried in `DotbaseError('invalid_input').details.issues`.
 * `path` names the caller's field (`settings.aspect_ratio`, `input_images`, `mask`, `prompt`, `action`).
 */
export interface InputIssue {
  path: string;
  message: string;
  /** For a value outside a fixed set: the values that would have been accepted. */
  allowed?: readonly unknown[];
}

/** What `GET /api/models/list` shows per (model, action). */
export interface ModelSummary {
  id: string;
  action: Action;
  name: string;
  description: string;
  speed: number;
  quality: number;
  settings_schema: Record<string, unknown>;
  inputs: { images: { min: number; max: number }; mask: boolean; mask_required: boolean; prompt: 'required' | 'optional' | 'none' };
}

/** The result of preparing a unified request for one model. */
export interface PreparedInput {
  model: ModelDefinition;
  /** Validated settings with defaults applied: stored with the generation. */
  settings: Record<string, unknown>;
  input: Record<string, unknown>;
}
