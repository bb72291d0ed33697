import { HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { describeBlobStoreContract } from '@dotbase/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createS3BlobStore, type S3BlobStore } from '../src/s3/index.js';
import { startS3Server, type S3Server } from '../src/testing/index.js';

let server: Promise<S3Server> | undefined;
const stores: S3BlobStore[] = [];
afterAll(async () => {
  for (const store of stores) store.close();
  if (server) await (await server).stop();
});

async function freshStore(prefix?: string): Promise<{ store: S3BlobStore; s3: S3Server; bucket: string }> {
  const s3 = await (server ??= startS3Server());
  const bucket = await s3.createBucket();
  const store = createS3BlobStore({ bucket, endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials, ...(prefix ? { prefix } : {}) });
  stores.push(store);
  return { store, s3, bucket };
}

describeBlobStoreContract('s3 (s3rver on loopback)', async () => (await freshStore()).store);
describeBlobStoreContract('s3 under a prefix', async () => (await freshStore('tenant-a/dotbase/')).store);

describe('S3 blob store', () => {
  it('stores each object under the prefix with its content type', async () => {
    const { store, s3, bucket } = await freshStore('/tenant-a/');
    const png = await store.put(new Uint8Array([1, 2, 3]), 'image/png', 'uploads');
    const jpeg = await store.put(new Uint8Array([4, 5]), 'image/jpeg; charset=binary', 'outputs');
    const client = new S3Client({ endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials, forcePathStyle: true });
    try {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      expect(listed.Contents?.map((o) => o.Key).sort()).toEqual([`tenant-a/${jpeg.key}`, `tenant-a/${png.key}`].sort());
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: `tenant-a/${jpeg.key}` }));
      expect(head.ContentType).toBe('image/jpeg');
    } finally {
      client.destroy();
    }
    const url = await store.signedUrl(jpeg.key, 60);
    expect(new URL(url).origin).toBe(s3.endpoint);
    expect(url).toMatch(/X-Amz-Expires=60/);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(Array.from(new Uint8Array(await response.arrayBuffer()))).toEqual([4, 5]);
  });

  it('putAt stores bytes under a key another store made, with the type its extension names, and overwrites', async () => {
    const { store } = await freshStore('moved');
    const key = 'outputs/AAAAAAAAAAAAAAAAAAAAAA.webp';
    expect(await store.putAt(key, new Uint8Array([1, 2]))).toEqual({ key, contentType: 'image/webp', size: 2 });
    expect(await store.get(key)).toEqual({ bytes: new Uint8Array([1, 2]), contentType: 'image/webp' });
    await store.putAt(key, new Uint8Array([3]));
    expect(await store.get(key)).toEqual({ bytes: new Uint8Array([3]), contentType: 'image/webp' });
    const response = await fetch(await store.signedUrl(key, 60));
    expect(response.headers.get('content-type')).toBe('image/webp');
    await expect(store.putAt('../outside.png', new Uint8Array([1]))).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('reports an unreachable or refusing server as storage_error, naming the operation', async () => {
    const { s3 } = await freshStore();
    const store = createS3BlobStore({ bucket: 'no-such-bucket', endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials });
    stores.push(store);
    const error = await store.put(new Uint8Array([1]), 'image/png', 'uploads').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'storage_error', message: expect.stringMatching(/\[s3\] put uploads\/.*NoSuchBucket/) });
    expect(String((error as Error).message)).not.toContain(s3.credentials.secretAccessKey + '/');
  });
});
