/**
 * A run reduced to comparable facts: what DNS answered, which certificate each host presented,
 * how each candidate and step ended, the redirect chain, the settings, the findings. Two runs are
 * compared fact by fact (the domain history's "what changed since the last good run"), and several
 * runs side by side (a region group). Facts hold only what is stable between identical runs: no
 * timings, no ports the lab picked at random, no request ids.
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

export interface Fact {
  section: FactSection;
  /** What the fact is about, unique within its section ("autodiscover.contoso.com"). */
  subject: string;
  value: string;
}

export interface FactChange {
  section: FactSection;
  subject: string;
  kind: 'added' | 'removed' | 'changed';
  before?: string;
  after?: string;
}

export interface FactRow {
  section: FactSection;
  subject: string;
  /** One value per run, in the order given; undefined where that run has no such fact. */
  values: (string | undefined)[];
  differs: boolean;
}

/** Every fact of a run, in section order, each subject once (the first occurrence wins). */
export function runFacts(run: RunTraces): Fact[] {
  const facts: Fact[] = [];
  const seen = new Set<string>();
  const add = (section: FactSection, subject: string, value: string): void => {
    const key = `${section}\u0000${subject}`;
    if (seen.has(key)) return;
    seen.add(key);
    facts.push({ section, subject, value });
  };
  const { report } = run;
  const verdict = report.verdict;
  const status = Object.hasOwn(VERDICT_WORDS, verdict.status) ? VERDICT_WORDS[verdict.status]! : String(verdict.status);
  add('verdict', 'Outcome', verdict.cause ? `${status}: ${verdict.cause.code}` : status);

  const phases = [...run.phases].sort((a, b) => a.index - b.index);
  const certificateHosts = new Set<string>();
  for (const phase of phases) {
    for (const candidate of phase.candidates) {
      for (const step of candidate.steps) dnsAndCertificateFacts(step, add, certificateHosts);
    }
  }
  for (const hop of report.chain ?? []) {
    add('redirects', `Hop ${hop.hop}`, `${hop.kind} ${hop.from} → ${hop.to}${hop.accepted ? '' : ' (refused)'}`);
  }
  for (const phase of phases) {
    const where = `Phase ${phase.index + 1}`;
    for (const candidate of phase.candidates) {
      // The candidate's own title ("Autodiscover host https://autodiscover.contoso.com") names it for a person.
      const name = `${where} · ${candidate.title || `${candidate.source} ${candidate.url}`}`;
      add('candidates', name, (redirectedOn(candidate, phase.candidates) ? 'redirected' : candidate.status) + (candidate.expected ? ' (expected)' : ''));
      for (const step of candidate.steps) add('steps', `${name} · ${step.title}`, stepValue(step));
    }
  }
  const settings = verdict.settings;
  if (settings) {
    for (const [subject, value] of settingsUrls(settings)) add('settings', subject, value);
    if (settings.autoDiscoverSmtpAddress) add('settings', 'AutoDiscoverSMTPAddress', settings.autoDiscoverSmtpAddress);
  }
  for (const finding of allFindings(phases)) {
    if (finding.expected || finding.severity === 'info') continue;
    const host = typeof finding.evidence?.host === 'string' ? ` at ${finding.evidence.host}` : '';
    add('findings', `${finding.code}${host}`, finding.severity);
  }
  for (const client of report.clients ?? []) add('clients', client.client, client.verdict);
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

/** What changed from `before` to `after`, in section order. */
export function compareRuns(before: RunTraces, after: RunTraces): FactChange[] {
  return factTable([before, after])
    .filter((row) => row.differs)
    .map((row) => {
      const [was, now] = row.values;
      const kind = was === undefined ? 'added' : now === undefined ? 'removed' : 'changed';
      return { section: row.section, subject: row.subject, kind, ...(was !== undefined ? { before: was } : {}), ...(now !== undefined ? { after: now } : {}) };
    });
}

/** Facts of several runs aligned by subject (rows in section order, then first appearance). */
export function factTable(runs: RunTraces[]): FactRow[] {
  const rows = new Map<string, FactRow>();
  runs.forEach((run, column) => {
    for (const fact of runFacts(run)) {
      const key = `${fact.section}\u0000${fact.subject}`;
      let row = rows.get(key);
      if (!row) rows.set(key, (row = { section: fact.section, subject: fact.subject, values: new Array(runs.length).fill(undefined), differs: false }));
      row.values[column] = fact.value;
    }
  });
  const order = new Map(FACT_SECTIONS.map((s, i) => [s.section, i]));
  const list = [...rows.values()];
  for (const row of list) row.differs = row.values.some((value) => value !== row.values[0]);
  // Array.prototype.sort is stable: within a section, rows keep the order they first appeared in.
  return list.sort((a, b) => (order.get(a.section) ?? 0) - (order.get(b.section) ?? 0));
}

function dnsAndCertificateFacts(step: Step, add: (section: FactSection, subject: string, value: string) => void, certificateHosts: Set<string>): void {
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

function allFindings(phases: PhaseTrace[]): Finding[] {
  const found: Finding[] = [];
  for (const phase of phases) {
    // A loop, not push(...list): a tampered trace may hold more findings than a call has arguments.
    for (const f of phase.findings ?? []) found.push(f);
    for (const candidate of phase.candidates) for (const step of candidate.steps) for (const f of step.findings ?? []) found.push(f);
  }
  return found;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
