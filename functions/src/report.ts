import middy from '@middy/core';
import { buildReport, InvalidPhaseInputError, isRunId, parseAddress, type RunReport, type StateFailure } from '@discotrace/core';
import type { HandlerDeps } from './deps.ts';

/** The whole execution state, as the Report state receives it (small: references only). */
export interface ReportEvent {
  run: { runId: string; address: string; startedAt: string; region?: string; group?: string };
  last?: { phase?: { index: number; key: string; outcome: string; next?: { index: number; address: string } } };
  failure?: { state: string; error: string; cause: string };
}

export interface ReportResult {
  runId: string;
  key: string;
  verdict: RunReport['verdict']['status'];
  headline: string;
}

export function validateReportEvent(event: unknown): ReportEvent {
  const e = event as ReportEvent;
  if (!e || typeof e !== 'object' || !e.run) throw new InvalidPhaseInputError('report event must carry run');
  if (!isRunId(e.run.runId)) throw new InvalidPhaseInputError('run.runId must be a discotrace run id');
  if (typeof e.run.address !== 'string' || !parseAddress(e.run.address).ok) throw new InvalidPhaseInputError('run.address must be an e-mail address');
  if (e.run.group !== undefined && !isRunId(e.run.group)) throw new InvalidPhaseInputError('run.group must be a discotrace run id');
  return e;
}

/** Assembles the run report from whatever phase traces exist, including partial ones. */
export async function reportRun(event: unknown, deps: HandlerDeps): Promise<ReportResult> {
  const input = validateReportEvent(event);
  const { runId, address, startedAt } = input.run;
  const phases = await deps.store.listPhases(runId);
  const failures: StateFailure[] = input.failure ? [{ state: String(input.failure.state), error: String(input.failure.error ?? 'Error'), cause: String(input.failure.cause ?? '').slice(0, 2000) }] : [];
  // A phase the state machine started but that never wrote anything (killed before its checkpoint).
  const expectedPhases = [];
  if (input.failure) {
    const index = input.failure.state === 'OnPremProbe' ? 0 : (input.last?.phase?.next?.index ?? phases.length);
    const phaseAddress = input.failure.state === 'OnPremProbe' ? address : (input.last?.phase?.next?.address ?? address);
    expectedPhases.push({ index, role: index === 0 ? 'onprem' as const : 'cloud' as const, address: phaseAddress, key: deps.store.keyForPhase(runId, index) });
  }
  const report = buildReport({
    runId,
    address,
    domain: parseAddress(address).ok ? (parseAddress(address) as { domain: string }).domain : '',
    region: deps.options.region,
    ...(input.run.group ? { group: input.run.group } : {}),
    startedAt,
    phases,
    expectedPhases,
    keyOf: (i) => deps.store.keyForPhase(runId, i),
    failures,
  });
  const key = await deps.store.putReport(report);
  return { runId, key, verdict: report.verdict.status, headline: report.verdict.headline };
}

export function createReportHandler(deps: () => HandlerDeps) {
  return middy<unknown, ReportResult>({ timeoutEarlyInMillis: 0 }).handler((event) => reportRun(event, deps()));
}
