import { HttpError } from './http/errors.js';

/**
 * The server's optional peer dependencies, loaded on first use: an app that mounts the API with storage of its own
 * needs neither the simulator nor LMDB, and only uploads need sharp. When one is missing, the error names the
 * package to install instead of Node's bare "Cannot find package".
 */
async function importOptional<T>(name: string, purpose: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpError(500, 'missing_dependency', `${purpose} needs the "${name}" package: npm install ${name} (${reason.split('\n')[0]})`);
  }
}

/** sharp, for checking uploaded images. */
export async function loadSharp(): Promise<typeof import('sharp').default> {
  return (await importOptional('sharp', 'checking uploaded images', () => import('sharp'))).default;
}

/** The Replicate simulator, for offline mode (no `REPLICATE_API_TOKENS`). */
export function loadSimulator(): Promise<typeof import('@dotbase/simulator')> {
  return importOptional('@dotbase/simulator', 'running without REPLICATE_API_TOKENS (offline mode)', () => import('@dotbase/simulator'));
}

/**
 * `@dotbase/scale` (an optional peer: only installs with shared engines need it, and it brings their drivers), one
 * entry at a time. `purpose` names the setting that asked for it, so the message says why it is needed.
 */
const SCALE = '@dotbase/scale';

/** PostgreSQL (`DATABASE_URL`, `dotbase migrate`, `dotbase import`). */
export function loadScalePostgres(purpose = 'DATABASE_URL (PostgreSQL)'): Promise<typeof import('@dotbase/scale/postgres')> {
  return importOptional(SCALE, purpose, () => import('@dotbase/scale/postgres'));
}

/** Redis (`REDIS_URL`). */
export function loadScaleRedis(): Promise<typeof import('@dotbase/scale/redis')> {
  return importOptional(SCALE, 'REDIS_URL (Redis)', () => import('@dotbase/scale/redis'));
}

/** S3-compatible storage (`DOTBASE_S3_BUCKET`, `dotbase import`). */
export function loadScaleS3(purpose = 'DOTBASE_S3_BUCKET (S3-compatible storage)'): Promise<typeof import('@dotbase/scale/s3')> {
  return importOptional(SCALE, purpose, () => import('@dotbase/scale/s3'));
}

/** Reading an embedded folder for `dotbase import`. */
export function loadScaleImport(): Promise<typeof import('@dotbase/scale/import')> {
  return importOptional(SCALE, 'dotbase import', () => import('@dotbase/scale/import'));
}
