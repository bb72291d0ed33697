import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { postgresAvailable, redisAvailable, startPostgresCluster, startRedisServer, startS3Server } from '../src/testing/index.js';

describe.skipIf(!postgresAvailable())('test harness: private PostgreSQL cluster', () => {
  it('starts as a non-root user on a free loopback port, hands out empty databases and stops', async () => {
    const cluster = await startPostgresCluster();
    try {
      const url = await cluster.createDatabase();
      const sql = postgres(url, { max: 1 });
      const [row] = await sql`SELECT current_user AS "user", inet_server_addr()::text AS address, (SELECT count(*) FROM pg_tables WHERE schemaname = 'public')::int AS tables`;
      expect(row).toEqual({ user: 'dotbase', address: '127.0.0.1/32', tables: 0 });
      const [owner] = await sql`SELECT pg_catalog.pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = current_database()`;
      expect(owner?.['owner']).toBe('dotbase');
      await sql.end();
      expect(await cluster.createDatabase()).not.toBe(url);
    } finally {
      await cluster.stop();
    }
    const sql = postgres(cluster.url, { max: 1, connect_timeout: 2 });
    await expect(sql`SELECT 1`).rejects.toThrow();
    await sql.end();
  });
});

describe.skipIf(!redisAvailable())('test harness: private Redis', () => {
  it('starts on a free loopback port without persistence and stops', async () => {
    const server = await startRedisServer();
    const redis = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await redis.connect();
      expect(await redis.set('k', 'v')).toBe('OK');
      expect(await redis.config('GET', 'save')).toEqual(['save', '']);
      expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
    } finally {
      redis.disconnect();
      await server.stop();
    }
  });
});

describe('test harness: S3-compatible server', () => {
  it('stores and returns objects with their content type through the current @aws-sdk/client-s3', async () => {
    const s3 = await startS3Server();
    try {
      const bucket = await s3.createBucket();
      const client = new S3Client({ endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials, forcePathStyle: true });
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/b.png', Body: new Uint8Array([1, 2, 3]), ContentType: 'image/png' }));
      const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/b.png' }));
      expect(got.ContentType).toBe('image/png');
      expect(Array.from(await got.Body!.transformToByteArray())).toEqual([1, 2, 3]);
      client.destroy();
    } finally {
      await s3.stop();
    }
  });
});
