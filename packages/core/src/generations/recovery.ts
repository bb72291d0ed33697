import type { Registry } from '../models/registry.js';
import type { ImageProvider, Prediction } from '../providers/types.js';
import type { GenerationRecord } from '../storage/types.js';
import type { TokenPool } from '../tokens/pool.js';

/** The query parameter of the webhook URL that names the generation a prediction was created for. */
export const GENERATION_MARKER = 'generation';

/** Replicate's and our clocks differ a little; a prediction a few seconds "older" than its record is still a candidate. */
const CLOCK_SKEW_MS = 30_000;

/** Unmarked matches are guesses: only a prediction created right around the record (or after it) qualifies. */
const UNMARKED_SKEW_MS = 2_000;

/** The webhook URL a generation's prediction is created with: the marker that finds the prediction again. */
export function markedWebhookUrl(webhookUrl: string, generationId: string): string {
  const url = new URL(webhookUrl);
  url.searchParams.set(GENERATION_MARKER, generationId);
  return url.href;
}

/** When a generation may have reached Replicate at the earliest: a batch item waits its turn after being recorded. */
export function submittableSince(record: GenerationRecord): number {
  return record.submit_started_at ?? record.created_at;
}

/** The generation a prediction was created for, as its webhook URL names it (see `markedWebhookUrl`). */
export function markerOf(prediction: Prediction): string | undefined {
  if (!prediction.webhook) return undefined;
  try {
    return new URL(prediction.webhook).searchParams.get(GENERATION_MARKER) ?? undefined;
  } catch {
    return undefined;
  }
}

export interface RecoveryDeps {
  registry: Registry;
  pool: TokenPool;
  provider: ImageProvider;
}

export interface RecoveryResult {
  /** Generation id → the prediction its lost submission created, and on which token. */
  found: Map<string, { prediction: Prediction; tokenId: string }>;
  /** Tokens whose predictions could not be listed: a generation not found may still have one there. */
  unlisted: string[];
}

/**
 * Finds the predictions of generations recorded but never confirmed as submitted (the process died between
 * sending the create and saving its answer), so recovery adopts them instead of paying for a second one. A
 * prediction is theirs when its webhook URL carries the generation's id (see `markedWebhookUrl`); without
 * webhooks, when it runs the generation's model with its prompt, was created after the record, and no other
 * generation claims it. `claimed` holds prediction ids already linked to generations.
 */
export async function findLostPredictions(
  deps: RecoveryDeps,
  orphans: GenerationRecord[],
  claimed: Set<string>,
  /** Webhooks are on, so every prediction of ours carries a marker: one without is not ours. */
  markersExpected: boolean,
): Promise<RecoveryResult> {
  const found: RecoveryResult['found'] = new Map();
  const unlisted: string[] = [];
  if (orphans.length === 0) return { found, unlisted };
  const since = Math.min(...orphans.map(submittableSince)) - CLOCK_SKEW_MS;
  const candidates: { prediction: Prediction; tokenId: string }[] = [];
  await Promise.all(
    (await deps.pool.stats()).map(async ({ id: tokenId }) => {
      const secret = deps.pool.secretFor(tokenId);
      if (!secret) return;
      try {
        for (const prediction of await deps.provider.listSince(secret, since)) candidates.push({ prediction, tokenId });
      } catch {
        unlisted.push(tokenId);
      }
    }),
  );
  const taken = new Set(claimed);
  const byMarker = new Map(candidates.flatMap((candidate) => {
    const marker = markerOf(candidate.prediction);
    return marker ? [[marker, candidate] as const] : [];
  }));
  // oldest generation first, oldest prediction first: the order they were submitted in
  const ordered = [...candidates].filter((c) => !markerOf(c.prediction)).sort((a, b) => Date.parse(a.prediction.created_at ?? '') - Date.parse(b.prediction.created_at ?? ''));
  for (const record of [...orphans].sort((a, b) => submittableSince(a) - submittableSince(b))) {
    const marked = byMarker.get(record.id);
    if (marked && !taken.has(marked.prediction.id)) {
      found.set(record.id, marked);
      taken.add(marked.prediction.id);
      continue;
    }
    const route = deps.registry.get(record.model_id)?.route;
    if (!route || markersExpected) continue;
    const match = ordered.find(({ prediction }) => {
      if (taken.has(prediction.id)) return false;
      if (Date.parse(prediction.created_at ?? '') < submittableSince(record) - UNMARKED_SKEW_MS) return false;
      const sameModel = route.kind === 'official' ? prediction.model === route.slug : prediction.version === route.version;
      const prompt = prediction.input?.['prompt'];
      return sameModel && (record.prompt === null ? prompt === undefined : prompt === record.prompt);
    });
    if (match) {
      found.set(record.id, match);
      taken.add(match.prediction.id);
    }
  }
  return { found, unlisted };
}
