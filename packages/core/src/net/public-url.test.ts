import { describe, expect, it } from 'vitest';
import { checkPublicUrl, isPublicAddress, UnsafeUrlError } from './public-url.js';
import { matchesHostRules, parseHostRule, parseHostRules } from './host-rules.js';

describe('isPublicAddress', () => {
  // classification of address strings only: nothing here is ever connected to
  it.each([
    '127.0.0.1', '127.255.255.254', '0.0.0.0', '10.0.0.1', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1',
    '192.0.2.1', '198.18.0.1', '240.0.0.1', '255.255.255.255', '224.0.0.1',
    '::1', '::', 'fe80::1', 'fc00::1', 'fd12::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '64:ff9b::7f00:1', '2002:7f00:1::', '2001:db8::1', 'ff02::1',
    '0x7f000001', '2130706433', '127.1', '0177.0.0.1', 'not-an-ip', '',
  ])('%s is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '[2606:4700:4700::1111]'])('%s is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('checkPublicUrl', () => {
  const refused = async (url: string, options = {}) => {
    const error = await checkPublicUrl(url, options).then(() => null, (e: unknown) => e);
    expect(error, url).toBeInstanceOf(UnsafeUrlError);
    return (error as Error).message;
  };

  it('refuses loopback in every spelling, over https too', async () => {
    for (const url of [
      'https://127.0.0.1/a.png', 'https://[::1]/a.png', 'https://2130706433/a.png', 'https://0x7f000001/a.png', 'https://127.1/a.png',
      'https://0177.0.0.1/a.png', 'https://[::ffff:127.0.0.1]/a.png', 'https://[::ffff:7f00:1]/a.png', 'https://localhost/a.png',
      'https://a.localhost/a.png', 'https://LOCALHOST./a.png',
    ]) {
      await refused(url);
    }
  });

  it('resolves host names and refuses one with any non-public address (localhost via /etc/hosts)', async () => {
    expect(await refused('https://localhost:8443/a.png', { lookup: undefined })).toMatch(/non-public/);
    // a name that resolves to a public and a loopback address: the connect could pick either
    const lookup = async () => [{ address: '8.8.8.8', family: 4 as const }, { address: '127.0.0.1', family: 4 as const }];
    expect(await refused('https://mixed.test/a.png', { lookup })).toMatch(/non-public/);
    const fails = async () => {
      throw new Error('ENOTFOUND');
    };
    expect(await refused('https://nowhere.test/a.png', { lookup: fails })).toBe('has a host name that does not resolve');
  });

  it('refuses http, other schemes and credentials', async () => {
    expect(await refused('http://example.test/a.png', { lookup: async () => [{ address: '8.8.8.8', family: 4 }] })).toBe('must be an https URL');
    expect(await refused('file:///etc/passwd')).toBe('must be an https URL');
    expect(await refused('ftp://127.0.0.1/x')).toBe('must be an https URL');
    expect(await refused('https://user:pw@127.0.0.1/')).toMatch(/user name/);
    expect(await refused('not a url')).toBe('is not a valid URL');
  });

  it('accepts https to a host whose addresses are all public, and returns them to pin the connection', async () => {
    // the lookup is injected: the address is classified, never connected to
    const lookup = async () => [{ address: '8.8.8.8', family: 4 as const }];
    const checked = await checkPublicUrl('https://images.test/a.png', { lookup });
    expect(checked).toMatchObject({ trusted: false, addresses: [{ address: '8.8.8.8', family: 4 }] });
  });

  it('trusts allow-listed hosts with http and any address, on the named port only', async () => {
    const allowedHosts = ['127.0.0.1:8788', 'localhost'];
    expect(await checkPublicUrl('http://127.0.0.1:8788/files/a', { allowedHosts })).toMatchObject({ trusted: true, addresses: [{ address: '127.0.0.1' }] });
    expect((await checkPublicUrl('http://localhost:9/x', { allowedHosts })).trusted).toBe(true);
    expect(await refused('http://127.0.0.1:8789/files/a', { allowedHosts })).toBe('must be an https URL');
    expect(await refused('https://127.0.0.1:8789/files/a', { allowedHosts })).toMatch(/non-public/);
    // a non-standard spelling of an allowed address is still refused
    expect(await refused('http://2130706433:8788/files/a', { allowedHosts })).toMatch(/non-standard/);
  });
});

describe('host rules', () => {
  it('match host, host:port and subdomains', () => {
    const rules = parseHostRules(['replicate.delivery', '*.replicate.delivery', '127.0.0.1:8788', '[::1]:80']);
    expect(matchesHostRules(new URL('https://replicate.delivery/a'), rules)).toBe(true);
    expect(matchesHostRules(new URL('https://pbxt.replicate.delivery/a'), rules)).toBe(true);
    expect(matchesHostRules(new URL('https://evilreplicate.delivery/a'), rules)).toBe(false);
    expect(matchesHostRules(new URL('https://replicate.delivery.evil.test/a'), rules)).toBe(false);
    expect(matchesHostRules(new URL('http://127.0.0.1:8788/a'), rules)).toBe(true);
    expect(matchesHostRules(new URL('http://127.0.0.1:8789/a'), rules)).toBe(false);
    expect(matchesHostRules(new URL('http://[::1]/a'), rules)).toBe(true);
  });

  it('refuse entries that are not hosts', () => {
    for (const entry of ['', 'http://a.test', 'a.test/path', 'user@a.test']) expect(() => parseHostRule(entry), entry).toThrow(TypeError);
  });
});
