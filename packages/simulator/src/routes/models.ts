import { Hono } from 'hono';
import { versionIdOf } from '../catalog/index.js';
import { openApiSchemaOf } from '../catalog/openapi.js';
import type { CatalogModel } from '../catalog/types.js';
import type { Engine } from '../engine.js';
import type { SimulatorEnv } from '../http/env.js';
import { problem } from '../http/problem.js';
import { createPrediction, readJsonObject } from './create-prediction.js';

/** A fixed date: catalog versions do not change while a simulator runs. */
const VERSION_CREATED_AT = '2025-01-01T00:00:00.000Z';

function versionJson(model: CatalogModel) {
  return { id: versionIdOf(model), created_at: VERSION_CREATED_AT, cog_version: '0.14.0', openapi_schema: openApiSchemaOf(model) };
}

function modelJson(model: CatalogModel) {
  const [owner, name] = model.slug.split('/');
  return {
    url: `https://replicate.com/${model.slug}`,
    owner,
    name,
    description: model.description,
    visibility: 'public',
    github_url: null,
    paper_url: null,
    license_url: null,
    run_count: 0,
    cover_image_url: null,
    default_example: null,
    is_official: model.route.kind === 'official',
    latest_version: versionJson(model),
  };
}

/** `/v1/models/{owner}/{name}`: model info, its versions, and creating predictions of official models by name. */
export function modelRoutes(engine: Engine): Hono<SimulatorEnv> {
  const app = new Hono<SimulatorEnv>();
  const slugOf = (owner: string, name: string) => `${owner}/${name}`;

  app.post('/:owner/:name/predictions', async (c) => {
    const slug = slugOf(c.req.param('owner'), c.req.param('name'));
    const model = engine.catalog.official(slug);
    if (!model) {
      const known = engine.catalog.bySlug(slug);
      const detail = known
        ? `Model ${slug} is not an official model: it can only be run by version (POST /v1/predictions with "version")`
        : `Model ${slug} was not found`;
      return problem(c, 404, detail);
    }
    const body = await readJsonObject(c);
    if (body instanceof Response) return body;
    return createPrediction(c, engine, model, body);
  });

  app.get('/:owner/:name', (c) => {
    const model = engine.catalog.bySlug(slugOf(c.req.param('owner'), c.req.param('name')));
    return model ? c.json(modelJson(model)) : problem(c, 404, 'Model not found');
  });

  app.get('/:owner/:name/versions', (c) => {
    const model = engine.catalog.bySlug(slugOf(c.req.param('owner'), c.req.param('name')));
    return model ? c.json({ next: null, previous: null, results: [versionJson(model)] }) : problem(c, 404, 'Model not found');
  });

  app.get('/:owner/:name/versions/:id', (c) => {
    const model = engine.catalog.bySlug(slugOf(c.req.param('owner'), c.req.param('name')));
    if (!model || versionIdOf(model) !== c.req.param('id')) return problem(c, 404, 'Version not found');
    return c.json(versionJson(model));
  });

  return app;
}
