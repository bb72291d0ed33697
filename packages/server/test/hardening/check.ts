import type { FuzzRequest } from './fuzz-request.js';
import type { Delivery } from './send.js';

export interface Leaks {
  /** Exact secret values: API keys, the bot token, the server and webhook secrets. */
  secrets: readonly string[];
  /** Secrets known by shape, e.g. Replicate tokens (`r8_…`). */
  patterns: readonly RegExp[];
  /** Absolute folders of this machine (repo, data dir) that an answer must never name. */
  folders: readonly string[];
}

/** Stack frames (`    at fn (file:1:2)`) and source positions (`app.ts:12:5`). */
const STACK_TRACE = /\n\s+at\s|\bat\s+\S+\s+\(\S+:\d+:\d+\)|\.(?:ts|js|mjs|cjs):\d+:\d+/;

function errorShapeProblem(text: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `body is not JSON: ${JSON.stringify(text.slice(0, 120))}`;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return 'body is not a JSON object';
  const keys = Object.keys(parsed);
  if (keys.length !== 1 || keys[0] !== 'error') return `body has keys ${JSON.stringify(keys)}, expected only "error"`;
  const error = (parsed as { error: unknown }).error;
  if (error === null || typeof error !== 'object') return 'error is not an object';
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || code === '') return 'error.code is not a non-empty string';
  if (typeof message !== 'string' || message === '') return 'error.message is not a non-empty string';
  const extra = Object.keys(error).filter((key) => !['code', 'message', 'details'].includes(key));
  if (extra.length > 0) return `error has unexpected keys ${JSON.stringify(extra)}`;
  return null;
}

/**
 * Everything wrong with one answer to a fuzz request; empty when it is fine. A 5xx, a success for a request that
 * is wrong by construction, an error that is not `{ error: { code, message, details? } }`, a stack trace, a
 * path of this machine or a secret anywhere in the answer are all problems.
 */
export function answerProblems(request: FuzzRequest, delivery: Delivery, leaks: Leaks): string[] {
  if (!delivery.ok) return [delivery.failure];
  const { status, headers, body } = delivery.answer;
  const problems: string[] = [];
  if (status >= 500) problems.push(`server error ${status}`);
  else if (status < 400 && request.outcome === 'reject') problems.push(`accepted a bad request with ${status}`);
  else if (status < 200 || (status >= 300 && status < 400)) problems.push(`unexpected status ${status}`);
  if (status >= 400 && request.statuses && !request.statuses.includes(status)) {
    problems.push(`status ${status}, expected one of ${request.statuses.join(', ')}`);
  }
  if (status >= 400) {
    const type = String(headers['content-type'] ?? '');
    if (!/^application\/json\b/i.test(type)) problems.push(`error content-type is ${JSON.stringify(type)}`);
    const shape = errorShapeProblem(body);
    if (shape) problems.push(shape);
  }
  const headerText = Object.entries(headers)
    .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : (value ?? '')}`)
    .join('\n');
  const everything = `${headerText}\n${body}`;
  if (STACK_TRACE.test(body)) problems.push('answer contains a stack trace');
  for (const folder of leaks.folders) if (everything.includes(folder)) problems.push(`answer names the folder ${folder}`);
  for (const secret of leaks.secrets) if (everything.includes(secret)) problems.push('answer contains a secret');
  for (const pattern of leaks.patterns) if (pattern.test(everything)) problems.push(`answer matches secret pattern ${pattern}`);
  return problems;
}
