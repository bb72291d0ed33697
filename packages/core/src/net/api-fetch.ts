import { STATUS_CODES } from 'node:http';
import { Agent, request } from 'undici';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Answers that carry no body by definition: `new Response` refuses one for them. */
const BODILESS_STATUSES = new Set([204, 205, 304]);

/** Response headers as undici's request API gives them, as a `Headers`. */
export function headersOf(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** Request headers in a shape undici's request API takes, whatever shape fetch was given. */
function plainHeaders(headers: HeadersInit | undefined): Record<string, string> | string[] | undefined {
  if (headers === undefined) return undefined;
  if (headers instanceof Headers) return Object.fromEntries(headers);
  if (Array.isArray(headers)) return headers.flat();
  return headers as Record<string, string>;
}

export interface ApiFetchOptions {
  /** Used for what this does not send itself (see `createApiFetch`); default the global fetch. */
  fallback?: typeof fetch;
}

/**
 * A `fetch` for API calls (the Replicate SDK's JSON requests) that sends them with undici's request API over one
 * keep-alive pool per origin. Why not Node's fetch: it runs every request and answer through WHATWG streams, signals
 * and body tees — measured on the project's 2-core machine at ~0.7–1.0 ms of CPU per small JSON exchange in the
 * caller, against ~0.1–0.3 ms for the same exchange with undici's request API (docs/performance.md), and a create
 * costs the server one such exchange per generation.
 *
 * The answer is read whole and handed over as a standard `Response`. What this does not send the plain way goes to
 * `fallback` unchanged, so it behaves exactly as fetch does: a body that is not text or bytes (FormData uploads,
 * streams), a `Request` object as input, `redirect: 'manual'`. A redirect answer is not followed here: with
 * `redirect: 'error'` it fails as fetch fails (a TypeError whose cause says so); otherwise the request (which the
 * redirecting server did not act on) is sent again through `fallback`, which follows it.
 *
 * @example
 * const provider = createReplicateProvider({ fetch: createApiFetch() });
 */
export function createApiFetch(options: ApiFetchOptions = {}): typeof fetch {
  const fallback = options.fallback ?? globalThis.fetch.bind(globalThis);
  const dispatcher = new Agent();

  return async (input, init) => {
    const body = init?.body ?? undefined;
    const plainBody = body === undefined || typeof body === 'string' || body instanceof Uint8Array;
    if (!plainBody || input instanceof Request || init?.redirect === 'manual') return fallback(input, init);
    const method = (init?.method ?? 'GET').toUpperCase();
    const signal = init?.signal ?? undefined;
    let answer: Awaited<ReturnType<typeof request>>;
    try {
      answer = await request(input, {
        dispatcher,
        method: method as 'GET',
        headers: plainHeaders(init?.headers),
        ...(body !== undefined ? { body } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      // fetch's shapes: the signal's reason when it was aborted, else "fetch failed" with the cause
      if (signal?.aborted) throw signal.reason;
      throw new TypeError('fetch failed', { cause: error });
    }
    const status = answer.statusCode;
    if (REDIRECT_STATUSES.has(status)) {
      await answer.body.dump().catch(() => undefined);
      if (init?.redirect === 'error') throw new TypeError('fetch failed', { cause: new Error('unexpected redirect') });
      return fallback(input, init);
    }
    if (status < 200 || status > 599) {
      // not an answer a Response can carry; sending again could repeat a create, so it fails as a network error
      await answer.body.dump().catch(() => undefined);
      throw new TypeError('fetch failed', { cause: new Error(`unusable HTTP status ${status}`) });
    }
    const bodiless = BODILESS_STATUSES.has(status) || method === 'HEAD';
    const bytes = bodiless ? (await answer.body.dump().catch(() => undefined), null) : await answer.body.arrayBuffer();
    return new Response(bytes, { status, statusText: STATUS_CODES[status] ?? '', headers: headersOf(answer.headers) });
  };
}
