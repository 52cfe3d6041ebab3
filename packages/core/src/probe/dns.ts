import { Resolver } from 'node:dns/promises';

/**
 * DNS lookups through c-ares (node:dns Resolver), never getaddrinfo: getaddrinfo folds NXDOMAIN and
 * NODATA together and reads /etc/hosts, which would hide what an admin needs to see.
 */

/** `unreachable`: the resolver itself could not be asked (nothing listens there): no answer about the name. */
export type DnsOutcome = 'ok' | 'nxdomain' | 'nodata' | 'servfail' | 'refused' | 'timeout' | 'unreachable' | 'error';

export interface HostResolution {
  host: string;
  outcome: DnsOutcome;
  /** CNAME chain from the asked name, in order (targets only). */
  cname: string[];
  a: string[];
  aaaa: string[];
  /** Resolver error code when not ok (ENOTFOUND, ESERVFAIL, …). */
  errorCode?: string;
  servers: string[];
}

export interface SrvRecord {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

export interface SrvResolution {
  name: string;
  outcome: DnsOutcome;
  records: SrvRecord[];
  errorCode?: string;
  servers: string[];
}

const MAX_CNAME_HOPS = 10;

export function outcomeOf(code: string | undefined): DnsOutcome {
  switch (code) {
    case 'ENOTFOUND': return 'nxdomain';
    case 'ENODATA': return 'nodata';
    case 'ESERVFAIL': return 'servfail';
    case 'EREFUSED': return 'refused';
    case 'ETIMEOUT': return 'timeout';
    case 'ECONNREFUSED': return 'unreachable';
    default: return 'error';
  }
}

export interface DnsClient {
  resolveHost(host: string): Promise<HostResolution>;
  resolveSrv(name: string): Promise<SrvResolution>;
}

/** A resolver for one phase: answers are cached, so two candidates on one host cost one lookup. */
export function createDnsClient(servers: string[], timeoutMs: number, signal?: AbortSignal): DnsClient {
  const resolver = new Resolver({ timeout: Math.max(100, Math.floor(timeoutMs / 2)), tries: 2 });
  if (servers.length > 0) resolver.setServers(servers);
  const used = resolver.getServers();
  signal?.addEventListener('abort', () => resolver.cancel(), { once: true });
  const hostCache = new Map<string, Promise<HostResolution>>();

  const code = (err: unknown) => (err as NodeJS.ErrnoException)?.code;

  async function addresses(host: string, rrtype: 'A' | 'AAAA'): Promise<{ list: string[]; code?: string }> {
    try {
      const list = rrtype === 'A' ? await resolver.resolve4(host) : await resolver.resolve6(host);
      return { list };
    } catch (err) {
      return { list: [], code: code(err) };
    }
  }

  async function chain(host: string): Promise<string[]> {
    const names: string[] = [];
    let current = host;
    const until = Date.now() + timeoutMs * 2; // a chain of slow hops must not outlast the address lookups
    for (let i = 0; i < MAX_CNAME_HOPS && Date.now() < until; i++) {
      try {
        const [target] = await resolver.resolveCname(current);
        if (!target || names.includes(target.toLowerCase())) break;
        names.push(target.toLowerCase());
        current = target;
      } catch {
        break; // ENODATA: no (further) CNAME; errors surface through the address lookups
      }
    }
    return names;
  }

  async function lookup(host: string): Promise<HostResolution> {
    const [a, aaaa, cname] = await Promise.all([addresses(host, 'A'), addresses(host, 'AAAA'), chain(host)]);
    const base = { host, cname, a: a.list, aaaa: aaaa.list, servers: used };
    if (a.list.length + aaaa.list.length > 0) return { ...base, outcome: 'ok' };
    // Both families failed: the more telling error wins (NXDOMAIN/SERVFAIL over "no AAAA data").
    const codes = [a.code, aaaa.code];
    const errorCode = codes.find((c) => c && c !== 'ENODATA') ?? codes.find(Boolean) ?? 'ENODATA';
    return { ...base, outcome: outcomeOf(errorCode), errorCode };
  }

  return {
    resolveHost(host) {
      const key = host.toLowerCase();
      let pending = hostCache.get(key);
      if (!pending) {
        pending = lookup(key);
        hostCache.set(key, pending);
      }
      return pending;
    },
    async resolveSrv(name) {
      try {
        const records = await resolver.resolveSrv(name);
        // RFC 2782: lowest priority first, then higher weight first.
        records.sort((x, y) => x.priority - y.priority || y.weight - x.weight);
        return { name, outcome: 'ok', records: records.map((r) => ({ priority: r.priority, weight: r.weight, port: r.port, target: r.name.toLowerCase() })), servers: used };
      } catch (err) {
        return { name, outcome: outcomeOf(code(err)), records: [], errorCode: code(err), servers: used };
      }
    },
  };
}
