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
