/**
 * What a fuzz case sends and what it must get back. `reject`: the request is wrong by construction, so the
 * answer must be a 4xx JSON error. `survive`: the request may be acceptable (odd but legal input), so a 2xx is
 * fine too; it must never be a 5xx.
 */
export type Outcome = 'reject' | 'survive';

export interface FuzzRequest {
  /** `family/mutation`, for the report. */
  label: string;
  method: string;
  /** Sent exactly as written (no URL normalisation), so `..` and broken escapes reach the server. */
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array | string;
  /** Send the body with chunked transfer encoding, without a Content-Length. */
  chunked?: boolean;
  outcome: Outcome;
  /** When only some 4xx fit (e.g. 401 without credentials). */
  statuses?: readonly number[];
}

/** A generator's request; the plan adds the label. */
export type FuzzDraft = Omit<FuzzRequest, 'label'>;

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

export const JSON_TYPE = { 'content-type': 'application/json' } as const;

/** A JSON request whose body is `value` serialised (lone surrogates come out as `\ud800` escapes, still JSON). */
export function jsonDraft(method: string, path: string, value: unknown, headers: Record<string, string>, outcome: Outcome = 'reject'): FuzzDraft {
  return { method, path, headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify(value), outcome };
}

export interface MultipartPart {
  name: string;
  /** Present: a file part. */
  filename?: string;
  type?: string;
  data: Uint8Array | string;
}

/** A multipart/form-data body built by hand, so parts and boundaries can be wrong on purpose. */
export function multipartBody(parts: readonly MultipartPart[], boundary: string): Uint8Array {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const type = part.type === undefined ? '' : `Content-Type: ${part.type}\r\n`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`, 'utf8'));
    chunks.push(Buffer.from(part.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return new Uint8Array(Buffer.concat(chunks));
}

/** One line describing a request, short enough for a failure report. */
export function describeRequest(request: FuzzRequest): string {
  const path = request.path.length > 160 ? `${request.path.slice(0, 160)}…(${request.path.length} chars)` : request.path;
  const headers = Object.entries(request.headers)
    .map(([name, value]) => `${name}: ${value.length > 60 ? `${value.slice(0, 60)}…` : value}`)
    .join(', ');
  let body = '';
  if (request.body !== undefined) {
    const text = typeof request.body === 'string' ? request.body : Buffer.from(request.body.subarray(0, 120)).toString('latin1');
    const length = typeof request.body === 'string' ? Buffer.byteLength(request.body) : request.body.byteLength;
    body = ` body(${length} B${request.chunked ? ', chunked' : ''}): ${JSON.stringify(text.slice(0, 120))}`;
  }
  return `[${request.label}] ${request.method} ${path} {${headers}}${body}`;
}
