import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { DotbaseError } from '../../errors.js';

/** LMDB's meta-page magic number (`MDB_MAGIC`), little-endian on every platform LMDB runs on here. */
const MDB_MAGIC = 0xbeefc0de;
/**
 * Offsets in a meta page of the LMDB that the `lmdb` package ships (its page header is 24 bytes: page number,
 * transaction id, flags, bounds). Read from the format rather than opened through LMDB because LMDB memory-maps
 * the file and trusts it: a truncated file kills the process with SIGBUS on first access, with no message at all.
 */
const META = { magic: 24, pageSize: 48, lastPage: 144, txnId: 152 } as const;
const MIN_PAGE = 512;
const MAX_PAGE = 65_536;

interface Meta {
  pageSize: number;
  lastPage: bigint;
  txnId: bigint;
}

function readMeta(fd: number, offset: number): Meta | undefined {
  const page = Buffer.alloc(META.txnId + 8);
  if (readSync(fd, page, 0, page.length, offset) < page.length) return undefined;
  if (page.readUInt32LE(META.magic) !== MDB_MAGIC) return undefined;
  const pageSize = page.readUInt32LE(META.pageSize);
  if (pageSize < MIN_PAGE || pageSize > MAX_PAGE || (pageSize & (pageSize - 1)) !== 0) return undefined;
  return { pageSize, lastPage: page.readBigUInt64LE(META.lastPage), txnId: page.readBigUInt64LE(META.txnId) };
}

function hasFiles(dir: string): boolean {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true }).some((entry) => entry.isFile() && !entry.parentPath.includes('.dotbase-tmp'));
  } catch {
    return false;
  }
}

function refuse(path: string, problem: string, recovery: string): never {
  throw new DotbaseError('storage_error', `[dotbase] [embedded-store] ${path} ${problem}. Refusing to start so nothing is lost or overwritten. ${recovery}`);
}

/**
 * Checks the embedded store's records file before LMDB maps it, so a damaged file is a clear message naming it
 * instead of a crash (SIGBUS/SIGSEGV) or an empty server:
 *
 * - missing while `blobsDir` still holds images: the records were deleted or lost, and starting would silently
 *   begin empty (with every stored image orphaned);
 * - shorter than its two meta pages, no valid meta page (garbage), or shorter than the last page its newest meta
 *   page says is in use (truncated).
 *
 * A missing file with no images beside it is a first start and passes. Throws a `DotbaseError` (`storage_error`).
 *
 * @example
 * checkLmdbFile('./.data/records.lmdb', './.data/blobs'); // throws when records.lmdb is damaged
 */
export function checkLmdbFile(path: string, blobsDir?: string): void {
  if (!existsSync(path)) {
    if (blobsDir && hasFiles(blobsDir)) {
      refuse(
        path,
        `is missing, but ${blobsDir} still holds stored images: the records were deleted or lost`,
        `Restore records.lmdb from a backup. To start empty instead, move ${blobsDir} aside first (its images would be unreachable anyway).`,
      );
    }
    return;
  }
  const recovery = `Restore it from a backup (stop the server, copy the backup over it). If you have none and accept losing every generation record, move the file aside (with its -lock file) and start again; the images in blobs/ stay on disk.`;
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) refuse(path, 'is empty (0 bytes)', recovery);
    const first = readMeta(fd, 0);
    const second = first ? readMeta(fd, first.pageSize) : undefined;
    const metas = [first, second].filter((meta): meta is Meta => meta !== undefined);
    if (metas.length === 0) refuse(path, 'is not an LMDB database (no valid header: overwritten or damaged)', recovery);
    const newest = metas.reduce((a, b) => (b.txnId > a.txnId ? b : a));
    const needed = (newest.lastPage + 1n) * BigInt(newest.pageSize);
    if (BigInt(size) < needed) refuse(path, `is truncated (${size} bytes, its header says at least ${needed})`, recovery);
  } finally {
    closeSync(fd);
  }
}
