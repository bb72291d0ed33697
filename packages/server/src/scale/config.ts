import { ConfigError } from '../config.js';

/** Where a scaled-out dotbase keeps its state; every part optional and independent of the others. */
export interface ScaleConfig {
  /** `DATABASE_URL`: generation records, the server's key-value entries, token-pool state without Redis. */
  databaseUrl?: string;
  /** `REDIS_URL`: token-pool state. */
  redisUrl?: string;
  /** `DOTBASE_S3_*` (+ the standard AWS_* variables, read by the AWS SDK itself): uploads and outputs. */
  s3?: {
    bucket: string;
    endpoint?: string;
    prefix?: string;
    /** From `AWS_REGION`; else the AWS SDK's own lookup. */
    region?: string;
    /** From `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` when both are given; else the AWS SDK's own chain. */
    credentials?: { accessKeyId: string; secretAccessKey: string };
  };
  /** `DOTBASE_S3_REDIRECT_SECONDS`: answer GET /files/<key> with a redirect to a presigned URL valid this long. */
  filesRedirectSeconds?: number;
  /**
   * `DOTBASE_TRACKING_LEASE_SECONDS` (with `DATABASE_URL`; default 30): an instance's claim on the generations it
   * tracks lapses this long after its last renewal, and then a running instance takes them over.
   */
  trackingLeaseMs?: number;
}

const blank = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());

function protocolIs(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/**
 * Reads the scale-out variables. Values that are wrong are named in a `ConfigError` (never repeating a URL, which
 * may hold a password).
 *
 * @example
 * readScaleConfig({ DATABASE_URL: 'postgres://dotbase@db/dotbase' }); // { databaseUrl: 'postgres://…' }
 */
export function readScaleConfig(env: Record<string, string | undefined>): ScaleConfig {
  const issues: { variable: string; message: string }[] = [];
  const databaseUrl = blank(env['DATABASE_URL']);
  const redisUrl = blank(env['REDIS_URL']);
  const bucket = blank(env['DOTBASE_S3_BUCKET']);
  const endpoint = blank(env['DOTBASE_S3_ENDPOINT']);
  const prefix = blank(env['DOTBASE_S3_PREFIX']);
  const redirect = blank(env['DOTBASE_S3_REDIRECT_SECONDS']);
  // read from the same environment as the rest (a test's or an embedder's), not only process.env
  const region = blank(env['AWS_REGION']) ?? (endpoint ? 'us-east-1' : undefined);
  const accessKeyId = blank(env['AWS_ACCESS_KEY_ID']);
  const secretAccessKey = blank(env['AWS_SECRET_ACCESS_KEY']);
  const credentials = accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined;
  if (databaseUrl && !protocolIs(databaseUrl, ['postgres:', 'postgresql:'])) issues.push({ variable: 'DATABASE_URL', message: 'must be a postgres:// or postgresql:// URL' });
  if (redisUrl && !protocolIs(redisUrl, ['redis:', 'rediss:'])) issues.push({ variable: 'REDIS_URL', message: 'must be a redis:// or rediss:// URL' });
  if (endpoint && !protocolIs(endpoint, ['http:', 'https:'])) issues.push({ variable: 'DOTBASE_S3_ENDPOINT', message: 'must be an http(s) URL' });
  if (!bucket && (endpoint || prefix || redirect)) issues.push({ variable: 'DOTBASE_S3_BUCKET', message: 'must be set when DOTBASE_S3_ENDPOINT, DOTBASE_S3_PREFIX or DOTBASE_S3_REDIRECT_SECONDS is' });
  if (bucket && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) issues.push({ variable: 'DOTBASE_S3_BUCKET', message: 'must be a bucket name: 3 to 63 lower-case letters, digits, dots and dashes' });
  if (prefix && !/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(prefix)) issues.push({ variable: 'DOTBASE_S3_PREFIX', message: 'must be made of letters, digits, . _ - and /' });
  const seconds = redirect === undefined ? undefined : Number(redirect);
  if (seconds !== undefined && !(Number.isInteger(seconds) && seconds >= 1 && seconds <= 604_800)) {
    issues.push({ variable: 'DOTBASE_S3_REDIRECT_SECONDS', message: 'must be a whole number of seconds from 1 to 604800' });
  }
  const lease = blank(env['DOTBASE_TRACKING_LEASE_SECONDS']);
  const leaseSeconds = lease === undefined ? undefined : Number(lease);
  if (leaseSeconds !== undefined && !(Number.isFinite(leaseSeconds) && leaseSeconds >= 1 && leaseSeconds <= 3600)) {
    issues.push({ variable: 'DOTBASE_TRACKING_LEASE_SECONDS', message: 'must be a number of seconds from 1 to 3600' });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return {
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(redisUrl ? { redisUrl } : {}),
    ...(bucket
      ? { s3: { bucket, ...(endpoint ? { endpoint } : {}), ...(prefix ? { prefix } : {}), ...(region ? { region } : {}), ...(credentials ? { credentials } : {}) } }
      : {}),
    ...(seconds !== undefined ? { filesRedirectSeconds: seconds } : {}),
    ...(leaseSeconds !== undefined ? { trackingLeaseMs: Math.round(leaseSeconds * 1000) } : {}),
  };
}

/**
 * What cannot work across several instances with this combination, one sentence each: the server logs them at
 * start. None for the embedded default (one instance by design) or for a complete scale-out setup.
 */
export function scaleWarnings(scale: ScaleConfig, hasSecret: boolean): string[] {
  const shared = scale.databaseUrl !== undefined || scale.redisUrl !== undefined || scale.s3 !== undefined;
  if (!shared) return [];
  const warnings: string[] = [];
  if (!scale.databaseUrl) warnings.push('DATABASE_URL is not set: generation records and upload ownership stay in this machine\'s DOTBASE_DATA_DIR, so run only one instance');
  if (!scale.s3) warnings.push('DOTBASE_S3_BUCKET is not set: uploads and outputs stay in this machine\'s DOTBASE_DATA_DIR, so run only one instance (or share that folder)');
  if (!hasSecret) warnings.push('DOTBASE_SECRET is not set: each instance makes its own, so a session signed by one is refused by another; set the same DOTBASE_SECRET on every instance');
  return warnings;
}
