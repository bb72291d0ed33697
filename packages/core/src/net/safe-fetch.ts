import type { LookupAddress } from 'node:dns';
import { Agent, request } from 'undici';
import { DotbaseError } from '../errors.js';
import { headersOf } from './api-fetch.js';
import { parseHostRules } from './host-rules.js';
import { checkPublicUrl, UnsafeUrlError, type PublicUrlOptions, type ResolvedAddress } from './public-url.js';

export interface SafeFetchOptions extends PublicUrlOptions {
  /** The body is read as a stream and the request abandoned past this many bytes (default 20 MiB). */
  maxBytes?: number;
  /** One deadline for the whole fetch, redirects and body included (default 30 s). */
  timeoutMs?: number;
  /**
   * Redirects followed, each hop checked again (default 5). With 0, or for methods other than GET and HEAD, a
   * redirect is returned as it is (status and `location`), for a caller that checks hops by rules of its own.
   */
  maxRedirects?: number;
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
}

/** A fetched answer, read whole (under the byte cap). */
export interface SafeResponse {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
  /** The URL that answered, after redirects. */
  url: string;
}

/**
 * A fetch that fails with this. `reason` says which rule stopped it for logs and tests; the message says what went
 * wrong in words safe to show the person who supplied the URL: never an address, port, or error from what answered.
 */
export class SafeFetchError extends DotbaseError {
  readonly reason: 'unsafe_url' | 'too_many_redirects' | 'too_large' | 'timeout' | 'unreachable';

  constructor(reason: SafeFetchError['reason'], message: string) {
    super(reason === 'unsafe_url' ? 'invalid_input' : 'network_error', message);
    this.name = 'SafeFetchError';
    this.reason = reason;
  }
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * A connection pool whose DNS answer is fixed to the addresses `checkPublicUrl` approved, so the host cannot
 * resolve to something else between the check and the connect (DNS rebinding). TLS still verifies the certificate
 * for the host name, as the URL names it.
 */
function pinnedAgent(addresses: ResolvedAddress[]): Agent {
  return new Agent({
    connect: {
      lookup(_hostname, options, callback) {
        const entries: LookupAddress[] = addresses.map(({ address, family }) => ({ address, family }));
        // Node asks for every address when it races IPv4 and IPv6 (autoSelectFamily), else for one
        if ((options as { all?: boolean }).all) (callback as (error: null, addresses: LookupAddress[]) => void)(null, entries);
        else callback(null, entries[0]!.address, entries[0]!.family);
      },
    },
  });
}

/**
 * Pinned pools by host and checked addresses, kept (keep-alive) and reused: a pool per fetch made every output
 * download open a new connection — a TCP handshake on both ends, pool objects built and dropped — which under load
 * was a large share of the server's (and the output host's) work per generation. Reuse keeps the guarantee: a pool
 * only ever connects to the addresses in its key, which `checkPublicUrl` approved for that host, and a host whose
 * DNS answer changes gets a new pool. The least recently used beyond `MAX_PINNED_AGENTS` are closed.
 */
const MAX_PINNED_AGENTS = 32;
const pinnedAgents = new Map<string, Agent>();

function agentFor(host: string, addresses: ResolvedAddress[]): Agent {
  const key = `${host}|${addresses.map(({ address, family }) => `${family}/${address}`).join(',')}`;
  let agent = pinnedAgents.get(key);
  if (agent) {
    pinnedAgents.delete(key);
  } else {
    agent = pinnedAgent(addresses);
  }
  pinnedAgents.set(key, agent);
  while (pinnedAgents.size > MAX_PINNED_AGENTS) {
    const [oldest, evicted] = pinnedAgents.entries().next().value as [string, Agent];
    pinnedAgents.delete(oldest);
    void evicted.close().catch(() => undefined);
  }
  return agent;
}

/** A pool that failed (refused, reset, timed out) is not trusted to be reused: the next fetch builds a new one. */
function dropAgent(agent: Agent): void {
  for (const [key, value] of pinnedAgents) {
    if (value === agent) pinnedAgents.delete(key);
  }
  void agent.destroy().catch(() => undefined);
}

/** Drops a body unread; the abort it causes is expected, not an uncaught error. */
function discard(body: { on(event: 'error', listener: () => void): unknown; destroy(): void }): void {
  body.on('error', () => undefined);
  body.destroy();
}

async function readCapped(body: AsyncIterable<Uint8Array> & Parameters<typeof discard>[0], maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      discard(body);
      throw new SafeFetchError('too_large', `the answer is larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks, total));
}

/**
 * Fetches a URL that a user (or a webhook, or a prediction) supplied, under the SSRF rules of `checkPublicUrl`:
 * every redirect hop is checked again (redirects are followed by hand, at most `maxRedirects`), each connection goes
 * only to the addresses checked for it, the body is streamed and abandoned past `maxBytes`, and one timeout covers
 * everything. Any HTTP status is returned (check `status`); failures throw `SafeFetchError` or `UnsafeUrlError`.
 *
 * @example
 * const answer = await safeFetch('https://replicate.delivery/x/out.png', { maxBytes: 50 << 20, timeoutMs: 30_000 });
 * if (answer.status === 200) await save(answer.bytes);
 */
export async function safeFetch(input: string | URL, options: SafeFetchOptions = {}): Promise<SafeResponse> {
  const maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 5;
  const method = options.method ?? 'GET';
  const deadline = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const allowedHosts = typeof options.allowedHosts?.[0] === 'string' ? parseHostRules(options.allowedHosts as string[]) : options.allowedHosts;
  const checkOptions: PublicUrlOptions = { ...(allowedHosts ? { allowedHosts } : {}), ...(options.lookup ? { lookup: options.lookup } : {}) };

  let url = typeof input === 'string' ? input : input.href;
  for (let hop = 0; ; hop += 1) {
    const checked = await checkPublicUrl(url, checkOptions).catch((error: unknown) => {
      if (error instanceof UnsafeUrlError && hop > 0) throw new SafeFetchError('unsafe_url', `a redirect ${error.message.replace(/^is /, 'went to ')}`);
      throw error instanceof UnsafeUrlError ? new SafeFetchError('unsafe_url', `the URL ${error.message}`) : error;
    });
    const agent = agentFor(checked.url.host, checked.addresses);
    let failed = true;
    try {
      const answer = await request(checked.url, {
        dispatcher: agent,
        method,
        signal,
        ...(options.headers ? { headers: options.headers } : {}),
        ...(options.body !== undefined ? { body: options.body } : {}),
      }).catch((error: unknown) => {
        if (signal.aborted) throw deadline.aborted ? new SafeFetchError('timeout', 'the answer did not come in time') : error;
        // the cause (refused, reset, certificate) would tell a prober what listens there: it stays out of the message
        throw new SafeFetchError('unreachable', 'the URL could not be reached');
      });
      const headers = headersOf(answer.headers);
      const location = headers.get('location');
      if (REDIRECT_STATUSES.has(answer.statusCode) && location && maxRedirects > 0 && (method === 'GET' || method === 'HEAD')) {
        discard(answer.body);
        if (hop >= maxRedirects) throw new SafeFetchError('too_many_redirects', `more than ${maxRedirects} redirects`);
        url = new URL(location, checked.url).href;
        failed = false;
        continue;
      }
      const declared = Number(headers.get('content-length') ?? 0);
      if (declared > maxBytes) {
        discard(answer.body);
        throw new SafeFetchError('too_large', `the answer is larger than ${maxBytes} bytes`);
      }
      const bytes = await readCapped(answer.body, maxBytes).catch((error: unknown) => {
        if (error instanceof SafeFetchError) throw error;
        if (deadline.aborted) throw new SafeFetchError('timeout', 'the answer did not come in time');
        if (signal.aborted) throw error;
        throw new SafeFetchError('unreachable', 'the answer broke off');
      });
      failed = false;
      return { status: answer.statusCode, headers, bytes, url: checked.url.href };
    } finally {
      if (failed) dropAgent(agent);
    }
  }
}
