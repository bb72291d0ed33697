import { DotbaseError } from '../errors.js';
import { sniffImageType } from '../images/sniff.js';
import type { ImageProvider } from '../providers/types.js';
import type { BlobStore } from '../storage/types.js';

/**
 * Copies every output into dotbase's own storage, because Replicate deletes API outputs after an hour. Each must
 * be a non-empty image whose type its bytes show. All or nothing: if one output cannot be copied, the ones already stored are removed again and the error names why.
 */
export async function copyOutputs(provider: ImageProvider, blobs: BlobStore, urls: string[]): Promise<string[]> {
  if (urls.length === 0) {
    throw new DotbaseError('output_unavailable', 'the prediction succeeded but its outputs are gone (expired or removed) before they could be copied');
  }
  const results = await Promise.allSettled(
    urls.map(async (url) => {
      const { bytes } = await provider.download(url);
      // verified before the generation counts as completed: an empty or foreign body stored as an image would be
      // served as a broken output forever. The bytes decide the type, never the answer's Content-Type.
      if (bytes.byteLength === 0) throw new DotbaseError('output_unavailable', 'an output is empty (0 bytes)');
      const type = sniffImageType(bytes);
      if (!type) throw new DotbaseError('output_unavailable', 'an output is not a PNG, JPEG, WebP or GIF image');
      return (await blobs.put(bytes, type, 'outputs')).key;
    }),
  );
  const keys = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await Promise.all(keys.map((key) => blobs.delete(key).catch(() => undefined)));
    const reason: unknown = failure.reason;
    throw reason instanceof DotbaseError
      ? reason
      : new DotbaseError('output_unavailable', `output could not be stored: ${String(reason)}`, { cause: reason });
  }
  return keys;
}
