import { ACTIONS, GENERATION_STATUSES, MAX_BATCH_ITEMS, WEBHOOK_EVENTS } from '@dotbase/core';
import { z } from 'zod';
import { MAX_EMBED_TTL_SECONDS } from './auth/embed-tokens.js';

/**
 * Every request and response shape of the HTTP API, in one place: routes validate with them and
 * `/openapi.json` is generated from them, so the document cannot drift from what the server does.
 */

const imageRef = z.string().min(1).max(4096).describe('An upload id (from POST /api/uploads) or an https URL');

const SETTING_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const SETTING_NAME_MESSAGE = 'setting names are lower-case snake_case';

/**
 * Setting names are snake_case. zod drops a `__proto__` key silently (so it cannot replace the prototype), which
 * would let `{"__proto__": …}` pass as "no settings": it is refused by name first.
 */
const settingsSchema = z.preprocess((value, context) => {
  if (value !== null && typeof value === 'object' && Object.hasOwn(value, '__proto__')) {
    context.issues.push({ code: 'custom', message: SETTING_NAME_MESSAGE, path: ['__proto__'], input: value });
    return z.NEVER;
  }
  return value;
}, z.record(z.string().regex(SETTING_NAME, SETTING_NAME_MESSAGE), z.unknown()));

/** `webhook` and `webhook_events_filter`, on a create and on a batch. */
export const webhookFields = {
  webhook: z
    .string()
    .max(2048)
    .optional()
    .describe('POST the generation here on each change, signed per Standard Webhooks (https on a public address, or a host in DOTBASE_WEBHOOK_ALLOWED_HOSTS)'),
  webhook_events_filter: z
    .array(z.enum(WEBHOOK_EVENTS))
    .min(1)
    .max(WEBHOOK_EVENTS.length)
    .optional()
    .describe('Which changes to send (default: all)'),
};

export function createGenerationBodySchema(maxPromptLength: number) {
  return z.strictObject({
    action: z.enum(ACTIONS),
    model_id: z.string().min(1).max(100),
    prompt: z.string().max(maxPromptLength, `must be at most ${maxPromptLength} characters`).optional(),
    settings: settingsSchema.optional().describe("The model's settings; see settings_schema in GET /api/models/list"),
    input_images: z.array(imageRef).max(16).optional(),
    mask: imageRef.optional().describe('White repaints, black keeps'),
    ...webhookFields,
  });
}

/** `POST /api/batches`: up to 100 create requests, checked item by item (an error names `items.<index>`). */
export function createBatchBodySchema(maxPromptLength: number) {
  const item = createGenerationBodySchema(maxPromptLength).omit({ webhook: true, webhook_events_filter: true });
  return z.strictObject({
    items: z.array(item).min(1, 'must list at least one item').max(MAX_BATCH_ITEMS, `must list at most ${MAX_BATCH_ITEMS} items`),
    ...webhookFields,
  });
}

const page = z.coerce.number().int().min(1, 'must be 1 or more').max(100_000).default(1);

export const listGenerationsQuerySchema = z.object({
  page,
  limit: z.coerce.number().int().min(1, 'must be 1 or more').max(100, 'must be at most 100').default(20),
  action: z.enum(ACTIONS).optional(),
  status: z.enum(GENERATION_STATUSES).optional(),
  q: z.string().trim().min(1).max(200, 'must be at most 200 characters').optional().describe('Only generations whose prompt contains this (case-insensitive)'),
  favorite: z
    .enum(['true'], { message: 'must be true (leave it out for all generations)' })
    .transform(() => true as const)
    .optional()
    .describe('`true`: only the starred generations'),
});

export const listUploadsQuerySchema = z.object({
  page,
  limit: z.coerce.number().int().min(1).max(100, 'must be at most 100').default(20),
});

export const listBatchesQuerySchema = z.object({
  page,
  limit: z.coerce.number().int().min(1).max(100, 'must be at most 100').default(20),
});

export const modelsQuerySchema = z.object({ action: z.enum(ACTIONS).optional() });

export const statsQuerySchema = z.object({
  hours: z.coerce.number().int().min(1).max(24 * 90, 'must be at most 2160 (90 days)').default(24),
});

const origin = z.string().refine((value) => {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}, 'must be an origin like https://shop.example (no path, no trailing slash)');

export const embedTokenBodySchema = z.strictObject({
  user_id: z
    .string()
    .regex(/^[A-Za-z0-9_.@-]{1,128}$/, 'must be 1–128 letters, digits, _ . @ -'),
  origins: z.array(origin).min(1, 'must list at least one origin').max(20),
  ttl_seconds: z.number().int().min(1).max(MAX_EMBED_TTL_SECONDS).optional(),
});

/** Either a Login Widget payload (its own fields) or `{ init_data }` from a Mini App. */
export const telegramBodySchema = z.union([
  z.strictObject({ init_data: z.string().min(1).max(16_384) }),
  z.looseObject({
    id: z.union([z.number(), z.string()]),
    auth_date: z.union([z.number(), z.string()]),
    hash: z.string(),
    username: z.string().optional(),
    first_name: z.string().optional(),
    last_name: z.string().optional(),
    photo_url: z.string().optional(),
  }),
]);

export const tokenPatchBodySchema = z.strictObject({ is_active: z.boolean() });

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export const generationSchema = z.object({
  id: z.string(),
  action: z.enum(ACTIONS),
  model_id: z.string(),
  prompt: z.string().nullable(),
  settings: z.record(z.string(), z.unknown()),
  status: z.enum(GENERATION_STATUSES),
  progress: z.number().min(0).max(100).nullable().describe('Percent parsed from the model logs; null when it prints none'),
  prediction_id: z.string().nullable(),
  output_urls: z.array(z.string()).describe("Absolute URLs of the outputs in dotbase's own storage"),
  input_images: z.array(z.string()),
  mask: z.string().nullable(),
  error: z.string().nullable(),
  processing_time_ms: z.number().nullable(),
  created_at: z.number().describe('Epoch milliseconds'),
  completed_at: z.number().nullable(),
  favorite: z.boolean().describe('Starred by its owner (PUT/DELETE /api/generations/{id}/favorite)'),
});

export const generationPageSchema = z.object({
  items: z.array(generationSchema),
  page: z.number(),
  limit: z.number(),
  total: z.number(),
});

export const modelSummarySchema = z.object({
  id: z.string(),
  action: z.enum(ACTIONS),
  name: z.string(),
  description: z.string(),
  speed: z.number(),
  quality: z.number(),
  settings_schema: z.record(z.string(), z.unknown()).describe('JSON Schema of the settings'),
  inputs: z.object({
    images: z.object({ min: z.number(), max: z.number() }),
    mask: z.boolean(),
    mask_required: z.boolean(),
    prompt: z.enum(['required', 'optional', 'none']),
  }),
});

export const uploadSchema = z.object({
  id: z.string().describe('Pass it in input_images or mask'),
  url: z.string(),
  content_type: z.string(),
  size: z.number(),
  width: z.number(),
  height: z.number(),
  created_at: z.number(),
});

export const healthSchema = z.object({
  status: z.literal('ok'),
  mode: z.enum(['simulator', 'replicate']),
  version: z.string(),
  limits: z.object({
    max_upload_bytes: z.number().describe('Uploads larger than this are refused with 413; check before sending'),
    max_prompt_length: z.number(),
  }),
  sign_in: z.object({
    telegram: z
      .object({ bot_id: z.number(), bot_username: z.string().nullable().describe('For the Telegram Login Widget (TELEGRAM_BOT_USERNAME)') })
      .nullable()
      .describe('Set when Telegram sign-in (POST /api/auth/telegram) is configured'),
    api_keys: z.boolean().describe('API keys are configured: pages can embed the studio with embed tokens'),
    anonymous: z.boolean().describe('No sign-in: everyone is the local admin (loopback only)'),
  }),
});

export const meSchema = z.object({
  user: z.object({ id: z.string(), username: z.string().optional() }),
  is_admin: z.boolean(),
});

export const tokenStatsSchema = z.object({
  id: z.string().describe('A digest-derived id; never the token'),
  is_active: z.boolean(),
  request_count: z.number(),
  error_count: z.number(),
  in_flight: z.number(),
  last_used_at: z.number().nullable(),
  last_error: z.string().nullable(),
  cooldown_until: z.number().nullable(),
});

export const TOKEN_STATUSES = ['ready', 'busy', 'cooling', 'disabled'] as const;

export const adminTokenSchema = tokenStatsSchema.extend({
  status: z.enum(TOKEN_STATUSES).describe('disabled: switched off; cooling: resting after a 429 until cooldown_until; busy: leases in flight; ready: idle'),
});

const statusCounts = z.partialRecord(z.enum(GENERATION_STATUSES), z.number());

export const activitySchema = z.object({
  since: z.number(),
  now: z.number(),
  bucket_ms: z.number(),
  rows: z.array(
    z.object({
      action: z.enum(ACTIONS),
      status: z.enum(GENERATION_STATUSES),
      count: z.number(),
      avg_processing_time_ms: z.number().nullable(),
      p95_processing_time_ms: z.number().nullable().describe('Within 10 % of the true 95th percentile'),
    }),
  ),
  series: z.array(z.object({ start: z.number(), counts: statusCounts })),
  failure_reasons: z.array(z.object({ reason: z.string(), count: z.number() })),
  recent_failures: z.array(
    z.object({
      id: z.string(),
      user_id: z.string(),
      action: z.enum(ACTIONS),
      model_id: z.string(),
      error: z.string(),
      created_at: z.number(),
      completed_at: z.number().nullable(),
    }),
  ),
});

export const adminUsersSchema = z.object({
  items: z.array(z.object({ user_id: z.string(), total: z.number(), counts: statusCounts })).describe('Most generations first'),
  total: z.number(),
});

export const adminUsersQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const statsSchema = z.object({
  since: z.number(),
  items: z.array(
    z.object({
      action: z.enum(ACTIONS),
      status: z.enum(GENERATION_STATUSES),
      count: z.number(),
      avg_processing_time_ms: z.number().nullable(),
    }),
  ),
});

export const webhookSecretSchema = z.object({ key: z.string().describe('whsec_…: verify deliveries with it (Standard Webhooks)') });

export const deliverySchema = z.object({
  id: z.string().describe('The webhook-id header: the same on every try'),
  event: z.enum(WEBHOOK_EVENTS),
  url: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  created_at: z.number(),
  next_attempt_at: z.number().nullable(),
  attempts: z.array(
    z.object({
      at: z.number(),
      status_code: z.number().nullable().describe("The receiver's HTTP status; null when it did not answer"),
      error: z.string().nullable(),
      duration_ms: z.number(),
    }),
  ),
});

export const deliveriesSchema = z.object({ items: z.array(deliverySchema) });

export const batchSchema = z.object({
  id: z.string(),
  status: z.enum(['pending', 'processing', 'completed', 'canceled']),
  items: z.array(z.string()).describe('Generation ids, in the order of the request'),
  counts: z.object(Object.fromEntries(GENERATION_STATUSES.map((status) => [status, z.number()])) as Record<(typeof GENERATION_STATUSES)[number], z.ZodNumber>),
  generations: z.array(
    z.object({
      id: z.string(),
      index: z.number(),
      model_id: z.string().nullable(),
      status: z.enum(GENERATION_STATUSES).nullable(),
      progress: z.number().nullable(),
      output_urls: z.array(z.string()),
      error: z.string().nullable(),
    }),
  ),
  webhook: z.string().nullable(),
  created_at: z.number(),
  canceled_at: z.number().nullable(),
});

export const batchPageSchema = z.object({ items: z.array(batchSchema), page: z.number(), limit: z.number(), total: z.number() });
