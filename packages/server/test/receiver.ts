import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  /** The status this request was answered with; 0 when it was never answered. */
  answered: number;
}

/** A status, a status with headers (a redirect's Location), or `hang`: never answer. */
export type ReceiverAnswer = number | { status: number; headers: Record<string, string> } | 'hang';

/**
 * A real HTTP webhook receiver on loopback that records every request. `answer` decides each answer (default 200);
 * `listen(port)` can bring it back on the port it had, to play a receiver that was down.
 */
export function webhookReceiver(answer: (request: { headers: Record<string, string>; body: string }, count: number) => ReceiverAnswer = () => 200) {
  const received: ReceivedWebhook[] = [];
  let server: Server | undefined;
  let port = 0;

  function make(): Server {
    return createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
        const body = Buffer.concat(chunks).toString('utf8');
        const decision = answer({ headers, body }, received.length);
        if (decision === 'hang') {
          received.push({ headers, body, answered: 0 });
          return;
        }
        const { status, headers: extra } = typeof decision === 'number' ? { status: decision, headers: {} } : decision;
        received.push({ headers, body, answered: status });
        response.writeHead(status, { 'content-type': 'text/plain', ...extra }).end('ok');
      });
    });
  }

  return {
    received,
    get port() {
      return port;
    },
    get url() {
      return `http://127.0.0.1:${port}/hooks`;
    },
    async listen(atPort = port): Promise<void> {
      server = make();
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(atPort, '127.0.0.1', () => resolve());
      });
      port = (server.address() as AddressInfo).port;
    },
    async close(): Promise<void> {
      const closing = server;
      server = undefined;
      if (!closing) return;
      closing.closeAllConnections();
      await new Promise((resolve) => closing.close(resolve));
    },
    /** Waits until `predicate` holds for what was received (polling, 15 s at most). */
    async until(predicate: (received: ReceivedWebhook[]) => boolean, what: string, timeoutMs = 15_000): Promise<ReceivedWebhook[]> {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > deadline) throw new Error(`receiver: ${what} did not happen in ${timeoutMs} ms (got ${received.length} requests)`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return received;
    },
  };
}

export type WebhookReceiver = ReturnType<typeof webhookReceiver>;
