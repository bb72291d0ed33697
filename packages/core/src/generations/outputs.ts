import { DotbaseError } from '../errors.js';
import { sniffImageType } from '../images/sniff.js';
import type { ImageProvider } from '../providers/types.js';
import { outputBlobKey } from '../storage/blob-keys.js';
import type { BlobStore } from '../storage/types.js';

/** What a copy left behind: every key stored, and on failure why (the stored keys are then the caller's to remove). */
export type CopiedOutputs = { ok: true; keys: string[] } | { ok: false; keys: string[]; error: DotbaseError };

/**
 * Copies every output into dotbase's own storage, because Replicate deletes API outputs after an hour, under keys
 * that follow from the generation and the output (`outputBlobKey`): copies racing on several instances land on
 * the same objects. Each must
 * be a non-empty image whose type its bytes show. All or nothing, decided by the caller: on failure the answer
 * names the keys stored anyway, which the caller removes once the generation's end is recorded (never before:
 * a racing copy of the same generation may have recorded those very keys).
 */
export async function copyOutputs(provider: ImageProvider, blobs: BlobStore, urls: string[], generationId: string): Promise<CopiedOutputs> {
  if (urls.length === 0) {
    return { ok: false, keys: [], error: new DotbaseError('output_unavailable', 'the prediction succeeded but its outputs are gone (expired or removed) before they could be copied') };
  }
  const results = await Promise.allSettled(
    urls.map(async (url, index) => {
      const { bytes } = await provider.download(url);
      // verified before the generation counts as completed: an empty or foreign body stored as an image would be
      // served as a broken output forever. The bytes decide the type, never the answer's Content-Type.
      if (bytes.byteLength === 0) throw new DotbaseError('output_unavailable', 'an output is empty (0 bytes)');
      const type = sniffImageType(bytes);
      if (!type) throw new DotbaseError('output_unavailable', 'an output is not a PNG, JPEG, WebP or GIF image');
      // the same key for every copy of this output (see outputBlobKey): a second copy overwrites the first
      const { key } = await outputBlobKey(generationId, index, url, type);
      return (await blobs.putAt(key, bytes)).key;
    }),
  );
  const keys = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!failure) return { ok: true, keys };
  const reason: unknown = failure.reason;
  const error = reason instanceof DotbaseError ? reason : new DotbaseError('output_unavailable', `output could not be stored: ${String(reason)}`, { cause: reason });
  return { ok: false, keys, error };
}
