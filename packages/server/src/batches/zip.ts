import { Zip, ZipPassThrough } from 'fflate';

export interface ZipEntry {
  name: string;
  bytes: Uint8Array;
  modified?: Date;
}

/**
 * A ZIP archive as a web stream, built with fflate one file at a time as the reader asks for more: a batch of a
 * hundred images never sits in memory as one archive. Files are stored, not deflated: images are compressed already.
 *
 * @example
 * return new Response(zipStream(entries()), { headers: { 'content-type': 'application/zip' } });
 */
export function zipStream(entries: AsyncIterable<ZipEntry>): ReadableStream<Uint8Array> {
  const iterator = entries[Symbol.asyncIterator]();
  let zip: Zip | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      zip = new Zip((error, chunk, final) => {
        if (error) {
          controller.error(error);
          return;
        }
        controller.enqueue(chunk);
        if (final) controller.close();
      });
    },
    async pull() {
      const next = await iterator.next();
      if (next.done) {
        zip!.end();
        return;
      }
      const file = new ZipPassThrough(next.value.name);
      if (next.value.modified) file.mtime = next.value.modified;
      zip!.add(file);
      file.push(next.value.bytes, true);
    },
    async cancel() {
      zip?.terminate();
      await iterator.return?.();
    },
  });
}
