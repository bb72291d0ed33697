import { TERMINAL_STATUSES, type GenerationRecord, type GenerationService } from '@dotbase/core';
import { HttpError, type ErrorBody } from '../http/errors.js';
import { AdmissionRefused, createAdmissionQueue, type AdmissionQueueOptions } from '../http/admission-queue.js';
import { createLagLimit } from '../http/lag-limit.js';
import { createRetryAfterEstimate } from '../http/retry-after.js';

export interface GenerationAdmissionOptions extends AdmissionQueueOptions {
  /**
   * When set (> 0), the limit adapts below `limit` to keep the mean event-loop delay under this many ms (see
   * lag-limit.ts): the server then finds its own capacity, on any machine and for any mix of models.
   */
  targetLagMs?: number;
  /** Stops the event-loop monitor. */
  shutdown?: AbortSignal;
}

/** The adaptive limit never goes below this many generations in flight. */
const MIN_ADAPTIVE_LIMIT = 8;

/**
 * Admission control for new generations, server-wide (all users): at most `limit` generations run at once, from
 * the create request until they end; up to `maxQueue` further creates wait for one to end, each at most
 * `maxWaitMs`; the rest are refused at once with 503 and a Retry-After that spreads their return (retry-after.ts).
 *
 * Why generations, not requests: the server's work for a generation is mostly done after its create has been
 * answered (the webhooks, copying the outputs, the status pushed to its listeners), so counting create requests
 * would let work pile up behind them. Each generation in flight stands for a fixed amount of work still to do, so
 * capping them caps the backlog, and by Little's law the time a generation spends in the server: with the limit
 * at about the throughput the server sustains × the time a generation takes when nothing queues, more demand
 * turns into 503s instead of into seconds of waiting for everyone.
 *
 * Generations resumed after a restart are not counted: they were admitted by the process before.
 *
 * @example
 * const admission = createGenerationAdmission(service, { limit: 64, maxQueue: 64, maxWaitMs: 1000 });
 * const slot = await admission.admit(c.req.raw.signal); // HttpError 503 when full
 * const record = await slot.run(() => service.create(userId, body));
 */
export function createGenerationAdmission(service: Pick<GenerationService, 'subscribe' | 'get'>, options: GenerationAdmissionOptions) {
  const queue = createAdmissionQueue(options);
  const adaptive = options.targetLagMs ? createLagLimit({ max: options.limit, min: MIN_ADAPTIVE_LIMIT, targetLagMs: options.targetLagMs }) : undefined;
  if (adaptive) options.shutdown?.addEventListener('abort', () => adaptive.stop(), { once: true });
  /** Slots of generations that are running, by generation id. */
  const held = new Map<string, () => void>();
  // Callers turned away are told to come back when, at the rate the server admits work, there is room for them.
  const retryAfter = createRetryAfterEstimate({ min: Math.max(1, Math.ceil(options.maxWaitMs / 1000)), max: 30 });

  function forget(id: string): void {
    const release = held.get(id);
    if (!release) return;
    held.delete(id);
    release();
  }

  service.subscribe((event) => {
    if (TERMINAL_STATUSES.includes(event.status)) forget(event.id);
  });

  /** Every create that arrives moves the adaptive limit on (nothing needs to run while none arrive). */
  function adapt(): void {
    if (!adaptive) return;
    const { inFlight, limit } = queue.stats();
    const next = adaptive.update(inFlight, Date.now());
    if (next !== limit) queue.setLimit(next);
  }

  const overloaded = (message: string) => {
    const retryAfterSeconds = retryAfter.shed(Date.now());
    return new HttpError(503, 'overloaded', `${message}; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
  };

  return {
    /**
     * The 503 answer when a create arriving now would be refused at once (every slot taken, the queue full), else
     * undefined: lets the route shed before it reads and checks the body, since under overload most creates are
     * shed. An answer, not a thrown error: capturing an error's stack was the largest single cost of a shed create.
     */
    refusalIfFull(): { body: ErrorBody; headers: Record<string, string> } | undefined {
      adapt();
      const { inFlight, queued, limit } = queue.stats();
      if (inFlight < limit || queued < options.maxQueue) return undefined;
      const retryAfterSeconds = retryAfter.shed(Date.now());
      return {
        body: { error: { code: 'overloaded', message: `the server is at capacity (${inFlight} running, ${queued} waiting); try again in ${retryAfterSeconds} s` } },
        headers: { 'Retry-After': String(retryAfterSeconds) },
      };
    },
    /**
     * Waits for a slot (or throws the 503). The slot is the caller's to `run` one create with: it is given back
     * when that generation ends, or at once when the create fails.
     */
    async admit(signal?: AbortSignal) {
      adapt();
      let release: () => void;
      try {
        release = await queue.acquire(signal);
      } catch (error) {
        if (!(error instanceof AdmissionRefused)) throw error;
        throw overloaded(error.message);
      }
      retryAfter.admitted(Date.now());
      return {
        async run(create: () => Promise<GenerationRecord>): Promise<GenerationRecord> {
          let record: GenerationRecord;
          try {
            record = await create();
          } catch (error) {
            release();
            throw error;
          }
          if (TERMINAL_STATUSES.includes(record.status)) {
            release();
            return record;
          }
          held.set(record.id, release);
          // It may have ended while the create was still returning, before the slot was filed under its id: look
          // again now that a terminal event would find it.
          const current = await service.get(record.user_id, record.id).catch(() => record);
          if (!current || TERMINAL_STATUSES.includes(current.status)) forget(record.id);
          return record;
        },
      };
    },
    /** A generation deleted while running ends without a terminal event: its slot is given back here. */
    forget,
    /** Slots held, creates waiting, the limit now (adapted, if `targetLagMs` is set) and the last measured delay. */
    stats: () => ({ ...queue.stats(), lagMs: adaptive?.lagMs }),
  };
}

export type GenerationAdmission = ReturnType<typeof createGenerationAdmission>;
