import { Hono } from 'hono';
import type { Engine } from '../engine.js';
import type { SimulatorEnv } from '../http/env.js';
import { NOT_FOUND_DETAIL, problem } from '../http/problem.js';
import { toPredictionJson } from '../predictions/serialize.js';
import { createPrediction, readJsonObject } from './create-prediction.js';

/** `/v1/predictions`: create by version, get, cancel, list (each token sees only its own predictions). */
export function predictionRoutes(engine: Engine): Hono<SimulatorEnv> {
  const app = new Hono<SimulatorEnv>();
  const json = (record: Parameters<typeof toPredictionJson>[0]) => toPredictionJson(record, engine.address.apiBase, Date.now());

  app.post('/', async (c) => {
    const body = await readJsonObject(c);
    if (body instanceof Response) return body;
    const { version } = body;
    if (typeof version !== 'string' || version === '') {
      return problem(c, 422, '- version: version is required\n', { invalid_fields: [{ type: 'required', field: 'version', description: 'version is required' }] });
    }
    const model = engine.catalog.byVersion(version);
    if (!model) return problem(c, 404, `Version ${version} was not found (or you do not have permission to use it)`);
    return createPrediction(c, engine, model, body);
  });

  app.get('/', (c) => {
    const page = engine.predictions.list(c.get('token'), c.req.query('cursor'), (cursor) => `${engine.address.apiBase}/predictions?cursor=${cursor}`);
    return c.json({ next: page.next, previous: page.previous, results: page.records.map(json) });
  });

  app.get('/:id', (c) => {
    const record = engine.predictions.getFor(c.get('token'), c.req.param('id'));
    return record ? c.json(json(record)) : problem(c, 404, NOT_FOUND_DETAIL);
  });

  app.post('/:id/cancel', (c) => {
    const record = engine.predictions.getFor(c.get('token'), c.req.param('id'));
    if (!record) return problem(c, 404, NOT_FOUND_DETAIL);
    engine.lifecycle.cancel(record);
    return c.json(json(record));
  });

  return app;
}
