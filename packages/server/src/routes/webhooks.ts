import type { Prediction } from '@dotbase/core';
import { Hono } from 'hono';
import type { AppEnv, ServerContext } from '../context.js';
import { HttpError } from '../http/errors.js';
import { limitBody } from '../http/guards.js';
import { verifyReplicateWebhook } from '../webhooks/verify.js';

/** Predictions carry logs; Replicate's payloads stay far below this. */
const MAX_WEBHOOK_BYTES = 2 * 1024 * 1024;

function isPrediction(value: unknown): value is Prediction {
  if (value === null || typeof value !== 'object') return false;
  const { id, status } = value as { id?: unknown; status?: unknown };
  return typeof id === 'string' && typeof status === 'string';
}

/**
 * `POST /api/webhooks/replicate`: pushed predictions. Signed (checked before the body is even parsed), fresh
 * (±5 min) and new (a retried `webhook-id` is acknowledged and dropped). Polling continues as a fallback, so a
 * missed webhook only delays a result.
 */
export function webhookRoutes(ctx: ServerContext) {
  return new Hono<AppEnv>().post('/api/webhooks/replicate', limitBody(MAX_WEBHOOK_BYTES), async (c) => {
    if (!ctx.webhookSecret) throw new HttpError(404, 'not_found', 'webhooks are not configured on this server');
    const raw = await c.req.text();
    const verdict = verifyReplicateWebhook(ctx.webhookSecret, c.req.raw.headers, raw);
    if (!verdict.ok) {
      ctx.logger.warn('webhook refused', { reason: verdict.reason });
      throw new HttpError(401, 'invalid_signature', `webhook refused: ${verdict.reason}`);
    }
    if (!(await ctx.deliveries.firstTime(verdict.id))) return c.json({ ok: true, duplicate: true });
    let prediction: unknown;
    try {
      prediction = JSON.parse(raw);
    } catch {
      throw new HttpError(400, 'invalid_json', 'the webhook body is not JSON');
    }
    if (!isPrediction(prediction)) throw new HttpError(422, 'invalid_input', 'the webhook body is not a prediction (id and status)');
    try {
      await ctx.dotbase.service.handlePrediction(prediction);
    } catch (error) {
      // Let Replicate's retry through instead of dropping it as a duplicate.
      await ctx.deliveries.forget(verdict.id);
      throw error;
    }
    return c.json({ ok: true });
  });
}
