/**
 * The `replicate` SDK retries 429s (and, on GET, 5xx and network errors) by itself: immediately, up to five times,
 * ignoring Retry-After. Retrying a create is the token pool's job (it moves to another token and honours the
 * cooldown), so this fetch wrapper hides those answers from the SDK's retry loop: it turns them into status 499,
 * which the SDK surfaces at once as an ApiError, and keeps the real outcome in headers the provider reads back.
 */
export const UPSTREAM_STATUS_HEADER = 'x-dotbase-upstream-status';
export const NETWORK_ERROR_HEADER = 'x-dotbase-network-error';
const HIDDEN_STATUS = 499;

/** fetch's answer to a redirect under `redirect: 'error'`: a TypeError whose cause says so (undici). */
function isUnexpectedRedirect(error: unknown): boolean {
  return error instanceof TypeError && error.cause instanceof Error && /redirect/i.test(error.cause.message);
}

export function createSdkFetch(baseFetch: typeof fetch, timeoutMs: number): typeof fetch {
  return async (input, init) => {
    let response: Response;
    const signal = init?.signal ?? AbortSignal.timeout(timeoutMs);
    try {
      // only a text body (the SDK's JSON) is certain to be sendable twice
      if (typeof init?.body !== 'string' || init.redirect !== undefined) {
        response = await baseFetch(input, { ...init, signal });
      } else {
        // A request with a JSON body (a create) is sent with redirects turned off: following one, fetch must be
        // able to send the body again, so it copies every request body through a tee of web streams first (measured:
        // ~3 % of the server's CPU per generation). Replicate's API answers these directly; if an answer ever is a
        // redirect, the request (which was not acted on) is sent again the ordinary way, which follows it.
        try {
          response = await baseFetch(input, { ...init, signal, redirect: 'error' });
        } catch (error) {
          if (!isUnexpectedRedirect(error)) throw error;
          response = await baseFetch(input, { ...init, signal });
        }
      }
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'request failed';
      return new Response(JSON.stringify({ detail: reason }), {
        status: HIDDEN_STATUS,
        headers: { 'content-type': 'application/json', [NETWORK_ERROR_HEADER]: '1' },
      });
    }
    if (response.status !== 429 && response.status < 500) return response;
    const headers = new Headers(response.headers);
    headers.set(UPSTREAM_STATUS_HEADER, String(response.status));
    return new Response(await response.arrayBuffer(), { status: HIDDEN_STATUS, headers });
  };
}
