import { isDotbaseError, type BatchRecord, type OutboxMessage } from '@dotbase/core';
import { createPostgresBatchStore } from '../postgres/batch-store.js';
import type { Sql } from '../postgres/connect.js';
import { createPostgresOutboxStore } from '../postgres/outbox-store.js';

/**
 * Where an embedded entry of the outbox or of batches goes: core's stores keep them under `outbox:` and `batches:`
 * (see core's outbox-store.ts and batch-store.ts), and PostgreSQL has tables of their own for them. Their index keys
 * (`outbox:due`, `outbox:gen:…`, `batches:user:…`) are not copied: the tables are their own index. Null: an entry
 * for `dotbase_kv`.
 */
export function tableEntryOf(key: string): 'message' | 'watched' | 'batch' | 'index' | null {
  if (key.startsWith('outbox:msg:')) return 'message';
  if (key === 'outbox:watched') return 'watched';
  if (key.startsWith('batches:batch:')) return 'batch';
  if (key === 'outbox:due' || key.startsWith('outbox:gen:') || key.startsWith('batches:user:')) return 'index';
  return null;
}

/**
 * Copies outbox messages, watched generations and batches into their tables, each left alone when already there
 * (so a second import copies nothing): pending messages are sent by the new instances, sent ones stay listed as
 * deliveries, batches keep their items. Returns how many rows were new and how many were there.
 */
export async function importWebhooksAndBatches(sql: Sql, entries: readonly { key: string; value: string }[]): Promise<{ copied: number; present: number }> {
  const outbox = createPostgresOutboxStore(sql);
  const batches = createPostgresBatchStore(sql);
  const counts = { copied: 0, present: 0 };
  const count = (added: boolean) => void (added ? (counts.copied += 1) : (counts.present += 1));
  for (const { key, value } of entries) {
    const kind = tableEntryOf(key);
    if (kind === 'message') {
      count(await outbox.enqueue(JSON.parse(value) as OutboxMessage));
    } else if (kind === 'watched') {
      const ids = Object.keys(JSON.parse(value) as Record<string, true>);
      const before = new Set(await outbox.watched());
      for (const id of ids) await outbox.watch(id);
      for (const id of ids) count(!before.has(id));
    } else if (kind === 'batch') {
      try {
        await batches.create(JSON.parse(value) as BatchRecord);
        count(true);
      } catch (error) {
        if (!isDotbaseError(error, 'conflict')) throw error;
        count(false);
      }
    }
  }
  return counts;
}
