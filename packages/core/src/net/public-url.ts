import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { DotbaseError } from '../errors.js';
import { matchesHostRules, parseHostRules, type HostRule } from './host-rules.js';

/** One resolved address of a host name, as `dns.lookup` gives it. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (default: `dns.lookup` with `all: true`, as connections do). */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export interface PublicUrlOptions {
  /**
   * Hosts trusted as they are (`host`, `host:port` or `*.host`, see `parseHostRule`): for them http is allowed and
   * any address, loopback included. For a simulator, a proxy in `REPLICATE_API_BASE_URL`, `DOTBASE_OUTPUT_HOSTS`.
   */
  allowedHosts?: readonly string[] | readonly HostRule[];
  lookup?: HostLookup;
}

/** A URL that passed `checkPublicUrl`, with the addresses it was checked at: connect to these and no others. */
export interface CheckedUrl {
  url: URL;
  /** On the allow-list: scheme and addresses were not checked. */
  trusted: boolean;
  addresses: ResolvedAddress[];
}

/** A URL refused by the SSRF rules. Its message says what is wrong with the URL, never what answered at it. */
export class UnsafeUrlError extends DotbaseError {
  constructor(message: string) {
    super('invalid_input', message);
    this.name = 'UnsafeUrlError';
  }
}

const defaultLookup: HostLookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));

/**
 * Whether an address is on the public internet. Uses ipaddr.js's range tables (IANA special-purpose registries)
 * rather than a hand-kept list: only its `unicast` range counts, so loopback, private, link-local, unique-local,
 * CGNAT, multicast, reserved and documentation ranges, IPv4-mapped and -translated IPv6 (`::ffff:127.0.0.1`,
 * `64:ff9b::/96`), 6to4 and Teredo are all refused.
 *
 * @example
 * isPublicAddress('127.0.0.1'); // false
 * isPublicAddress('::ffff:127.0.0.1'); // false
 */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  // isIP accepts only canonical forms; ipaddr.parse alone would also read '0x7f000001' and '127.1'
  if (isIP(bare) === 0) return false;
  try {
    return ipaddr.parse(bare).range() === 'unicast';
  } catch {
    return false;
  }
}

function normalizeRules(rules: PublicUrlOptions['allowedHosts']): HostRule[] {
  if (!rules || rules.length === 0) return [];
  return typeof rules[0] === 'string' ? parseHostRules(rules as readonly string[]) : (rules as readonly HostRule[]).slice();
}

/** The host exactly as written in the URL, before the URL parser canonicalised it. */
function writtenHost(raw: string): string | undefined {
  return /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)/i.exec(raw.trim())?.[1]?.toLowerCase();
}

/**
 * Checks that a URL is safe for the server to fetch: https, and a host whose every address is public (an attacker
 * controlling DNS could otherwise return a public and a private address and win the race). Hosts on `allowedHosts`
 * pass with http and any address. IPv4 hosts in a non-standard spelling (`2130706433`, `0x7f000001`, `127.1`,
 * `0177.0.0.1`) are refused outright, trusted or not: nobody writes them but to slip past a filter.
 *
 * Returns the checked addresses: pass them on (`safeFetch` does) so the connection goes to what was checked and a
 * second DNS answer cannot rebind it. Throws `UnsafeUrlError` (code `invalid_input`) naming the problem.
 *
 * @example
 * await checkPublicUrl('https://example.com/cat.png'); // { url, trusted: false, addresses: [...] }
 * await checkPublicUrl('http://127.0.0.1:8788/x', { allowedHosts: ['127.0.0.1:8788'] }); // trusted
 * await checkPublicUrl('https://2130706433/'); // throws UnsafeUrlError
 */
export async function checkPublicUrl(input: string | URL, options: PublicUrlOptions = {}): Promise<CheckedUrl> {
  const raw = typeof input === 'string' ? input : input.href;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError('is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UnsafeUrlError('must be an https URL');
  if (url.username || url.password) throw new UnsafeUrlError('must not carry a user name or password');
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = isIP(hostname);
  if (literal === 4 && writtenHost(raw) !== hostname) throw new UnsafeUrlError('has a numeric host in a non-standard form');
  const lookup = options.lookup ?? defaultLookup;

  if (matchesHostRules(url, normalizeRules(options.allowedHosts))) {
    const addresses = literal ? [{ address: hostname, family: literal as 4 | 6 }] : await resolve(lookup, hostname);
    return { url, trusted: true, addresses };
  }
  if (url.protocol !== 'https:') throw new UnsafeUrlError('must be an https URL');
  if (literal) {
    if (!isPublicAddress(hostname)) throw new UnsafeUrlError('points to a non-public address');
    return { url, trusted: false, addresses: [{ address: hostname, family: literal as 4 | 6 }] };
  }
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) throw new UnsafeUrlError('points to a non-public address');
  const addresses = await resolve(lookup, hostname);
  if (!addresses.every((entry) => isPublicAddress(entry.address))) throw new UnsafeUrlError('points to a non-public address');
  return { url, trusted: false, addresses };
}

async function resolve(lookup: HostLookup, hostname: string): Promise<ResolvedAddress[]> {
  let addresses: ResolvedAddress[];
  try {
    addresses = await lookup(hostname);
  } catch {
    throw new UnsafeUrlError('has a host name that does not resolve');
  }
  if (addresses.length === 0) throw new UnsafeUrlError('has a host name that does not resolve');
  return addresses;
}
