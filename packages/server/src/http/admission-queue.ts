/**
 * A counting semaphore with a bounded FIFO queue and a maximum wait: the server's admission control. Up to
 * `limit` holders at once; up to `maxQueue` more wait in arrival order, each at most `maxWaitMs`; anyone beyond
 * that is refused at once. A refused caller should be answered 503 with Retry-After straight away: under overload,
 * refusing early is what keeps the tail of the accepted work short (a request queued for seconds costs its caller
 * those seconds and then usually times out anyway).
 *
 * Hand-written because the pieces the libraries offer (p-limit, p-queue) queue without bound or without a
 * deadline, and none releases a slot when the waiting caller goes away.
 *
 * @example
 * const queue = createAdmissionQueue({ limit: 64, maxQueue: 64, maxWaitMs: 1000 });
 * const release = await queue.acquire(request.signal); // throws AdmissionRefused → 503
 * try { await work(); } finally { release(); }
 */
export interface AdmissionQueueOptions {
  /** Holders at once. */
  limit: number;
  /** Callers that may wait for a slot; 0 refuses at once whenever every slot is taken. */
  maxQueue: number;
  /** How long a caller may wait for a slot before it is refused. */
  maxWaitMs: number;
}

export class AdmissionRefused extends Error {
  constructor(
    readonly reason: 'queue_full' | 'waited_too_long',
    message: string,
  ) {
    super(message);
    this.name = 'AdmissionRefused';
  }
}

interface Waiter {
  grant: (release: () => void) => void;
  /** Set once the waiter got a slot or gave up: such an entry is skipped when its turn comes. */
  settled: boolean;
}

export interface AdmissionQueue {
  /** A slot (call the returned function, once, to give it back), or AdmissionRefused; rejects with the signal's
   * reason when it aborts while waiting. */
  acquire(signal?: AbortSignal): Promise<() => void>;
  /** Slots held and callers waiting, right now. */
  stats(): { inFlight: number; queued: number; limit: number };
  /** Changes the number of slots: more lets waiters in at once; fewer takes effect as holders leave. */
  setLimit(limit: number): void;
}

export function createAdmissionQueue(options: AdmissionQueueOptions): AdmissionQueue {
  let limit = options.limit;
  let inFlight = 0;
  // Given-up waiters stay in the array until their turn (removing from the middle costs more than skipping);
  // `queued` counts only the live ones.
  const waiters: Waiter[] = [];
  let head = 0;
  let queued = 0;

  function releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      inFlight -= 1;
      handOver();
    };
  }

  /** Gives free slots to the longest-waiting callers still there. */
  function handOver(): void {
    while (inFlight < limit && head < waiters.length) {
      const waiter = waiters[head]!;
      waiters[head] = undefined as unknown as Waiter; // let it be collected before the array is compacted
      head += 1;
      if (waiter.settled) continue;
      waiter.settled = true;
      queued -= 1;
      inFlight += 1;
      waiter.grant(releaser());
    }
    if (head > 1024 && head * 2 > waiters.length) {
      waiters.splice(0, head);
      head = 0;
    }
  }

  return {
    acquire(signal) {
      signal?.throwIfAborted();
      if (inFlight < limit && queued === 0) {
        inFlight += 1;
        return Promise.resolve(releaser());
      }
      if (queued >= options.maxQueue) {
        return Promise.reject(new AdmissionRefused('queue_full', `the server is at capacity (${inFlight} running, ${queued} waiting)`));
      }
      return new Promise<() => void>((resolve, reject) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const giveUp = (error: unknown) => {
          if (waiter.settled) return;
          waiter.settled = true;
          queued -= 1;
          done();
          reject(error);
        };
        const onAbort = () => giveUp(signal?.reason);
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        };
        const waiter: Waiter = {
          settled: false,
          grant: (release) => {
            done();
            resolve(release);
          },
        };
        waiters.push(waiter);
        queued += 1;
        timer = setTimeout(
          () => giveUp(new AdmissionRefused('waited_too_long', `the server is at capacity: no slot freed within ${options.maxWaitMs} ms`)),
          options.maxWaitMs,
        );
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    stats: () => ({ inFlight, queued, limit }),
    setLimit(next) {
      limit = next;
      handOver();
    },
  };
}
