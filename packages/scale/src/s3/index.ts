/**
 * dotbase's blobs on S3-compatible storage (AWS S3, R2, MinIO, …). Loaded only when `DOTBASE_S3_BUCKET` is set.
 *
 * @module @dotbase/scale/s3
 */
export { createS3BlobStore, type S3BlobStore, type S3BlobStoreOptions } from './blob-store.js';
