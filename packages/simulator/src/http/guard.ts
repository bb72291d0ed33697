import type { MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Engine } from '../engine.js';
import type { RequestCounter } from '../stats.js';
import type { SimulatorEnv } from './env.js';
import { problem, throttled, UNAUTHENTICATED_DETAIL } from './problem.js';
import { bearerToken } from './tokens.js';

const DEFAULT_FAULT_RETRY_AFTER_S = 30;

/** Which counter and limit a request falls under: creates are limited apart from everything else, as on Replicate. */
function classify(method: string, path: string): RequestCounter {
  if (method === 'POST' && (/^\/v1\/predictions\/?$/.test(path) || /^\/v1\/models\/[^/]+\/[^/]+\/predictions\/?$/.test(path))) return 'creates';
  if (method === 'POST' && /^\/v1\/predictions\/[^/]+\/cancel\/?$/.test(path)) return 'cancels';
  if (method === 'GET' && /^\/v1\/predictions\/[^/]+\/?$/.test(path)) return 'gets';
  return 'others';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * In front of every API route, in this order: injected faults, the token check (401), the per-token rate limit (429).
 * Faults come first so they can hit any request, even one whose token would be refused.
 */
export function apiGuard(engine: Engine): MiddlewareHandler<SimulatorEnv> {
  return async (c, next) => {
    const counter = classify(c.req.method, c.req.path);
    const token = bearerToken(c.req.header('authorization'));
    const { stats } = engine;
    stats.count(counter, token);

    const faults = engine.faults.decide(token, counter === 'creates');
    for (let i = 0; i < faults.fired; i++) stats.count('faultsInjected', token);
    if (faults.delayMs > 0) await sleep(faults.delayMs);
    const answer = faults.answer;
    if (answer) {
      switch (answer.kind) {
        case 'drop':
          c.env.incoming.socket.destroy();
          // Never reaches the client: the socket is gone. Hono still needs a Response to finish the request.
          return new Response(null, { status: 499 });
        case 'revoked':
          stats.count('unauthorized', token);
          return problem(c, 401, UNAUTHENTICATED_DETAIL);
        case 'server_error':
          return problem(c, (answer.status ?? 500) as ContentfulStatusCode, 'Internal server error (simulated fault)');
        case 'rate_limit':
          stats.count('rateLimited', token);
          return throttled(c, answer.retryAfterSeconds ?? DEFAULT_FAULT_RETRY_AFTER_S, answer.retryAfter ?? engine.options.retryAfterHeader);
      }
    }

    if (!engine.tokens.accepts(token)) {
      stats.count('unauthorized', token);
      return problem(c, 401, UNAUTHENTICATED_DETAIL);
    }
    const limiter = counter === 'creates' ? engine.createLimiter : engine.otherLimiter;
    const waitSeconds = limiter.take(token, Date.now());
    if (waitSeconds !== undefined) {
      stats.count('rateLimited', token);
      return throttled(c, waitSeconds, engine.options.retryAfterHeader);
    }
    c.set('token', token);
    if (faults.failPrediction) c.set('failPrediction', faults.failPrediction);
    await next();
  };
}
