import type { CandidateTrace, Finding, PhaseRole, PhaseTrace, RedirectHop, SettingsSummary } from '../trace/model.ts';
import { MICROSOFT_365_DOMAINS } from '../microsoft.ts';
import { TRACE_VERSION } from '../trace/model.ts';
import { expect, finding } from '../trace/findings.ts';
import { phaseFindings, rankCauses } from '../verdict.ts';
import { CandidateRecorder, isConnectivityStep, type ProbeEvent, type ProbeObserver, type StepResult } from '../trace/recorder.ts';
import type { ProbeOptions } from '../options.ts';
import { createDnsClient } from '../probe/dns.ts';
import { openHttp, openHttps, requestStep, type OpenEndpoint, type ProbeContext } from '../probe/endpoint.ts';
import { headerValue, headerValues, type HttpRequest, type HttpResponse, type HttpSession } from '../probe/http.ts';
import { AUTODISCOVER_PATH, CANDIDATES, type CandidateDef } from './candidates.ts';
import { parseAddress, isTenantRoutingDomain, addressKey } from '../autodiscover/address.ts';
import { buildPoxRequest, POX_CONTENT_TYPE } from '../autodiscover/request.ts';
import { buildV2Url, parseV2Response } from '../autodiscover/v2.ts';
import { parseAutodiscoverResponse } from '../autodiscover/response.ts';
import { describeBearer, EXCHANGE_CLIENT_ID, parseWwwAuthenticate, looksLikeExchange, extractAadstsCodes } from '../autodiscover/challenge.ts';
import { checkAddressRedirect, checkRedirectMethodResponse, checkUrlRedirect, normalizeUrl } from '../autodiscover/redirect.ts';
import { judgeFailureStatus, interpretParsed } from './interpret.ts';
import { scrubSecrets } from './secrets.ts';
import { ntlmSignIn } from '../auth/ntlm-sign-in.ts';

/** What the state machine hands a phase: who to look up and the walk state carried across phases. */
export interface PhaseInput {
  runId: string;
  index: number;
  role: PhaseRole;
  address: string;
  /** Redirects used so far in the run (one shared budget). */
  hops: number;
  visitedAddresses: string[];
  visitedUrls: string[];
}

/** Secrets for the authenticated POST; never written anywhere. */
export interface Credentials {
  /** Basic user name; defaults to the address being probed (UPN = e-mail is the common case). */
  username?: string;
  password?: string;
  bearerToken?: string;
}

export interface PhaseContext {
  options: ProbeOptions;
  credentials?: Credentials;
  signal?: AbortSignal;
  observe?: ProbeObserver;
  /** Called with a snapshot after each candidate, so a killed phase still leaves a partial trace. */
  checkpoint?: (trace: PhaseTrace) => Promise<void>;
  /** Domains whose hosts may receive credentials (default: the phase's domain); Microsoft 365 always may. */
  credentialDomains?: string[];
}

const USER_AGENT = 'discotrace/0.1 (Autodiscover analyzer)';
const HOSTNAME = /^(?=.{1,253}\.?$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)*\.?$/i;

function internalError(rec: CandidateRecorder, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  rec.note('walk:redirect', 'Internal error', { status: 'fail', summary: `internal error: ${message}`, findings: [finding('PROBE_INTERNAL_ERROR', `Internal error while probing ${rec.trace.url}: ${message}`)] });
  if (!rec.finished) rec.finish('failed', `internal error: ${message}`);
}

type End =
  | { kind: 'settings'; url: string; settings: SettingsSummary }
  | { kind: 'redirectAddr'; url: string; address: string }
  | { kind: 'error-response'; code: string }
  | { kind: 'failed'; reason: string };

interface Prepared {
  rec: CandidateRecorder;
  def: CandidateDef;
  endpoint?: OpenEndpoint;
  url?: URL;
  first?: HttpResponse;
  http?: HttpSession;
}

/**
 * One Autodiscover phase for one address: every candidate probed concurrently up to the anonymous
 * request, then credentials sent in priority order only, redirects followed under one budget, and
 * the trace assembled in canonical order whatever the timing.
 */
export async function runPhase(input: PhaseInput, ctx: PhaseContext): Promise<PhaseTrace> {
  const started = performance.now();
  const parsed = parseAddress(input.address);
  const domain = parsed.ok ? parsed.domain : input.address.split('@').pop() ?? '';
  const trace: PhaseTrace = {
    version: TRACE_VERSION,
    runId: input.runId,
    index: input.index,
    role: input.role,
    address: input.address,
    domain,
    region: ctx.options.region,
    startedAt: new Date().toISOString(),
    state: 'running',
    candidates: [],
    redirects: [],
    hops: input.hops,
    visitedUrls: [...input.visitedUrls],
    visitedAddresses: [...new Set([...input.visitedAddresses, addressKey(input.address)])],
    schema: ctx.options.schema,
    findings: [],
  };
  const emit = (e: Omit<ProbeEvent, 'runId' | 'phase'> & { type: string }) => {
    if (!ctx.observe) return;
    try { ctx.observe(scrubSecrets({ ...e, runId: input.runId, phase: input.index } as ProbeEvent, ctx.credentials, input.address)); } catch { /* a broken observer must not break the probe */ }
  };
  const recorders: CandidateRecorder[] = [];
  const sessions: HttpSession[] = [];
  const walk = new Walk(trace, ctx, input, recorders, sessions, emit);
  emit({ type: 'phase:start', address: input.address } as never);

  try {
    if (!parsed.ok) throw new Error(`invalid address "${input.address}": ${parsed.reason}`);
    await ctx.checkpoint?.(walk.snapshot());
    const prepared = CANDIDATES.map((def, i) => walk.prepare(def, i, domain));
    // The v2 cross-check runs beside the classic walk for the typed address; it never decides.
    const v2 = input.index === 0 && ctx.options.v2Host && ctx.options.schema === 'outlook' ? walk.v2Check(CANDIDATES.length, ctx.options.v2Host) : undefined;
    let end: End | undefined;
    let winner: CandidateRecorder | undefined;
    for (const pending of prepared) {
      const p = await pending;
      if (end && (end.kind === 'settings' || end.kind === 'redirectAddr')) {
        if (!p.rec.finished) {
          const failed = [...p.rec.trace.steps].reverse().find((s) => s.status === 'fail');
          p.rec.finish(failed ? 'failed' : 'skipped', failed ? failed.summary : `not needed: ${winner?.trace.title ?? 'an earlier candidate'} answered`);
        }
        walk.endCandidate(p.rec);
        continue;
      }
      const result = await walk.complete(p);
      walk.endCandidate(p.rec);
      await ctx.checkpoint?.(walk.snapshot());
      if (result.kind === 'settings' || result.kind === 'redirectAddr') {
        end = result;
        winner = p.rec;
      }
    }
    await v2;
    if (end?.kind === 'settings') await walk.followReturnedUrls(CANDIDATES.length + 1, end.settings);
    // Running out of time in the advisory checks (v2, returned URLs) must not throw away an answer already found.
    if (ctx.signal?.aborted && !end) throw new AbortedError();
    trace.state = 'complete';
    // Mark what is normal for the topology first: the phase's "most relevant" cause must never be
    // an expected failure (the bare domain's web site), just as the verdict's never is.
    classifyExpected(recorders, domain, end?.kind === 'settings' || end?.kind === 'redirectAddr');
    if (end?.kind === 'settings') trace.outcome = { kind: 'settings', url: end.url, settings: end.settings };
    else if (end?.kind === 'redirectAddr') trace.outcome = { kind: 'redirectAddr', url: end.url, address: end.address };
    else {
      const cause = rankCauses(phaseFindings(walk.snapshot()))[0];
      trace.outcome = { kind: 'failed', reason: cause ? cause.title : 'no candidate answered' };
      trace.findings.push(finding('PHASE_NO_METHOD', `Autodiscover could not be contacted by any method for ${input.address}${cause ? `; most relevant: ${cause.title}` : ''}`));
    }
  } catch (err) {
    const aborted = err instanceof AbortedError || ctx.signal?.aborted;
    for (const r of recorders) if (!r.finished) r.finish('failed', aborted ? 'stopped: the phase ran out of time' : 'stopped by an internal error');
    trace.state = aborted ? 'aborted' : 'crashed';
    const message = err instanceof Error ? err.message : String(err);
    trace.outcome = { kind: aborted ? 'aborted' : 'failed', reason: aborted ? 'the phase ran out of time' : message } as PhaseTrace['outcome'];
    trace.findings.push(aborted
      ? finding('PHASE_ABORTED', `Phase for ${input.address} stopped at its deadline`)
      : finding('PHASE_CRASHED', `Phase for ${input.address} stopped: ${message}`));
    if (!aborted) trace.error = { name: err instanceof Error ? err.name : 'Error', message };
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
  }
  Object.assign(trace, walk.snapshot(), { state: trace.state, outcome: trace.outcome, findings: trace.findings });
  trace.finishedAt = new Date().toISOString();
  trace.durationMs = Math.round(performance.now() - started);
  const final = scrubSecrets(trace, ctx.credentials, input.address);
  emit({ type: 'phase:end', trace: final } as never);
  return final;
}

class AbortedError extends Error {
  constructor() {
    super('aborted');
    this.name = 'AbortedError';
  }
}

/** Holds the walk state of one phase: redirect budget, visited sets, recorders. */
class Walk {
  readonly #trace: PhaseTrace;
  readonly #ctx: PhaseContext;
  readonly #input: PhaseInput;
  readonly #recorders: CandidateRecorder[];
  readonly #sessions: HttpSession[];
  readonly #emit: (e: never) => void;
  readonly #probe: ProbeContext;
  readonly #children = new Map<string, number>();

  constructor(trace: PhaseTrace, ctx: PhaseContext, input: PhaseInput, recorders: CandidateRecorder[], sessions: HttpSession[], emit: (e: never) => void) {
    this.#trace = trace;
    this.#ctx = ctx;
    this.#input = input;
    this.#recorders = recorders;
    this.#sessions = sessions;
    this.#emit = emit;
    this.#probe = { options: ctx.options, dns: createDnsClient(ctx.options.dnsServers, ctx.options.timeouts.dnsMs, ctx.signal), signal: ctx.signal };
  }

  #recorder(path: number[], source: CandidateTrace['source'], url: string, title: string): CandidateRecorder {
    const rec = new CandidateRecorder(path, source, url, title, (e) => this.#emit(e as never));
    this.#recorders.push(rec);
    this.#emit({ type: 'candidate:start', path, title, url } as never);
    return rec;
  }

  endCandidate(rec: CandidateRecorder): void {
    this.#emit({ type: 'candidate:end', path: rec.path, status: rec.trace.status, summary: rec.trace.summary } as never);
  }

  #child(parent: CandidateRecorder, url: string): CandidateRecorder {
    const key = parent.path.join('.');
    const n = (this.#children.get(key) ?? 0) + 1;
    this.#children.set(key, n);
    const rec = this.#recorder([...parent.path, n], 'redirect', url, `Redirected to ${url}`);
    rec.parentPath = parent.path;
    return rec;
  }

  /** The trace as it stands: candidates in canonical order (top-level order, redirects after their parent). */
  snapshot(): PhaseTrace {
    return scrubSecrets(this.#snapshot(), this.#ctx.credentials, this.#input.address);
  }

  #snapshot(): PhaseTrace {
    const ordered = [...this.#recorders].sort((a, b) => comparePaths(a.path, b.path));
    const indexOf = new Map(ordered.map((r, i) => [r.path.join('.'), i]));
    const candidates = ordered.map((r, i) => {
      const parentPath = r.parentPath;
      const t: CandidateTrace = { ...r.trace, index: i, steps: [...r.trace.steps] };
      if (parentPath) t.from = indexOf.get(parentPath.join('.'));
      else delete t.from;
      return t;
    });
    return { ...this.#trace, candidates };
  }

  #pox(address: string): HttpRequest {
    const schema = this.#ctx.options.schema;
    return { method: 'POST', path: '', headers: { 'Content-Type': POX_CONTENT_TYPE, 'User-Agent': USER_AGENT, ...(schema === 'outlook' ? { 'X-MapiHttpCapability': '1' } : {}) }, body: buildPoxRequest(address, schema) };
  }

  /**
   * Autodiscover v2 at Exchange Online (reference §3.6): an anonymous GET that says whether the
   * mailbox lives there (200 with a URL) or on-premises (302 to the on-prem v2 URL). Advisory: its
   * failures never lead a verdict; the report compares it with the classic walk.
   */
  async v2Check(index: number, host: string): Promise<void> {
    const url = new URL(buildV2Url(host, this.#input.address, 'AutodiscoverV1', 'path'));
    const rec = this.#recorder([index], 'autodiscover-v2', url.href, `Autodiscover v2 at ${host} (Exchange Online hand-off check)`);
    rec.advisory = true;
    try {
      const endpoint = await openHttps(rec, this.#probe, url);
      if (!endpoint) {
        // Advisory: an unreachable v2 host (an on-premises-only lab, a closed network) is not a failure of the run.
        rec.finish('skipped', 'v2 endpoint not reachable from this probe (advisory)');
        return;
      }
      this.#sessions.push(endpoint.session);
      const req: HttpRequest = { method: 'GET', path: url.pathname + url.search, headers: { Accept: 'application/json', 'User-Agent': USER_AGENT } };
      let result: ReturnType<typeof parseV2Response> | undefined;
      const res = await requestStep(rec, this.#probe, endpoint.session, url, req, 'none', `GET ${url.href} (anonymous, JSON)`, (r) => {
        result = parseV2Response(r.status, r.body, headerValue(r.headers, 'location'));
        const v2 = { kind: result.kind, ...(result.kind === 'url' ? { url: result.url, protocol: result.protocol } : {}), ...(result.kind === 'redirect' ? { location: result.location } : {}), ...(result.kind === 'error' ? { errorCode: result.errorCode, errorMessage: result.errorMessage } : {}), ...(result.kind === 'invalid' ? { reason: result.reason, detail: result.detail } : {}) };
        if (result.kind === 'url') return { status: 'pass', summary: `mailbox served by Exchange Online: ${result.protocol} → ${result.url}`, data: { v2 }, findings: [finding('V2_IN_EXCHANGE_ONLINE', `Exchange Online knows ${this.#input.address} (v2 → ${result.url})`)] };
        if (result.kind === 'redirect') return { status: 'pass', summary: `Exchange Online sends the client on-premises: ${result.location}`, data: { v2 }, findings: [finding('V2_ON_PREMISES', `Exchange Online points ${this.#input.address} on-premises (${result.location})`)] };
        if (result.kind === 'error') return { status: 'warn', summary: `v2 error ${result.errorCode}: ${result.errorMessage}`, data: { v2 }, findings: [finding('V2_ERROR', `Autodiscover v2 error ${result.errorCode}: ${result.errorMessage}`)] };
        return { status: 'warn', summary: `no usable v2 answer: ${result.detail}`, data: { v2 }, findings: [finding('V2_ERROR', `Autodiscover v2: ${result.detail}`)] };
      });
      endpoint.settleClientCert(res);
      rec.finish(result?.kind === 'url' || result?.kind === 'redirect' ? 'answered' : 'failed', result?.kind === 'url' ? 'mailbox in Exchange Online' : result?.kind === 'redirect' ? 'mailbox on-premises (per Exchange Online)' : 'no usable v2 answer');
    } catch (err) {
      internalError(rec, err);
    } finally {
      this.endCandidate(rec);
    }
  }

  /**
   * After success, the URLs Outlook will use next (EWS, OAB, MAPI): resolvable, certificate valid,
   * answering. 401 is the healthy anonymous answer. Advisory: Autodiscover itself worked.
   */
  async followReturnedUrls(index: number, settings: SettingsSummary): Promise<void> {
    const labelled: [string, string | undefined][] = [['EWS', settings.ewsUrl], ['OAB', settings.oabUrl], ['MAPI mail store', settings.mapiMailStoreUrl], ['MAPI address book', settings.mapiAddressBookUrl]];
    // One candidate (one connection, one certificate check) per origin, one GET per URL.
    const byOrigin = new Map<string, { label: string; url: URL }[]>();
    for (const [label, value] of labelled) {
      let url: URL;
      try { url = new URL(value ?? ''); } catch { continue; }
      const list = byOrigin.get(url.origin) ?? [];
      if (!list.some((x) => x.url.href === url.href)) list.push({ label, url });
      byOrigin.set(url.origin, list);
    }
    // Origins are checked concurrently (at most four): a hung host costs one timeout, not four.
    await Promise.all([...byOrigin].map(([origin, targets], n) => this.#checkOrigin(index + n, origin, targets)));
  }

  async #checkOrigin(position: number, origin: string, targets: { label: string; url: URL }[]): Promise<void> {
    {
      const labels = targets.map((t) => t.label).join(', ');
      const host = new URL(origin).host;
      const rec = this.#recorder([position], 'returned-url', origin, `Returned URLs on ${host} (${labels})`);
      rec.returnedUrl = true;
      // Host-level findings (DNS, TCP, TLS) concern every URL on this origin: name each service, and
      // the URL itself when there is only one ("EWS URL https://…", "EWS and OAB URLs on mail.contoso.com").
      const which = targets.length === 1 ? `${targets[0]!.label} URL ${targets[0]!.url.href}` : `${inWords(targets.map((t) => t.label))} URLs on ${host}`;
      rec.findingPrefix = `${which}: `;
      try {
        const first = targets[0]!.url;
        if (first.protocol !== 'https:') {
          rec.findingPrefix = '';
          rec.note('http:get', `${labels} over plain HTTP`, { status: 'fail', summary: `${origin} is not HTTPS`, findings: [finding('RETURNED_URL_FAILED', `${which} ${targets.length === 1 ? 'is' : 'are'} not HTTPS`)] });
          rec.finish('failed', 'not HTTPS');
          return;
        }
        const endpoint = await openHttps(rec, this.#probe, first);
        if (!endpoint) {
          rec.finish('failed', `${labels}: ${new URL(origin).host} not reachable`);
          return;
        }
        this.#sessions.push(endpoint.session);
        let res: HttpResponse | undefined;
        let firstResponse: HttpResponse | undefined;
        for (const { label, url } of targets) {
          // A GET concerns its own URL only.
          rec.findingPrefix = `${label} URL ${url.href}: `;
          res = await requestStep(rec, this.#probe, endpoint.session, url, { method: 'GET', path: url.pathname + url.search, headers: { 'User-Agent': USER_AGENT } }, 'none', `GET ${label} ${url.href} (anonymous)`, (r) =>
            r.status === 401 || (r.status >= 200 && r.status < 400)
              ? { status: 'pass', summary: `${r.status}${r.status === 401 ? ` (healthy: sign-in required${schemesOf(r) ? `: ${schemesOf(r)}` : ''})` : ''}` }
              : { status: 'fail', summary: `${r.status} ${r.statusText}`.trim(), findings: [finding('RETURNED_URL_FAILED', `${label} URL ${url.href} answers ${r.status}`)] });
          if (!res) break;
          firstResponse ??= res;
        }
        rec.findingPrefix = `${which}: `; // the client-certificate step settles last and concerns the host
        // Judged on the first answer, as for every candidate: a TLS certificate_required alert comes
        // there, while a later GET's 403.7 is that URL's own failure (IIS asks per virtual directory).
        endpoint.settleClientCert(firstResponse);
        const bad = rec.trace.steps.some((s) => s.status === 'fail');
        // Name only the services whose GET failed, unless the host itself (DNS, TCP, TLS) did.
        const failedGets = targets.filter((t) => rec.trace.steps.some((s) => s.kind === 'http:get' && s.status === 'fail' && (s.data.exchange as { url?: string } | undefined)?.url === t.url.href));
        const hostFailed = rec.trace.steps.some((s) => s.kind !== 'http:get' && s.status === 'fail');
        rec.finish(bad ? 'failed' : 'answered', bad ? `problems with ${hostFailed || failedGets.length === 0 ? labels : failedGets.map((t) => t.label).join(', ')}` : `${labels} answer`);
      } catch (err) {
        internalError(rec, err);
      } finally {
        this.endCandidate(rec);
      }
    }
  }


  /** Stage 1, concurrent: each candidate up to its anonymous request. */
  async prepare(def: CandidateDef, i: number, domain: string): Promise<Prepared> {
    const target = def.target(domain);
    const rec = this.#recorder([i], def.source, target, def.title(domain));
    try {
      return await this.#prepare(rec, def, target, domain);
    } catch (err) {
      // One candidate's internal error must not take the phase (or the process) down with it.
      internalError(rec, err);
      return { rec, def };
    }
  }

  async #prepare(rec: CandidateRecorder, def: CandidateDef, target: string, domain: string): Promise<Prepared> {
    if (isTenantRoutingDomain(domain) && (def.source === 'root-https' || def.source === 'autodiscover-https' || def.source === 'srv')) {
      rec.expectFailures = tenantRoutingReason(def.source);
    }
    if (def.source === 'scp') {
      rec.note('scp:lookup', 'SCP lookup (Active Directory)', {
        status: 'skip',
        expected: true,
        summary: 'not applicable: external test, no Active Directory to query',
        data: { applicable: false, reason: 'The probe runs outside the organisation network (no domain membership, no LDAP to a DC).' },
        findings: [finding('SCP_NOT_APPLICABLE', 'SCP lookup not applicable from outside the organisation', { expected: true, expectedReason: 'the probe runs outside the organisation, with no Active Directory to ask' })],
      });
      rec.finish('skipped', 'not applicable (external test)', true);
      return { rec, def };
    }
    if (def.source === 'http-redirect') {
      const url = new URL(target);
      const http = await openHttp(rec, this.#probe, url);
      if (!http) return { rec, def, url };
      this.#sessions.push(http);
      const req: HttpRequest = { method: 'GET', path: url.pathname, headers: { 'User-Agent': USER_AGENT } };
      const first = await requestStep(rec, this.#probe, http, url, req, 'none', `GET ${url.href} (no credentials)`, (res) => judgeRedirectGet(res));
      return { rec, def, url, first, http };
    }
    let url: URL;
    if (def.source === 'srv') {
      const srv = await this.#srv(rec, target);
      if (!srv) return { rec, def };
      url = srv;
    } else {
      url = new URL(target);
    }
    return { rec, def, ...(await this.#approach(rec, url)) };
  }

  async #srv(rec: CandidateRecorder, name: string): Promise<URL | undefined> {
    const done = rec.begin('dns:srv', `Look up SRV ${name}`);
    const r = await this.#probe.dns.resolveSrv(name);
    const data = { name, outcome: r.outcome, records: r.records, servers: r.servers };
    if (r.outcome !== 'ok' || r.records.length === 0) {
      const missing = r.outcome === 'nxdomain' || r.outcome === 'nodata' || r.outcome === 'ok';
      done({ status: missing ? 'info' : 'fail', summary: missing ? 'no SRV record' : `SRV lookup failed (${r.outcome})`, data, findings: [missing ? finding('SRV_NOT_FOUND', `No SRV record ${name}`) : finding(r.outcome === 'servfail' ? 'DNS_SERVFAIL' : r.outcome === 'timeout' ? 'DNS_TIMEOUT' : r.outcome === 'unreachable' ? 'DNS_SERVER_UNREACHABLE' : 'DNS_ERROR', r.outcome === 'unreachable' ? `SRV ${name}: DNS server ${r.servers.join(', ')} refused the connection` : `SRV lookup ${name} failed (${r.outcome})`)] });
      rec.finish('failed', missing ? 'no SRV record' : `SRV lookup failed (${r.outcome})`);
      return undefined;
    }
    const findings: Finding[] = [];
    const usable = r.records.filter((x) => x.target !== '' && x.target !== '.');
    if (usable.length === 0) {
      done({ status: 'info', summary: 'SRV target "." (service not available)', data, findings: [finding('SRV_SERVICE_UNAVAILABLE', `${name} says the service is not available`)] });
      rec.finish('failed', 'SRV target "."');
      return undefined;
    }
    for (const x of usable.filter((x) => x.port !== 443)) findings.push(finding('SRV_PORT_NOT_443', `${name} → ${x.target}:${x.port} (port ignored: clients use 443)`));
    const chosen = usable.find((x) => x.port === 443) ?? usable[0]!;
    if (!HOSTNAME.test(chosen.target) || chosen.target.length > 253) {
      done({ status: 'fail', summary: `SRV target "${chosen.target}" is not a host name`, data, findings: [finding('SRV_TARGET_INVALID', `${name} → "${chosen.target}" is not a valid host name`)] });
      rec.finish('failed', 'SRV target is not a host name');
      return undefined;
    }
    findings.push(finding('SRV_TARGET', `${name} → ${chosen.target} (Outlook asks the user before using it)`));
    done({ status: findings.some((f) => f.severity === 'warning') ? 'warn' : 'pass', summary: `${chosen.target}:${chosen.port} (priority ${chosen.priority}, weight ${chosen.weight})`, data: { ...data, chosen }, findings });
    return new URL(`https://${chosen.target}${AUTODISCOVER_PATH}`);
  }

  /** DNS → TCP → TLS → certificate → anonymous POST, for one HTTPS URL. */
  async #approach(rec: CandidateRecorder, url: URL): Promise<{ endpoint?: OpenEndpoint; first?: HttpResponse; url: URL }> {
    const endpoint = await openHttps(rec, this.#probe, url);
    if (!endpoint) return { url };
    this.#sessions.push(endpoint.session);
    const req = { ...this.#pox(this.#input.address), path: url.pathname + url.search };
    let first = await requestStep(rec, this.#probe, endpoint.session, url, req, 'none', `POST ${url.href} without credentials`, (res) => judgeAnonymous(res));
    endpoint.settleClientCert(first);
    // BUG-14: a server whose route is case-sensitive answers 404 to Outlook's spelling; try the
    // lowercase path other clients use, so the report can say exactly that.
    if (first?.status === 404 && url.pathname !== url.pathname.toLowerCase()) {
      const lower = new URL(url.href);
      lower.pathname = url.pathname.toLowerCase();
      const retry = await requestStep(rec, this.#probe, endpoint.session, lower, { ...req, path: lower.pathname + lower.search }, 'none', `POST ${lower.href} without credentials (lowercase path)`, (res) => {
        if (res.status === 404) return { status: 'info', summary: '404 as well: not a path-case problem' };
        const judged = judgeAnonymous(res);
        return { ...judged, status: 'warn', findings: [...(judged.findings ?? []), finding('PATH_CASE_SENSITIVE', `${url.host} answers ${lower.pathname} but not ${url.pathname}`, { evidence: { outlookPath: url.pathname, workingPath: lower.pathname } })] };
      });
      if (retry && retry.status !== 404) return { endpoint, first: retry, url: lower };
    }
    return { endpoint, first, url };
  }

  /** Stage 2, in priority order: sign in, parse, follow redirects. */
  async complete(p: Prepared): Promise<End> {
    if (this.#ctx.signal?.aborted) throw new AbortedError();
    try {
      return await this.#complete(p);
    } catch (err) {
      if (this.#ctx.signal?.aborted) throw new AbortedError();
      internalError(p.rec, err);
      return { kind: 'failed', reason: 'internal error' };
    }
  }

  async #complete(p: Prepared): Promise<End> {
    if (p.def.source === 'scp') return { kind: 'failed', reason: 'not applicable' };
    if (p.def.source === 'http-redirect') return this.#completeRedirectMethod(p);
    if (!p.endpoint || !p.first || !p.url) return this.#fail(p.rec);
    return this.#follow(p.rec, p.url, p.endpoint, p.first);
  }

  #fail(rec: CandidateRecorder, reason?: string): End {
    const last = [...rec.trace.steps].reverse().find((s) => s.status === 'fail');
    const why = reason ?? last?.summary ?? 'failed';
    if (!rec.finished) rec.finish('failed', why);
    return { kind: 'failed', reason: why };
  }

  async #completeRedirectMethod(p: Prepared): Promise<End> {
    const res = p.first;
    if (!res || !p.url) return this.#fail(p.rec);
    const m = checkRedirectMethodResponse(res.status, headerValue(res.headers, 'location'));
    if (!m.ok) return this.#fail(p.rec);
    const next = this.#urlRedirect(p.rec, 'http', p.url.href, headerValue(res.headers, 'location')!);
    if (!next) return this.#fail(p.rec);
    const child = this.#child(p.rec, next.href);
    const result = await this.#startChild(child, next);
    this.endCandidate(child);
    p.rec.finish(result.kind === 'failed' ? 'failed' : (result.kind as 'settings'), result.kind === 'failed' ? `redirect target failed: ${result.reason}` : `redirected to ${next.href}`);
    return result;
  }

  async #startChild(child: CandidateRecorder, url: URL): Promise<End> {
    const reached = await this.#approach(child, url);
    if (!reached.endpoint || !reached.first) return this.#fail(child);
    return this.#follow(child, reached.url, reached.endpoint, reached.first);
  }

  /** Validates and records a URL redirect (3xx on the POST, redirectUrl, or the port-80 method). */
  #urlRedirect(rec: CandidateRecorder, kind: RedirectHop['kind'], from: string, location: string): URL | undefined {
    const check = checkUrlRedirect({ location, base: from, visited: this.#trace.visitedUrls, hops: this.#trace.hops, limit: this.#ctx.options.maxRedirects });
    const hop = this.#trace.hops + 1;
    if (!check.ok) {
      this.#trace.redirects.push({ kind, from, to: location, hop, accepted: false, reason: check.reason });
      rec.note('walk:redirect', `Redirect to ${location}`, { status: 'fail', summary: `refused: ${check.reason}`, data: { kind, from, to: location, hop, limit: this.#ctx.options.maxRedirects, accepted: false, code: check.code }, findings: [finding(check.code as never, `Redirect from ${from}${location.trim() ? ` to ${location}` : ''} refused: ${check.reason}`)] });
      return undefined;
    }
    this.#trace.hops = hop;
    this.#trace.redirects.push({ kind, from, to: check.url, hop, accepted: true });
    const f = kind === 'http' && rec.trace.source === 'http-redirect'
      ? finding('HTTP_REDIRECT_FOUND', `HTTP redirect method: ${from} → ${check.url}`)
      : finding('REDIRECT_URL', `${kind === 'http' ? 'HTTP redirect' : 'redirectUrl'}: ${from} → ${check.url}`);
    rec.note('walk:redirect', `Follow redirect to ${check.url}`, { status: 'pass', summary: `hop ${hop} of ${this.#ctx.options.maxRedirects}${check.sameOrigin ? ' (same host)' : ''}`, data: { kind, from, to: check.url, hop, limit: this.#ctx.options.maxRedirects, accepted: true }, findings: [f] });
    return new URL(check.url);
  }

  /** From the anonymous answer on: sign in if challenged, then interpret; URL redirects re-POST. */
  async #follow(rec: CandidateRecorder, url: URL, endpoint: OpenEndpoint, first: HttpResponse): Promise<End> {
    this.#trace.visitedUrls.push(normalizeUrl(url.href));
    let res: HttpResponse | undefined = first;
    if (first.status === 401) {
      res = await this.#signIn(rec, url, endpoint, first);
      if (!res) return this.#fail(rec);
    }
    if (res.status >= 300 && res.status < 400 && headerValue(res.headers, 'location')) {
      const next = this.#urlRedirect(rec, 'http', url.href, headerValue(res.headers, 'location')!);
      if (!next) return this.#fail(rec);
      return this.#handOver(rec, next);
    }
    if (res.status !== 200) return this.#fail(rec);
    if (res.truncated) {
      // A cut body would only "fail to parse" and blame the server for XML it never sent.
      rec.note('autodiscover:response', 'Read the Autodiscover response', { status: 'fail', summary: `not parsed: the answer is larger than the probe reads (${this.#ctx.options.bodyLimitBytes} bytes)`, findings: [finding('RESPONSE_TOO_LARGE', `The answer from ${url.href} exceeds ${this.#ctx.options.bodyLimitBytes} bytes and was not parsed`)] });
      return this.#fail(rec);
    }
    const parsed = parseAutodiscoverResponse(res.body, headerValue(res.headers, 'content-type'));
    const step = interpretParsed(parsed, this.#input.address, this.#ctx.options.schema);
    rec.note('autodiscover:response', 'Read the Autodiscover response', step.result);
    switch (step.kind) {
      case 'settings': {
        rec.finish('settings', `settings returned${step.settings.ewsUrl ? ` (EWS ${step.settings.ewsUrl})` : ''}`);
        return { kind: 'settings', url: url.href, settings: step.settings };
      }
      case 'redirectUrl': {
        const next = this.#urlRedirect(rec, 'redirectUrl', url.href, step.target);
        if (!next) return this.#fail(rec);
        return this.#handOver(rec, next);
      }
      case 'redirectAddr': {
        const check = checkAddressRedirect({ current: this.#input.address, target: step.target, visitedAddresses: this.#trace.visitedAddresses, hops: this.#trace.hops, limit: this.#ctx.options.maxRedirects });
        const hop = this.#trace.hops + 1;
        if (!check.ok) {
          this.#trace.redirects.push({ kind: 'redirectAddr', from: this.#input.address, to: step.target, hop, accepted: false, reason: check.reason });
          rec.note('walk:redirect', `Address redirect to ${step.target}`, { status: 'fail', summary: `refused: ${check.reason}`, data: { kind: 'redirectAddr', from: this.#input.address, to: step.target, hop, accepted: false }, findings: [finding(check.code as never, `redirectAddr ${this.#input.address} → ${step.target.trim() || '(empty)'} refused: ${check.reason}`)] });
          return this.#fail(rec, `redirectAddr refused: ${check.reason}`);
        }
        this.#trace.hops = hop;
        this.#trace.redirects.push({ kind: 'redirectAddr', from: this.#input.address, to: step.target, hop, accepted: true });
        this.#trace.visitedAddresses.push(addressKey(step.target));
        const f = check.tenantRouting
          ? finding('HANDOFF_TENANT_ROUTING', `Hybrid hand-off: ${this.#input.address} → ${step.target} (Exchange Online)`)
          : finding('REDIRECT_ADDR_NOT_TENANT', `redirectAddr ${this.#input.address} → ${step.target} is not a tenant routing address`);
        rec.note('walk:redirect', `Restart discovery for ${step.target}`, { status: check.tenantRouting ? 'pass' : 'warn', summary: `hop ${hop} of ${this.#ctx.options.maxRedirects}: new address, new candidate list`, data: { kind: 'redirectAddr', from: this.#input.address, to: step.target, hop, limit: this.#ctx.options.maxRedirects, accepted: true, tenantRouting: check.tenantRouting }, findings: [f] });
        rec.finish('redirectAddr', `redirectAddr → ${step.target}`);
        return { kind: 'redirectAddr', url: url.href, address: step.target };
      }
      case 'error': {
        rec.finish('error-response', `Autodiscover error ${step.code}`);
        return { kind: 'error-response', code: step.code };
      }
      default:
        return this.#fail(rec);
    }
  }

  async #handOver(parent: CandidateRecorder, next: URL): Promise<End> {
    const child = this.#child(parent, next.href);
    const result = await this.#startChild(child, next);
    this.endCandidate(child);
    parent.finish(result.kind === 'failed' ? 'failed' : result.kind === 'error-response' ? 'error-response' : (result.kind as 'settings'), result.kind === 'failed' ? `redirect target failed: ${result.reason}` : `redirected to ${next.href}`);
    return result;
  }

  /**
   * Where credentials may go without asking: the user's own domain and Microsoft 365's hosts
   * (onmicrosoft.com names are Microsoft's DNS; a tenant cannot point them elsewhere). Outlook asks
   * the user before sending them anywhere else (a port-80 redirect or an SRV record can point at
   * any host with a valid certificate).
   */
  #mayReceiveCredentials(host: string): boolean {
    const h = host.toLowerCase().replace(/\.$/, '');
    if (this.#ctx.options.credentialHosts.includes(h)) return true;
    const domains = this.#ctx.credentialDomains ?? [this.#trace.domain];
    // The user's domain itself or a name below it: never "the last two labels", which for
    // contoso.co.uk would admit every .co.uk host.
    const within = (d: string) => h === d || h.endsWith(`.${d}`);
    return domains.some((d) => within(d.toLowerCase())) || MICROSOFT_365_DOMAINS.some(within);
  }

  /** Chooses a method from the challenge and the credentials at hand; withholds them when unsafe. */
  async #signIn(rec: CandidateRecorder, url: URL, endpoint: OpenEndpoint, challenge: HttpResponse): Promise<HttpResponse | undefined> {
    const offered = parseWwwAuthenticate(headerValues(challenge.headers, 'www-authenticate'));
    const names = offered.map((c) => c.name);
    const creds = this.#ctx.credentials ?? {};
    const skip = (r: StepResult) => { rec.note('http:post', `POST ${url.href} with credentials`, r); return undefined; };
    if (names.length === 0) return undefined; // already reported on the anonymous step
    if (!endpoint.certificateOk) {
      return skip({ status: 'skip', summary: 'credentials withheld: the certificate failed validation', findings: [finding('AUTH_WITHHELD_CERT', `Credentials not sent to ${url.host}: certificate failed validation`)] });
    }
    if ((creds.password || creds.bearerToken) && !this.#mayReceiveCredentials(url.hostname)) {
      const home = this.#ctx.credentialDomains?.join(', ') ?? this.#trace.domain;
      return skip({ status: 'skip', summary: `credentials withheld: ${url.hostname} is outside ${home} (Outlook would ask the user first)`, findings: [finding('AUTH_WITHHELD_HOST', `Credentials not sent to ${url.hostname}: outside ${home} and not a Microsoft 365 endpoint`, { fix: `If ${url.hostname} legitimately serves your Autodiscover (a hoster), allow it explicitly: --allow-host ${url.hostname}`, evidence: { host: url.hostname } })] });
    }
    // Bearer (with a token) > Basic > NTLM. Outlook prefers Negotiate/NTLM on-premises, but with the
    // same password Basic gets the same settings in one self-contained request whose failure is
    // unambiguous, while NTLM is a three-message handshake bound to one connection (proxies and load
    // balancers break it on their own). So NTLM only when Basic is not offered (Windows
    // authentication only, a common hardening); Negotiate alone carries raw NTLM tokens, as IIS accepts.
    let auth: 'bearer' | 'basic' | 'ntlm' | undefined;
    if (names.includes('bearer') && creds.bearerToken) auth = 'bearer';
    else if (names.includes('basic') && creds.password) auth = 'basic';
    else if ((names.includes('ntlm') || names.includes('negotiate')) && creds.password) auth = 'ntlm';
    if (!auth) {
      if (!creds.password && !creds.bearerToken) {
        return skip({ status: 'skip', summary: `sign-in needed (${offered.map((c) => c.scheme).join(', ')}); no credentials supplied`, findings: [finding('AUTH_NO_CREDENTIALS', `${url.host} requires sign-in (${offered.map((c) => c.scheme).join(', ')}); no credentials supplied`)] });
      }
      const have = [creds.password ? 'password (Basic, NTLM)' : '', creds.bearerToken ? 'OAuth token (Bearer)' : ''].filter(Boolean).join(' and ');
      const bearer = offered.find((c) => c.name === 'bearer');
      const exchangeResource = bearer && (describeBearer(bearer).exchangeClientId || bearer.params.resource_id?.toLowerCase() === EXCHANGE_CLIENT_ID || MICROSOFT_365_DOMAINS.some((d) => url.hostname.toLowerCase().endsWith(`.${d}`)));
      if (bearer && !creds.bearerToken && exchangeResource) {
        return skip({ status: 'fail', summary: `OAuth required: ${url.host} offers ${offered.map((c) => c.scheme).join(', ')}; no token supplied`, findings: [finding('EXO_OAUTH_REQUIRED', `${url.host} requires an OAuth token (Bearer, Exchange resource); Basic is not offered`, { evidence: { schemes: offered.map((c) => c.scheme), bearer: describeBearer(bearer) } })] });
      }
      return skip({ status: 'fail', summary: `no usable method: server offers ${offered.map((c) => c.scheme).join(', ')}; have ${have}`, findings: [finding('AUTH_NO_USABLE_METHOD', `${url.host} offers ${offered.map((c) => c.scheme).join(', ')}; supplied: ${have}`)] });
    }
    const req = { ...this.#pox(this.#input.address), path: url.pathname + url.search };
    if (auth === 'ntlm') {
      return ntlmSignIn({ rec, probe: this.#probe, session: endpoint.session, url, request: req, scheme: names.includes('ntlm') ? 'NTLM' : 'Negotiate', username: creds.username ?? this.#input.address, password: creds.password! });
    }
    if (auth === 'bearer') {
      // HTTP headers carry ASCII only; an internationalised local part cannot be an anchor hint.
      req.headers = { ...req.headers, Authorization: `Bearer ${creds.bearerToken}`, ...(isAscii(this.#input.address) ? { 'X-AnchorMailbox': this.#input.address } : {}) };
    } else {
      const user = creds.username ?? this.#input.address;
      req.headers = { ...req.headers, Authorization: `Basic ${Buffer.from(`${user}:${creds.password}`, 'utf8').toString('base64')}` };
    }
    return requestStep(rec, this.#probe, endpoint.session, url, req, auth, `POST ${url.href} with ${auth === 'bearer' ? 'OAuth token (Bearer)' : 'Basic credentials'}`, (res) => judgeAuthenticated(res, auth, url));
  }
}

function isAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

function comparePaths(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function schemesOf(res: HttpResponse): string {
  return parseWwwAuthenticate(headerValues(res.headers, 'www-authenticate')).map((c) => c.scheme).join(', ');
}

function judgeAnonymous(res: HttpResponse): StepResult {
  if (res.status === 401) {
    const schemes = schemesOf(res);
    if (!schemes) return { status: 'fail', summary: '401 without any WWW-Authenticate header', findings: [finding('AUTH_NO_CHALLENGE', '401 without WWW-Authenticate: no way to sign in', { evidence: { exchangeHeaders: looksLikeExchange(res.headers) } })] };
    const offered = parseWwwAuthenticate(headerValues(res.headers, 'www-authenticate'));
    const exchange = looksLikeExchange(res.headers);
    const odd = offered.filter((c) => c.note).map((c) => finding('AUTH_NONSTANDARD_SCHEME', `${c.note}`, { evidence: { scheme: c.scheme } }));
    return { status: odd.length ? 'warn' : 'pass', summary: `401 challenge: ${schemes}${exchange ? ' (Exchange)' : ' (no Exchange headers)'}`, data: { schemes: offered, exchangeHeaders: exchange }, findings: odd };
  }
  if (res.status === 200) return { status: 'pass', summary: '200 without sign-in' };
  if (res.status >= 300 && res.status < 400) return { status: 'pass', summary: `${res.status} → ${headerValue(res.headers, 'location') ?? '(no Location)'}` };
  return judgeFailureStatus(res);
}

function judgeAuthenticated(res: HttpResponse, auth: 'basic' | 'bearer', url: URL): StepResult {
  if (res.status === 200) return { status: 'pass', summary: `200 ${headerValue(res.headers, 'content-type') ?? ''}`.trim() };
  if (res.status >= 300 && res.status < 400) return { status: 'pass', summary: `${res.status} → ${headerValue(res.headers, 'location') ?? '(no Location)'}` };
  if (res.status === 401) {
    const diag = headerValue(res.headers, 'x-autodiscovery-error') ?? '';
    if (auth === 'basic' && /BasicAuthBlocked/i.test(diag)) {
      return { status: 'fail', summary: '401: Basic authentication blocked by Exchange Online', findings: [finding('EXO_BASIC_AUTH_BLOCKED', `${url.host} rejects Basic authentication (${diag.split(':').slice(0, 2).join(':')})`, { evidence: { xAutoDiscoveryError: diag } })] };
    }
    const exchangeHeaders = looksLikeExchange(res.headers);
    if (!exchangeHeaders) {
      // BUG-07: no request-id/X-FEServer: the 401 came from a pre-authenticating proxy, not Exchange.
      const proxy = headerValue(res.headers, 'proxy-support') ?? headerValue(res.headers, 'server');
      return { status: 'fail', summary: `401 after ${auth === 'basic' ? 'Basic' : 'Bearer'} sign-in, without Exchange headers: a device in front of Exchange rejected the credentials`, findings: [finding('AUTH_PROXY_REJECTED', `Credentials rejected at ${url.href} by a device in front of Exchange (no Exchange headers${proxy ? `; ${proxy}` : ''})`, { evidence: { schemes: schemesOf(res), proxySupport: headerValue(res.headers, 'proxy-support'), server: headerValue(res.headers, 'server') } })] };
    }
    return { status: 'fail', summary: `401 after ${auth === 'basic' ? 'Basic' : 'Bearer'} sign-in: credentials rejected`, findings: [finding('AUTH_REJECTED', `Credentials rejected by ${url.host} (${auth === 'basic' ? 'Basic' : 'OAuth token'}${exchangeHeaders ? '; Exchange headers present' : ''})`, { evidence: { exchangeHeaders, schemes: schemesOf(res) } })] };
  }
  if (res.status === 456) {
    const codes = extractAadstsCodes(res.body);
    return { status: 'fail', summary: `456: multi-factor authentication required${codes.length ? ` (${codes.map((c) => c.code ?? c).join(', ')})` : ''}`, findings: [finding('AUTH_MFA_REQUIRED', `${url.host} answered 456 (multi-factor authentication required)`, { evidence: { aadsts: codes } })] };
  }
  return judgeFailureStatus(res);
}

function judgeRedirectGet(res: HttpResponse): StepResult {
  const location = headerValue(res.headers, 'location');
  const m = checkRedirectMethodResponse(res.status, location);
  if (m.ok) {
    const unusual = res.status !== 301 && res.status !== 302;
    return { status: unusual ? 'warn' : 'pass', summary: `${res.status} → ${location}`, findings: unusual ? [finding('HTTP_REDIRECT_UNUSUAL_STATUS', `Port-80 redirect uses ${res.status}`)] : [] };
  }
  return { status: 'fail', summary: `${res.status}${res.statusText ? ` ${res.statusText}` : ''}: not a redirect`, findings: [finding('HTTP_REDIRECT_NOT_CONFIGURED', `GET on port 80 answered ${res.status} instead of a redirect`, { evidence: { status: res.status } })] };
}

// When nothing worked, a bare domain that does not exist, is closed or answers 404/405 explains
// nothing; a 200 web page at the Autodiscover URL does (BUG-08: it breaks clients that parse it).
const BENIGN_ROOT_WHEN_FAILED = new Set(['DNS_NXDOMAIN', 'DNS_NODATA', 'TCP_REFUSED', 'TCP_TIMEOUT', 'POST_NOT_FOUND', 'POST_METHOD_NOT_ALLOWED']);
const BENIGN_ROOT = new Set(['DNS_NXDOMAIN', 'DNS_NODATA', 'TCP_REFUSED', 'TCP_TIMEOUT', 'TLS_HANDSHAKE_FAILED', 'POST_NOT_FOUND', 'POST_METHOD_NOT_ALLOWED', 'RESPONSE_HTML_PAGE', 'AUTH_WITHHELD_CERT']);

/** BUG-05: not the verdict, but Outlook tries https://<domain> first and may show a certificate prompt. */
function certificatePromptRisk(f: Finding, s: { status: string }, domain: string): void {
  f.severity = 'warning';
  f.fix = `${f.fix} Outlook tries https://${domain} first: users may see a certificate prompt. Alternatively keep the site from answering on the Autodiscover path, or set ExcludeHttpsRootDomain.`;
  s.status = 'warn';
}

/** Why a tenant routing domain (contoso.mail.onmicrosoft.com) fails this method: by design. */
function tenantRoutingReason(source: string): string {
  return source === 'srv' ? 'the tenant routing domain publishes no Autodiscover SRV record' : 'the tenant routing domain has no HTTPS Autodiscover endpoint';
}

/**
 * Marks failures that are normal for the topology, so they are shown but never lead a verdict:
 * the tenant routing domain has no HTTPS Autodiscover (hybrid), a root domain that is just the web
 * site, an absent SRV record or port-80 method when another method worked.
 */
function classifyExpected(recorders: CandidateRecorder[], domain: string, succeeded: boolean): void {
  const tenant = isTenantRoutingDomain(domain);
  for (const r of recorders) {
    const src = r.trace.source;
    const decided = r.trace.status === 'settings' || r.trace.status === 'redirectAddr';
    if (decided || src === 'scp' || src === 'autodiscover-v2' || src === 'returned-url') continue;
    /** Every failed or skipped step of the candidate is normal here: "expected: …" or "not needed: …". */
    const expectAll = (kind: 'expected' | 'not needed', reason: string, connectivityOnly = false) => {
      if (connectivityOnly && r.trace.steps.some((s) => s.status === 'fail' && !isConnectivityStep(s.kind))) return;
      for (const s of r.trace.steps) {
        if (s.status === 'fail' || s.status === 'warn' || s.status === 'skip' || s.status === 'info') {
          s.expected = true;
          for (const f of s.findings) expect(f, reason);
        }
      }
      r.trace.expected = true;
      if ((r.trace.status === 'failed' || r.trace.status === 'skipped') && !r.trace.summary.startsWith('not needed')) r.trace.summary = `${r.trace.summary} — ${kind}: ${reason}`;
    };
    if (tenant && (src === 'root-https' || src === 'autodiscover-https' || src === 'srv')) {
      expectAll('expected', `${tenantRoutingReason(src)}; the port-80 redirect is the way in`, true);
      continue;
    }
    if (src === 'root-https' && !succeeded) {
      // §8 #1: the bare domain being a web site is never the explanation; the other candidates' failures are.
      // When it answered 404/405 it is a web site, so its certificate (made for the site) explains nothing either.
      const webSite = r.trace.steps.some((s) => s.findings.some((f) => f.code === 'POST_NOT_FOUND' || f.code === 'POST_METHOD_NOT_ALLOWED'));
      for (const s of r.trace.steps) {
        // BUG-05 whatever the outcome: Outlook tries this URL first, so a misnamed certificate is a
        // prompt risk (a warning, never the cause: a demoted error ranks below every other finding).
        for (const f of s.findings) if (webSite && f.code === 'CERT_NAME_MISMATCH') certificatePromptRisk(f, s, domain);
        const benign = s.findings.filter((f) => BENIGN_ROOT_WHEN_FAILED.has(f.code) || (webSite && f.code.startsWith('CERT_') && f.code !== 'CERT_NAME_MISMATCH'));
        for (const f of benign) expect(f, "the bare domain is usually the company web site; the other candidates' failures explain the outcome");
        if (benign.length && benign.length === s.findings.length) s.expected = true;
      }
      continue;
    }
    if (!succeeded) continue;
    if (src === 'root-https') {
      const codes = r.trace.steps.flatMap((s) => s.findings.map((f) => f.code));
      const mismatch = codes.includes('CERT_NAME_MISMATCH');
      for (const s of r.trace.steps) {
        for (const f of s.findings) {
          if (f.code === 'CERT_NAME_MISMATCH') {
            certificatePromptRisk(f, s, domain);
          } else if (BENIGN_ROOT.has(f.code) || f.code.startsWith('CERT_')) {
            expect(f, 'the bare domain is the web site, not Exchange');
            s.expected = true;
          }
        }
      }
      if (!mismatch) expectAll('expected', 'the bare domain is the web site, not Exchange');
      else r.trace.summary = `${r.trace.summary} — web site on the bare domain; certificate prompt risk`;
      r.trace.steps.at(-1)?.findings.push(finding('ROOT_NOT_AUTODISCOVER', `https://${domain} is not an Autodiscover endpoint`, { expected: true, expectedReason: 'the bare domain is the web site, not Exchange' }));
      continue;
    }
    if (src === 'srv' || src === 'http-redirect' || r.trace.status === 'skipped') expectAll('not needed', 'another method answered');
  }
}

/** ["EWS", "OAB", "MAPI"] → "EWS, OAB and MAPI". */
function inWords(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
