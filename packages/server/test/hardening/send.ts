import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { FuzzRequest } from './fuzz-request.js';

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as text, cut at `MAX_ANSWER_BYTES`. */
  body: string;
}

export type Delivery = { ok: true; answer: Answer } | { ok: false; failure: string };

/** Error answers are small; anything bigger is kept only in part. */
const MAX_ANSWER_BYTES = 1024 * 1024;
const CHUNK_BYTES = 16 * 1024;

/**
 * Sends one request over a fresh connection with node:http rather than fetch: fetch normalises `..` and
 * `%2e%2e` away and refuses some headers, and those are exactly what the fuzz cases need to send.
 */
export function send(baseUrl: string, fuzz: FuzzRequest, timeoutMs: number): Promise<Delivery> {
  const { hostname, port } = new URL(baseUrl);
  const body = fuzz.body === undefined ? undefined : typeof fuzz.body === 'string' ? Buffer.from(fuzz.body, 'utf8') : Buffer.from(fuzz.body);
  const headers: Record<string, string> = { ...fuzz.headers };
  if (body !== undefined && !fuzz.chunked) headers['content-length'] = String(body.byteLength);

  return new Promise((resolve) => {
    let settled = false;
    const finish = (delivery: Delivery) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(delivery);
    };
    let answered = false;
    const req = httpRequest({ hostname, port, method: fuzz.method, path: fuzz.path, headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
        size += chunk.byteLength;
      });
      res.on('end', () => finish({ ok: true, answer: { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') } }));
      res.on('error', (error) => finish({ ok: false, failure: `answer broke off: ${error.message}` }));
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ ok: false, failure: `no complete answer within ${timeoutMs} ms` });
    }, timeoutMs);
    // A server may answer (413) and stop reading before the whole body is written; the answer is what counts.
    req.on('error', (error) => {
      if (!answered) finish({ ok: false, failure: `connection error before an answer: ${error.message}` });
    });
    if (body !== undefined && fuzz.chunked) {
      for (let offset = 0; offset < body.byteLength; offset += CHUNK_BYTES) req.write(body.subarray(offset, offset + CHUNK_BYTES));
      req.end();
    } else {
      req.end(body);
    }
  });
}
