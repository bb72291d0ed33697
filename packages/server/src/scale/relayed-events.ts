import type { Dotbase, GenerationEvent } from '@dotbase/core';
import type { EventRelay } from '@dotbase/scale/postgres';

/**
 * The same dotbase parts, with the service's `subscribe` also hearing the changes other instances made (through
 * `relay`), and this instance's changes sent to them. Every subscriber of the server gets both: live event streams,
 * the active-generation count (so the cap sees a user's generations on every instance) and output ownership.
 */
export function withRelayedEvents(dotbase: Dotbase, relay: EventRelay): Dotbase {
  const local = dotbase.service;
  local.subscribe((event) => relay.publish(event.record));
  const service: Dotbase['service'] = {
    ...local,
    subscribe(listener: (event: GenerationEvent) => void) {
      const fromHere = local.subscribe(listener);
      const fromOthers = relay.subscribe(listener);
      return () => {
        fromHere();
        fromOthers();
      };
    },
  };
  return { ...dotbase, service };
}
