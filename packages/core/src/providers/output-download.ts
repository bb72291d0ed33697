import { DotbaseError } from '../errors.js';
import { hostRuleOf, matchesHostRules, parseHostRules } from '../net/host-rules.js';

/** Where Replicate serves prediction outputs (`replicate.delivery`, `pbxt.replicate.delivery`, …): https only. */
export const REPLICATE_DELIVERY_HOSTS: readonly string[] = ['replicate.delivery', '*.replicate.delivery'];

/** What a download fetch is asked to do: one hop (no redirects), under a byte cap and a timeout. */
export interface DownloadFetchOptions {
  maxBytes: number;
  timeoutMs: number;
  /** Hosts trusted as they are (http and any address); everything else must pass the fetch's own SSRF rules. */
  allowedHosts: readonly string[];
  /** Always 0: the caller follows redirects itself so each hop meets the output-host rules too. */
  maxRedirects: number;
}

export interface DownloadFetchResponse {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
}

/**
 * Fetches one output URL. On Node pass `safeFetch` from `@dotbase/core/node` (address checks, pinned connections);
 * the portable default below relies on the host allow-list alone.
 */
export type DownloadFetch = (url: string, options: DownloadFetchOptions) => Promise<DownloadFetchResponse>;

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Reads a body stream, giving up past `maxBytes` instead of buffering whatever the server sends. */
async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new DotbaseError('output_unavailable', `output is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The portable download: any runtime's fetch, no redirects followed, streamed under the cap. */
export function portableDownloadFetch(baseFetch: typeof fetch): DownloadFetch {
  return async (url, options) => {
    const response = await baseFetch(url, { redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs) });
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > options.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new DotbaseError('output_unavailable', `output is larger than ${options.maxBytes} bytes`);
    }
    if (REDIRECT_STATUSES.has(response.status)) {
      await response.body?.cancel().catch(() => undefined);
      return { status: response.status, headers: response.headers, bytes: new Uint8Array() };
    }
    return { status: response.status, headers: response.headers, bytes: await readCapped(response.body, options.maxBytes) };
  };
}

export interface OutputDownloaderOptions {
  download: DownloadFetch;
  /** Replicate's API base when it is not Replicate's own (a proxy, a simulator): its host serves outputs too. */
  baseUrl?: string;
  /** More hosts outputs may come from, trusted as they are (`DOTBASE_OUTPUT_HOSTS`). */
  outputHosts?: readonly string[];
  maxBytes: number;
  timeoutMs: number;
}

/**
 * Downloads a prediction's output, but only from where outputs come from: Replicate's delivery hosts over https,
 * the host of a custom API base, and `outputHosts`. A URL naming anything else — which only a forged or replayed
 * webhook or a compromised upstream could send — is refused before any request, and so is every redirect hop that
 * leaves those hosts.
 *
 * @example
 * const download = createOutputDownloader({ download: safeFetch, maxBytes: 100 << 20, timeoutMs: 60_000 });
 * const { bytes, contentType } = await download('https://replicate.delivery/xezq/out-0.webp');
 */
export function createOutputDownloader(options: OutputDownloaderOptions) {
  const trustedEntries = [...(options.baseUrl ? [hostRuleOf(options.baseUrl)] : []), ...(options.outputHosts ?? [])];
  const trusted = parseHostRules(trustedEntries);
  const delivery = parseHostRules(REPLICATE_DELIVERY_HOSTS);

  function allowed(url: URL): boolean {
    return matchesHostRules(url, trusted) || (url.protocol === 'https:' && matchesHostRules(url, delivery));
  }

  return async (input: string): Promise<{ bytes: Uint8Array; contentType: string }> => {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      throw new DotbaseError('output_unavailable', 'the output is not a URL');
    }
    for (let hop = 0; ; hop += 1) {
      if (!allowed(url)) {
        throw new DotbaseError(
          'output_unavailable',
          `${hop === 0 ? 'the output URL' : 'a redirect of the output URL'} is not on an allowed output host (Replicate's delivery hosts, REPLICATE_API_BASE_URL, DOTBASE_OUTPUT_HOSTS)`,
        );
      }
      let answer: DownloadFetchResponse;
      try {
        answer = await options.download(url.href, { maxBytes: options.maxBytes, timeoutMs: options.timeoutMs, allowedHosts: trustedEntries, maxRedirects: 0 });
      } catch (error) {
        if (error instanceof DotbaseError && error.code === 'output_unavailable') throw error;
        // SafeFetchError messages are written to be shown; anything else (a runtime's fetch error) is summarised
        const reason = error instanceof DotbaseError ? error.message : 'the download failed';
        throw new DotbaseError('output_unavailable', `output could not be downloaded: ${reason}`, { cause: error });
      }
      const location = answer.headers.get('location');
      if (REDIRECT_STATUSES.has(answer.status) && location) {
        if (hop >= MAX_REDIRECTS) throw new DotbaseError('output_unavailable', `output could not be downloaded: more than ${MAX_REDIRECTS} redirects`);
        url = new URL(location, url);
        continue;
      }
      if (answer.status < 200 || answer.status > 299) {
        throw new DotbaseError('output_unavailable', `output could not be downloaded: HTTP ${answer.status}`, { upstreamStatus: answer.status });
      }
      const contentType = (answer.headers.get('content-type') ?? 'application/octet-stream').split(';')[0]!.trim();
      return { bytes: answer.bytes, contentType };
    }
  };
}
