/**
 * The shapes of dotbase's HTTP API as the browser sees them (snake_case, as on the wire). They mirror
 * `@dotbase/server`; the widget keeps its own copy so its bundle never pulls server or zod code.
 */

export const ACTIONS = ['create', 'edit', 'upscale', 'remove-bg'] as const;
export type Action = (typeof ACTIONS)[number];

export const GENERATION_STATUSES = ['pending', 'processing', 'completed', 'failed', 'canceled'] as const;
export type GenerationStatus = (typeof GENERATION_STATUSES)[number];

export function isAction(value: unknown): value is Action {
  return typeof value === 'string' && (ACTIONS as readonly string[]).includes(value);
}

export function isTerminal(status: GenerationStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'canceled';
}

/** The subset of JSON Schema that zod 4's `toJSONSchema` produces for model settings. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  default?: unknown;
  description?: string;
  title?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

export interface ModelInputs {
  images: { min: number; max: number };
  mask: boolean;
  mask_required: boolean;
  prompt: 'required' | 'optional' | 'none';
}

export interface ModelInfo {
  id: string;
  action: Action;
  name: string;
  description: string;
  /** 1 (slow) – 3 (fast). */
  speed: number;
  /** 1 – 5. */
  quality: number;
  settings_schema: JsonSchema;
  inputs: ModelInputs;
}

export interface Generation {
  id: string;
  action: Action;
  model_id: string;
  prompt: string | null;
  settings: Record<string, unknown>;
  status: GenerationStatus;
  /** 0–100, or null when the model reports none. */
  progress: number | null;
  output_urls: string[];
  error: string | null;
  processing_time_ms: number | null;
  /** Epoch milliseconds. */
  created_at: number;
  completed_at: number | null;
  input_images?: string[];
  mask?: string | null;
  /** Starred by the user (absent from servers before favorites). */
  favorite?: boolean;
}

export interface GenerationPage {
  items: Generation[];
  page: number;
  limit: number;
  total: number;
}

export interface CreateGenerationBody {
  action: Action;
  model_id: string;
  prompt?: string;
  settings: Record<string, unknown>;
  /** Upload ids or https URLs. */
  input_images?: string[];
  mask?: string;
}

export interface CreatedGeneration {
  id: string;
  prediction_id: string | null;
  status: GenerationStatus;
}

export interface Health {
  status: string;
  mode: 'simulator' | 'replicate';
  version: string;
  /** Older servers do not publish these; the widget then checks nothing before sending. */
  limits?: { max_upload_bytes: number; max_prompt_length: number };
  sign_in?: SignInMethods;
}

/** How people get into this server (from `/api/health`). */
export interface SignInMethods {
  telegram: { bot_id: number; bot_username: string | null } | null;
  api_keys: boolean;
  anonymous: boolean;
}

export interface Me {
  user: { id: string; username?: string };
  is_admin: boolean;
}

export interface Upload {
  id: string;
  url: string;
}

export interface ListQuery {
  page: number;
  limit: number;
  action?: Action;
  status?: GenerationStatus;
  /** Prompt text to search for. */
  q?: string;
  /** Only the starred generations. */
  favorite?: boolean;
}
