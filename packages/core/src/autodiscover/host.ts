/**
 * Recognise host names an Internet client cannot reach: an Autodiscover answer that hands out
 * `https://ex01.corp.example.local/EWS/...` works inside the company network only (BUG-06).
 */
import { isIP } from 'node:net';

/** Suffixes that never resolve on the public Internet (RFC 6762 .local, RFC 8375 home.arpa, common private ones). */
export const INTERNAL_SUFFIXES: readonly string[] = ['.local', '.localdomain', '.lan', '.internal', '.intranet', '.corp', '.home', '.home.arpa', '.localhost'];

/**
 * Why `host` looks internal, or undefined when it looks public. Accepts a bare host name, an
 * IPv4/IPv6 literal (with or without brackets) or a host:port.
 */
export function internalHostReason(host: string): string | undefined {
  let h = host.trim().toLowerCase().replace(/\.$/, '');
  if (h.startsWith('[') && h.includes(']')) h = h.slice(1, h.indexOf(']'));
  else if (isIP(h) === 0 && /:\d+$/.test(h)) h = h.replace(/:\d+$/, '');
  if (h === '') return undefined;
  const family = isIP(h);
  if (family === 4) return privateIPv4Reason(h);
  if (family === 6) return privateIPv6Reason(h);
  if (h === 'localhost') return 'localhost';
  const suffix = INTERNAL_SUFFIXES.find((s) => h.endsWith(s));
  if (suffix) return `${suffix} suffix (not resolvable on the Internet)`;
  if (!h.includes('.')) return 'single-label name (resolves only inside a network)';
  return undefined;
}

export function isInternalHost(host: string): boolean {
  return internalHostReason(host) !== undefined;
}

function privateIPv4Reason(ip: string): string | undefined {
  const [a, b] = ip.split('.').map(Number);
  if (a === 10) return 'private address (RFC 1918, 10.0.0.0/8)';
  if (a === 172 && b >= 16 && b <= 31) return 'private address (RFC 1918, 172.16.0.0/12)';
  if (a === 192 && b === 168) return 'private address (RFC 1918, 192.168.0.0/16)';
  if (a === 127) return 'loopback address';
  if (a === 169 && b === 254) return 'link-local address';
  if (a === 100 && b >= 64 && b <= 127) return 'carrier-grade NAT address (RFC 6598)';
  return undefined;
}

function privateIPv6Reason(ip: string): string | undefined {
  if (ip === '::1') return 'loopback address';
  if (/^f[cd][0-9a-f]{0,2}:/.test(ip)) return 'unique local address (fc00::/7)';
  if (/^fe[89ab][0-9a-f]?:/.test(ip)) return 'link-local address';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) return privateIPv4Reason(mapped[1]);
  return undefined;
}
