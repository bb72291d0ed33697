import { ApiError, errorFromBody, networkFailure } from './errors.js';
import type {
  Action,
  CreateGenerationBody,
  CreatedGeneration,
  Generation,
  GenerationPage,
  Health,
  ListQuery,
  Me,
  ModelInfo,
  Upload,
} from './types.js';
import { uploadWithProgress } from './upload.js';

/** Returns a bearer token for the next request (e.g. a short-lived embed token), or nothing to use cookies. */
export type TokenProvider = () => string | null | undefined | Promise<string | null | undefined>;

export interface ApiClientOptions {
  /** The server's base URL; empty means the page's own origin. */
  endpoint?: string;
  token?: string | null;
  getToken?: TokenProvider | null;
}

/** How one request authenticates: a bearer token, or the browser's cookies for the endpoint. */
export interface RequestAuth {
  headers: Record<string, string>;
  /** Cookies only travel when no token is used, so a token-authenticated embed never leaks the page's session. */
  credentials: RequestCredentials;
}

/**
 * A small typed client for dotbase's HTTP API. Secrets never live here: the browser only ever holds the embed
 * token or session cookie the embedding page gave it.
 *
 * @example
 * const api = new ApiClient({ endpoint: 'https://api.example.com', getToken: () => fetchEmbedToken() });
 * const { items } = await api.models('create');
 */
export class ApiClient {
  readonly endpoint: string;
  private readonly options: ApiClientOptions;

  constructor(options: ApiClientOptions = {}) {
    this.options = options;
    this.endpoint = (options.endpoint ?? '').replace(/\/+$/, '');
  }

  url(path: string): string {
    return `${this.endpoint}${path}`;
  }

  async auth(): Promise<RequestAuth> {
    const token = this.options.getToken ? await this.options.getToken() : this.options.token;
    if (token) return { headers: { Authorization: `Bearer ${token}` }, credentials: 'omit' };
    return { headers: {}, credentials: 'include' };
  }

  /** Sends one JSON request and returns the parsed body, or throws an `ApiError`. */
  async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const { headers, credentials } = await this.auth();
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(this.url(path), {
        method,
        headers: { Accept: 'application/json', ...headers },
        credentials,
        body: body === undefined ? null : JSON.stringify(body),
        signal: signal ?? null,
      });
    } catch (error) {
      if (signal?.aborted) throw new ApiError('aborted', 'The request was canceled.');
      throw await networkFailure(this.url(path), error);
    }
    const parsed: unknown = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) throw errorFromBody(response.status, parsed, response.statusText);
    return parsed as T;
  }

  health(signal?: AbortSignal): Promise<Health> {
    return this.request('GET', '/api/health', undefined, signal);
  }

  me(signal?: AbortSignal): Promise<Me> {
    return this.request('GET', '/api/auth/me', undefined, signal);
  }

  /** Signs in with a Login Widget payload or Mini App `initData`; the server sets its session cookie. */
  signInWithTelegram(body: Record<string, string | number>): Promise<Me> {
    return this.request('POST', '/api/auth/telegram', body);
  }

  signOut(): Promise<unknown> {
    return this.request('POST', '/api/auth/logout');
  }

  async models(action: Action, signal?: AbortSignal): Promise<ModelInfo[]> {
    const page = await this.request<{ items: ModelInfo[] }>('GET', `/api/models/list?action=${encodeURIComponent(action)}`, undefined, signal);
    return page.items;
  }

  createGeneration(body: CreateGenerationBody): Promise<CreatedGeneration> {
    return this.request('POST', '/api/generations/create', body);
  }

  generation(id: string, signal?: AbortSignal): Promise<Generation> {
    return this.request('GET', `/api/generations/${encodeURIComponent(id)}`, undefined, signal);
  }

  cancelGeneration(id: string): Promise<unknown> {
    return this.request('POST', `/api/generations/${encodeURIComponent(id)}/cancel`);
  }

  deleteGeneration(id: string): Promise<unknown> {
    return this.request('DELETE', `/api/generations/${encodeURIComponent(id)}`);
  }

  /** Stars (PUT) or unstars (DELETE) a generation; answers it as it now is. */
  setFavorite(id: string, favorite: boolean): Promise<Generation> {
    return this.request(favorite ? 'PUT' : 'DELETE', `/api/generations/${encodeURIComponent(id)}/favorite`);
  }

  listGenerations(query: ListQuery, signal?: AbortSignal): Promise<GenerationPage> {
    const params = new URLSearchParams({ page: String(query.page), limit: String(query.limit) });
    if (query.action) params.set('action', query.action);
    if (query.status) params.set('status', query.status);
    if (query.q) params.set('q', query.q);
    if (query.favorite) params.set('favorite', 'true');
    return this.request('GET', `/api/generations/list?${params}`, undefined, signal);
  }

  /** Opens the generation's server-sent event stream; `fetch` is used because EventSource cannot send a token. */
  async openEvents(id: string, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const { headers, credentials } = await this.auth();
    const response = await fetch(this.url(`/api/generations/${encodeURIComponent(id)}/events`), {
      headers: { Accept: 'text/event-stream', ...headers },
      credentials,
      signal,
    });
    if (!response.ok || !response.body) {
      throw errorFromBody(response.status, await response.json().catch(() => null), response.statusText);
    }
    return response.body;
  }

  /** Uploads one image; XHR rather than fetch because only XHR reports upload progress. */
  async upload(file: Blob, filename: string, onProgress?: (fraction: number) => void, signal?: AbortSignal): Promise<Upload> {
    const auth = await this.auth();
    return uploadWithProgress({ url: this.url('/api/uploads'), file, filename, auth, onProgress, signal });
  }
}
