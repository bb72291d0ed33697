import type { GenerationRecord } from '../storage/types.js';
import type { GenerationEvent } from './types.js';

type Listener = (event: GenerationEvent) => void;

/** Fans generation changes out to subscribers (SSE streams, tests). A throwing listener cannot break the others. */
export function createGenerationEvents() {
  const listeners = new Set<Listener>();
  return {
    subscribe(listener: Listener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(record: GenerationRecord): void {
      const event: GenerationEvent = {
        id: record.id,
        user_id: record.user_id,
        status: record.status,
        progress: record.progress,
        record,
      };
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {
          // a subscriber's bug must not stop status delivery to everyone else
        }
      }
    },
  };
}

export type GenerationEvents = ReturnType<typeof createGenerationEvents>;
