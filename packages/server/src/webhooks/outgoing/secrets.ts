import { createHash } from 'node:crypto';
import type { Storage } from 'unstorage';
import { compareAndSet } from '../../kv/compare-and-set.js';
import { newWebhookSecret } from './sign.js';

/** Each user's webhook signing secret, made on first use and replaced on rotation. */
export interface WebhookSecrets {
  get(userId: string): Promise<string>;
  /** A new secret; deliveries from now on (retries included) are signed with it. */
  rotate(userId: string): Promise<string>;
}

/**
 * Secrets on unstorage (`secret:<digest of the owner id>`), next to the server's other records. Creating one runs once per user at a
 * time in this process, and is a compare-and-set on the storage (where it has one: the PostgreSQL kv driver), so two
 * first calls at once, in one process or on two instances, answer the same secret.
 *
 * @example
 * const secrets = createWebhookSecrets(prefixStorage(storage, 'server:webhooks'));
 * const key = await secrets.get('alice'); // 'whsec_…'
 */
export function createWebhookSecrets(storage: Storage): WebhookSecrets {
  const pending = new Map<string, Promise<string>>();
  // a digest: owner ids may hold `:` and `/`, which unstorage reads as separators
  const key = (userId: string) => `secret:${createHash('sha256').update(userId).digest('hex').slice(0, 32)}`;

  function once(userId: string, make: () => Promise<string>): Promise<string> {
    const running = pending.get(userId) ?? make().finally(() => pending.delete(userId));
    pending.set(userId, running);
    return running;
  }

  async function replace(userId: string): Promise<string> {
    const secret = newWebhookSecret();
    await storage.setItem(key(userId), secret);
    return secret;
  }

  return {
    get(userId) {
      return once(userId, async () => {
        const stored = await storage.getItem<string>(key(userId));
        if (stored) return stored;
        // another instance may make this user's first secret at this very moment: the first write wins for both
        const secret = newWebhookSecret();
        if (await compareAndSet(storage, key(userId), null, secret)) return secret;
        const winner = await storage.getItem<string>(key(userId));
        if (!winner) throw new Error('[dotbase] [webhooks] a signing secret was written and is gone');
        return winner;
      });
    },
    async rotate(userId) {
      // after any first-use creation in flight, so the rotation is the last word
      await pending.get(userId);
      return once(userId, () => replace(userId));
    },
  };
}
