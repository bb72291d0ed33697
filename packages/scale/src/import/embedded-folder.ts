import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { parseBlobKey, type GenerationRecord } from '@dotbase/core';
import { lmdbDriver } from '@dotbase/core/node';

/** Where the embedded store (`fsStorage(dir)` in @dotbase/core/node) keeps generations in its LMDB file. */
const GENERATION_KEYS = 'generations:';
/** The record under `generations:gen:<id>` (see core's generation-store.ts: `{ record, chunk }`). */
const RECORD_KEYS = 'generations:gen:';
/** Half-written files of the atomic fs driver: never a blob. */
const TEMP_DIR = '.dotbase-tmp';

/** The folder given to the import is missing or holds no embedded store; the message says which, for a person. */
export class NotAnEmbeddedFolderError extends Error {
  override name = 'NotAnEmbeddedFolderError';
}

/** A key every BlobStore accepts (the rule the S3 store checks before writing). */
function isBlobKey(key: string): boolean {
  try {
    parseBlobKey(key);
    return true;
  } catch {
    return false;
  }
}

/** One file under `dir/blobs`, by its blob key (`uploads/<random>.png`). */
export interface FolderBlob {
  key: string;
  path: string;
}

/**
 * Read access to an embedded data folder, as the zero-config server left it: generation records and the server's
 * key-value entries in `records.lmdb`, images as files under `blobs/`, the signing secret in `secret`. Nothing is
 * written to the folder (LMDB lets this process read while a server still has it open).
 *
 * @example
 * const folder = openEmbeddedFolder('./.data');
 * for (const key of await folder.generationKeys()) console.log(await folder.generation(key));
 * await folder.close();
 */
export function openEmbeddedFolder(dir: string) {
  const root = resolve(dir);
  const recordsPath = join(root, 'records.lmdb');
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new NotAnEmbeddedFolderError(`${root} is not a folder, so it holds no records.lmdb: not an embedded dotbase data folder`);
  }
  // checked before opening: LMDB would create an empty database where there is none
  if (!existsSync(recordsPath) || !statSync(recordsPath).isFile()) {
    throw new NotAnEmbeddedFolderError(`${root} holds no records.lmdb: not an embedded dotbase data folder (the folder DOTBASE_DATA_DIR named, .data by default)`);
  }
  const records = lmdbDriver({ path: recordsPath });
  const blobsDir = join(root, 'blobs');

  return {
    dir: root,

    /** Keys of every generation record, in key order. */
    async generationKeys(): Promise<string[]> {
      return (await records.getKeys!(RECORD_KEYS, {})) as string[];
    },

    /** The record under `key`, or null when it is gone or not a record (a folder from another program). */
    async generation(key: string): Promise<GenerationRecord | null> {
      const raw = (await records.getItem(key, {})) as string | null;
      if (raw === null) return null;
      try {
        const stored = JSON.parse(raw) as { record?: unknown };
        return stored && typeof stored.record === 'object' && stored.record !== null ? (stored.record as GenerationRecord) : null;
      } catch {
        return null;
      }
    },

    /**
     * Keys of the server's own entries (upload ownership, upload lists, whatever it keeps beside generations):
     * every key outside `generations:`, whose index and statistics the target store keeps by itself.
     */
    async keyValueKeys(): Promise<string[]> {
      const all = (await records.getKeys!('', {})) as string[];
      return all.filter((key) => !key.startsWith(GENERATION_KEYS));
    },

    /** An entry's value exactly as stored (JSON text), to be copied verbatim. */
    async keyValue(key: string): Promise<string | null> {
      return ((await records.getItem(key, {})) as string | null) ?? null;
    },

    /** Every image file under `blobs/`, by blob key; files that are no blob (stray, half-written) are in `strays`. */
    async blobs(): Promise<{ blobs: FolderBlob[]; strays: string[] }> {
      if (!existsSync(blobsDir)) return { blobs: [], strays: [] };
      const entries = await readdir(blobsDir, { recursive: true, withFileTypes: true });
      const blobs: FolderBlob[] = [];
      const strays: string[] = [];
      for (const entry of entries) {
        if (!entry.isFile()) continue;
        const path = join(entry.parentPath, entry.name);
        const key = path.slice(blobsDir.length + 1).split(sep).join('/');
        if (key.startsWith(`${TEMP_DIR}/`)) continue;
        if (isBlobKey(key)) blobs.push({ key, path });
        else strays.push(key);
      }
      blobs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      return { blobs, strays };
    },

    readBlob: (blob: FolderBlob) => readFile(blob.path).then((buffer) => new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)),

    /** Whether the folder holds the signing secret the server made for itself (`secret`, when DOTBASE_SECRET was unset). */
    async secret(): Promise<string | null> {
      try {
        return (await readFile(join(root, 'secret'), 'utf8')).trim() || null;
      } catch {
        return null;
      }
    },

    async close(): Promise<void> {
      await records.dispose?.();
    },
  };
}

export type EmbeddedFolder = ReturnType<typeof openEmbeddedFolder>;
