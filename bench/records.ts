import { ACTIONS, GENERATION_STATUSES, type GenerationRecord } from '@dotbase/core';

/**
 * The `i`-th finished generation a bench stores (actions and terminal statuses in turn, one output each), created at
 * `createdAt`; `overrides` set what a workload varies (id, owner, prompt).
 */
export function benchRecord(i: number, createdAt: number, overrides: Partial<GenerationRecord> = {}): GenerationRecord {
  return {
    id: `gen-${i.toString().padStart(7, '0')}`,
    user_id: 'bench-user',
    action: ACTIONS[i % ACTIONS.length]!,
    model_id: 'flux-schnell',
    prompt: `prompt ${i}`,
    settings: { aspect_ratio: '1:1' },
    input_images: [],
    mask: null,
    status: GENERATION_STATUSES[2 + (i % 3)]!,
    prediction_id: `p${i}`,
    token_id: 'tok_bench',
    output_keys: [`outputs/bench${i}.png`],
    error: null,
    progress: 100,
    created_at: createdAt,
    started_at: createdAt,
    completed_at: createdAt + 1500,
    processing_time_ms: 1500,
    ...overrides,
  };
}
