import { isIP } from 'node:net';
import { InvalidArgumentError } from './errors.ts';

/** Per-operation timeouts (ms). Defaults follow the reference's engineering choice (§4.4). */
export interface Timeouts {
  dnsMs: number;
  connectMs: number;
  tlsMs: number;
  httpMs: number;
}

export interface ProbeOptions {
  /** DNS servers ("ip" or "ip:port"); empty = the system's resolvers. */
  dnsServers: string[];
  /** Local source address for every connection. */
  sourceAddress?: string;
  /** Extra trusted CA certificates (PEM), added to Node's root store. */
  trustedCaCertificates: string[];
  /**
   * Like curl's --connect-to: "host:port" → "ip:port". The connection goes to the target while SNI,
   * the Host header and the certificate check keep the real name.
   */
  connectTo: Record<string, string>;
  timeouts: Timeouts;
  /** Largest body read from any response; the rest is dropped and "truncated" reported. */
  bodyLimitBytes: number;
  /** One counter for every redirect (3xx, port-80 method, redirectUrl, redirectAddr), MS guidance: 10. */
  maxRedirects: number;
  /** Region label written into traces (the Lambda's AWS region, or "local"). */
  region: string;
  /**
   * Connect to private, loopback, link-local and metadata addresses. True for the CLI (an admin may
   * probe an internal name); false for a deployed probe, which anyone with the URL can aim.
   */
  allowPrivateAddresses: boolean;
  /** Hosts outside the user's domain that may receive credentials (a hoster); Outlook would ask. */
  credentialHosts: string[];
  /** Where the anonymous Autodiscover v2 cross-check asks (Exchange Online); '' skips it. */
  v2Host: string;
  /** The provider asked for: Outlook (POX 2006a) or ActiveSync (mobilesync), like RCA's two tests. */
  schema: 'outlook' | 'mobilesync';
}

export const DEFAULT_TIMEOUTS: Timeouts = { dnsMs: 5_000, connectMs: 10_000, tlsMs: 10_000, httpMs: 30_000 };

export const DEFAULT_OPTIONS: ProbeOptions = {
  dnsServers: [],
  trustedCaCertificates: [],
  connectTo: {},
  timeouts: DEFAULT_TIMEOUTS,
  bodyLimitBytes: 1024 * 1024,
  maxRedirects: 10,
  region: 'local',
  allowPrivateAddresses: true,
  credentialHosts: [],
  v2Host: 'outlook.office365.com',
  schema: 'outlook',
};

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^\s:/\[\]]+):(\d{1,5})$/;

function isPort(text: string): boolean {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 && n < 65536;
}

function isEndpoint(text: string): boolean {
  const m = HOST_PORT.exec(text);
  return m != null && isPort(m[2]!);
}

function isDnsServer(text: string): boolean {
  if (isIP(text)) return true;
  const m = HOST_PORT.exec(text);
  return m != null && isPort(m[2]!) && isIP(m[1]!.replace(/^\[|\]$/g, '')) !== 0;
}

/**
 * Checks every option where it enters, one message each (Lambda and CLI inputs both pass here).
 * Unknown keys are refused so a misspelt option fails loudly instead of being ignored.
 */
export function resolveOptions(input: Partial<ProbeOptions> & Record<string, unknown> = {}): ProbeOptions {
  const known = new Set(Object.keys(DEFAULT_OPTIONS).concat(['sourceAddress']));
  for (const key of Object.keys(input)) {
    if (key === 'timeout') throw new InvalidArgumentError('unsupported option "timeout", use timeouts.{dnsMs,connectMs,tlsMs,httpMs}');
    if (!known.has(key)) throw new InvalidArgumentError(`unknown probe option "${key}"`);
  }
  const { dnsServers, sourceAddress, trustedCaCertificates, connectTo, timeouts, bodyLimitBytes, maxRedirects, region, allowPrivateAddresses, credentialHosts, v2Host, schema } = input;
  if (v2Host != null && (typeof v2Host !== 'string' || !/^([a-z0-9.-]{1,253})?$/i.test(v2Host))) throw new InvalidArgumentError('v2Host must be a host name, or empty to skip the v2 check');
  if (schema != null && schema !== 'outlook' && schema !== 'mobilesync') throw new InvalidArgumentError('schema must be "outlook" or "mobilesync"');
  if (credentialHosts != null && (!Array.isArray(credentialHosts) || !credentialHosts.every((h) => typeof h === 'string' && /^[a-z0-9.-]{1,253}$/i.test(h)))) throw new InvalidArgumentError('credentialHosts must be host names');
  if (allowPrivateAddresses != null && typeof allowPrivateAddresses !== 'boolean') throw new InvalidArgumentError('allowPrivateAddresses must be true or false');
  if (dnsServers != null && (!Array.isArray(dnsServers) || !dnsServers.every((s) => typeof s === 'string' && isDnsServer(s)))) {
    throw new InvalidArgumentError('dnsServers must be IP addresses, optionally with ":port"');
  }
  if (sourceAddress != null && isIP(sourceAddress) === 0) throw new InvalidArgumentError('sourceAddress must be an IP address');
  if (trustedCaCertificates != null && (!Array.isArray(trustedCaCertificates) || !trustedCaCertificates.every((p) => typeof p === 'string' && p.includes('-----BEGIN CERTIFICATE-----')))) {
    throw new InvalidArgumentError('trustedCaCertificates must be PEM certificates');
  }
  if (connectTo != null) {
    if (typeof connectTo !== 'object' || Array.isArray(connectTo)) throw new InvalidArgumentError('connectTo must map "host:port" to "address:port"');
    for (const [from, to] of Object.entries(connectTo)) {
      if (!isEndpoint(from) || typeof to !== 'string' || !isEndpoint(to)) throw new InvalidArgumentError(`connectTo entry "${from}" → "${String(to)}" must map "host:port" to "address:port"`);
    }
  }
  const mergedTimeouts = { ...DEFAULT_TIMEOUTS, ...(timeouts ?? {}) };
  for (const [name, value] of Object.entries(mergedTimeouts)) {
    if (!(name in DEFAULT_TIMEOUTS)) throw new InvalidArgumentError(`unknown timeout "${name}"`);
    if (!Number.isInteger(value) || value < 1 || value > 600_000) throw new InvalidArgumentError(`timeouts.${name} must be an integer between 1 and 600000 ms`);
  }
  if (bodyLimitBytes != null && (!Number.isInteger(bodyLimitBytes) || bodyLimitBytes < 1024)) throw new InvalidArgumentError('bodyLimitBytes must be an integer ≥ 1024');
  if (maxRedirects != null && (!Number.isInteger(maxRedirects) || maxRedirects < 0 || maxRedirects > 50)) throw new InvalidArgumentError('maxRedirects must be an integer between 0 and 50');
  if (region != null && (typeof region !== 'string' || !/^[a-z0-9-]{1,40}$/.test(region))) throw new InvalidArgumentError('region must be a short lower-case label like "eu-west-1"');
  return {
    dnsServers: dnsServers ?? DEFAULT_OPTIONS.dnsServers,
    sourceAddress,
    trustedCaCertificates: trustedCaCertificates ?? [],
    connectTo: Object.fromEntries(Object.entries(connectTo ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    timeouts: mergedTimeouts,
    bodyLimitBytes: bodyLimitBytes ?? DEFAULT_OPTIONS.bodyLimitBytes,
    maxRedirects: maxRedirects ?? DEFAULT_OPTIONS.maxRedirects,
    region: region ?? DEFAULT_OPTIONS.region,
    allowPrivateAddresses: allowPrivateAddresses ?? DEFAULT_OPTIONS.allowPrivateAddresses,
    credentialHosts: (credentialHosts ?? []).map((h) => h.toLowerCase().replace(/\.$/, '')),
    v2Host: (v2Host ?? DEFAULT_OPTIONS.v2Host).toLowerCase(),
    schema: schema ?? DEFAULT_OPTIONS.schema,
  };
}
