import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any;
}

/**
 * One HTTP/1.1 request written byte for byte on a TCP socket: the path goes out as given (`..`, `%2e%2e` and all,
 * which fetch would normalise away) and so does the Host header (which fetch sets itself). The connection is
 * closed after the answer. Chunked answers are decoded; streaming answers are not for this helper.
 *
 * @example
 * const answer = await rawRequest(server.url, 'GET', '/files/uploads/../secret');
 * const rebound = await rawRequest(server.url, 'GET', '/api/health', { host: 'attacker.example' });
 */
export async function rawRequest(baseUrl: string, method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
  const lines = [`${method} ${path} HTTP/1.1`];
  const names = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  if (!names.has('host')) lines.push(`Host: ${url.host}`);
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (payload && !names.has('content-length')) lines.push(`Content-Length: ${payload.byteLength}`);
  lines.push('Connection: close', '', '');
  const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) });
  socket.setTimeout(15_000, () => socket.destroy(new Error(`no answer to ${method} ${path} within 15 s`)));
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => {
      socket.write(lines.join('\r\n'));
      if (payload) socket.write(payload);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('end', resolve);
    socket.once('close', () => resolve());
    socket.once('error', reject);
  });
  const raw = Buffer.concat(chunks).toString('latin1');
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '')?.[1]);
  const answerHeaders: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    answerHeaders[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let text = raw.slice(split + 4);
  if (answerHeaders['transfer-encoding'] === 'chunked') text = dechunk(text);
  const decoded = Buffer.from(text, 'latin1').toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(decoded);
  } catch {
    json = undefined;
  }
  return { status, headers: answerHeaders, body: decoded, json };
}

function dechunk(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const lineEnd = text.indexOf('\r\n', at);
    if (lineEnd < 0) return out;
    const size = parseInt(text.slice(at, lineEnd), 16);
    if (!size) return out;
    out += text.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}
