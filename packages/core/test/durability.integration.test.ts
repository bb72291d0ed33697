import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, type TestContext } from 'vitest';
import { tempDir } from './helpers.js';
import { fileEvents, runTraced, straceAvailable, type FileEvent } from './strace.js';

/**
 * `fsStorage` durability `sync` promises that an answered blob write survives a power cut: the file's bytes are
 * fsynced before it is renamed into place, and its directory after (the rename lives there). That is only visible
 * from outside the process, so a real process writes a real blob under strace and the test reads the syscalls.
 * Durability `os` is the contrast that proves the assertions can fail.
 */

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/write-blob.ts', import.meta.url));
const hasStrace = await straceAvailable();

const undo: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
});

/** Skips without strace on a dev machine; in CI (which installs it) a missing strace is a failure, not a skip. */
function requireStrace(context: TestContext): void {
  if (hasStrace) return;
  if (process.env.CI === 'true') throw new Error('strace is missing: .ci/run installs it (apt-get install strace)');
  context.skip(true, 'strace is not installed (apt-get install strace): fsync of blobs cannot be observed');
}

/** Writes one blob in its own traced process; returns the blob's path on disk and what the process did to files. */
async function tracedBlobWrite(durability: 'sync' | 'os', count = 1): Promise<{ blobPath: string; blobPaths: string[]; events: FileEvent[] }> {
  const temp = await tempDir();
  undo.push(temp.remove);
  const dataDir = join(temp.dir, 'data');
  const { stdout, trace } = await runTraced(
    join(temp.dir, 'strace.txt'),
    process.execPath,
    ['--import', 'tsx', FIXTURE, dataDir, durability, String(count)],
    PACKAGE_DIR,
  );
  const { key, keys } = JSON.parse(stdout) as { key: string; keys: string[] };
  return { blobPath: join(dataDir, 'blobs', key), blobPaths: keys.map((each) => join(dataDir, 'blobs', each)), events: fileEvents(trace) };
}

/** The temporary file renamed onto the blob's path, and where in the trace that happened. */
function renameOnto(events: FileEvent[], blobPath: string): { scratch: string; at: number } {
  const at = events.findIndex((event) => event.call === 'rename' && event.to === blobPath);
  expect(at, `no rename onto ${blobPath} in the trace`).toBeGreaterThanOrEqual(0);
  return { scratch: (events[at] as Extract<FileEvent, { call: 'rename' }>).from, at };
}

function indexesOf(events: FileEvent[], call: 'open' | 'sync', path: string): number[] {
  return events.flatMap((event, index) => (event.call === call && event.path === path ? [index] : []));
}

describe('fsStorage durability, observed with strace', () => {
  it("'sync' fsyncs a blob's bytes before renaming it into place, and its directory after", async (context) => {
    requireStrace(context);
    const { blobPath, events } = await tracedBlobWrite('sync');
    const { scratch, at: renamedAt } = renameOnto(events, blobPath);

    const opened = indexesOf(events, 'open', scratch).filter((index) => index < renamedAt);
    expect(opened.length, `${scratch} was never opened`).toBeGreaterThan(0);
    const fileSyncs = indexesOf(events, 'sync', scratch);
    // the bytes reach the disk between writing the file and making it visible under its key
    expect(fileSyncs.some((index) => index > opened.at(-1)! && index < renamedAt), `${scratch} not synced before its rename`).toBe(true);
    // and the rename itself: the directory holding the blob is synced after it
    const dirSyncs = indexesOf(events, 'sync', dirname(blobPath));
    expect(dirSyncs.some((index) => index > renamedAt), `${dirname(blobPath)} not synced after the rename`).toBe(true);
  });

  it("'sync' with many blobs at once: every rename is followed by a sync of its directory, shared between them", async (context) => {
    requireStrace(context);
    const count = 24;
    const { blobPaths, events } = await tracedBlobWrite('sync', count);
    const dir = dirname(blobPaths[0]!);
    expect(new Set(blobPaths.map((path) => dirname(path)))).toEqual(new Set([dir]));
    const dirSyncs = indexesOf(events, 'sync', dir);
    for (const blobPath of blobPaths) {
      const { at: renamedAt } = renameOnto(events, blobPath);
      expect(dirSyncs.some((index) => index > renamedAt), `${dir} not synced after the rename onto ${blobPath}`).toBe(true);
    }
    // renames that land while a directory sync runs share the next one: fewer syncs than blobs (was one each)
    expect(dirSyncs.length).toBeLessThan(count);
  });

  it("'os' leaves blob files and their directory to the OS: no fsync", async (context) => {
    requireStrace(context);
    const { blobPath, events } = await tracedBlobWrite('os');
    // the trace did see the write (so the absence of syncs below means something)
    const { scratch } = renameOnto(events, blobPath);
    expect(indexesOf(events, 'open', scratch).length).toBeGreaterThan(0);

    const blobsDir = dirname(dirname(blobPath)); // <data>/blobs
    const syncedUnderBlobs = events.filter((event) => event.call === 'sync' && (event.path === blobsDir || event.path.startsWith(`${blobsDir}/`)));
    expect(syncedUnderBlobs).toEqual([]);
  });
});
