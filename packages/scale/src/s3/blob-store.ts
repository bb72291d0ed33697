import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException, type S3ClientConfig } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { checkBlobListing, DotbaseError, isBlobKey, newBlobKey, parseBlobKey, type BlobStore, type StoredBlob } from '@dotbase/core';

export interface S3BlobStoreOptions {
  bucket: string;
  /** Folder inside the bucket for every key, e.g. `dotbase/` (default: the bucket's root). */
  prefix?: string;
  /** A client of your own; else one is made from `endpoint`, `region` and the standard AWS_* credentials. */
  client?: S3Client;
  /** For S3-compatible servers (R2, MinIO, …); AWS S3 needs none. Path-style addressing is used with one. */
  endpoint?: string;
  region?: string;
  credentials?: S3ClientConfig['credentials'];
}

/** A BlobStore that can also hand out short-lived links to read a blob straight from the bucket. */
export interface S3BlobStore extends BlobStore {
  /** A presigned GET URL for `key`, valid `expiresInSeconds`; the response carries the blob's content type. */
  signedUrl(key: string, expiresInSeconds: number): Promise<string>;
  /**
   * Stores bytes under a key of another store (`prefix/<name>.ext`, e.g. when importing an embedded folder), so the
   * records that name it stay right; a second call overwrites.
   */
  putAt(key: string, bytes: Uint8Array): Promise<StoredBlob>;
  /** Closes the client's connections (only when the store made the client). */
  close(): void;
}

const isMissing = (error: unknown) =>
  error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404);

/** Turns an S3 failure into `storage_error` naming the operation; the message never holds credentials. */
async function s3Call<T>(what: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof DotbaseError) throw error;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new DotbaseError('storage_error', `[dotbase] [s3] ${what} failed: ${message}`, { cause: error });
  }
}

function normalisePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

/**
 * Uploads and outputs in an S3-compatible bucket, under the same keys as the embedded store
 * (`prefix/<random>.ext`, see `newBlobKey`), each object with its content type, so a presigned link serves it
 * with the right type. Any number of instances share one bucket.
 *
 * @example
 * const blobs = createS3BlobStore({ bucket: 'dotbase', prefix: 'prod', endpoint: 'http://127.0.0.1:9000' });
 * const { key } = await blobs.put(pngBytes, 'image/png', 'uploads');
 * const url = await blobs.signedUrl(key, 60);
 */
export function createS3BlobStore(options: S3BlobStoreOptions): S3BlobStore {
  const ownClient = !options.client;
  const client =
    options.client ??
    new S3Client({
      ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
      ...(options.region ? { region: options.region } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
    });
  const { bucket } = options;
  const root = normalisePrefix(options.prefix);
  const objectKey = (key: string) => `${root}${key}`;

  return {
    async put(bytes, contentType, prefix): Promise<StoredBlob> {
      const { key, contentType: type } = newBlobKey(contentType, prefix);
      // a private copy: the upload may still read the body after a caller reused its buffer
      const body = new Uint8Array(bytes);
      await s3Call(`put ${key}`, () => client.send(new PutObjectCommand({ Bucket: bucket, Key: objectKey(key), Body: body, ContentType: type, ContentLength: body.byteLength })));
      return { key, contentType: type, size: body.byteLength };
    },
    async get(key) {
      const { contentType } = parseBlobKey(key);
      return s3Call(`get ${key}`, async () => {
        try {
          const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
          const bytes = await object.Body?.transformToByteArray();
          return { bytes: new Uint8Array(bytes ?? []), contentType };
        } catch (error) {
          if (isMissing(error)) return null;
          throw error;
        }
      });
    },
    async has(key) {
      parseBlobKey(key);
      return s3Call(`has ${key}`, async () => {
        try {
          await client.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
          return true;
        } catch (error) {
          if (isMissing(error)) return false;
          throw error;
        }
      });
    },
    async delete(key) {
      parseBlobKey(key);
      // S3 answers a delete of a missing key with success, as the contract wants
      await s3Call(`delete ${key}`, () => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) })));
    },
    async list(prefix, page) {
      const { limit, cursor } = checkBlobListing(prefix, page);
      // one ListObjectsV2 call per page: MaxKeys is the page size (S3 answers at most 1000), the continuation token
      // is the cursor, so a listing of any size is walked page by page without holding it all
      const listed = await s3Call(`list ${prefix}`, () =>
        client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: objectKey(`${prefix}/`), MaxKeys: limit, ...(cursor ? { ContinuationToken: cursor } : {}) })),
      );
      const keys = (listed.Contents ?? [])
        .map((object) => (object.Key ?? '').slice(root.length))
        // anything else someone put in the bucket under the same folder is not a blob of ours
        .filter(isBlobKey);
      return listed.IsTruncated && listed.NextContinuationToken ? { keys, cursor: listed.NextContinuationToken } : { keys };
    },
    async putAt(key, bytes) {
      const { contentType } = parseBlobKey(key);
      const body = new Uint8Array(bytes);
      await s3Call(`put ${key}`, () => client.send(new PutObjectCommand({ Bucket: bucket, Key: objectKey(key), Body: body, ContentType: contentType, ContentLength: body.byteLength })));
      return { key, contentType, size: body.byteLength };
    },
    async signedUrl(key, expiresInSeconds) {
      const { contentType } = parseBlobKey(key);
      return s3Call(`sign ${key}`, () =>
        getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: objectKey(key), ResponseContentType: contentType }), { expiresIn: expiresInSeconds }),
      );
    },
    close() {
      if (ownClient) client.destroy();
    },
  };
}
