import type { Registry } from '../models/registry.js';
import type { Prediction } from '../providers/types.js';
import type { GenerationRecord } from '../storage/types.js';
import type { TokenPool } from '../tokens/pool.js';
import { urlForImage, type InputUrlOptions } from './inputs.js';
import { markedWebhookUrl } from './recovery.js';

export interface SubmitDeps {
  registry: Registry;
  pool: TokenPool;
  inputs: InputUrlOptions;
  webhook?: { url: string; events: Array<'start' | 'output' | 'logs' | 'completed'> };
}

/**
 * Sends one recorded generation to Replicate. Runs inside the pool so a throttled or refused token is swapped for
 * another; image URLs are made per attempt because uploaded files belong to the token's account.
 */
export async function submitGeneration(deps: SubmitDeps, record: GenerationRecord): Promise<{ prediction: Prediction; tokenId: string }> {
  const model = deps.registry.get(record.model_id);
  const { value, tokenId } = await deps.pool.run(async ({ token }) => {
    const images = await Promise.all(record.input_images.map((ref) => urlForImage(deps.inputs, token, ref, false)));
    const mask = record.mask ? await urlForImage(deps.inputs, token, record.mask, model?.maskRepaint === 'black') : undefined;
    const prepared = deps.registry.prepare({
      model_id: record.model_id,
      action: record.action,
      ...(record.prompt !== null ? { prompt: record.prompt } : {}),
      settings: record.settings,
      images,
      ...(mask !== undefined ? { mask } : {}),
    });
    return deps.inputs.provider.submit(token, {
      route: prepared.model.route,
      input: prepared.input,
      // the generation's id in the webhook URL lets crash recovery find this prediction if its answer is lost
      ...(deps.webhook ? { webhook: markedWebhookUrl(deps.webhook.url, record.id), webhookEventsFilter: deps.webhook.events } : {}),
    });
  });
  return { prediction: value, tokenId };
}
