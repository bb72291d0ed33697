import { makeGenerationRecord } from '@dotbase/core/testing';
import { describe, expect, it } from 'vitest';
import { claimingStore, connectPostgres, createPostgresGenerationStore } from '../src/postgres/index.js';
import { postgresAvailable } from '../src/testing/index.js';
import { usePostgres } from './postgres-fixture.js';

describe.skipIf(!postgresAvailable())('claiming store (which instance tracks a generation)', () => {
  const pg = usePostgres();

  it('gives an instance at its start only the unfinished generations no live instance claims; a dead one’s after expiry', async () => {
    const { url, sql } = await pg.freshDatabase();
    // instance A on its own pool, so it can "die" (its pool closed: no more heartbeats)
    const poolA = connectPostgres(url, { max: 2 });
    const a = claimingStore(poolA, createPostgresGenerationStore(poolA), { ttlMs: 600 });
    const b = claimingStore(sql, createPostgresGenerationStore(sql), { ttlMs: 600 });
    const running = makeGenerationRecord({ status: 'processing' });
    const done = makeGenerationRecord({ status: 'completed' });
    await a.create(running);
    await a.create(done);
    const orphan = makeGenerationRecord({ status: 'pending' });
    await createPostgresGenerationStore(sql).create(orphan); // created by an instance that died before claiming it

    expect(await b.listUnfinished()).toEqual([orphan.id]);
    // A's heartbeat keeps its claim well past the TTL
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await b.listUnfinished()).toEqual([orphan.id]);
    expect(await a.listUnfinished()).toEqual([running.id]);

    // A dies: its pool is gone, so its heartbeat renews nothing and it never gives its claims up
    await poolA.end({ timeout: 1 });
    let taken: string[] = [];
    for (let tries = 0; tries < 50 && !taken.includes(running.id); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      taken = await b.listUnfinished();
    }
    expect(taken.sort()).toEqual([orphan.id, running.id].sort());
    await b.close();
    expect((await sql`SELECT count(*)::int AS n FROM generation_claims`)[0]?.['n']).toBe(0);
  });

  it('lets a running instance take over the generations of one that died or stopped, never those of a live one', async () => {
    const { url, sql } = await pg.freshDatabase();
    const poolA = connectPostgres(url, { max: 2 });
    const a = claimingStore(poolA, createPostgresGenerationStore(poolA), { ttlMs: 600 });
    const b = claimingStore(sql, createPostgresGenerationStore(sql), { ttlMs: 600 });
    const c = claimingStore(sql, createPostgresGenerationStore(sql), { ttlMs: 600 });
    expect(b.takeover.intervalMs).toBe(100);
    const ofA = makeGenerationRecord({ status: 'processing' });
    const ofB = makeGenerationRecord({ status: 'processing' });
    await a.create(ofA);
    await b.create(ofB);
    // the claim is stored with the record: no moment in which another instance could take it
    expect((await sql`SELECT instance FROM generation_claims WHERE generation_id = ${ofA.id}`).length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await b.takeover.claim()).toEqual([]);
    expect(await c.takeover.claim()).toEqual([]);

    await poolA.end({ timeout: 1 });
    let taken: string[] = [];
    for (let tries = 0; tries < 50 && taken.length === 0; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      taken = await b.takeover.claim();
    }
    // B's own generation is not "taken over" again; C finds nothing left
    expect(taken).toEqual([ofA.id]);
    expect(await c.takeover.claim()).toEqual([]);

    // an instance that stops gives its claims up: the others take them at their next round
    await b.close();
    expect((await c.takeover.claim()).sort()).toEqual([ofA.id, ofB.id].sort());
    await c.close();
  });
});
