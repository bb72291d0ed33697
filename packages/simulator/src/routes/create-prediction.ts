import type { Context } from 'hono';
import { z } from 'zod';
import { versionIdOf } from '../catalog/index.js';
import type { CatalogModel } from '../catalog/types.js';
import { describeInvalid, validateInput } from '../catalog/validate.js';
import type { Engine } from '../engine.js';
import type { SimulatorEnv } from '../http/env.js';
import { parseCancelAfter, parsePreferWait } from '../http/headers.js';
import { problem } from '../http/problem.js';
import { toPredictionJson } from '../predictions/serialize.js';
import { newPredictionId } from '../predictions/store.js';
import type { PredictionRecord, WebhookEvent } from '../predictions/types.js';

/** Put this in a prompt to make the prediction fail: handy for demos and tests of failure handling. */
export const FAIL_TRIGGER = 'simulate:fail';
export const TRIGGERED_FAILURE = `Simulated failure: the prompt contains "${FAIL_TRIGGER}"`;

const DEFAULT_EVENTS: readonly WebhookEvent[] = ['output', 'completed'];

/** The create body apart from `input` (checked against the model) and `version` (resolved by the route). */
const CreateBody = z.object({
  input: z.unknown(),
  // Real Replicate wants https; the simulator also takes http so loopback test servers can receive webhooks.
  webhook: z.url({ protocol: /^https?$/ }).optional(),
  webhook_events_filter: z.array(z.enum(['start', 'output', 'logs', 'completed'])).optional(),
});

/** Reads a JSON body; answers the 400 to send when it is not a JSON object. */
export async function readJsonObject(c: Context<SimulatorEnv>): Promise<Record<string, unknown> | Response> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return problem(c, 400, 'The request body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return problem(c, 400, 'The request body must be a JSON object');
  return body as Record<string, unknown>;
}

/** Creates a prediction of `model` from an already parsed body; shared by the model route and the version route. */
export async function createPrediction(c: Context<SimulatorEnv>, engine: Engine, model: CatalogModel, body: Record<string, unknown>): Promise<Response> {
  const wait = parsePreferWait(c.req.header('prefer'));
  if (wait === 'invalid') return problem(c, 400, 'Invalid Prefer header: use "wait" or "wait=N" with N from 1 to 60');
  const cancelAfter = parseCancelAfter(c.req.header('cancel-after'));
  if (cancelAfter === 'invalid') return problem(c, 400, 'Invalid Cancel-After header: use a duration such as "30s" or "5m"');

  const parsed = CreateBody.safeParse(body);
  if (!parsed.success) {
    const invalid = parsed.error.issues.map((issue) => ({ type: issue.code, field: issue.path.join('.') || 'body', description: issue.message }));
    return problem(c, 422, describeInvalid(invalid), { invalid_fields: invalid });
  }
  const validation = validateInput(model, parsed.data.input);
  if (!validation.ok) return problem(c, 422, describeInvalid(validation.invalid), { invalid_fields: validation.invalid });

  const now = Date.now();
  const token = c.get('token');
  const prompt = validation.input.prompt;
  const record: PredictionRecord = {
    id: newPredictionId(),
    seq: engine.predictions.nextSeq(),
    token,
    model: model.slug,
    version: versionIdOf(model),
    input: parsed.data.input as Record<string, unknown>,
    plan: model.plan(validation.input),
    outputShape: model.output,
    status: 'starting',
    output: null,
    error: null,
    logs: '',
    createdAt: now,
  };
  const forcedError = typeof prompt === 'string' && prompt.includes(FAIL_TRIGGER) ? TRIGGERED_FAILURE : c.get('failPrediction');
  if (forcedError) record.forcedError = forcedError;
  if (cancelAfter !== undefined) record.deadline = now + cancelAfter;
  if (parsed.data.webhook) {
    record.webhook = { url: parsed.data.webhook, events: new Set(parsed.data.webhook_events_filter ?? DEFAULT_EVENTS) };
  }
  engine.predictions.add(record);
  engine.lifecycle.begin(record);
  if (wait !== undefined) await engine.lifecycle.waitUntilDone(record, wait * 1000);
  return c.json(toPredictionJson(record, engine.address.apiBase, Date.now()), 201);
}
