import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What `S3Server.environment` gives: a dotbase configuration for one bucket (`DOTBASE_S3_PREFIX` when asked for). */
export interface S3Environment {
  DOTBASE_S3_BUCKET: string;
  DOTBASE_S3_ENDPOINT: string;
  DOTBASE_S3_PREFIX?: string;
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  AWS_REGION: string;
}

export interface S3Server {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** s3rver's fixed credentials. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  /** A new empty bucket; returns its name. */
  createBucket(): Promise<string>;
  /** The variables that point a dotbase server (or `dotbase import`) at `bucket` on this server, under `prefix`. */
  environment(bucket: string, prefix?: string): S3Environment;
  /** Every object key in a bucket, sorted (paged: past 1000 keys s3rver needs `--openssl-legacy-provider`, below). */
  listKeys(bucket: string): Promise<string[]>;
  stop(): Promise<void>;
}

let buckets = 0;

/**
 * An S3-compatible server on loopback for tests: s3rver (npm), in this process, storing into a temporary folder.
 * Listings of more than one page need Node started with `--openssl-legacy-provider`: s3rver makes its
 * continuation tokens with DES, which OpenSSL 3 keeps in its legacy provider (else it answers 500).
 *
 * @example
 * const s3 = await startS3Server();
 * const bucket = await s3.createBucket();
 */
export async function startS3Server(): Promise<S3Server> {
  const { default: S3rver } = await import('s3rver');
  const dir = mkdtempSync(join(tmpdir(), 'dotbase-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir });
  const address = (await server.run()) as { address: string; port: number };
  const endpoint = `http://127.0.0.1:${address.port}`;
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const region = 'us-east-1';
  const { S3Client, CreateBucketCommand, ListObjectsV2Command } = await import('@aws-sdk/client-s3');
  const client = new S3Client({ endpoint, region, credentials, forcePathStyle: true });
  return {
    endpoint,
    credentials,
    region,
    async createBucket() {
      buckets += 1;
      const name = `test-${process.pid}-${buckets}`;
      await client.send(new CreateBucketCommand({ Bucket: name }));
      return name;
    },
    environment(bucket, prefix) {
      return {
        DOTBASE_S3_BUCKET: bucket,
        DOTBASE_S3_ENDPOINT: endpoint,
        ...(prefix !== undefined ? { DOTBASE_S3_PREFIX: prefix } : {}),
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_REGION: region,
      };
    },
    async listKeys(bucket) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, ...(token ? { ContinuationToken: token } : {}) }));
        keys.push(...(listed.Contents ?? []).map((object) => object.Key as string));
        token = listed.IsTruncated ? listed.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    async stop() {
      client.destroy();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
