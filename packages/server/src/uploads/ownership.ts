import { createHash } from 'node:crypto';
import { isBlobRef } from '@dotbase/core';
import type { Storage } from 'unstorage';

export interface UploadInfo {
  id: string;
  content_type: string;
  size: number;
  width: number;
  height: number;
  created_at: number;
}

export interface UploadUsage {
  count: number;
  bytes: number;
}

function usageOf(uploads: UploadInfo[]): UploadUsage {
  return { count: uploads.length, bytes: uploads.reduce((sum, upload) => sum + (Number.isFinite(upload.size) ? upload.size : 0), 0) };
}

/** A storage segment for a user id: fixed length, lower-case hex, so any id (with `:`, `/`, case) is safe. */
function userSegment(userId: string): string {
  return createHash('sha256').update(userId).digest('hex').slice(0, 32);
}

/**
 * Who owns which stored image. Blob keys are unguessable, but a key seen once (a shared link, a log) must
 * still not let another user feed that image into *their* generations: core only checks that a key exists,
 * the server checks that it is the caller's own upload or output.
 *
 * @example
 * const owners = createOwnership(prefixStorage(storage, 'server'));
 * await owners.claim('alice', 'uploads/3q2-7w….png', info);
 * await owners.owns('bob', 'uploads/3q2-7w….png'); // false
 */
export function createOwnership(storage: Storage) {
  const ownerKey = (blobKey: string) => `owner:${blobKey}`;
  const listKey = (userId: string, blobKey: string) => `by-user:${userSegment(userId)}:${blobKey}`;

  async function allUploads(userId: string): Promise<UploadInfo[]> {
    const keys = await storage.getKeys(`by-user:${userSegment(userId)}:uploads`);
    const entries = await storage.getItems<UploadInfo>(keys);
    return entries.map((entry) => entry.value).filter((value): value is UploadInfo => value !== null && typeof value === 'object');
  }

  return {
    /** Records `userId` as the owner; uploads also go into the user's upload list. */
    async claim(userId: string, blobKey: string, upload?: UploadInfo): Promise<void> {
      await storage.setItem(ownerKey(blobKey), { user_id: userId });
      if (upload) await storage.setItem(listKey(userId, blobKey), upload as unknown as Record<string, unknown>);
    },

    /** Whether the server recorded this key as stored (an upload or an output), whoever owns it. */
    async isRecorded(blobKey: string): Promise<boolean> {
      return isBlobRef(blobKey) && (await storage.hasItem(ownerKey(blobKey)));
    },

    async owns(userId: string, blobKey: string): Promise<boolean> {
      if (!isBlobRef(blobKey)) return false;
      const owner = await storage.getItem<{ user_id: string }>(ownerKey(blobKey));
      return owner !== null && owner.user_id === userId;
    },

    /** The user's uploads, newest first, and what they take up in all. */
    async listUploads(userId: string, page: number, limit: number): Promise<{ items: UploadInfo[]; total: number; usage: UploadUsage }> {
      const all = (await allUploads(userId)).sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? -1 : 1));
      return { items: all.slice((page - 1) * limit, page * limit), total: all.length, usage: usageOf(all) };
    },

    /** How many uploads the user keeps and their bytes, for the upload quota. */
    async uploadUsage(userId: string): Promise<UploadUsage> {
      return usageOf(await allUploads(userId));
    },

    async release(userId: string, blobKey: string): Promise<void> {
      await Promise.all([storage.removeItem(ownerKey(blobKey)), storage.removeItem(listKey(userId, blobKey))]);
    },
  };
}

export type Ownership = ReturnType<typeof createOwnership>;
