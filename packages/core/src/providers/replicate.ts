import Replicate from 'replicate';
import { DotbaseError } from '../errors.js';
import { toProviderError } from './http-errors.js';
import { createOutputDownloader, portableDownloadFetch, type DownloadFetch } from './output-download.js';
import { createSdkFetch } from './sdk-fetch.js';
import type { ImageProvider, Prediction, SubmitRequest } from './types.js';

export const DEFAULT_REPLICATE_BASE_URL = 'https://api.replicate.com/v1';

export interface ReplicateProviderOptions {
  /** Replicate's API base, e.g. a simulator's `http://127.0.0.1:8788/v1`. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Per request; downloads get the same bound. */
  timeoutMs?: number;
  /** Largest output accepted when copying it into storage. */
  maxDownloadBytes?: number;
  /**
   * Fetches outputs, one hop at a time. On Node pass `safeFetch` from `@dotbase/core/node` so output URLs must also
   * resolve to public addresses (unless their host is trusted); the default uses `fetch` and the host rules alone.
   */
  downloadFetch?: DownloadFetch;
  /**
   * Hosts outputs may be downloaded from besides Replicate's delivery hosts and the host of a custom `baseUrl`
   * (`host`, `host:port` or `*.host`; trusted with http and any address). Anything else is refused.
   */
  outputHosts?: readonly string[];
  userAgent?: string;
}

/**
 * Replicate through the official SDK, one client per token (clients are cheap and hold the token).
 *
 * @example
 * const provider = createReplicateProvider({ baseUrl: simulator.url });
 * const prediction = await provider.submit(token, { route: { kind: 'official', slug: 'black-forest-labs/flux-schnell' }, input: { prompt: 'a fox' } });
 */
export function createReplicateProvider(options: ReplicateProviderOptions = {}): ImageProvider {
  const baseUrl = options.baseUrl ?? DEFAULT_REPLICATE_BASE_URL;
  const baseFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxDownloadBytes = options.maxDownloadBytes ?? 100 * 1024 * 1024;
  const sdkFetch = createSdkFetch(baseFetch, timeoutMs);
  const clients = new Map<string, Replicate>();
  const download = createOutputDownloader({
    download: options.downloadFetch ?? portableDownloadFetch(baseFetch),
    // Replicate's own API host serves no outputs: only a custom base (proxy, simulator) is trusted for them
    ...(options.baseUrl && options.baseUrl !== DEFAULT_REPLICATE_BASE_URL ? { baseUrl: options.baseUrl } : {}),
    ...(options.outputHosts ? { outputHosts: options.outputHosts } : {}),
    maxBytes: maxDownloadBytes,
    timeoutMs,
  });

  function client(token: string): Replicate {
    let existing = clients.get(token);
    if (!existing) {
      existing = new Replicate({
        auth: token,
        baseUrl,
        fetch: sdkFetch,
        useFileOutput: false,
        ...(options.userAgent ? { userAgent: options.userAgent } : {}),
      });
      clients.set(token, existing);
    }
    return existing;
  }

  async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toProviderError(error, operation);
    }
  }

  return {
    submit(token, request: SubmitRequest) {
      const extra = {
        ...(request.webhook ? { webhook: request.webhook } : {}),
        ...(request.webhookEventsFilter ? { webhook_events_filter: request.webhookEventsFilter } : {}),
      };
      const { route } = request;
      return call(`create prediction for ${route.slug}`, async () => {
        const prediction =
          route.kind === 'official'
            ? await client(token).predictions.create({ model: route.slug, input: request.input, ...extra })
            : await client(token).predictions.create({ version: route.version, input: request.input, ...extra });
        return prediction as Prediction;
      });
    },
    get(token, predictionId) {
      return call('get prediction', async () => (await client(token).predictions.get(predictionId)) as Prediction);
    },
    cancel(token, predictionId) {
      return call('cancel prediction', async () => (await client(token).predictions.cancel(predictionId)) as Prediction);
    },
    listSince(token, since) {
      return call('list predictions', async () => {
        const found: Prediction[] = [];
        const sdk = client(token);
        for await (const page of sdk.paginate(() => sdk.predictions.list())) {
          for (const prediction of page as unknown as Prediction[]) {
            // newest first: the first one older than `since` ends the search
            if (prediction.created_at && Date.parse(prediction.created_at) < since) return found;
            found.push(prediction);
          }
        }
        return found;
      });
    },
    uploadFile(token, bytes, contentType, filename) {
      return call('upload file', async () => {
        const file = new File([bytes as Uint8Array<ArrayBuffer>], filename, { type: contentType });
        const created = (await client(token).files.create(file)) as { urls?: { get?: string } };
        const url = created.urls?.get;
        if (!url) throw new DotbaseError('upstream_error', '[replicate] file upload answered without a URL');
        return url;
      });
    },
    download,
  };
}
