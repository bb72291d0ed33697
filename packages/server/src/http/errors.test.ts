import { DotbaseError } from '@dotbase/core';
import { describe, expect, it } from 'vitest';
import { errorResponse, HttpError } from './errors.js';

describe('errorResponse', () => {
  it("maps core's codes to statuses and keeps their message and details", () => {
    const answer = errorResponse(new DotbaseError('invalid_input', 'aspect_ratio: bad', { details: { issues: [{ path: 'settings.aspect_ratio' }] } }));
    expect(answer).toMatchObject({ status: 422, body: { error: { code: 'invalid_input', message: 'aspect_ratio: bad', details: { issues: [{ path: 'settings.aspect_ratio' }] } } } });
    expect(errorResponse(new DotbaseError('not_found', 'x')).status).toBe(404);
    expect(errorResponse(new DotbaseError('no_tokens', 'x')).status).toBe(503);
    expect(errorResponse(new DotbaseError('unauthorized', 'x')).status).toBe(502);
  });

  it('turns retryAfterMs into a Retry-After header in whole seconds', () => {
    expect(errorResponse(new DotbaseError('rate_limited', 'slow down', { retryAfterMs: 1500 })).headers).toEqual({ 'Retry-After': '2' });
    expect(errorResponse(new HttpError(429, 'rate_limited', 'x', { retryAfterSeconds: 7 })).headers).toEqual({ 'Retry-After': '7' });
  });

  it('hides the message of internal failures and of anything unknown', () => {
    const internal = errorResponse(new DotbaseError('storage_error', 'EACCES /var/lib/dotbase/secret'));
    expect(internal.status).toBe(500);
    expect(JSON.stringify(internal.body)).not.toContain('/var/lib');
    const damaged = errorResponse(new DotbaseError('storage_damaged', '[dotbase] [generation-store] gen:abc is damaged: not a stored generation'));
    expect(damaged).toMatchObject({ status: 500, body: { error: { code: 'storage_damaged', message: expect.stringMatching(/damaged.*restore.*backup/) } }, unexpected: true });
    expect(JSON.stringify(damaged.body)).not.toContain('gen:abc');
    const unknown = errorResponse(new TypeError('Cannot read properties of undefined (reading token)'));
    expect(unknown).toMatchObject({ status: 500, body: { error: { code: 'internal', message: 'internal error' } }, unexpected: true });
  });
});
