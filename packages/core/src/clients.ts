import type { CandidateTrace, ClientVerdict, PhaseTrace, Step } from './trace/model.ts';

/**
 * Which clients will configure themselves, judged from one run. Clients walk Autodiscover
 * differently (reference §2.2, cases/README.md): this reads the trace for the differences that
 * matter and says why each "no" is a no. The rules are heuristics from public behaviour, kept here
 * as data-like checks so they can be corrected one at a time.
 */

interface RunFacts {
  found: boolean;
  /** The candidate that produced the settings, and where its chain started. */
  winner?: CandidateTrace;
  winnerRoot?: CandidateTrace;
  phases: PhaseTrace[];
  redirectAddrs: number;
  redirectUrls: number;
  /** Status of the port-80 GET that was followed, if the HTTP redirect method was used. */
  redirectMethodStatus?: number;
  pathCaseSensitive: boolean;
  contentTypeHtml: boolean;
  protocols: string[];
  ewsUrl?: string;
  /**
   * The follow-up check of the returned EWS URL itself failed (its host unresolvable or unreachable,
   * its certificate bad, or the anonymous GET of that URL answering wrongly), with the failing step's
   * summary. An OAB or MAPI URL failing on the same host leaves it unset.
   */
  ewsCheckFailure?: string;
  v2?: { kind: string; url?: string; location?: string; reason?: string };
  microsoftOnline?: boolean;
  schema: 'outlook' | 'mobilesync';
}

function stepsOf(c: CandidateTrace | undefined): Step[] {
  return c?.steps ?? [];
}

function codesOf(c: CandidateTrace | undefined): string[] {
  return stepsOf(c).flatMap((s) => s.findings.map((f) => (f.code === 'RESPONSE_NOTE' ? String(f.evidence?.note ?? f.code) : f.code)));
}

export function runFacts(phases: PhaseTrace[]): RunFacts {
  const last = phases[phases.length - 1];
  const winner = last?.candidates.find((c) => c.status === 'settings');
  let winnerRoot = winner;
  while (winnerRoot?.from != null) winnerRoot = last!.candidates[winnerRoot.from];
  const chainCodes = [...codesOf(winner), ...codesOf(winnerRoot)];
  const get = stepsOf(winnerRoot).find((s) => s.kind === 'http:get');
  const v2Candidate = phases[0]?.candidates.find((c) => c.source === 'autodiscover-v2');
  const v2Step = v2Candidate?.steps.find((s) => s.kind === 'http:get');
  const v2Failure = v2Candidate && !v2Step ? [...v2Candidate.steps].reverse().find((s) => s.status === 'fail')?.summary ?? v2Candidate.summary : undefined;
  const settings = last?.outcome?.kind === 'settings' ? last.outcome.settings : undefined;
  const redirects = phases.flatMap((p) => p.redirects.filter((r) => r.accepted));
  return {
    found: settings != null,
    winner,
    winnerRoot,
    phases,
    redirectAddrs: redirects.filter((r) => r.kind === 'redirectAddr').length,
    redirectUrls: redirects.filter((r) => r.kind === 'redirectUrl').length,
    redirectMethodStatus: winnerRoot?.source === 'http-redirect' ? ((get?.data.exchange as { status?: number } | undefined)?.status) : undefined,
    pathCaseSensitive: chainCodes.includes('PATH_CASE_SENSITIVE'),
    contentTypeHtml: chainCodes.includes('CONTENT_TYPE_HTML'),
    protocols: settings?.protocols.map((p) => p.type.toUpperCase()) ?? [],
    ewsUrl: settings?.ewsUrl,
    ewsCheckFailure: settings?.ewsUrl ? ewsCheckFailure(last!, settings.ewsUrl) : undefined,
    v2: v2Step ? (v2Step.data.v2 as RunFacts['v2']) : v2Candidate ? { kind: 'unreachable', reason: v2Failure } : undefined,
    microsoftOnline: settings?.microsoftOnline,
    schema: (phases[0]?.schema ?? 'outlook') as RunFacts['schema'],
  };
}

/** Why the returned-URL check of the EWS URL failed, if it did (see RunFacts.ewsCheckFailure). */
function ewsCheckFailure(phase: PhaseTrace, ewsUrl: string): string | undefined {
  let url: URL;
  try { url = new URL(ewsUrl); } catch { return undefined; }
  const checked = phase.candidates.find((c) => c.source === 'returned-url' && c.url === url.origin);
  if (!checked || checked.status !== 'failed') return undefined;
  // Connection-level steps (DNS, TCP, TLS, certificate) fail every URL on the host; a GET only its own URL.
  const about = (s: Step) => {
    if (s.kind !== 'http:get') return true;
    const target = (s.data.exchange as { url?: string } | undefined)?.url;
    return target === undefined || target === url.href;
  };
  const failed = checked.steps.find((s) => s.status === 'fail' && about(s));
  return failed ? failed.summary || failed.title : undefined;
}

const yes = (client: string, reason: string): ClientVerdict => ({ client, verdict: 'yes', reason });
const no = (client: string, reason: string): ClientVerdict => ({ client, verdict: 'no', reason });
const unknown = (client: string, reason: string): ClientVerdict => ({ client, verdict: 'unknown', reason });

function classicOutlook(f: RunFacts): ClientVerdict {
  const name = 'Outlook for Windows (classic)';
  if (f.schema !== 'outlook') return unknown(name, 'this run asked for the ActiveSync schema; run without --schema');
  if (!f.found) {
    if (f.v2?.kind === 'url') return yes(name, 'the classic walk fails, but Microsoft 365 Apps first ask Exchange Online directly (v2), which knows the mailbox; Outlook 2016 MSI/2019 without that check fail');
    return no(name, 'no Autodiscover candidate returned settings');
  }
  if (f.pathCaseSensitive) return no(name, 'Outlook requests /Autodiscover/Autodiscover.xml and the server answers only the lowercase path');
  if (!f.protocols.some((p) => p === 'EXPR' || p === 'MAPIHTTP' || p === 'EXHTTP')) {
    // EXCH alone describes the internal connection: from outside, Outlook has nothing to connect with (RCA: "Missing EXPR element").
    return no(name, f.protocols.includes('EXCH') ? 'only internal (EXCH) settings: no EXPR, EXHTTP or mapiHttp block for clients outside the network' : 'the settings carry no EXCH, EXPR, EXHTTP or mapiHttp block to build a profile from');
  }
  if (f.winnerRoot?.source === 'srv' || f.winnerRoot?.source === 'http-redirect') return yes(name, `after the user allows the redirect (${f.winnerRoot.source === 'srv' ? 'SRV record' : 'HTTP redirect method'} to another host prompts)`);
  return yes(name, 'settings returned through the classic walk');
}

function newOutlook(f: RunFacts): ClientVerdict {
  const name = 'New Outlook / Outlook mobile (Autodiscover v2)';
  if (!f.v2) {
    return unknown(name, f.schema === 'outlook'
      ? 'the Autodiscover v2 cross-check was not run (turned off with --no-v2, or the first phase ended before it)'
      : 'the Autodiscover v2 cross-check runs with the Outlook schema only; run without --schema');
  }
  if (f.v2.kind === 'unreachable') return unknown(name, `Exchange Online's v2 endpoint could not be reached from this probe (${f.v2.reason ?? 'no answer'})`);
  if (f.v2.kind === 'url') return yes(name, `Exchange Online's v2 endpoint answers with ${f.v2.url}`);
  if (f.v2.kind === 'redirect') {
    if (!f.found) return no(name, `Exchange Online sends the client on-premises (${f.v2.location}) and the on-premises walk fails`);
    // The walk ended in Exchange Online, yet v2 sends these clients on-premises: that endpoint was not checked.
    if (f.microsoftOnline) return unknown(name, `Exchange Online sends these clients on-premises (${f.v2.location}), which this run did not check, while the classic walk ends in Exchange Online`);
    return yes(name, `Exchange Online sends the client on-premises (${f.v2.location}); hybrid modern authentication must be enabled there`);
  }
  return no(name, `the v2 lookup did not answer usefully (${f.v2.kind})`);
}

function activeSync(f: RunFacts): ClientVerdict {
  const name = 'Apple Mail / iOS (ActiveSync)';
  if (f.schema !== 'mobilesync') return unknown(name, 'needs the ActiveSync (mobilesync) schema: run with --schema mobilesync');
  if (!f.found) return no(name, 'no candidate returned mobilesync settings');
  if (f.winnerRoot?.source === 'srv') return no(name, 'iOS does not follow Autodiscover SRV records');
  return yes(name, 'mobilesync settings returned');
}

function thunderbird(f: RunFacts): ClientVerdict {
  const name = 'Thunderbird';
  if (f.schema !== 'outlook') return unknown(name, 'this run asked for the ActiveSync schema');
  if (!f.found) return no(name, 'no Autodiscover candidate returned settings');
  if (f.redirectUrls > 0) return no(name, 'the answer depends on a redirectUrl, which Thunderbird does not follow');
  if (f.redirectAddrs > 2) return no(name, `${f.redirectAddrs} address redirects; Thunderbird follows at most 2`);
  if (!f.ewsUrl) return no(name, 'no EWS URL in the settings (Thunderbird\'s Exchange support uses EWS)');
  if (f.ewsCheckFailure) return no(name, `the check of the EWS URL ${f.ewsUrl} failed (${f.ewsCheckFailure}); Thunderbird's Exchange support uses EWS`);
  return yes(name, 'settings with an EWS URL, reachable without redirectUrl');
}

function ewsLibraries(f: RunFacts): ClientVerdict {
  const name = 'EWS libraries (EWS Managed API, exchangelib)';
  if (f.schema !== 'outlook') return unknown(name, 'this run asked for the ActiveSync schema');
  if (!f.found) return no(name, 'no Autodiscover candidate returned settings');
  if (f.redirectMethodStatus != null && f.redirectMethodStatus !== 301 && f.redirectMethodStatus !== 302) return no(name, `the port-80 redirect answers ${f.redirectMethodStatus}; the EWS Managed API follows only 301/302`);
  if (!f.ewsUrl) return no(name, 'no EwsUrl (or ASUrl) in the settings');
  if (!/^https:/i.test(f.ewsUrl)) return no(name, `the EWS URL ${f.ewsUrl} is not HTTPS`);
  if (f.ewsCheckFailure) return no(name, `the check of the EWS URL ${f.ewsUrl} failed (${f.ewsCheckFailure})`);
  return yes(name, `EWS URL ${f.ewsUrl}`);
}

export const CLIENT_RULES = [classicOutlook, newOutlook, activeSync, thunderbird, ewsLibraries] as const;

export function clientVerdicts(phases: PhaseTrace[]): ClientVerdict[] {
  const facts = runFacts(phases);
  return CLIENT_RULES.map((rule) => rule(facts));
}
