import { Hono } from 'hono';
import type { Engine } from './engine.js';
import type { SimulatorEnv } from './http/env.js';
import { apiGuard } from './http/guard.js';
import { NOT_FOUND_DETAIL, problem } from './http/problem.js';
import { fileRoutes } from './routes/files.js';
import { modelRoutes } from './routes/models.js';
import { predictionRoutes } from './routes/predictions.js';

/** The simulator's HTTP surface: Replicate's API under `/v1`, and output files under `/outputs` (public, like Replicate's CDN). */
export function buildApp(engine: Engine): Hono<SimulatorEnv> {
  const app = new Hono<SimulatorEnv>();

  app.get('/outputs/*', async (c) => {
    const key = c.req.path.slice('/outputs/'.length);
    const file = await engine.outputs.read(key, Date.now());
    if (!file) return problem(c, 404, 'Output not found: it expired or never existed');
    return c.body(new Uint8Array(file.bytes), 200, { 'content-type': file.contentType, 'cache-control': 'public, max-age=3600' });
  });

  app.use('/v1/*', apiGuard(engine));
  app.route('/v1/predictions', predictionRoutes(engine));
  app.route('/v1/models', modelRoutes(engine));
  app.route('/v1/files', fileRoutes(engine));
  app.get('/v1/webhooks/default/secret', (c) => c.json({ key: engine.options.webhookSecret }));

  app.notFound((c) => problem(c, 404, NOT_FOUND_DETAIL));
  app.onError((error, c) => {
    console.error('[dotbase-simulator] request failed:', error);
    return problem(c, 500, 'Internal server error');
  });
  return app;
}
