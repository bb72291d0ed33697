/** One SSE message of `GET /api/generations/:id/events`: its `id:` and its parsed JSON. */
export interface SseMessage {
  id: string | undefined;
  data: any;
}

/**
 * Reads SSE messages from `response` until the stream ends or `stopAfter` messages came (then it disconnects, as a
 * client losing its connection would). Parses the text the way the widget does.
 */
export async function readSse(response: Response, stopAfter = Infinity): Promise<SseMessage[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const messages: SseMessage[] = [];
  let buffer = '';
  while (messages.length < stopAfter) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1 && messages.length < stopAfter) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = block.split('\n');
      if (!lines.includes('event: generation')) continue;
      const id = lines.find((line) => line.startsWith('id: '))?.slice(4);
      messages.push({ id, data: JSON.parse(lines.find((line) => line.startsWith('data: '))!.slice(6)) });
    }
  }
  await reader.cancel().catch(() => undefined);
  return messages;
}
