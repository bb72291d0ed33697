/**
 * Host allow-lists, as written in configuration (`DOTBASE_OUTPUT_HOSTS=cdn.example.com,*.example.net,127.0.0.1:8788`):
 *
 * - `host` matches that host on any port;
 * - `host:port` (or `[v6]:port`) matches that host on that port only, so allowing a simulator on `127.0.0.1:8788`
 *   does not open every other service on loopback;
 * - `*.host` matches any subdomain of `host` (not `host` itself), on any port.
 *
 * Pure string work with no `node:` imports, so the portable core can use it too. Hosts are compared in the WHATWG
 * URL parser's canonical form (lower case, IPv4 in dotted quad, IPv6 in brackets).
 */
export interface HostRule {
  /** Canonical host name, without brackets for IPv6. */
  host: string;
  /** `undefined` = any port. */
  port: string | undefined;
  /** `*.host`: subdomains only. */
  subdomains: boolean;
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : protocol === 'http:' ? '80' : '';
}

/**
 * Reads one allow-list entry; throws a `TypeError` naming the entry when it is not a host, `host:port` or `*.host`.
 *
 * @example
 * parseHostRule('*.replicate.delivery'); // { host: 'replicate.delivery', port: undefined, subdomains: true }
 */
export function parseHostRule(entry: string): HostRule {
  const trimmed = entry.trim().toLowerCase();
  const subdomains = trimmed.startsWith('*.');
  const rest = subdomains ? trimmed.slice(2) : trimmed;
  let url: URL;
  try {
    // the URL parser canonicalises the host exactly as it does for the URLs the rule is later compared with
    url = new URL(`http://${rest}`);
  } catch {
    throw new TypeError(`"${entry}" is not a host, host:port or *.host`);
  }
  if (!rest || url.username || url.password || url.pathname !== '/' || url.search || url.hash || rest.includes('/')) {
    throw new TypeError(`"${entry}" is not a host, host:port or *.host`);
  }
  const explicitPort = /:\d+$/.test(rest) ? (url.port || '80') : undefined;
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: explicitPort, subdomains };
}

/** Parses every entry (see `parseHostRule`). */
export function parseHostRules(entries: readonly string[]): HostRule[] {
  return entries.map(parseHostRule);
}

/**
 * Whether a URL's host (and port, when the rule names one) is on the list.
 *
 * @example
 * matchesHostRules(new URL('https://pbxt.replicate.delivery/a.png'), parseHostRules(['*.replicate.delivery'])); // true
 */
export function matchesHostRules(url: URL, rules: readonly HostRule[]): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  const port = url.port || defaultPort(url.protocol);
  return rules.some((rule) => {
    const hostMatches = rule.subdomains ? host.endsWith(`.${rule.host}`) : host === rule.host;
    return hostMatches && (rule.port === undefined || rule.port === port);
  });
}

/** `host:port` of a URL, as an allow-list entry that admits that one service (e.g. a simulator's base URL). */
export function hostRuleOf(url: string | URL): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || defaultPort(parsed.protocol)}`;
}
