import net from 'node:net';
import tls from 'node:tls';
import type { ProbeOptions } from '../options.ts';

/** Where a connection to host:port really goes (the connect-to map, else the resolved addresses). */
export function connectTargets(host: string, port: number, addresses: string[], options: ProbeOptions): { address: string; port: number; override: boolean }[] {
  const mapped = options.connectTo[`${host.toLowerCase()}:${port}`];
  if (mapped) {
    const i = mapped.lastIndexOf(':');
    return [{ address: mapped.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(mapped.slice(i + 1)), override: true }];
  }
  return addresses.map((address) => ({ address, port, override: false }));
}

export type TcpOutcome = 'open' | 'refused' | 'timeout' | 'unreachable' | 'blocked' | 'error';

/** Addresses a deployed probe must never reach: private, loopback, link-local (cloud metadata), CGNAT, ULA. */
const NON_PUBLIC = (() => {
  const list = new net.BlockList();
  for (const [a, p] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 3]] as const) list.addSubnet(a, p, 'ipv4');
  for (const [a, p] of [['::', 127], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) list.addSubnet(a, p, 'ipv6');
  return list;
})();

export function isNonPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return true;
  // BlockList would match IPv4 rules against IPv6 rules' mapped space; check a mapped address as IPv4.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return NON_PUBLIC.check(mapped[1]!, 'ipv4');
  return NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export interface TcpAttempt {
  address: string;
  port: number;
  outcome: TcpOutcome;
  error?: string;
  ms: number;
}

export function tcpOutcome(err: NodeJS.ErrnoException | undefined): TcpOutcome {
  switch (err?.code) {
    case undefined: return 'open';
    case 'ECONNREFUSED': return 'refused';
    case 'ETIMEDOUT': return 'timeout';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH': return 'unreachable';
    default: return 'error';
  }
}

/** One TCP connection attempt with a deadline; resolves with the socket or the reason it failed. */
export function connectTcp(address: string, port: number, options: ProbeOptions, signal?: AbortSignal): Promise<{ socket?: net.Socket; attempt: TcpAttempt }> {
  const t0 = performance.now();
  if (!options.allowPrivateAddresses && isNonPublicAddress(address)) {
    return Promise.resolve({ attempt: { address, port, outcome: 'blocked', error: 'non-public address refused by policy', ms: 0 } });
  }
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port, ...(options.sourceAddress ? { localAddress: options.sourceAddress } : {}) });
    let settled = false;
    const done = (err?: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      const attempt: TcpAttempt = { address, port, outcome: tcpOutcome(err), ms: Math.round(performance.now() - t0), ...(err ? { error: err.code ?? err.message } : {}) };
      if (err) {
        socket.destroy();
        resolve({ attempt });
      } else {
        socket.on('error', () => {}); // later errors surface through TLS/HTTP
        resolve({ socket, attempt });
      }
    };
    const timer = setTimeout(() => done(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })), options.timeouts.connectMs);
    const onAbort = () => done(Object.assign(new Error('aborted'), { code: 'ABORTED' }));
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => done());
    socket.once('error', (err) => done(err));
  });
}

export interface TlsResult {
  socket?: tls.TLSSocket;
  error?: { code: string; message: string };
  /** The server sent a TLS alert asking for a client certificate. */
  clientCertificateAlert: boolean;
  protocol?: string;
  cipher?: string;
  authorized: boolean;
  authorizationError?: string;
  /** Leaf first, as presented (issuer links followed, the trust anchor excluded when not sent). */
  chain: tls.DetailedPeerCertificate[];
  ms: number;
}

export const CLIENT_CERT_ALERT = /CERTIFICATE_REQUIRED|alert certificate required|HANDSHAKE_FAILURE.*certificate/i;

export function trustedCa(options: ProbeOptions): string[] {
  return options.trustedCaCertificates.length > 0 ? [...tls.rootCertificates, ...options.trustedCaCertificates] : [...tls.rootCertificates];
}

// Building a context parses every root certificate: do it once per set of options, not per handshake.
const contexts = new WeakMap<ProbeOptions, tls.SecureContext>();
function secureContext(options: ProbeOptions): tls.SecureContext {
  let ctx = contexts.get(options);
  if (!ctx) {
    ctx = tls.createSecureContext({ ca: trustedCa(options), minVersion: 'TLSv1' });
    contexts.set(options, ctx);
  }
  return ctx;
}

/**
 * TLS over an open socket without rejecting anything, so every certificate problem can be reported
 * instead of only the first; the socket is then reused for the POSTs (one connection per host).
 */
export function handshake(socket: net.Socket, host: string, options: ProbeOptions, signal?: AbortSignal): Promise<TlsResult> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const servername = net.isIP(host) ? undefined : host;
    const secure = tls.connect({ socket, ...(servername ? { servername } : {}), rejectUnauthorized: false, secureContext: secureContext(options), ALPNProtocols: ['http/1.1'] });
    let settled = false;
    const finish = (result: Omit<TlsResult, 'ms'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve({ ...result, ms: Math.round(performance.now() - t0) });
    };
    const fail = (code: string, message: string) => {
      secure.destroy();
      finish({ error: { code, message }, clientCertificateAlert: CLIENT_CERT_ALERT.test(`${code} ${message}`), authorized: false, chain: [] });
    };
    const timer = setTimeout(() => fail('ETIMEDOUT', `no TLS handshake within ${options.timeouts.tlsMs} ms`), options.timeouts.tlsMs);
    const onAbort = () => fail('ABORTED', 'aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    secure.once('error', (err: NodeJS.ErrnoException) => fail(err.code ?? 'ERR_TLS', err.message));
    secure.once('secureConnect', () => {
      secure.removeAllListeners('error');
      secure.on('error', () => {});
      finish({
        socket: secure,
        clientCertificateAlert: false,
        protocol: secure.getProtocol() ?? undefined,
        cipher: secure.getCipher()?.name,
        authorized: secure.authorized,
        authorizationError: secure.authorizationError ? String(secure.authorizationError) : undefined,
        chain: presentedChain(secure.getPeerCertificate(true)),
      });
    });
  });
}

/** Follows issuer links; stops at a self-issued certificate or a repeat. */
function presentedChain(leaf: tls.DetailedPeerCertificate): tls.DetailedPeerCertificate[] {
  const chain: tls.DetailedPeerCertificate[] = [];
  const seen = new Set<string>();
  let current: tls.DetailedPeerCertificate | undefined = leaf;
  while (current && current.raw && !seen.has(current.fingerprint256)) {
    chain.push(current);
    seen.add(current.fingerprint256);
    current = current.issuerCertificate;
  }
  return chain;
}
