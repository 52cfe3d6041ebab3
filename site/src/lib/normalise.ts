/**
 * Stored documents are read back into the shape the pages expect. The store has already checked
 * that a document is JSON of this trace version and belongs to its run; this goes further for
 * the renderer's sake: a field of the wrong type, a null in a list or an absurdly long string
 * (a tampered or foreign store) becomes something harmless — an empty list, a default, a clipped
 * text — instead of failing the whole site build.
 */
// Deep import: the store's own checks, without the probe engine.
import { isIndexableDomain, isRunId } from '@discotrace/core/store/trace-store';
import type {
  CandidateTrace, CertificateInfo, ClientVerdict, Finding, HttpExchange, PhaseSummary, PhaseTrace, RedirectHop, RunIndexEntry, RunReport, Step,
} from '@discotrace/core';

/** Longest text shown as is; the probe caps bodies at a few KiB, so only foreign data is clipped. */
const TEXT_LIMIT = 4_000;
const BODY_LIMIT = 64_000;
const VERDICTS = new Set(['found', 'not-found', 'incomplete']);
const SEVERITIES = new Set(['error', 'warning', 'info']);
const STEP_STATUSES = new Set(['pass', 'fail', 'warn', 'info', 'skip']);

type Loose = Record<string, unknown>;

const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: unknown): Loose[] => (Array.isArray(v) ? v.filter(isObject) : []);
const bool = (v: unknown): boolean => v === true;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Bidirectional overrides and isolates would let stored text display as something else
 * ("alice@\u202Emoc.livE" reads as another domain): they are shown as visible marks.
 */
const BIDI = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
const BIDI_ALL = new RegExp(BIDI.source, 'g');

export function text(v: unknown, limit = TEXT_LIMIT): string {
  let s = typeof v === 'string' ? v : v === undefined || v === null ? '' : typeof v === 'object' ? safeJson(v, limit) : String(v);
  if (s.length > limit) s = `${s.slice(0, limit)}… [${s.length - limit} more characters not shown]`;
  return BIDI.test(s) ? s.replace(BIDI_ALL, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase()}]`) : s;
}

/** JSON of a value that may be absurdly deep or large: never a stack overflow. */
function safeJson(v: unknown, limit: number): string {
  try {
    const s = JSON.stringify(clipData(v));
    return s.length > limit ? s.slice(0, limit) : s;
  } catch {
    return '[unreadable value]';
  }
}

/** Lists in a phase longer than any real run: candidates per phase, steps per candidate. */
const MAX_CANDIDATES = 40;
const MAX_STEPS = 200;
/** Findings per step or per phase: a real step raises a handful. */
const MAX_FINDINGS = 100;

/** At most `max` findings, with a note when some are left out. */
function findings(v: unknown, where: string, problem: (text: string) => void): Finding[] {
  const all = objects(v);
  if (all.length > MAX_FINDINGS) problem(`${where} recorded ${all.length} findings; the first ${MAX_FINDINGS} are shown.`);
  return all.slice(0, MAX_FINDINGS).map(finding);
}

/** A run id, a valid lower-case domain, or undefined. */
export const runIdOrUndefined = (v: unknown): string | undefined => (isRunId(v) ? v : undefined);
/** Only a domain the store would index becomes a domain page name. */
export const domainOrEmpty = (v: unknown): string => {
  const d = typeof v === 'string' ? v.toLowerCase() : '';
  return isIndexableDomain(d) ? d : '';
};

/** The fields a report and its index entry share. */
function runHeader(raw: Loose) {
  const group = runIdOrUndefined(raw.group);
  return {
    address: text(raw.address, 320),
    domain: domainOrEmpty(raw.domain),
    region: text(raw.region, 100) || 'unknown',
    ...(group ? { group } : {}),
    startedAt: dateText(raw.startedAt),
  };
}

export function normaliseEntry(e: RunIndexEntry): RunIndexEntry {
  const raw = e as unknown as Loose;
  return {
    version: e.version,
    runId: e.runId,
    ...runHeader(raw),
    verdict: (VERDICTS.has(raw.verdict as string) ? raw.verdict : 'incomplete') as RunIndexEntry['verdict'],
    headline: text(raw.headline, 500),
    ...(raw.schema === 'outlook' || raw.schema === 'mobilesync' ? { schema: raw.schema } : {}),
    reportKey: text(raw.reportKey),
  };
}

export function normaliseReport(r: RunReport): RunReport {
  const raw = r as unknown as Loose;
  const verdict = isObject(raw.verdict) ? raw.verdict : {};
  return {
    version: r.version,
    runId: r.runId,
    ...runHeader(raw),
    finishedAt: dateText(raw.finishedAt),
    ...(raw.schema === 'outlook' || raw.schema === 'mobilesync' ? { schema: raw.schema } : {}),
    phases: objects(raw.phases).map((p) => ({
      index: num(p.index) ?? 0,
      role: p.role === 'cloud' ? 'cloud' : 'onprem',
      address: text(p.address, 320),
      key: text(p.key),
      state: text(p.state, 20) as PhaseSummary['state'],
      ...(typeof p.outcome === 'string' ? { outcome: p.outcome as PhaseSummary['outcome'] } : {}),
    })),
    chain: objects(raw.chain).map(hop),
    verdict: {
      status: (VERDICTS.has(verdict.status as string) ? verdict.status : 'incomplete') as RunReport['verdict']['status'],
      headline: text(verdict.headline, 1000) || 'No verdict recorded',
      ...(isObject(verdict.cause) ? { cause: finding(verdict.cause) } : {}),
      ...(verdict.fix !== undefined ? { fix: text(verdict.fix) } : {}),
      others: objects(verdict.others).slice(0, MAX_FINDINGS).map(finding),
      ...(isObject(verdict.settings) ? { settings: settings(verdict.settings) } : {}),
    },
    clients: objects(raw.clients).map((c) => ({ client: text(c.client, 200), verdict: (['yes', 'no', 'unknown'].includes(c.verdict as string) ? c.verdict : 'unknown') as ClientVerdict['verdict'], reason: text(c.reason) })),
    failures: objects(raw.failures).map((f) => ({ state: text(f.state, 100), error: text(f.error, 200), cause: text(f.cause) })),
  };
}

export function normalisePhase(p: PhaseTrace, problem: (text: string) => void = () => {}): PhaseTrace {
  const raw = p as unknown as Loose;
  const outcome = isObject(raw.outcome) ? raw.outcome : undefined;
  let candidates = objects(raw.candidates);
  if (candidates.length > MAX_CANDIDATES) {
    problem(`${candidates.length} candidates recorded; the first ${MAX_CANDIDATES} are shown.`);
    candidates = candidates.slice(0, MAX_CANDIDATES);
  }
  // Anchors are built from candidate indexes and step numbers: each must be unique in the page.
  const seenCandidates = new Set<number>();
  const normalised = candidates.map((c, position) => {
    const candidate = normaliseCandidate(c, position, problem);
    candidate.index = unique(candidate.index, seenCandidates);
    return candidate;
  });
  return {
    version: p.version,
    runId: p.runId,
    index: num(raw.index) ?? 0,
    role: raw.role === 'cloud' ? 'cloud' : 'onprem',
    address: text(raw.address, 320),
    domain: text(raw.domain, 260),
    region: text(raw.region, 100),
    startedAt: dateText(raw.startedAt),
    ...(raw.finishedAt !== undefined ? { finishedAt: dateText(raw.finishedAt) } : {}),
    ...(num(raw.durationMs) !== undefined ? { durationMs: num(raw.durationMs) } : { durationMs: undefined }),
    state: text(raw.state, 20) as PhaseTrace['state'],
    candidates: normalised,
    redirects: objects(raw.redirects).map(hop),
    hops: num(raw.hops) ?? 0,
    visitedUrls: [],
    visitedAddresses: [],
    outcome: outcome ? ({ ...outcome, kind: text(outcome.kind, 40), url: text(outcome.url), address: text(outcome.address, 320), reason: text(outcome.reason) } as unknown as PhaseTrace['outcome']) : undefined,
    ...(raw.schema === 'mobilesync' ? { schema: 'mobilesync' as const } : {}),
    findings: findings(raw.findings, 'the phase', problem),
    ...(isObject(raw.error) ? { error: { name: text(raw.error.name, 100), message: text(raw.error.message) } } : {}),
  };
}

function normaliseCandidate(c: Loose, position: number, problem: (text: string) => void): CandidateTrace {
  let steps = objects(c.steps);
  if (steps.length > MAX_STEPS) {
    problem(`candidate ${position + 1} recorded ${steps.length} steps; the first ${MAX_STEPS} are shown.`);
    steps = steps.slice(0, MAX_STEPS);
  }
  const seenSteps = new Set<number>();
  return {
    index: num(c.index) ?? position,
    source: text(c.source, 40) as CandidateTrace['source'],
    url: text(c.url, 2000),
    title: text(c.title),
    status: text(c.status, 20) as CandidateTrace['status'],
    expected: bool(c.expected),
    summary: text(c.summary),
    ...(num(c.from) !== undefined ? { from: num(c.from) } : {}),
    durationMs: num(c.durationMs) ?? 0,
    steps: steps.map((s, i) => {
      const normalised = step(s, i, (text) => problem(`candidate ${position + 1}, step ${i + 1}: ${text}`));
      normalised.seq = unique(normalised.seq, seenSteps);
      return normalised;
    }),
  };
}

/**
 * Fields of step data (model.ts documents them per kind) that readers use as text or lists of
 * text: whatever a document holds there, a reader gets that type. The rest is shown generically.
 */
const DATA_TEXT = ['host', 'name', 'outcome', 'protocol', 'cipher', 'servername', 'address', 'target', 'kind', 'from', 'to', 'reason', 'how', 'commonName', 'matchedBy', 'authorizationError', 'alpn'];
const DATA_TEXTS = ['cname', 'a', 'aaaa', 'dnsNames', 'servers'];

/** `n`, or (taken already) the first free number from 10,000 on; recorded as taken. */
function unique(n: number, taken: Set<number>): number {
  let id = n;
  if (taken.has(id)) for (id = 10_000; taken.has(id); id++);
  taken.add(id);
  return id;
}

function step(s: Loose, position: number, problem: (text: string) => void): Step {
  const raw = isObject(s.data) ? s.data : {};
  // The exchange, the chain and SRV records have their own shapes; every other field is clipped generically.
  const { exchange: rawExchange, chain: rawChain, records: rawRecords, ...rest } = raw;
  const data = clipData(rest) as Loose;
  for (const key of DATA_TEXT) if (key in data && typeof data[key] !== 'string') data[key] = text(data[key], 1000);
  for (const key of DATA_TEXTS) if (key in data) data[key] = (Array.isArray(data[key]) ? data[key] : [data[key]]).map((v) => text(v, 300));
  if (rawRecords !== undefined) data.records = objects(rawRecords).slice(0, 50).map((r) => ({ priority: num(r.priority) ?? 0, weight: num(r.weight) ?? 0, port: num(r.port) ?? 0, target: text(r.target, 300) }));
  if (isObject(rawExchange)) data.exchange = exchange(rawExchange);
  if (Array.isArray(rawChain)) data.chain = rawChain.slice(0, 20).every(isObject) ? objects(rawChain.slice(0, 20)).map(certificate) : rawChain.slice(0, 20).map((c) => text(c));
  return {
    seq: num(s.seq) ?? position,
    kind: text(s.kind, 40) as Step['kind'],
    title: text(s.title),
    status: (STEP_STATUSES.has(s.status as string) ? s.status : 'info') as Step['status'],
    expected: bool(s.expected),
    summary: text(s.summary),
    startedAt: dateText(s.startedAt),
    durationMs: num(s.durationMs) ?? 0,
    data,
    findings: findings(s.findings, 'it', problem),
  };
}

function exchange(e: Loose): HttpExchange {
  const headers = isObject(e.requestHeaders) ? Object.fromEntries(Object.entries(e.requestHeaders).map(([k, v]) => [text(k, 200), text(v)])) : {};
  return {
    method: text(e.method, 10) as HttpExchange['method'],
    url: text(e.url, 2000),
    requestHeaders: headers,
    ...(e.requestBody !== undefined ? { requestBody: text(e.requestBody, BODY_LIMIT) } : {}),
    auth: text(e.auth, 20) as HttpExchange['auth'],
    ...(num(e.status) !== undefined ? { status: num(e.status) } : {}),
    ...(e.statusText !== undefined ? { statusText: text(e.statusText, 200) } : {}),
    responseHeaders: (Array.isArray(e.responseHeaders) ? e.responseHeaders : []).filter(Array.isArray).map((pair) => [text(pair[0], 200), text(pair[1])] as [string, string]),
    ...(e.bodyExcerpt !== undefined ? { bodyExcerpt: text(e.bodyExcerpt, BODY_LIMIT) } : {}),
    bodyBytes: num(e.bodyBytes) ?? 0,
    truncated: bool(e.truncated),
    ...(e.contentType !== undefined ? { contentType: text(e.contentType, 200) } : {}),
  };
}

function certificate(c: Loose): CertificateInfo {
  return {
    subject: text(c.subject, 1000),
    issuer: text(c.issuer, 1000),
    ...(c.commonName !== undefined ? { commonName: text(c.commonName, 300) } : {}),
    dnsNames: (Array.isArray(c.dnsNames) ? c.dnsNames : []).slice(0, 500).map((n) => text(n, 300)),
    ipAddresses: (Array.isArray(c.ipAddresses) ? c.ipAddresses : []).slice(0, 100).map((n) => text(n, 100)),
    notBefore: text(c.notBefore, 40),
    notAfter: text(c.notAfter, 40),
    serialNumber: text(c.serialNumber, 200),
    fingerprint256: text(c.fingerprint256, 200),
    selfSigned: bool(c.selfSigned),
    ...(c.keyType !== undefined ? { keyType: text(c.keyType, 100) } : {}),
    ...(num(c.keyBits) !== undefined ? { keyBits: num(c.keyBits) } : {}),
  };
}

function finding(f: Loose): Finding {
  return {
    code: text(f.code, 100) || 'UNKNOWN',
    severity: (SEVERITIES.has(f.severity as string) ? f.severity : 'info') as Finding['severity'],
    title: text(f.title),
    explanation: text(f.explanation),
    fix: text(f.fix),
    expected: bool(f.expected),
    ...(typeof f.expectedReason === 'string' && f.expectedReason ? { expectedReason: text(f.expectedReason, 500) } : {}),
    ...(isObject(f.evidence) ? { evidence: f.evidence } : {}),
  };
}

function hop(h: Loose): RedirectHop {
  return { kind: text(h.kind, 20) as RedirectHop['kind'], from: text(h.from, 2000), to: text(h.to, 2000), hop: num(h.hop) ?? 0, accepted: bool(h.accepted), ...(h.reason !== undefined ? { reason: text(h.reason) } : {}) };
}

const BOOLEAN_SETTINGS = new Set(['microsoftOnline']);

function settings(s: Loose): NonNullable<RunReport['verdict']['settings']> {
  const out: Loose = { protocols: objects(s.protocols).map((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, text(v, 500)]))) };
  // Only a yes/no setting stays a boolean; every other one (URLs, names) is text, whatever was stored.
  for (const [k, v] of Object.entries(s)) if (k !== 'protocols') out[k] = typeof v === 'boolean' && BOOLEAN_SETTINGS.has(k) ? v : text(v, 2000);
  return out as unknown as NonNullable<RunReport['verdict']['settings']>;
}

/** Every string in a step's free-form data clipped, depth and breadth bounded. */
function clipData(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return text(v);
  if (typeof v !== 'object' || v === null) return v;
  if (depth > 6) return '[nested too deep]';
  if (Array.isArray(v)) return v.slice(0, 200).map((x) => clipData(x, depth + 1));
  return Object.fromEntries(Object.entries(v).slice(0, 100).map(([k, x]) => [text(k, 200), clipData(x, depth + 1)]));
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO 8601 date as UTC text (sorting, slicing a day and "UTC" labels rely on it: a stored
 * "+14:00" offset would sort and filter by its local day), or '' when there is none.
 */
function dateText(v: unknown): string {
  if (typeof v !== 'string' || !ISO_DATE.test(v)) return '';
  const time = new Date(v);
  return Number.isNaN(time.getTime()) ? '' : time.toISOString();
}
