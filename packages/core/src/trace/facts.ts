/**
 * A run reduced to comparable facts: what DNS answered, which certificate each host presented,
 * how each candidate and step ended, the redirect chain, the settings, the findings. Two runs are
 * compared fact by fact (the domain history's "what changed since the last good run"), and several
 * runs side by side (a region group). Facts hold only what is stable between identical runs: no
 * timings, no ports the lab picked at random, no request ids. What may vary (a candidate's summary,
 * a finding's title: they quote the addresses tried) rides along as a fact's detail, shown with the
 * value and never compared.
 */
import { settingsUrls, type CandidateTrace, type Finding, type HttpExchange, type PhaseTrace, type RunReport, type Step } from './model.ts';

export interface RunTraces {
  report: RunReport;
  phases: PhaseTrace[];
}

export type FactSection = 'verdict' | 'dns' | 'certificates' | 'redirects' | 'candidates' | 'steps' | 'settings' | 'findings' | 'clients';

/**
 * Sections in reading order, with their headings: the outcome, then where the walk went
 * differently (which candidate stopped answering explains a failure best), then the details.
 */
export const FACT_SECTIONS: { section: FactSection; heading: string }[] = [
  { section: 'verdict', heading: 'Verdict' },
  { section: 'candidates', heading: 'Candidates' },
  { section: 'findings', heading: 'Findings' },
  { section: 'settings', heading: 'Settings' },
  { section: 'clients', heading: 'Clients' },
  { section: 'redirects', heading: 'Redirect chain' },
  { section: 'dns', heading: 'DNS answers' },
  { section: 'certificates', heading: 'Certificates' },
  { section: 'steps', heading: 'Step statuses' },
];

const VERDICT_WORDS: Record<string, string> = { found: 'settings found', 'not-found': 'not found', incomplete: 'incomplete' };

/** Longest detail kept: one line of a table cell. */
export const DETAIL_LIMIT = 160;
/** Longest full text kept of a detail that was clipped (a finding's title quoting every address tried). */
export const FULL_DETAIL_LIMIT = 2000;

export interface Fact {
  section: FactSection;
  /** What the fact is about, unique within its section ("autodiscover.contoso.com"). */
  subject: string;
  value: string;
  /**
   * Why, in the run's own words (a candidate's or step's summary, a finding's title, a client's
   * reason), clipped to DETAIL_LIMIT: shown with the value, never compared.
   */
  detail?: string;
  /** The whole of a detail that was clipped, up to FULL_DETAIL_LIMIT characters (absent when `detail` is whole). */
  fullDetail?: string;
}

export interface FactChange {
  section: FactSection;
  subject: string;
  kind: 'added' | 'removed' | 'changed';
  before?: string;
  after?: string;
  /** The detail of each side (see Fact.detail), where it has one. */
  beforeDetail?: string;
  afterDetail?: string;
  /** The whole detail of each side where `beforeDetail`/`afterDetail` is clipped (see Fact.fullDetail). */
  beforeFullDetail?: string;
  afterFullDetail?: string;
}

export interface FactRow {
  section: FactSection;
  subject: string;
  /** One value per run, in the order given; undefined where that run has no such fact. */
  values: (string | undefined)[];
  /** The detail of each run's fact, in the same order (never part of `differs`). */
  details: (string | undefined)[];
  /** The whole detail where `details` holds a clipped one (see Fact.fullDetail), in the same order. */
  fullDetails: (string | undefined)[];
  differs: boolean;
}

/** Every fact of a run, in section order, each subject once (the first occurrence wins). */
export function runFacts(run: RunTraces): Fact[] {
  const facts: Fact[] = [];
  const seen = new Set<string>();
  const add = (section: FactSection, subject: string, value: string, detail?: unknown): void => {
    const key = `${section}\u0000${subject}`;
    if (seen.has(key)) return;
    seen.add(key);
    const why = clip(detail);
    const whole = why?.endsWith('…') ? clip(detail, FULL_DETAIL_LIMIT) : undefined;
    facts.push({ section, subject, value, ...(why ? { detail: why } : {}), ...(whole && whole !== why ? { fullDetail: whole } : {}) });
  };
  const { report } = run;
  const verdict = report.verdict;
  const status = Object.hasOwn(VERDICT_WORDS, verdict.status) ? VERDICT_WORDS[verdict.status]! : String(verdict.status);
  add('verdict', 'Outcome', verdict.cause ? `${status}: ${verdict.cause.code}` : status, verdict.cause?.title);

  const phases = [...run.phases].sort((a, b) => a.index - b.index);
  const certificateHosts = new Set<string>();
  for (const phase of phases) {
    for (const candidate of phase.candidates) {
      for (const step of candidate.steps) dnsAndCertificateFacts(step, add, certificateHosts);
    }
  }
  for (const hop of report.chain ?? []) {
    add('redirects', `Hop ${hop.hop}`, `${hop.kind} ${hop.from} → ${hop.to}${hop.accepted ? '' : ' (refused)'}`, hop.reason);
  }
  for (const phase of phases) {
    const where = `Phase ${phase.index + 1}`;
    for (const candidate of phase.candidates) {
      // The candidate's own title ("Autodiscover host https://autodiscover.contoso.com") names it for a person.
      const name = `${where} · ${candidate.title || `${candidate.source} ${candidate.url}`}`;
      add('candidates', name, (redirectedOn(candidate, phase.candidates) ? 'redirected' : candidate.status) + (candidate.expected ? ' (expected)' : ''), candidate.summary);
      for (const step of candidate.steps) add('steps', `${name} · ${step.title}`, stepValue(step), step.summary);
    }
  }
  const settings = verdict.settings;
  if (settings) {
    for (const [subject, value] of settingsUrls(settings)) add('settings', subject, value);
    // As the terminal names it ("Primary SMTP"); the element is AutoDiscoverSMTPAddress.
    if (settings.autoDiscoverSmtpAddress) add('settings', 'Primary SMTP address', settings.autoDiscoverSmtpAddress);
  }
  for (const { finding, at } of allFindings(phases, verdict)) {
    if (finding.expected || finding.severity === 'info') continue;
    add('findings', findingSubject(finding, at), String(finding.severity), finding.title);
  }
  for (const client of report.clients ?? []) add('clients', client.client, client.verdict, client.reason);
  return facts;
}

/**
 * Whether a candidate that "ended in settings" (or a redirectAddr) only sent the client on (the
 * port-80 method's 302, a redirectUrl): another candidate of its phase came from it, and that one
 * has the answer.
 */
export function redirectedOn(candidate: CandidateTrace, candidates: CandidateTrace[]): boolean {
  return (candidate.status === 'settings' || candidate.status === 'redirectAddr') && candidates.some((c) => c.from === candidate.index && c !== candidate);
}

/**
 * What changed from `before` to `after`, in section order. What one run has only because it got
 * further is said once, not fact by fact: a phase the other run never reached (or whose trace it
 * lacks) is one row, its candidates, steps, DNS answers, certificates and findings folded into it;
 * a host whose certificate only one run saw is one row, with why the other run saw none (the
 * connection refused, the name not resolved) where its steps tell.
 */
export function compareRuns(before: RunTraces, after: RunTraces): FactChange[] {
  const runs = [before, after] as const;
  const facts = runs.map(runFacts);
  const changes = alignFacts(facts)
    .filter((row) => row.differs)
    .map((row): FactChange => {
      const [was, now] = row.values;
      const kind = was === undefined ? 'added' : now === undefined ? 'removed' : 'changed';
      const [wasWhy, nowWhy] = row.details;
      const [wasWhole, nowWhole] = row.fullDetails;
      return {
        section: row.section, subject: row.subject, kind,
        ...(was !== undefined ? { before: was } : {}), ...(now !== undefined ? { after: now } : {}),
        ...(was !== undefined && wasWhy !== undefined ? { beforeDetail: wasWhy } : {}), ...(now !== undefined && nowWhy !== undefined ? { afterDetail: nowWhy } : {}),
        ...(was !== undefined && wasWhole !== undefined ? { beforeFullDetail: wasWhole } : {}), ...(now !== undefined && nowWhole !== undefined ? { afterFullDetail: nowWhole } : {}),
      };
    });
  const key = (c: { section: FactSection; subject: string }) => `${c.section}\u0000${c.subject}`;
  // Each folded change, by its key: the row said in its place (the first folded of a group is replaced, the rest dropped).
  const folded = new Map<string, FactChange | null>();
  const fold = (group: FactChange[], row: FactChange) => group.forEach((c, i) => folded.set(key(c), i === 0 ? row : null));
  ([0, 1] as const).forEach((side) => {
    const run = runs[side]!;
    const other = runs[1 - side]!;
    const only: FactChange['kind'] = side === 0 ? 'removed' : 'added';
    const now = side === 0 ? 'now' : 'before';
    // A phase the other run has no trace of: not reached, or (when its report lists it) unreadable.
    const otherPhases = new Set(other.phases.map((p) => p.index));
    for (const phase of [...run.phases].sort((a, b) => a.index - b.index)) {
      if (otherPhases.has(phase.index)) continue;
      const without = new Set(runFacts({ report: run.report, phases: run.phases.filter((p) => p !== phase) }).map(key));
      const own = new Set(facts[side]!.filter((f) => PHASE_FOLDS.has(f.section) && !without.has(key(f))).map(key));
      const group = changes.filter((c) => c.kind === only && own.has(key(c)) && !folded.has(key(c)));
      if (group.length === 0) continue;
      const listed = (Array.isArray(other.report.phases) ? other.report.phases : []).some((p) => typeof p === 'object' && p !== null && p.index === phase.index);
      const counts = FACT_SECTIONS.map(({ section }) => [section, group.filter((c) => c.section === section).length] as const)
        .filter(([, n]) => n > 0)
        .map(([section, n]) => `${n} ${(FOLD_WORDS[section] ?? [section, `${section}s`])[n === 1 ? 0 : 1]}`);
      const where = `${phase.role === 'cloud' ? 'Exchange Online' : 'on-premises'}${typeof phase.address === 'string' && phase.address ? `, ${phase.address}` : ''}`;
      const value = phase.outcome?.kind ?? String(phase.state);
      const what = `${counts.join(', ')} of this phase, not listed one by one`;
      const whyNot = listed ? `its trace could not be read ${now}` : `not reached ${now}`;
      fold(group, {
        section: 'candidates', subject: `Phase ${phase.index + 1} (${where})`, kind: only,
        ...(side === 0 ? { before: value, beforeDetail: what, afterDetail: whyNot } : { after: value, afterDetail: what, beforeDetail: whyNot }),
      });
    }
    // A candidate both runs tried that the other left earlier: the steps it never reached are one row.
    const stepsOf = (column: 0 | 1, name: string) => facts[column]!.filter((f) => f.section === 'steps' && f.subject.startsWith(`${name} · `));
    for (const candidate of facts[side]!.filter((f) => f.section === 'candidates')) {
      const name = candidate.subject;
      const theirs = stepsOf(1 - side as 0 | 1, name);
      const last = theirs[theirs.length - 1];
      if (!last || !facts[1 - side]!.some((f) => f.section === 'candidates' && f.subject === name)) continue;
      const mine = new Set(stepsOf(side, name).map((f) => f.subject));
      // Only when the other run's steps are all among this run's: nothing else went differently there.
      if (theirs.some((f) => !mine.has(f.subject))) continue;
      const group = changes.filter((c) => c.section === 'steps' && c.kind === only && c.subject.startsWith(`${name} · `) && !folded.has(key(c)));
      if (group.length < 2) continue;
      const values = [...new Set(group.map((c) => (side === 0 ? c.before : c.after)!))];
      const value = `${group.length} steps: ${values.length <= 3 ? values.join(', ') : `${values.slice(0, 3).join(', ')}, …`}`;
      const titles = group.map((c) => c.subject.slice(name.length + 3)).join('; ');
      const listed = clip(titles);
      const whole = listed?.endsWith('…') ? clip(titles, FULL_DETAIL_LIMIT) : undefined;
      const stopped = `not reached ${now}: the candidate stopped after ${last.subject.slice(name.length + 3)} (${last.value})`;
      fold(group, {
        section: 'steps', subject: `${name} · the steps after ${last.subject.slice(name.length + 3)}`, kind: only,
        ...(side === 0
          ? { before: value, ...(listed ? { beforeDetail: listed } : {}), ...(whole ? { beforeFullDetail: whole } : {}), afterDetail: stopped }
          : { after: value, ...(listed ? { afterDetail: listed } : {}), ...(whole ? { afterFullDetail: whole } : {}), beforeDetail: stopped }),
      });
    }
    // A host whose certificate only this run saw: the other run made no TLS handshake with it.
    const hosts = new Map<string, FactChange[]>();
    for (const c of changes) {
      if (c.section !== 'certificates' || c.kind !== only || folded.has(key(c))) continue;
      const host = c.subject.split(' · ')[0]!;
      hosts.set(host, [...(hosts.get(host) ?? []), c]);
    }
    for (const [host, group] of hosts) {
      // Only when the other run has no certificate of the host at all (not one field that went missing).
      if (facts[1 - side]!.some((f) => f.section === 'certificates' && f.subject.startsWith(`${host} · `)) || group.length < 2) continue;
      const field = (name: string) => group.find((c) => c.subject === `${host} · ${name}`)?.[side === 0 ? 'before' : 'after'];
      const value = field('subject') ?? field('SHA-256') ?? group[0]![side === 0 ? 'before' : 'after']!;
      const about = [field('issuer') && `issued by ${field('issuer')}`, field('valid until') && `valid until ${field('valid until')}`].filter(Boolean).join(', ');
      const why = noHandshake(other, host);
      const none = `no TLS handshake ${now}${why ? ` (${why})` : ''}`;
      fold(group, {
        section: 'certificates', subject: host, kind: only,
        ...(side === 0 ? { before: value, ...(about ? { beforeDetail: about } : {}), afterDetail: none } : { after: value, ...(about ? { afterDetail: about } : {}), beforeDetail: none }),
      });
    }
  });
  if (folded.size === 0) return changes;
  const order = new Map(FACT_SECTIONS.map((s, i) => [s.section, i]));
  return changes
    .flatMap((c) => (folded.has(key(c)) ? (folded.get(key(c)) ? [folded.get(key(c))!] : []) : [c]))
    .sort((a, b) => (order.get(a.section) ?? 0) - (order.get(b.section) ?? 0));
}

/** The facts a phase holds of its own (and so folds into its one row when only one run reached it). */
const PHASE_FOLDS = new Set<FactSection>(['candidates', 'steps', 'dns', 'certificates', 'findings']);
const FOLD_WORDS: Partial<Record<FactSection, [string, string]>> = {
  candidates: ['candidate', 'candidates'], steps: ['step status', 'step statuses'], dns: ['DNS answer', 'DNS answers'], certificates: ['certificate field', 'certificate fields'], findings: ['finding', 'findings'],
};

/**
 * Why a run made no TLS handshake with a host, as far as its steps tell: the name not resolved, the
 * connection refused or unanswered, the handshake failed; "not contacted" when no step names the
 * host; undefined when they tell nothing.
 */
function noHandshake(run: RunTraces, host: string): string | undefined {
  const steps = run.phases.flatMap((p) => p.candidates.flatMap((c) => c.steps)).filter((s) => typeof s.data === 'object' && s.data !== null && typeof s.data.host === 'string' && s.data.host.toLowerCase() === host.toLowerCase());
  if (steps.length === 0) return 'not contacted';
  const failed = (kind: string) => steps.find((s) => s.kind === kind && (s.status === 'fail' || (kind === 'tcp:connect' && s.data.outcome !== 'open') || (kind === 'dns:resolve' && s.data.outcome !== 'ok')));
  const tls = failed('tls:handshake');
  if (tls) return 'TLS handshake failed';
  const tcp = failed('tcp:connect');
  if (tcp) {
    const outcome = tcp.data.outcome;
    return outcome === 'refused' ? 'connection refused' : outcome === 'timeout' ? 'no answer: connection timed out' : outcome === 'unreachable' ? 'host unreachable' : outcome === 'blocked' ? 'not a public address' : 'connection failed';
  }
  const dns = failed('dns:resolve');
  if (dns) return typeof dns.data.outcome === 'string' && /^[a-z-]{1,20}$/.test(dns.data.outcome) ? `name not resolved: ${dns.data.outcome}` : 'name not resolved';
  return undefined;
}

/** Facts of several runs aligned by subject (rows in section order, then first appearance). */
export function factTable(runs: RunTraces[]): FactRow[] {
  return alignFacts(runs.map(runFacts));
}

function alignFacts(runs: Fact[][]): FactRow[] {
  const rows = new Map<string, FactRow>();
  runs.forEach((facts, column) => {
    for (const fact of facts) {
      const key = `${fact.section}\u0000${fact.subject}`;
      let row = rows.get(key);
      if (!row) rows.set(key, (row = { section: fact.section, subject: fact.subject, values: new Array(runs.length).fill(undefined), details: new Array(runs.length).fill(undefined), fullDetails: new Array(runs.length).fill(undefined), differs: false }));
      row.values[column] = fact.value;
      row.details[column] = fact.detail;
      row.fullDetails[column] = fact.fullDetail;
    }
  });
  const order = new Map(FACT_SECTIONS.map((s, i) => [s.section, i]));
  const list = [...rows.values()];
  for (const row of list) row.differs = row.values.some((value) => value !== row.values[0]);
  // Array.prototype.sort is stable: within a section, rows keep the order they first appeared in.
  return list.sort((a, b) => (order.get(a.section) ?? 0) - (order.get(b.section) ?? 0));
}

function dnsAndCertificateFacts(step: Step, add: (section: FactSection, subject: string, value: string, detail?: unknown) => void, certificateHosts: Set<string>): void {
  const data = step.data ?? {};
  if (step.kind === 'dns:resolve' && typeof data.host === 'string') {
    if (data.outcome !== 'ok') return add('dns', data.host, typeof data.outcome === 'string' ? data.outcome : step.status);
    const parts = [];
    const cname = strings(data.cname);
    if (cname.length) parts.push(`CNAME ${cname.join(' → ')}`);
    const a = strings(data.a).sort();
    const aaaa = strings(data.aaaa).sort();
    if (a.length) parts.push(`A ${a.join(', ')}`);
    if (aaaa.length) parts.push(`AAAA ${aaaa.join(', ')}`);
    return add('dns', data.host, parts.join('; ') || 'no addresses');
  }
  if (step.kind === 'dns:srv' && typeof data.name === 'string') {
    // Traces are read back from a store: a damaged record is left out, never the end of the comparison.
    const records = (Array.isArray(data.records) ? data.records : []).filter((r): r is { priority: unknown; weight: unknown; port: unknown; target: unknown } => typeof r === 'object' && r !== null);
    const value = records.length
      ? records.map((r) => [r.priority, r.weight, r.port, r.target].map((v) => (typeof v === 'string' || typeof v === 'number' ? v : '?')).join(' ')).sort().join(', ')
      : typeof data.outcome === 'string' ? data.outcome : step.status;
    return add('dns', `SRV ${data.name}`, value);
  }
  if (step.kind === 'tls:handshake' && typeof data.host === 'string' && Array.isArray(data.chain) && data.chain.length > 0) {
    // One fact per field, so a change names what changed (a new issuer, a renewal) instead of
    // two long lines that differ somewhere; all from the host's first certificate.
    if (certificateHosts.has(data.host)) return;
    certificateHosts.add(data.host);
    const leaf = (data.chain[0] ?? {}) as { subject?: unknown; issuer?: unknown; dnsNames?: unknown; notBefore?: unknown; notAfter?: unknown; serialNumber?: unknown; fingerprint256?: unknown };
    const names = strings(leaf.dnsNames);
    const fields: [string, unknown][] = [
      ['subject', leaf.subject],
      ['issuer', leaf.issuer],
      ['names (SAN)', names.join(', ')],
      ['valid from', typeof leaf.notBefore === 'string' ? leaf.notBefore.slice(0, 10) : undefined],
      ['valid until', typeof leaf.notAfter === 'string' ? leaf.notAfter.slice(0, 10) : undefined],
      ['serial number', leaf.serialNumber],
      ['SHA-256', leaf.fingerprint256],
    ];
    for (const [field, value] of fields) if (typeof value === 'string' && value) add('certificates', `${data.host} · ${field}`, value);
  }
}

/** A step's comparable outcome: its status, and the HTTP status for requests. */
function stepValue(step: Step): string {
  const exchange = (step.data as { exchange?: HttpExchange } | undefined)?.exchange;
  const http = exchange?.status !== undefined ? ` · HTTP ${exchange.status}` : '';
  return `${step.status}${step.expected ? ' (expected)' : ''}${http}`;
}

/** Where a finding was raised: a step (its host and port), a phase, or the run report itself. */
type FindingPlace = { step: Step } | { phase: PhaseTrace } | 'run';

/**
 * Every finding of the run with where it was raised: the steps' and phases' findings, then those
 * only the report holds (its verdict's cause and others that no phase raised: the v2 cross-check,
 * a phase that crashed or timed out). Traces are read back from a store: what is not a finding is
 * left out.
 */
function allFindings(phases: PhaseTrace[], verdict: RunReport['verdict']): { finding: Finding; at: FindingPlace }[] {
  const found: { finding: Finding; at: FindingPlace }[] = [];
  const keys = new Set<string>();
  const take = (f: unknown, at: FindingPlace) => {
    if (typeof f !== 'object' || f === null) return;
    const finding = f as Finding;
    keys.add(`${String(finding.code)}|${String(finding.title)}`);
    found.push({ finding, at });
  };
  for (const phase of phases) {
    // Loops, not push(...list): a tampered trace may hold more findings than a call has arguments.
    for (const candidate of phase.candidates) for (const step of candidate.steps) for (const f of step.findings ?? []) take(f, { step });
    for (const f of phase.findings ?? []) take(f, { phase });
  }
  // The report keeps its own copies (as verdict.ts dedupes them: by code and title).
  const own = [verdict.cause, ...(Array.isArray(verdict.others) ? verdict.others : [])];
  for (const f of own) {
    if (typeof f === 'object' && f !== null && !keys.has(`${String(f.code)}|${String(f.title)}`)) take(f, 'run');
  }
  return found;
}

/**
 * A finding named so that two of the same code tell apart: "TCP_REFUSED at
 * autodiscover.contoso.com:443" and "…:80". Host and port from the finding's evidence, else from
 * the step that raised it (its connection, its request's URL); a phase's finding names its phase.
 * Never the title: it quotes addresses and ports that differ between identical runs.
 */
function findingSubject(finding: Finding, at: FindingPlace): string {
  const code = typeof finding.code === 'string' && finding.code ? finding.code : 'finding';
  const evidence = typeof finding.evidence === 'object' && finding.evidence !== null ? finding.evidence : {};
  const data = typeof at === 'object' && 'step' in at && typeof at.step.data === 'object' && at.step.data !== null ? at.step.data : {};
  const exchange = typeof data.exchange === 'object' && data.exchange !== null ? (data.exchange as { url?: unknown }) : {};
  const url = [evidence.url, exchange.url, data.url].map(parseUrl).find((u) => u !== undefined);
  const host = [evidence.host, data.host].find((h): h is string => typeof h === 'string' && h !== '') ?? url?.hostname;
  const port = [evidence.port, data.port].find((p) => (typeof p === 'number' && Number.isFinite(p)) || (typeof p === 'string' && /^\d+$/.test(p)))
    ?? (url && url.hostname === host ? url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '') : '');
  if (host) return `${code} at ${host}${port !== '' ? `:${port}` : ''}`;
  if (typeof at === 'object' && 'phase' in at) return `${code} (phase ${at.phase.index + 1})`;
  return code;
}

function parseUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** One line of at most `limit` characters, or undefined when there is nothing to say. */
function clip(value: unknown, limit = DETAIL_LIMIT): string | undefined {
  if (typeof value !== 'string') return undefined;
  // A tampered trace may hold megabytes in a summary: only what may be shown is looked at.
  const cut = value.length > limit * 4;
  const line = (cut ? value.slice(0, limit * 4) : value).replace(/\s+/g, ' ').trim();
  if (!line) return undefined;
  return line.length > limit || cut ? `${line.slice(0, limit - 1).trimEnd()}…` : line;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** What the baseline choice needs of a run (a domain index entry, with the schema its trace asked for). */
export interface ComparableRun {
  runId: string;
  address: string;
  verdict: string;
  /** The Autodiscover schema the run asked for ("outlook", "mobilesync"); undefined when unknown. */
  schema?: string;
}

export interface Baseline<R extends ComparableRun> {
  /** The newest run: the one compared. */
  latest: R;
  /** The run it is compared with, if any. */
  baseline?: R;
  /** "last good": the newest is not good, so the last good run before it; "previous": the newest is good. */
  since: 'last good' | 'previous';
  /**
   * A newer run that the domain's plain history would have picked (the domain's last good run, or
   * the run just before) but that asked for another schema or is another address: left out, and
   * said, since every client and setting would differ for that reason alone.
   */
  passedOver?: R;
}

/**
 * The run the newest of a domain is compared with: of the same address and the same schema (an
 * ActiveSync run answers with other settings and clients than an Outlook one), the last good run
 * before it, or, when the newest is good, the run just before it. Runs newest first.
 */
export function chooseBaseline<R extends ComparableRun>(runs: readonly R[]): Baseline<R> | undefined {
  const [latest, ...older] = runs;
  if (!latest) return undefined;
  const since = latest.verdict === 'found' ? 'previous' : 'last good';
  const eligible = (r: R) => since === 'previous' || r.verdict === 'found';
  const comparable = (r: R) => r.address.toLowerCase() === latest.address.toLowerCase() && r.schema === latest.schema;
  const baseline = older.find((r) => eligible(r) && comparable(r));
  const plain = older.find(eligible);
  const passedOver = plain && plain !== baseline && (!baseline || older.indexOf(plain) < older.indexOf(baseline)) ? plain : undefined;
  return { latest, ...(baseline ? { baseline } : {}), since, ...(passedOver ? { passedOver } : {}) };
}

/** A schema as admins know it. */
export function schemaName(schema: string | undefined): string {
  return schema === 'outlook' ? 'Outlook' : schema === 'mobilesync' ? 'ActiveSync (mobilesync)' : schema ?? 'unknown';
}

/** A schema in one word, for a timeline's chips ("ActiveSync"). */
export function shortSchemaName(schema: string | undefined): string {
  return schema === 'outlook' ? 'Outlook' : schema === 'mobilesync' ? 'ActiveSync' : schema ?? 'unknown schema';
}

export interface SchemaBaseline<R extends ComparableRun> extends Baseline<R> {
  /** The schema of these runs (undefined: unknown, a run whose trace could not be read). */
  schema: string | undefined;
}

const SCHEMA_ORDER = ['outlook', 'mobilesync'];

/**
 * What a domain's history compares: for the newest run's address, one comparison per schema its
 * runs asked for (Outlook first, then ActiveSync, then any other, unknown last), each of the newest
 * run of that schema (see chooseBaseline). So a good ActiveSync run never hides that the newest
 * Outlook run failed. Runs of other addresses are not compared (they may be passed over, and
 * said). Runs newest first.
 */
export function chooseBaselines<R extends ComparableRun>(runs: readonly R[]): SchemaBaseline<R>[] {
  const newest = runs[0];
  if (!newest) return [];
  const address = newest.address.toLowerCase();
  const schemas = [...new Set(runs.filter((r) => r.address.toLowerCase() === address).map((r) => r.schema))];
  const rank = (schema: string | undefined) => (schema === undefined ? SCHEMA_ORDER.length + 1 : SCHEMA_ORDER.includes(schema) ? SCHEMA_ORDER.indexOf(schema) : SCHEMA_ORDER.length);
  schemas.sort((a, b) => rank(a) - rank(b) || String(a).localeCompare(String(b)));
  return schemas.map((schema) => {
    const ofSchema = runs.filter((r) => r.schema === schema);
    // From the newest run of this address and schema: newer ones of other addresses are not its history.
    const start = ofSchema.findIndex((r) => r.address.toLowerCase() === address);
    return { schema, ...chooseBaseline(ofSchema.slice(start))! };
  });
}
