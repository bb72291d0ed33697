import { startSimulator } from '@dotbase/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, createReplicateProvider, isDotbaseError, type ModelSummary } from '../src/index.js';
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
          prepared = registry.prepare({
            model_id: summary.id,
            action: summary.action,
            ...(summary.inputs.prompt !== 'none' ? { prompt: 'a blue house' } : {}),
            settings,
            images: Array.from({ length: summary.inputs.images.min }, () => image),
            ...(summary.inputs.mask_required ? { mask: image } : {}),
          });
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
});
