import type net from 'node:net';
import { isMicrosoftServiceHost } from '../microsoft.ts';
import type { Finding, HttpExchange } from '../trace/model.ts';
import { finding, type FindingCode } from '../trace/findings.ts';
import type { CandidateRecorder, StepResult } from '../trace/recorder.ts';
import type { ProbeOptions } from '../options.ts';
import type { DnsClient, HostResolution } from './dns.ts';
import { CLIENT_CERT_ALERT, connectTargets, connectTcp, handshake, type TcpAttempt } from './connection.ts';
import { checkDates, checkName, checkTrust, describeCertificate } from './certificate.ts';
import { HttpSession, headerValue, type HttpRequest, type HttpResponse } from './http.ts';

/**
 * Probes one URL layer by layer (DNS, TCP, TLS, certificate, then HTTP), recording a step for each.
 * It never decides what to try next: it returns what it saw, and the walk decides.
 */

export interface ProbeContext {
  options: ProbeOptions;
  dns: DnsClient;
  signal?: AbortSignal;
}

export interface OpenEndpoint {
  url: URL;
  session: HttpSession;
  /** Name, trust and dates all passed: credentials may be sent. */
  certificateOk: boolean;
  /** Record the client-certificate check once the first response is known. */
  settleClientCert: (response: HttpResponse | undefined) => void;
}

const DNS_FINDING: Record<string, FindingCode> = { nxdomain: 'DNS_NXDOMAIN', nodata: 'DNS_NODATA', servfail: 'DNS_SERVFAIL', refused: 'DNS_REFUSED', timeout: 'DNS_TIMEOUT', unreachable: 'DNS_SERVER_UNREACHABLE', error: 'DNS_ERROR' };
const DNS_WORDS: Record<string, string> = { nxdomain: 'does not exist (NXDOMAIN)', nodata: 'has no address records (NODATA)', servfail: 'lookup failed (SERVFAIL)', refused: 'query refused (REFUSED)', timeout: 'no answer (timeout)', unreachable: 'not looked up: the DNS server refused the connection', error: 'lookup failed' };
const TCP_FINDING: Record<string, FindingCode> = { refused: 'TCP_REFUSED', timeout: 'TCP_TIMEOUT', unreachable: 'TCP_UNREACHABLE', blocked: 'TCP_BLOCKED_POLICY', error: 'TCP_ERROR' };

export function port(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/** Resolve a host as a step. Returns the resolution when it produced addresses. */
export async function resolveStep(rec: CandidateRecorder, ctx: ProbeContext, host: string): Promise<HostResolution | undefined> {
  const done = rec.begin('dns:resolve', `Resolve ${host}`);
  const r = await ctx.dns.resolveHost(host);
  const data = { host, cname: r.cname, a: r.a, aaaa: r.aaaa, outcome: r.outcome, servers: r.servers, ...(r.errorCode ? { errorCode: r.errorCode } : {}) };
  const via = r.cname.length ? ` via CNAME ${r.cname.join(' → ')}` : '';
  if (r.outcome === 'ok') {
    done({ status: 'pass', summary: `${[...r.a, ...r.aaaa].join(', ')}${via}`, data });
    return r;
  }
  // A resolver that cannot be reached is named in the title: it, not the domain, is the problem.
  const title = r.outcome === 'unreachable' ? `${host}: DNS server ${r.servers.join(', ') || '(system default)'} refused the connection` : `${host}: ${DNS_WORDS[r.outcome]}`;
  // Microsoft publishes its own hosts: their record cannot be missing for everyone, so the resolver this probe asks is the one to check.
  const fix = r.outcome === 'nxdomain' && isMicrosoftServiceHost(host)
    ? { fix: `${host} is Microsoft's name and exists publicly: the DNS resolver this probe uses does not see it (split DNS, a filtering resolver, or no internet access). Check that resolver.` }
    : {};
  done({ status: 'fail', summary: `${host} ${DNS_WORDS[r.outcome]}${via}`, data, findings: [finding(DNS_FINDING[r.outcome]!, title, { evidence: data, ...fix })] });
  return undefined;
}

/** Connect to the first address that answers (each attempt is kept in the step's data). */
export async function connectStep(rec: CandidateRecorder, ctx: ProbeContext, host: string, p: number, resolution: HostResolution): Promise<{ socket: net.Socket; address: string; targetPort: number } | undefined> {
  const targets = connectTargets(host, p, [...resolution.a, ...resolution.aaaa], ctx.options);
  const done = rec.begin('tcp:connect', `Connect to ${host}:${p}`);
  const attempts: TcpAttempt[] = [];
  for (const t of targets) {
    const { socket, attempt } = await connectTcp(t.address, t.port, ctx.options, ctx.signal);
    attempts.push(attempt);
    if (socket) {
      const routed = t.override ? ` (connect-to ${t.address}:${t.port})` : '';
      done({ status: 'pass', summary: `port ${p} open on ${t.override ? resolution.a[0] ?? t.address : t.address}${routed}`, data: { host, port: p, address: t.address, targetPort: t.port, override: t.override, outcome: 'open', attempts } });
      return { socket, address: t.address, targetPort: t.port };
    }
    if (ctx.signal?.aborted) break;
  }
  const last = attempts[attempts.length - 1];
  const outcome = last?.outcome ?? 'error';
  const tried = attempts.map((a) => `${a.address}:${a.port} ${a.outcome}`).join(', ');
  const words = outcome === 'timeout' ? `no answer within ${ctx.options.timeouts.connectMs} ms` : outcome === 'refused' ? 'connection refused' : outcome === 'blocked' ? 'not a public address (refused by this probe\'s policy)' : outcome;
  done({
    status: 'fail',
    summary: `${host}:${p} ${words} (tried ${tried || 'no address'})`,
    data: { host, port: p, outcome, attempts },
    // The timeout is worth naming only when an attempt ran into it (a refusal is immediate).
    findings: [finding(TCP_FINDING[outcome] ?? 'TCP_ERROR', `${host}:${p}: ${words} (tried ${tried}${attempts.some((a) => a.outcome === 'timeout') ? `; timeout ${ctx.options.timeouts.connectMs} ms` : ''})`, { evidence: { attempts } })],
  });
  return undefined;
}

/** DNS → TCP → TLS → name, trust, dates. Returns an open HTTPS session on success of the handshake. */
export async function openHttps(rec: CandidateRecorder, ctx: ProbeContext, url: URL): Promise<OpenEndpoint | undefined> {
  const reached = await reach(rec, ctx, url);
  if (!reached) return undefined;
  const { host, p, conn } = reached;

  const doneTls = rec.begin('tls:handshake', `TLS handshake with ${host}:${p}`);
  const tlsResult = await handshake(conn.socket, host, ctx.options, ctx.signal);
  if (!tlsResult.socket) {
    conn.socket.destroy();
    const e = tlsResult.error!;
    const code: FindingCode = tlsResult.clientCertificateAlert ? 'CLIENT_CERT_REQUIRED' : e.code === 'ETIMEDOUT' ? 'TLS_TIMEOUT' : 'TLS_HANDSHAKE_FAILED';
    doneTls({ status: 'fail', summary: `${e.message}`, data: { host, servername: host, error: e }, findings: [finding(code, `TLS with ${host}:${p} failed: ${e.message}`, { evidence: { error: e } })] });
    return undefined;
  }
  const chain = tlsResult.chain;
  const leaf = chain[0];
  doneTls({
    status: leaf ? 'pass' : 'fail',
    summary: leaf ? `${tlsResult.protocol} ${tlsResult.cipher}; certificate ${describeCertificate(leaf).subject} issued by ${describeCertificate(leaf).issuer}` : 'no certificate presented',
    data: { host, servername: host, protocol: tlsResult.protocol, cipher: tlsResult.cipher, chain: chain.map(describeCertificate), ms: tlsResult.ms },
  });
  if (!leaf) {
    tlsResult.socket.destroy();
    return undefined;
  }
  const name = rec.note('tls:cert-name', `Certificate name covers ${host}`, checkName(host, leaf));
  const trust = rec.note('tls:cert-trust', 'Certificate chain trusted', checkTrust(chain, tlsResult.authorized, tlsResult.authorizationError, ctx.options.trustedCaCertificates));
  const dates = rec.note('tls:cert-dates', 'Certificate dates valid', checkDates(chain));
  const settle = rec.begin('tls:client-cert', 'No client certificate required');

  // A new connection must present the very certificate that was checked: otherwise credentials
  // could go to a server that never passed the name, trust and date checks.
  const reopen = async (): Promise<net.Socket> => {
    const t = await handshake(await reconnect(ctx, conn, host, p)(), host, ctx.options, ctx.signal);
    if (!t.socket) throw new Error(`TLS on reconnect to ${host}:${p} failed: ${t.error?.message}`);
    if (t.chain[0]?.fingerprint256 !== leaf.fingerprint256) {
      t.socket.destroy();
      throw new Error(`${host}:${p} presented a different certificate on a new connection; not continuing on it`);
    }
    return t.socket;
  };
  const session = new HttpSession(url.origin, tlsResult.socket, reopen, ctx.options);
  return {
    url,
    session,
    certificateOk: name.status === 'pass' && trust.status === 'pass' && dates.status !== 'fail',
    settleClientCert(response) {
      // TLS 1.3 sends the certificate_required alert after the handshake: it surfaces on the first request.
      const alert = CLIENT_CERT_ALERT.test(`${session.lastFailure?.code ?? ''} ${session.lastFailure?.message ?? ''}`);
      const asked = (response?.status === 403 && /403\.7|client certificate/i.test(response.body)) || alert;
      settle(asked
        ? { status: 'fail', summary: `the server requires a client certificate (${alert ? 'TLS alert certificate_required' : 'HTTP 403.7'})`, data: { requested: true, how: alert ? 'TLS alert' : 'HTTP 403.7' }, findings: [finding('CLIENT_CERT_REQUIRED', `${host} requires a client certificate`)] }
        : { status: 'pass', summary: response ? 'not requested (no certificate alert, no 403.7)' : 'not requested during the handshake', data: { requested: false, how: 'TLS alert / HTTP 403.7' } });
    },
  };
}

/** Plain TCP for the port-80 HTTP redirect method (never carries credentials). */
export async function openHttp(rec: CandidateRecorder, ctx: ProbeContext, url: URL): Promise<HttpSession | undefined> {
  const reached = await reach(rec, ctx, url);
  if (!reached) return undefined;
  return new HttpSession(url.origin, reached.conn.socket, reconnect(ctx, reached.conn, reached.host, reached.p), ctx.options);
}

/** DNS then TCP as steps: the common start of every URL. */
async function reach(rec: CandidateRecorder, ctx: ProbeContext, url: URL) {
  const host = url.hostname.toLowerCase();
  const p = port(url);
  const resolution = await resolveStep(rec, ctx, host);
  if (!resolution) return undefined;
  const conn = await connectStep(rec, ctx, host, p, resolution);
  return conn ? { host, p, conn } : undefined;
}

/** A new TCP connection to the address that answered first, when the server closed the last one. */
function reconnect(ctx: ProbeContext, conn: { address: string; targetPort: number }, host: string, p: number): () => Promise<net.Socket> {
  return async () => {
    const again = await connectTcp(conn.address, conn.targetPort, ctx.options, ctx.signal);
    if (!again.socket) throw new Error(`reconnect to ${host}:${p} failed: ${again.attempt.error}`);
    return again.socket;
  };
}

const MASKED = /^(authorization|proxy-authorization|cookie)$/i;

/** The exchange as the trace keeps it: credentials masked, body excerpt capped. */
export function exchange(url: URL, req: HttpRequest, auth: HttpExchange['auth'], res?: HttpResponse): HttpExchange {
  const requestHeaders = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, MASKED.test(k) ? `${v.split(' ')[0]} ********` : v]));
  return {
    method: req.method,
    url: url.href,
    requestHeaders,
    ...(req.body ? { requestBody: req.body } : {}),
    auth,
    ...(res ? { status: res.status, statusText: res.statusText } : {}),
    responseHeaders: (res?.headers ?? []).map(([n, v]) => [n, /^set-cookie$/i.test(n) ? `${v.split('=')[0]}=********` : v]),
    ...(res ? { bodyExcerpt: res.body.slice(0, 4096) } : {}),
    bodyBytes: res?.bodyBytes ?? 0,
    truncated: res?.truncated ?? false,
    ...(res && headerValue(res.headers, 'content-type') ? { contentType: headerValue(res.headers, 'content-type') } : {}),
  };
}

/** Sends one request as a step; failures (timeout, reset) become the step's finding. */
export async function requestStep(
  rec: CandidateRecorder,
  ctx: ProbeContext,
  session: HttpSession,
  url: URL,
  req: HttpRequest,
  auth: HttpExchange['auth'],
  title: string,
  judge: (res: HttpResponse) => StepResult,
): Promise<HttpResponse | undefined> {
  const done = rec.begin(req.method === 'GET' ? 'http:get' : 'http:post', title);
  const { response, failure } = await session.request(req, ctx.signal);
  if (!response) {
    const alert = CLIENT_CERT_ALERT.test(`${failure!.code} ${failure!.message}`);
    const f: Finding = alert
      ? finding('CLIENT_CERT_REQUIRED', `${url.host} requires a client certificate (TLS alert certificate_required after the handshake)`, { evidence: { code: failure!.code } })
      : finding(failure!.code === 'ETIMEDOUT' ? 'HTTP_TIMEOUT' : 'HTTP_ERROR', `${req.method} ${url.href}: ${failure!.message}`, { evidence: { code: failure!.code } });
    done({ status: 'fail', summary: failure!.message, data: { exchange: exchange(url, req, auth), error: failure }, findings: [f] });
    return undefined;
  }
  const verdict = judge(response);
  // Say where: two candidates can fail with the same status, and the verdict must name the host.
  const findings = (verdict.findings ?? []).map((f) => (f.title.includes(url.host) ? f : { ...f, title: `${f.title} at ${url.href}` }));
  if (response.truncated) findings.push(finding('HTTP_BODY_TRUNCATED', `Body of ${url.href} cut at ${ctx.options.bodyLimitBytes} bytes`));
  done({ ...verdict, findings, data: { exchange: exchange(url, req, auth, response), connections: session.connections, ...(verdict.data ?? {}) } });
  return response;
}
