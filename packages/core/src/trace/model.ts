/**
 * The trace: the spine of discotrace. A run has phases, a phase has candidates, a candidate has
 * steps, and steps carry findings. The engine writes it; the CLI, the report and the site only
 * read it. Bump TRACE_VERSION when a field changes meaning (readers check it).
 */

export const TRACE_VERSION = 1;

/** Outcome of one step, as the tree shows it. */
export type StepStatus = 'pass' | 'fail' | 'warn' | 'info' | 'skip';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** Stable code (e.g. CERT_NAME_MISMATCH); readers match on it, never on the text. */
  code: string;
  severity: Severity;
  /** One line, what happened, with the facts (host, names, status). */
  title: string;
  /** Plain explanation for an admin. */
  explanation: string;
  /** What to change to fix it. */
  fix: string;
  /** True when this failure is normal for the topology (hybrid tenant routing name on 443). */
  expected: boolean;
  /** Why it is normal here, when expected ("another method answered"): readers show it instead of the fix. */
  expectedReason?: string;
  /** Small structured evidence (names presented, status code, …). */
  evidence?: Record<string, unknown>;
}

/**
 * Step kinds, declared once as `layer:event`. The payload (`data`) of each kind:
 * - `dns:resolve`    { host, cname: string[], a: string[], aaaa: string[], outcome: DnsOutcome, servers }
 * - `dns:srv`        { name, records: {priority, weight, port, target}[], outcome, chosen? }
 * - `scp:lookup`     { applicable: false, reason }
 * - `tcp:connect`    { host, port, address, target?, outcome: 'open'|'refused'|'timeout'|'unreachable'|'error', attempts }
 * - `tls:handshake`  { host, servername, protocol, cipher, chain: CertificateInfo[], alpn? }
 * - `tls:cert-name`  { host, dnsNames, commonName, matchedBy? }
 * - `tls:cert-trust` { authorized, authorizationError?, chainLength, selfSigned, missingIntermediate }
 * - `tls:cert-dates` { certificates: {subject, notBefore, notAfter, state}[] }
 * - `tls:client-cert`{ requested: boolean, how }
 * - `http:get`       HttpExchange (the unauthenticated port-80 GET of the redirect method)
 * - `http:post`      HttpExchange (anonymous or authenticated Autodiscover POST)
 * - `autodiscover:response` ParsedResponse summary
 * - `walk:redirect`  { kind: 'http'|'redirectUrl'|'redirectAddr', from, to, hop, limit, accepted }
 */
export type StepKind =
  | 'dns:resolve'
  | 'dns:srv'
  | 'scp:lookup'
  | 'tcp:connect'
  | 'tls:handshake'
  | 'tls:cert-name'
  | 'tls:cert-trust'
  | 'tls:cert-dates'
  | 'tls:client-cert'
  | 'http:get'
  | 'http:post'
  | 'autodiscover:response'
  | 'walk:redirect';

export interface Step {
  /** Index within its candidate, canonical order. */
  seq: number;
  kind: StepKind;
  /** Human title, e.g. "Resolve autodiscover.contoso.com". */
  title: string;
  status: StepStatus;
  /** The failure is expected for this topology (shown, never the verdict). */
  expected: boolean;
  /** One-line result, e.g. "401: Negotiate, NTLM, Basic". */
  summary: string;
  startedAt: string;
  durationMs: number;
  data: Record<string, unknown>;
  findings: Finding[];
}

/** Where the candidate came from (MS-OXDISCO 3.1.5 order, as Remote Connectivity Analyzer walks it). */
export type CandidateSource =
  | 'scp'
  | 'root-https'
  | 'autodiscover-https'
  | 'http-redirect'
  | 'srv'
  /** A URL reached by redirect (3xx on the POST, redirectUrl, or the port-80 / SRV result). */
  | 'redirect'
  /** The anonymous Autodiscover v2 (JSON) lookup at Exchange Online: a cross-check, never the answer. */
  | 'autodiscover-v2'
  /** A URL the settings returned (EWS, OAB, MAPI), checked for reachability after success. */
  | 'returned-url';

/** `answered`: a cross-check or a returned URL that responded as it should (never the phase's answer). */
export type CandidateStatus = 'settings' | 'redirectAddr' | 'error-response' | 'answered' | 'failed' | 'skipped' | 'not-run';

export interface CandidateTrace {
  /** Position in the phase, canonical. */
  index: number;
  source: CandidateSource;
  /** e.g. "https://autodiscover.contoso.com:443/Autodiscover/Autodiscover.xml" */
  url: string;
  title: string;
  status: CandidateStatus;
  expected: boolean;
  summary: string;
  /** Candidate index this one was reached from (redirect chains), if any. */
  from?: number;
  durationMs: number;
  steps: Step[];
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  commonName?: string;
  dnsNames: string[];
  ipAddresses: string[];
  notBefore: string;
  notAfter: string;
  serialNumber: string;
  fingerprint256: string;
  selfSigned: boolean;
  keyType?: string;
  keyBits?: number;
}

export interface HttpExchange {
  method: 'GET' | 'POST';
  url: string;
  /** Request headers with credentials masked. */
  requestHeaders: Record<string, string>;
  requestBody?: string;
  auth: 'none' | 'basic' | 'bearer' | 'ntlm';
  status?: number;
  statusText?: string;
  /** Raw header pairs in arrival order (names as sent), Authorization-like values masked. */
  responseHeaders: [string, string][];
  /** First bytes of the body as text (capped), for the report. */
  bodyExcerpt?: string;
  bodyBytes: number;
  truncated: boolean;
  contentType?: string;
}

/** The settings a successful phase ends with (what Outlook would configure). */
export interface SettingsSummary {
  displayName?: string;
  autoDiscoverSmtpAddress?: string;
  microsoftOnline?: boolean;
  ewsUrl?: string;
  oabUrl?: string;
  owaUrl?: string;
  mapiMailStoreUrl?: string;
  mapiAddressBookUrl?: string;
  /** ActiveSync (mobilesync schema) server URL. */
  activeSyncUrl?: string;
  protocols: { type: string; server?: string; ewsUrl?: string; serverVersion?: string; decodedVersion?: string }[];
}

/** The URLs of a settings summary, named as admins know them; one list for the terminal, the site and run comparisons. */
export function settingsUrls(settings: SettingsSummary): [name: string, url: string][] {
  const named: [string, string | undefined][] = [
    ['EWS URL', settings.ewsUrl],
    ['OAB URL', settings.oabUrl],
    ['OWA URL', settings.owaUrl],
    ['MAPI mail store', settings.mapiMailStoreUrl],
    ['MAPI address book', settings.mapiAddressBookUrl],
    ['ActiveSync URL', settings.activeSyncUrl],
  ];
  return named.filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '');
}

export type PhaseOutcome =
  | { kind: 'settings'; url: string; settings: SettingsSummary }
  | { kind: 'redirectAddr'; url: string; address: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'aborted'; reason: string };

/** A redirect the walk took (or refused), in the order taken. */
export interface RedirectHop {
  kind: 'http' | 'redirectUrl' | 'redirectAddr';
  from: string;
  to: string;
  hop: number;
  accepted: boolean;
  reason?: string;
}

/** The role a phase plays in the state machine. */
export type PhaseRole = 'onprem' | 'cloud';

export interface PhaseTrace {
  version: typeof TRACE_VERSION;
  runId: string;
  /** 0 for the on-premises phase, then one per redirectAddr hand-off. */
  index: number;
  role: PhaseRole;
  address: string;
  domain: string;
  region: string;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  /** 'running' only in a checkpoint written before the phase completed. */
  state: 'running' | 'complete' | 'aborted' | 'crashed';
  candidates: CandidateTrace[];
  redirects: RedirectHop[];
  /** Redirect hops used when the phase ended (shared across phases, limit 10). */
  hops: number;
  visitedUrls: string[];
  visitedAddresses: string[];
  outcome?: PhaseOutcome;
  /** The Autodiscover provider asked for: Outlook (POX 2006a) or ActiveSync (mobilesync). */
  schema?: 'outlook' | 'mobilesync';
  /** Phase-level findings (e.g. all candidates failed). */
  findings: Finding[];
  error?: { name: string; message: string };
}

export type VerdictStatus = 'found' | 'not-found' | 'incomplete';

export interface Verdict {
  status: VerdictStatus;
  /** One line naming the cause, or the success. */
  headline: string;
  /** The finding that explains the outcome; never an expected one. */
  cause?: Finding;
  fix?: string;
  /** The other unexpected problems, most important first. */
  others: Finding[];
  settings?: SettingsSummary;
}

/** Will this client configure itself from what the run saw? Every "no" names its reason. */
export interface ClientVerdict {
  client: string;
  verdict: 'yes' | 'no' | 'unknown';
  reason: string;
}

/** A phase as the run report lists it: where its trace lives and how it ended. */
export interface PhaseSummary {
  index: number;
  role: PhaseRole;
  address: string;
  key: string;
  state: PhaseTrace['state'] | 'missing';
  outcome?: PhaseOutcome['kind'];
}

export interface RunReport {
  version: typeof TRACE_VERSION;
  runId: string;
  address: string;
  domain: string;
  region: string;
  /**
   * Runs started together from several regions share this id (the trigger's ?regions=); the site
   * shows them side by side. Absent for a single run.
   */
  group?: string;
  startedAt: string;
  finishedAt: string;
  /** The Autodiscover provider the run asked for (its first phase's); absent in older reports: Outlook. */
  schema?: 'outlook' | 'mobilesync';
  phases: PhaseSummary[];
  /** The whole journey's redirect chain across phases. */
  chain: RedirectHop[];
  verdict: Verdict;
  /** Per-client outlook: classic Outlook, new Outlook/mobile, ActiveSync, Thunderbird, EWS libraries. */
  clients: ClientVerdict[];
  /** What the state machine reported, if a phase failed or timed out. */
  failures: { state: string; error: string; cause: string }[];
}
