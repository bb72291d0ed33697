import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv, ServerContext } from '../context.js';
import { MAX_WAIT_SECONDS } from '../http/prefer-wait.js';
import {
  batchPageSchema,
  batchSchema,
  deliveriesSchema,
  embedTokenBodySchema,
  errorSchema,
  generationPageSchema,
  generationSchema,
  healthSchema,
  listBatchesQuerySchema,
  listGenerationsQuerySchema,
  listUploadsQuerySchema,
  meSchema,
  modelsQuerySchema,
  modelSummarySchema,
  statsQuerySchema,
  statsSchema,
  telegramBodySchema,
  tokenPatchBodySchema,
  adminTokenSchema,
  activitySchema,
  adminUsersSchema,
  adminUsersQuerySchema,
  uploadSchema,
  webhookSecretSchema,
} from '../schemas.js';

type Schema = z.ZodType;

interface Operation {
  /** The `operationId`: what client generators name the method (unique across the document). */
  id: string;
  summary: string;
  auth?: 'user' | 'admin' | 'api-key' | 'none';
  query?: z.ZodObject;
  body?: Schema;
  multipart?: boolean;
  response: Schema | null;
  status?: number;
  sse?: boolean;
  /** Answers with the stored file's bytes (its own content type). */
  file?: boolean;
  /** Descriptions of path parameters that need one. */
  pathDescriptions?: Record<string, string>;
  headers?: Array<{ name: string; description: string; schema: Record<string, unknown> }>;
}

const json = (schema: Schema, io: 'input' | 'output') => z.toJSONSchema(schema, { io, unrepresentable: 'any' });
const errorResponse = { description: 'Error', content: { 'application/json': { schema: json(errorSchema, 'output') } } };

function queryParameters(schema: z.ZodObject) {
  const document = json(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(document.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: document.required?.includes(name) ?? false,
    schema: property,
  }));
}

function operation(op: Operation, pathParams: string[]) {
  const status = String(op.status ?? 200);
  const content = op.file
    ? { 'application/octet-stream': { schema: { type: 'string', format: 'binary', description: 'The image, with its own Content-Type (image/png, image/jpeg, image/webp, image/gif)' } } }
    : op.sse
    ? { 'text/event-stream': { schema: { type: 'string', description: '`event: generation` messages; data is a generation (see GET /api/generations/{id})' } } }
    : op.response
      ? { 'application/json': { schema: json(op.response, 'output') } }
      : undefined;
  return {
    operationId: op.id,
    summary: op.summary,
    ...(op.auth === 'none' ? { security: [] } : {}),
    parameters: [
      ...pathParams.map((name) => ({
        name,
        in: 'path',
        required: true,
        ...(op.pathDescriptions?.[name] ? { description: op.pathDescriptions[name] } : {}),
        schema: { type: 'string' },
      })),
      ...(op.query ? queryParameters(op.query) : []),
      ...(op.headers ?? []).map(({ name, description, schema }) => ({ name, in: 'header', required: false, description, schema })),
    ],
    ...(op.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: json(op.body, 'input') } } } }
      : op.multipart
        ? {
            requestBody: {
              required: true,
              content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } } },
            },
          }
        : {}),
    responses: { [status]: { description: 'OK', ...(content ? { content } : {}) }, default: errorResponse },
    ...(op.auth === 'admin' ? { description: 'Admins only.' } : op.auth === 'api-key' ? { description: 'Needs an API key.' } : {}),
  };
}

/**
 * The document, built from the same zod schemas the routes validate with. Its `servers` entry is where the API is
 * reached: the public URL when one is set, else the path the app is mounted under (relative to the document's own
 * origin), so clients generated from it call `/dotbase/api/...` when the app is mounted at `/dotbase`.
 */
export function buildOpenApi(
  ctx: Pick<ServerContext, 'version' | 'createBodySchema' | 'batchBodySchema'> & Partial<Pick<ServerContext, 'basePath' | 'publicUrl'>>,
): Record<string, unknown> {
  const idempotencyKey = (what: string) => ({
    name: 'Idempotency-Key',
    description: `Any unique string (1–255 visible ASCII, e.g. a UUID). A retry with the same key and body answers the ${what} the first request created (with \`Idempotent-Replayed: true\`) instead of starting another; the same key with a different body is a 422 \`idempotency_key_reused\`. Keys are per user and kept 24 h.`,
    schema: { type: 'string', example: '5b1c6a1e-3c2f-4f0e-9d0c-1a2b3c4d5e6f' },
  });
  const routes: Record<string, Record<string, Operation>> = {
    '/api/health': { get: { id: 'getHealth', summary: 'Health and mode (simulator or replicate)', auth: 'none', response: healthSchema } },
    '/api/models/list': { get: { id: 'listModels', summary: 'Models per action, with settings as JSON Schema', query: modelsQuerySchema, response: z.object({ items: z.array(modelSummarySchema) }) } },
    '/api/generations/create': {
      post: {
        id: 'createGeneration',
        summary: 'Start a generation',
        body: ctx.createBodySchema,
        response: generationSchema,
        status: 201,
        headers: [
          {
            name: 'Prefer',
            description: `\`wait\` or \`wait=<1–${MAX_WAIT_SECONDS}>\` (as Replicate's sync mode): answer once the generation has ended, or as it stands after that many seconds (a bare \`wait\` is ${MAX_WAIT_SECONDS}).`,
            schema: { type: 'string', example: 'wait=30' },
          },
          {
            name: 'Idempotency-Key',
            description:
              'Any unique string (1–255 visible ASCII, e.g. a UUID). A retry with the same key and body answers the generation the first request created (with `Idempotent-Replayed: true`) instead of starting another; the same key with a different body is a 422 `idempotency_key_reused`. Keys are per user and kept 24 h.',
            schema: { type: 'string', example: '5b1c6a1e-3c2f-4f0e-9d0c-1a2b3c4d5e6f' },
          },
        ],
      },
    },
    '/api/generations/list': { get: { id: 'listGenerations', summary: "The caller's generations, newest first", query: listGenerationsQuerySchema, response: generationPageSchema } },
    '/api/generations/{id}': {
      get: { id: 'getGeneration', summary: 'One generation', response: generationSchema },
      delete: { id: 'deleteGeneration', summary: 'Delete a generation and its output files', response: null, status: 204 },
    },
    '/api/generations/{id}/favorite': {
      put: { id: 'starGeneration', summary: 'Star a generation (history can be filtered to starred ones with favorite=true)', response: generationSchema },
      delete: { id: 'unstarGeneration', summary: 'Unstar a generation', response: generationSchema },
    },
    '/api/generations/{id}/cancel': { post: { id: 'cancelGeneration', summary: 'Cancel a running generation', response: generationSchema } },
    '/api/generations/{id}/events': { get: { id: 'streamGenerationEvents', summary: 'Live status as Server-Sent Events until a terminal status', response: null, sse: true } },
    '/api/generations/{id}/deliveries': { get: { id: 'listGenerationDeliveries', summary: "The generation's outgoing webhooks: each try and the receiver's answer", response: deliveriesSchema } },
    '/api/webhooks/secret': { get: { id: 'getWebhookSecret', summary: 'Your webhook signing secret (Standard Webhooks), made on first use', response: webhookSecretSchema } },
    '/api/webhooks/secret/rotate': { post: { id: 'rotateWebhookSecret', summary: 'Replace your webhook signing secret; later deliveries use the new one', response: webhookSecretSchema } },
    '/api/batches': {
      post: { id: 'createBatch', summary: 'Run up to 100 creates as one batch (every item checked first)', body: ctx.batchBodySchema, response: batchSchema, status: 201, headers: [idempotencyKey('batch')] },
      get: { id: 'listBatches', summary: "The caller's batches, newest first", query: listBatchesQuerySchema, response: batchPageSchema },
    },
    '/api/batches/{id}': { get: { id: 'getBatch', summary: 'One batch, with progress as counts', response: batchSchema } },
    '/api/batches/{id}/cancel': { post: { id: 'cancelBatch', summary: 'Cancel a batch: waiting items end at once, running ones are cancelled', response: batchSchema } },
    '/api/batches/{id}/download': { get: { id: 'downloadBatch', summary: "A ZIP of the batch's outputs (001-<model>.png …), streamed; 409 while it runs", response: null } },
    '/api/uploads': {
      post: { id: 'createUpload', summary: 'Upload an image (PNG, JPEG, WebP, GIF) for input_images or mask', multipart: true, response: uploadSchema, status: 201 },
      get: { id: 'listUploads', summary: "The caller's uploads, newest first", query: listUploadsQuerySchema, response: z.object({
          items: z.array(uploadSchema),
          page: z.number(),
          limit: z.number(),
          total: z.number(),
          usage: z.object({ bytes: z.number(), count: z.number(), max_bytes: z.number(), max_count: z.number() }),
        }),
      },
    },
    '/api/uploads/{name}': { delete: { id: 'deleteUpload', summary: 'Delete one of your uploads (id `uploads/<name>`): the file and its entry', response: null, status: 204 } },
    '/api/webhooks/replicate': { post: { id: 'receiveReplicateWebhook', summary: "Replicate's prediction webhooks (signed)", auth: 'none', response: z.object({ ok: z.boolean(), duplicate: z.boolean().optional() }) } },
    '/api/auth/telegram': { post: { id: 'signInWithTelegram', summary: 'Sign in with a Telegram Login Widget payload or Mini App initData', auth: 'none', body: telegramBodySchema, response: meSchema } },
    '/api/auth/me': { get: { id: 'getMe', summary: 'Who the caller is', response: meSchema } },
    '/api/auth/logout': { post: { id: 'logout', summary: 'End the session', auth: 'none', response: null, status: 204 } },
    '/api/auth/embed-tokens': {
      post: { id: 'createEmbedToken', summary: 'Mint a short-lived token for one end user and page origins', auth: 'api-key', body: embedTokenBodySchema, response: z.object({ token: z.string(), expires_at: z.number() }), status: 201 },
    },
    '/api/admin/tokens': { get: { id: 'listTokens', summary: 'Token-pool monitoring', auth: 'admin', response: z.object({ items: z.array(adminTokenSchema) }) } },
    '/api/admin/tokens/{id}': { patch: { id: 'updateToken', summary: 'Enable or disable a token', auth: 'admin', body: tokenPatchBodySchema, response: adminTokenSchema } },
    '/api/admin/activity': {
      get: { id: 'getActivity', summary: 'The last hours (default 24): counts, average and p95 time by action and status, a per-hour series, failure reasons, recent failures', auth: 'admin', query: statsQuerySchema, response: activitySchema },
    },
    '/api/admin/users': { get: { id: 'listUsers', summary: 'Users with their generation counts by status, most generations first', auth: 'admin', query: adminUsersQuerySchema, response: adminUsersSchema } },
    '/files/{key}': {
      get: {
        id: 'getFile',
        summary: 'A stored upload or output, by the key in its URL (no credentials: keys are unguessable); cached as immutable',
        auth: 'none',
        response: null,
        file: true,
        pathDescriptions: { key: 'The file key, e.g. `uploads/…` or `outputs/…`; it contains `/`, sent as is' },
      },
    },
    '/api/admin/stats': { get: { id: 'getStats', summary: 'Counts and average time by action and status', auth: 'admin', query: statsQuerySchema, response: statsSchema } },
  };
  const paths = Object.fromEntries(
    Object.entries(routes).map(([path, methods]) => {
      const params = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
      return [path, Object.fromEntries(Object.entries(methods).map(([method, op]) => [method, operation(op, params)]))];
    }),
  );
  return {
    openapi: '3.1.0',
    info: { title: 'dotbase', version: ctx.version, description: 'AI image generation on Replicate: create, edit, upscale, remove background.' },
    servers: [{ url: ctx.publicUrl ?? (ctx.basePath || '/') }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key from DOTBASE_API_KEYS or an embed token' },
        session: { type: 'apiKey', in: 'cookie', name: 'dotbase_session' },
      },
    },
    security: [{ bearer: [] }, { session: [] }],
    paths,
  };
}

/** `GET /openapi.json`. */
export function openApiRoutes(ctx: ServerContext) {
  let document: Record<string, unknown> | undefined;
  return new Hono<AppEnv>().get('/openapi.json', (c) => c.json((document ??= buildOpenApi(ctx))));
}
