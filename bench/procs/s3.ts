/**
 * An S3-compatible server (s3rver, the one the tests use) in its own process for benchmarks, so its CPU is its
 * own and not the load generator's; creates one bucket and prints `{ endpoint, bucket, accessKeyId,
 * secretAccessKey, region }` as JSON.
 */
import { startS3Server } from '@dotbase/scale/testing';

const s3 = await startS3Server();
const bucket = await s3.createBucket();
console.log(JSON.stringify({ endpoint: s3.endpoint, bucket, ...s3.credentials, region: s3.region }));
process.on('SIGTERM', () => void s3.stop().then(() => process.exit(0)));
