/**
 * The contract every `Authenticator` keeps, as a vitest suite: bring your own (an OAuth session, a header set by
 * your proxy) and prove it behaves like the built-in ones. Imports vitest.
 *
 * @example
 * import { describeAuthenticatorContract } from '@dotbase/server/testing';
 * describeAuthenticatorContract('my-proxy-header', () => ({
 *   authenticator: proxyHeaderAuthenticator(secret),
 *   valid: () => new Request('http://x/api', { headers: { 'x-user': sign('alice') } }),
 *   expectedId: 'alice',
 *   invalid: { forged: () => new Request('http://x/api', { headers: { 'x-user': 'alice' } }) },
 * }));
 *
 * @module @dotbase/server/testing
 */
import { describe, expect, it } from 'vitest';
import type { Authenticator } from './auth/types.js';

export interface AuthenticatorFixture {
  authenticator: Authenticator;
  /** A request carrying valid credentials. */
  valid: () => Request | Promise<Request>;
  /** The principal id the valid request must yield. */
  expectedId: string;
  /** Requests that must be refused, by what is wrong with them: forged, expired, wrong origin… */
  invalid: Record<string, () => Request | Promise<Request>>;
  /** The anonymous authenticator accepts requests without credentials; every other one must not. */
  acceptsMissing?: boolean;
}

const URL_BASE = 'http://127.0.0.1:8787/api/auth/me';

/** Requests no authenticator may choke on. */
function garbageRequests(): Request[] {
  const headers: Array<Record<string, string>> = [
    { authorization: 'Bearer' },
    { authorization: 'Bearer ' + 'A'.repeat(20_000) },
    { authorization: 'Basic dXNlcjpwYXNz' },
    { authorization: 'Bearer dbe_' },
    { authorization: 'Bearer dbe_..' },
    { authorization: 'Bearer dbe_e30.e30' },
    { authorization: 'Bearer dbe_%%%.%%%' },
    { authorization: 'Bearer \u00e9\u00e8' },
    { cookie: 'dotbase_session=' },
    { cookie: 'dotbase_session=%E0%A4%A' },
    { cookie: 'dotbase_session=e30.e30' },
    { cookie: `dotbase_session=${'x'.repeat(10_000)}.${'y'.repeat(100)}` },
    { cookie: ';;;=;=' },
    { origin: 'null', authorization: 'Bearer dbe_abc.def' },
  ];
  return headers.map((h) => new Request(URL_BASE, { headers: h }));
}

export function describeAuthenticatorContract(name: string, setup: () => AuthenticatorFixture | Promise<AuthenticatorFixture>): void {
  describe(`Authenticator contract: ${name}`, () => {
    it('recognises valid credentials', async () => {
      const fixture = await setup();
      const principal = await fixture.authenticator.authenticate(await fixture.valid());
      expect(principal).not.toBeNull();
      expect(principal?.id).toBe(fixture.expectedId);
      expect(typeof principal?.is_admin).toBe('boolean');
    });

    it('answers a request without credentials as its kind requires', async () => {
      const fixture = await setup();
      const principal = await fixture.authenticator.authenticate(new Request(URL_BASE));
      if (fixture.acceptsMissing) expect(principal).not.toBeNull();
      else expect(principal).toBeNull();
    });

    it('refuses forged, expired and otherwise wrong credentials', async () => {
      const fixture = await setup();
      for (const [label, make] of Object.entries(fixture.invalid)) {
        const principal = await fixture.authenticator.authenticate(await make());
        expect(principal, label).toBeNull();
      }
    });

    it('never throws on garbage, and refuses it unless it accepts everyone', async () => {
      const fixture = await setup();
      for (const request of garbageRequests()) {
        const principal = await fixture.authenticator.authenticate(request);
        if (!fixture.acceptsMissing) expect(principal, JSON.stringify([...request.headers])).toBeNull();
      }
    });

    it('leaves the request body unread for the route', async () => {
      const fixture = await setup();
      const valid = await fixture.valid();
      const request = new Request(valid.url, { method: 'POST', headers: valid.headers, body: '{"x":1}' });
      await fixture.authenticator.authenticate(request);
      expect(await request.text()).toBe('{"x":1}');
    });
  });
}
