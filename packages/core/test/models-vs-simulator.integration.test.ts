import { startSimulator } from '@dotbase/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, createReplicateProvider, isDotbaseError, type InputIssue, type ModelSummary, type Registry } from '../src/index.js';
import { samplePng } from './helpers.js';

const TOKEN = 'r8_models_check';

interface JsonProperty {
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  type?: string;
}

/** One settings object per enum value and per range bound of every setting the model offers. */
function variants(summary: ModelSummary): Record<string, unknown>[] {
  const properties = (summary.settings_schema.properties ?? {}) as Record<string, JsonProperty>;
  const out: Record<string, unknown>[] = [{}];
  for (const [name, property] of Object.entries(properties)) {
    for (const value of property.enum ?? []) out.push({ [name]: value });
    if (property.minimum !== undefined) out.push({ [name]: property.minimum });
    if (property.maximum !== undefined) out.push({ [name]: property.maximum });
  }
  return out;
}

/**
 * Prepares the request without a mask, or with one when the model takes a mask and the settings call for it (FLUX
 * Fill Pro inpaints with a mask but outpaints without one), so both modes reach the simulator.
 */
function prepareEither(registry: Registry, summary: ModelSummary, settings: Record<string, unknown>, image: string) {
  const request = {
    model_id: summary.id,
    action: summary.action,
    ...(summary.inputs.prompt !== 'none' ? { prompt: 'a blue house' } : {}),
    settings,
    images: Array.from({ length: summary.inputs.images.min }, () => image),
    ...(summary.inputs.mask_required ? { mask: image } : {}),
  };
  try {
    return registry.prepare(request);
  } catch (error) {
    const wantsMask = isDotbaseError(error, 'invalid_input') && (error.details as { issues: InputIssue[] }).issues.some((issue) => issue.path === 'mask');
    if (!summary.inputs.mask || summary.inputs.mask_required || !wantsMask) throw error;
    return registry.prepare({ ...request, mask: image });
  }
}

interface CogInputSchema {
  properties: Record<string, { default?: unknown }>;
}

/** The model as the simulator publishes it (`GET /v1/models/{owner}/{name}`), as Replicate does. */
async function replicateModel(baseUrl: string, slug: string): Promise<{ latest_version: { id: string; openapi_schema: { components: { schemas: { Input: CogInputSchema } } } } }> {
  const response = await fetch(`${baseUrl}/models/${slug}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.status, slug).toBe(200);
  return (await response.json()) as never;
}

describe("core's model mappings against the simulator's copy of Replicate's schemas", () => {
  let simulator: Awaited<ReturnType<typeof startSimulator>>;
  let image: string;

  beforeAll(async () => {
    // predictions stay "starting": only input validation is exercised, nothing is rendered
    simulator = await startSimulator({ tokens: [TOKEN], timing: { startingMs: 60_000 }, rateLimit: { creates: 1e6, windowMs: 60_000 } });
    image = `data:image/png;base64,${Buffer.from(await samplePng(64, 64)).toString('base64')}`;
  });
  afterAll(() => simulator.close());

  it('every enum value and range bound core offers is accepted by Replicate (simulated)', async () => {
    const registry = createRegistry();
    const provider = createReplicateProvider({ baseUrl: simulator.url });
    const refused: string[] = [];
    let sent = 0;
    for (const summary of registry.summaries()) {
      for (const settings of variants(summary)) {
        let prepared;
        try {
          prepared = prepareEither(registry, summary, settings, image);
        } catch (error) {
          // a value that only works together with another setting is refused by core itself, by design
          if (isDotbaseError(error, 'invalid_input')) continue;
          throw error;
        }
        sent += 1;
        await provider.submit(TOKEN, { route: prepared.model.route, input: prepared.input }).catch((error: Error) => {
          refused.push(`${summary.action}/${summary.id} ${JSON.stringify(settings)}: ${error.message}`);
        });
      }
    }
    expect(sent).toBeGreaterThan(300);
    expect(refused).toEqual([]);
  });

  it('pins each community model to the version Replicate (simulated) lists as its latest', async () => {
    const pinned = createRegistry().list().flatMap((model) => (model.route.kind === 'version' ? [model.route] : []));
    expect(pinned.length).toBeGreaterThan(3);
    for (const route of pinned) {
      const published = await replicateModel(simulator.url, route.slug);
      expect(route.version, route.slug).toBe(published.latest_version.id);
    }
  });

  it('keeps "seed left out = random" true: a model whose own seed default is fixed gets a seed drawn by dotbase', async () => {
    const registry = createRegistry();
    let fixedDefaults = 0;
    for (const summary of registry.summaries()) {
      const properties = summary.settings_schema.properties as Record<string, unknown>;
      if (!('seed' in properties)) continue;
      const model = registry.get(summary.id)!;
      const published = await replicateModel(simulator.url, model.route.slug);
      const modelDefault = published.latest_version.openapi_schema.components.schemas.Input.properties.seed?.default;
      const request = {
        model_id: summary.id,
        action: summary.action,
        ...(summary.inputs.prompt !== 'none' ? { prompt: 'a blue house' } : {}),
        settings: {},
        images: Array.from({ length: summary.inputs.images.min }, () => image),
      };
      const prepared = prepareEither(registry, summary, {}, image);
      // no default, or the Cog convention of 0 = "draw one" (SDXL Lightning): the model itself draws a seed
      if (modelDefault === undefined || modelDefault === 0) {
        expect(prepared.input, `${summary.id} leaves the seed to the model`).not.toHaveProperty('seed');
        continue;
      }
      fixedDefaults += 1;
      // the drawn seed is stored with the settings, so re-preparing the stored generation sends the same one
      expect(prepared.input.seed, summary.id).toEqual(expect.any(Number));
      expect(prepared.settings.seed, summary.id).toBe(prepared.input.seed);
      expect(registry.prepare({ ...request, settings: prepared.settings }).input.seed).toBe(prepared.input.seed);
      const draws = new Set(Array.from({ length: 8 }, () => prepareEither(registry, summary, {}, image).input.seed));
      expect(draws.size, `${summary.id} draws a fresh seed each time`).toBeGreaterThan(1);
    }
    expect(fixedDefaults, 'Clarity Upscaler defaults to seed 1337').toBeGreaterThan(0);
  });
});
