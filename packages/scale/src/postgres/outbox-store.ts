import { DotbaseError, type DeliveryAttempt, type OutboxMessage, type OutboxStore } from '@dotbase/core';
import type { Sql } from './connect.js';
import { databaseCall } from './errors.js';

/** A message keeps its latest attempts only, as in the embedded outbox: a receiver down for a day must not grow it without end. */
const MAX_ATTEMPTS_KEPT = 100;

const COLUMNS = 'id, user_id, generation_id, event, url, body, status, created_at, next_attempt_at, attempts';

const time = (ms: number | null) => (ms === null ? null : new Date(ms));

function messageFromRow(row: Record<string, unknown>): OutboxMessage {
  return {
    id: row['id'] as string,
    user_id: row['user_id'] as string,
    generation_id: row['generation_id'] as string,
    event: row['event'] as OutboxMessage['event'],
    url: row['url'] as string,
    body: row['body'] as string,
    status: row['status'] as OutboxMessage['status'],
    // timestamptz keeps microseconds, so epoch milliseconds round-trip exactly through a Date
    created_at: (row['created_at'] as Date).getTime(),
    next_attempt_at: row['next_attempt_at'] === null ? null : (row['next_attempt_at'] as Date).getTime(),
    attempts: row['attempts'] as DeliveryAttempt[],
  };
}

function checkMessage(message: OutboxMessage): void {
  if (typeof message.id !== 'string' || message.id === '') throw new DotbaseError('invalid_input', '[dotbase] [outbox] a message needs an id');
  if (message.status === 'pending' && !Number.isFinite(message.next_attempt_at)) {
    throw new DotbaseError('invalid_input', '[dotbase] [outbox] a pending message needs next_attempt_at');
  }
}

/**
 * The outbox of outgoing webhooks in PostgreSQL (tables `webhook_outbox` and `webhook_watched`, see
 * migrations.ts), for any number of instances on one database. Every operation is one statement. `claimDue` is
 * the delivery claim: it moves the due messages it takes to `next_attempt_at = now + leaseMs` in the statement
 * that selects them (`FOR UPDATE SKIP LOCKED`), so two instances never take one message for one attempt, and the
 * message of an instance that died while sending is due again when its lease ends. Times are the callers' (`now`),
 * as the contract has it: instances' clocks must agree to well within the lease's margin over the send deadline
 * (30 s in the server), as NTP keeps them. Run `migrate(sql)` first.
 *
 * @example
 * const outbox = createPostgresOutboxStore(sql);
 * const dotbase = createDotbase({ tokens, storage, outbox });
 */
export function createPostgresOutboxStore(sql: Sql): OutboxStore {
  return {
    async enqueue(message) {
      checkMessage(message);
      const rows = await databaseCall(`enqueue webhook message ${message.id}`, () => sql`
        INSERT INTO webhook_outbox (id, user_id, generation_id, event, url, body, status, created_at, next_attempt_at, attempts)
        VALUES (${message.id}, ${message.user_id}, ${message.generation_id}, ${message.event}, ${message.url}, ${message.body}, ${message.status},
                ${time(message.created_at)}, ${time(message.next_attempt_at)},
                ${sql.json(message.attempts as never)})
        ON CONFLICT (id) DO NOTHING
        RETURNING id`);
      return rows.length > 0;
    },

    async claimDue(now, limit, leaseMs) {
      // Rows another instance is claiming right now are skipped, not waited for; a row it claimed and committed
      // meanwhile is re-checked against `next_attempt_at <= now` on its new version, so it is not taken twice.
      // MATERIALIZED: the locking select runs once, so LIMIT bounds what is claimed whatever plan the update gets.
      const rows = await databaseCall('claim due webhook messages', () => sql.unsafe(
        `WITH due AS MATERIALIZED (
           SELECT id, next_attempt_at AS due_at, seq FROM webhook_outbox
           WHERE status = 'pending' AND next_attempt_at <= $1
           ORDER BY next_attempt_at, seq
           LIMIT $2
           FOR UPDATE SKIP LOCKED
         )
         UPDATE webhook_outbox o SET next_attempt_at = $3 FROM due WHERE o.id = due.id
         RETURNING ${COLUMNS.split(', ').map((c) => `o.${c}`).join(', ')}, due.due_at, due.seq`,
        [new Date(now), limit, new Date(now + leaseMs)] as never[],
      ));
      return rows
        .sort((a, b) => (a['due_at'] as Date).getTime() - (b['due_at'] as Date).getTime() || Number(a['seq']) - Number(b['seq']))
        .map(messageFromRow);
    },

    async recordAttempt(id, attempt, outcome) {
      const next = outcome.status === 'pending' ? new Date(outcome.next_attempt_at) : null;
      const rows = await databaseCall(`record a webhook attempt of ${id}`, () => sql.unsafe(
        `UPDATE webhook_outbox SET
           attempts = (
             SELECT coalesce(jsonb_agg(kept.value ORDER BY kept.n), '[]'::jsonb)
             FROM jsonb_array_elements(attempts || jsonb_build_array($2::jsonb)) WITH ORDINALITY AS kept (value, n)
             WHERE kept.n > jsonb_array_length(attempts) + 1 - ${MAX_ATTEMPTS_KEPT}
           ),
           status = $3, next_attempt_at = $4
         WHERE id = $1
         RETURNING ${COLUMNS}`,
        [id, attempt, outcome.status, next] as never[],
      ));
      return rows[0] ? messageFromRow(rows[0]) : null;
    },

    async get(id) {
      const rows = await databaseCall(`read webhook message ${id}`, () => sql.unsafe(`SELECT ${COLUMNS} FROM webhook_outbox WHERE id = $1`, [id]));
      return rows[0] ? messageFromRow(rows[0]) : null;
    },

    async listByGeneration(generationId) {
      const rows = await databaseCall(`list webhook messages of ${generationId}`, () =>
        sql.unsafe(`SELECT ${COLUMNS} FROM webhook_outbox WHERE generation_id = $1 ORDER BY seq`, [generationId]),
      );
      return rows.map(messageFromRow);
    },

    async nextDueAt() {
      const [row] = await databaseCall('read the next due webhook', () => sql`SELECT min(next_attempt_at) AS at FROM webhook_outbox WHERE status = 'pending'`);
      const at = row?.['at'] as Date | null | undefined;
      return at ? at.getTime() : null;
    },

    async deleteByGeneration(generationId) {
      await databaseCall(`delete webhook messages of ${generationId}`, () => sql`DELETE FROM webhook_outbox WHERE generation_id = ${generationId}`);
    },

    async watch(generationId) {
      await databaseCall(`watch ${generationId} for webhooks`, () => sql`INSERT INTO webhook_watched (generation_id) VALUES (${generationId}) ON CONFLICT DO NOTHING`);
    },

    async unwatch(generationId) {
      await databaseCall(`unwatch ${generationId} for webhooks`, () => sql`DELETE FROM webhook_watched WHERE generation_id = ${generationId}`);
    },

    async watched() {
      const rows = await databaseCall('list generations watched for webhooks', () => sql`SELECT generation_id FROM webhook_watched ORDER BY generation_id`);
      return rows.map((row) => row['generation_id'] as string);
    },
  };
}
