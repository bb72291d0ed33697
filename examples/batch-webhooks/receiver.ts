import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/** A generation as dotbase POSTs it (the fields this example reads). */
export interface GenerationPayload {
  id: string;
  status: string;
  model_id: string;
  output_urls: string[];
  error: string | null;
}

/**
 * The receiving side of your app: an HTTP endpoint that verifies each webhook with the `standardwebhooks` package
 * (signature, freshness) against the secret from `GET /api/webhooks/secret`, answers 401 to anything forged, and
 * drops retries of a `webhook-id` it has already handled (delivery is at least once).
 */
export async function startReceiver(secret: string, onGeneration: (generation: GenerationPayload) => void) {
  const verifier = new Webhook(secret);
  const handled = new Set<string>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
      let generation: GenerationPayload;
      try {
        // verify the raw body, before parsing it: a re-serialised body would not match the signature
        generation = verifier.verify(body, headers) as GenerationPayload;
      } catch (error) {
        response.writeHead(error instanceof WebhookVerificationError ? 401 : 400).end();
        return;
      }
      response.writeHead(204).end();
      const id = headers['webhook-id'] ?? '';
      if (handled.has(id)) return;
      handled.add(id);
      onGeneration(generation);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/dotbase-webhooks`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
