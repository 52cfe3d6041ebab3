import type { Finding, PhaseSummary, PhaseTrace, RunReport, Verdict } from './trace/model.ts';
import { TRACE_VERSION } from './trace/model.ts';
import { finding, findingRank, findingSeverity } from './trace/findings.ts';
import { clientVerdicts } from './clients.ts';

/** Every finding of a phase in canonical order (candidates, steps, then phase-level). */
export function phaseFindings(trace: PhaseTrace): Finding[] {
  return [...trace.candidates.flatMap((c) => c.steps.flatMap((s) => s.findings)), ...trace.findings];
}

/**
 * Unexpected problems, most telling first: by rank, then canonical order; info never counts. An
 * error demoted to a warning (the bare domain's certificate prompt risk, a returned URL's problem)
 * comes after every other finding: it never explains a failure something else explains.
 */
export function rankCauses(findings: Finding[]): Finding[] {
  const weight = (f: Finding) => (f.severity === 'warning' && findingSeverity(f.code) === 'error' ? 0 : 1);
  return findings
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => !f.expected && f.severity !== 'info')
    .sort((a, b) => weight(b.f) - weight(a.f) || findingRank(b.f.code) - findingRank(a.f.code) || a.i - b.i)
    .map(({ f }) => f);
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}|${f.title}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface StateFailure {
  state: string;
  error: string;
  cause: string;
}

/** The run's identity as the report carries it, and what the report is built from. */
export interface ReportInput extends Pick<RunReport, 'runId' | 'address' | 'domain' | 'region' | 'group' | 'startedAt'> {
  /** Phases found in the store, by index. */
  phases: PhaseTrace[];
  /** Phases the state machine started but whose trace is missing. */
  expectedPhases?: { index: number; role: PhaseSummary['role']; address: string; key: string }[];
  keyOf: (index: number) => string;
  failures?: StateFailure[];
}

/**
 * The run's verdict from its phases. Success is decided by the last phase; a failure is explained
 * by the highest-ranked unexpected finding (expected failures, like the tenant routing name on 443,
 * never lead).
 */
export function buildReport(input: ReportInput, now = new Date()): RunReport {
  const phases = [...input.phases].sort((a, b) => a.index - b.index);
  const failures = input.failures ?? [];
  const summaries: PhaseSummary[] = phases.map((p) => ({ index: p.index, role: p.role, address: p.address, key: input.keyOf(p.index), state: p.state, ...(p.outcome ? { outcome: p.outcome.kind } : {}) }));
  for (const e of input.expectedPhases ?? []) {
    if (!summaries.some((s) => s.index === e.index)) summaries.push({ ...e, state: 'missing' });
  }
  summaries.sort((a, b) => a.index - b.index);
  const last = phases[phases.length - 1];
  const all = dedupe(phases.flatMap(phaseFindings));
  let verdict: Verdict;

  const stateFindings = failures.map((f) =>
    finding(/Timeout/i.test(f.error) ? 'PHASE_ABORTED' : 'PHASE_CRASHED', `${f.state} ${/Timeout/i.test(f.error) ? 'timed out' : 'failed'}: ${f.error}${f.cause ? ` — ${summarizeCause(f.cause)}` : ''}`),
  );

  const crossCheck = v2CrossCheck(phases);
  if (crossCheck) all.push(crossCheck);
  if (last?.outcome?.kind === 'settings' && failures.length === 0) {
    const s = last.outcome.settings;
    verdict = {
      status: 'found',
      headline: `Autodiscover works for ${input.address}: settings from ${last.outcome.url}${s.ewsUrl ? ` (EWS ${s.ewsUrl})` : s.activeSyncUrl ? ` (ActiveSync ${s.activeSyncUrl})` : ''}`,
      others: rankCauses(all),
      settings: s,
    };
  } else {
    const incomplete = failures.length > 0 || phases.some((p) => p.state !== 'complete') || summaries.some((s) => s.state === 'missing');
    const ranked = rankCauses([...stateFindings, ...all]);
    const crash = ranked.find((f) => f.code === 'PHASE_CRASHED' || f.code === 'PHASE_ABORTED');
    // A crash explains an incomplete run better than whatever the partial trace happened to see.
    const cause = incomplete && crash ? crash : ranked.find((f) => f.code !== 'PHASE_NO_METHOD') ?? ranked[0];
    // The phase's address only when it is not the one typed (after a redirectAddr hand-off).
    const where = last ? ` (${last.role === 'cloud' ? 'Exchange Online phase' : 'on-premises phase'}${last.address.toLowerCase() === input.address.toLowerCase() ? '' : `, ${last.address}`})` : '';
    verdict = {
      status: incomplete ? 'incomplete' : 'not-found',
      headline: cause ? `${incomplete ? 'Run incomplete' : 'Autodiscover fails'} for ${input.address}${where}: ${cause.title}` : `Autodiscover fails for ${input.address}: no candidate answered`,
      ...(cause ? { cause, fix: cause.fix } : {}),
      others: ranked.filter((f) => f !== cause && f.code !== 'PHASE_NO_METHOD'),
    };
  }

  return {
    version: TRACE_VERSION,
    runId: input.runId,
    address: input.address,
    domain: input.domain,
    region: input.region,
    ...(input.group ? { group: input.group } : {}),
    startedAt: input.startedAt,
    finishedAt: now.toISOString(),
    ...(phases[0]?.schema ? { schema: phases[0].schema } : {}),
    phases: summaries,
    chain: phases.flatMap((p) => p.redirects),
    verdict,
    clients: clientVerdicts(phases),
    failures,
  };
}

/**
 * Compares the classic walk with Exchange Online's v2 answer (reference §3.6): where they disagree
 * is where hybrid is misconfigured (a moved mailbox still answered on-premises, or the reverse).
 */
export function v2CrossCheck(phases: PhaseTrace[]): Finding | undefined {
  const v2 = phases[0]?.candidates.find((c) => c.source === 'autodiscover-v2')?.steps.find((s) => s.kind === 'http:get')?.data.v2 as { kind?: string; url?: string; location?: string } | undefined;
  const last = phases[phases.length - 1];
  if (!v2 || !last || last.state !== 'complete') return undefined;
  const settings = last.outcome?.kind === 'settings' ? last.outcome.settings : undefined;
  if (v2.kind === 'url' && settings && settings.microsoftOnline === false) {
    return finding('V2_DISAGREES', `Exchange Online says ${phases[0]!.address} is hosted there (v2), but on-premises answered with its own settings`, { fix: 'If the mailbox was moved, on-premises still has a mailbox object for it: finish the move, or make the on-premises object a RemoteMailbox so Autodiscover answers redirectAddr.' });
  }
  if (v2.kind === 'redirect' && settings?.microsoftOnline === true) {
    return finding('V2_DISAGREES', `The classic walk ends in Exchange Online, but Exchange Online's v2 answer points ${phases[0]!.address} on-premises (${v2.location})`);
  }
  if (v2.kind === 'url' && !settings) {
    return finding('V2_DISAGREES', `Exchange Online knows ${phases[0]!.address} (v2 answers ${v2.url}): new Outlook and Outlook mobile find it, the classic walk does not`, { severity: 'warning', fix: 'Fix the classic walk\'s failure shown first; Outlook 2016 and 2019 without the direct Exchange Online check, Apple Mail and EWS applications depend on it.' });
  }
  return undefined;
}

/** Step Functions puts the Lambda error as a JSON string in Cause; keep its message only. */
function summarizeCause(cause: string): string {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string; errorType?: string };
    if (parsed.errorMessage) return `${parsed.errorType ? `${parsed.errorType}: ` : ''}${parsed.errorMessage}`;
  } catch { /* not JSON: use as is */ }
  return cause.slice(0, 300);
}
