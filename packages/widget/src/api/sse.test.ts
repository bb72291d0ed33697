import { describe, expect, it } from 'vitest';
import { parseSse, type SseMessage } from './sse.js';

/** A real byte stream delivering `text` in the given chunk sizes, so the parser meets every split point. */
function streamOf(text: string, chunkSize: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<SseMessage[]> {
  const messages: SseMessage[] = [];
  for await (const message of parseSse(stream)) messages.push(message);
  return messages;
}

const SAMPLE =
  ': keep-alive comment\r\n' +
  'event: generation\r\n' +
  'id: 1\r\n' +
  'data: {"status":"processing",\r\n' +
  'data:"progress":40}\r\n' +
  '\r\n' +
  'data: plain ✓ ünïcode\n\n' +
  'event: generation\rdata: {"status":"completed"}\r\r' +
  'data: never dispatched without a blank line';

describe('parseSse', () => {
  it.each([1, 2, 3, 7, 64, 4096])('parses the same events whatever the chunk size (%i bytes)', async (size) => {
    const messages = await collect(streamOf(SAMPLE, size));
    expect(messages).toEqual([
      { event: 'generation', data: '{"status":"processing",\n"progress":40}', id: '1' },
      { event: 'message', data: 'plain ✓ ünïcode', id: '1' },
      { event: 'generation', data: '{"status":"completed"}', id: '1' },
    ]);
    expect(JSON.parse(messages[0]!.data)).toEqual({ status: 'processing', progress: 40 });
  });

  it('drops one leading space only and ignores unknown fields and data-less blocks', async () => {
    const messages = await collect(streamOf('retry: 10\nfoo: bar\n\nevent: x\ndata:  two spaces\ndata\n\n', 5));
    expect(messages).toEqual([{ event: 'x', data: ' two spaces\n', id: null }]);
  });

  it('stops reading when the consumer stops early', async () => {
    let pulls = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        controller.enqueue(new TextEncoder().encode(`data: ${pulls}\n\n`));
      },
    });
    for await (const message of parseSse(endless)) {
      if (message.data === '3') break;
    }
    const pullsAtBreak = pulls;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pulls).toBe(pullsAtBreak);
  });
});
