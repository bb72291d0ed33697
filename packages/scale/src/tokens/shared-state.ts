import type { TokenPoolState } from '@dotbase/core';

/** A token-pool state shared between instances: it renews its leases on a heartbeat until closed. */
export interface SharedTokenPoolState extends TokenPoolState {
  /** Stops the heartbeat. The leases still held then expire after the lease TTL, as if this instance had died. */
  close(): Promise<void>;
}
