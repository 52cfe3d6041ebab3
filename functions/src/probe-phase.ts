import type { Context } from 'aws-lambda';
import middy from '@middy/core';
import {
  CredentialsUnavailableError,
  DiscotraceError,
  InvalidPhaseInputError,
  isRunId,
  parseAddress,
  runPhase,
  type Credentials,
  type PhaseRole,
  type PhaseTrace,
} from '@discotrace/core';
import type { HandlerDeps } from './deps.ts';

/** Input of OnPremProbe / CloudProbe, as the state machine builds it. */
export interface ProbeEvent {
  run: { runId: string; address: string; startedAt: string; credentialRef?: string };
  role: PhaseRole;
  phase: { index: number; address: string; hops: number; visitedAddresses: string[]; visitedUrls: string[] };
}

/** Small result: a reference into the store and what the Choice state needs. */
export interface ProbeResult {
  runId: string;
  index: number;
  key: string;
  state: PhaseTrace['state'];
  outcome: 'settings' | 'redirectAddr' | 'failed' | 'aborted';
  next?: ProbeEvent['phase'];
}

/** The phase crashed; its partial trace is stored. Step Functions' Catch matches on this name. */
export class PhaseCrashedError extends DiscotraceError {
  constructor(message: string) {
    super('DT_PHASE_CRASHED', message);
    this.name = 'PhaseCrashedError';
  }
}

const DEFAULT_FLUSH_MARGIN_MS = 3_000;

function strings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

export function validateProbeEvent(event: unknown): ProbeEvent {
  const e = event as ProbeEvent;
  if (!e || typeof e !== 'object') throw new InvalidPhaseInputError('probe event must be an object');
  if (!e.run || !isRunId(e.run.runId)) throw new InvalidPhaseInputError('run.runId must be a discotrace run id');
  if (typeof e.run.address !== 'string' || !parseAddress(e.run.address).ok) throw new InvalidPhaseInputError('run.address must be an e-mail address');
  if (e.role !== 'onprem' && e.role !== 'cloud') throw new InvalidPhaseInputError('role must be "onprem" or "cloud"');
  const p = e.phase;
  if (!p || !Number.isInteger(p.index) || p.index < 0 || p.index > 50) throw new InvalidPhaseInputError('phase.index must be an integer 0–50');
  if (typeof p.address !== 'string' || !parseAddress(p.address).ok) throw new InvalidPhaseInputError('phase.address must be an e-mail address');
  if (!Number.isInteger(p.hops) || p.hops < 0) throw new InvalidPhaseInputError('phase.hops must be an integer ≥ 0');
  if (!strings(p.visitedAddresses) || !strings(p.visitedUrls)) throw new InvalidPhaseInputError('phase.visitedAddresses and phase.visitedUrls must be string arrays');
  if (e.run.credentialRef != null && typeof e.run.credentialRef !== 'string') throw new InvalidPhaseInputError('run.credentialRef must be a string');
  return e;
}

/**
 * One Autodiscover phase: validate the event, run the probe, store the trace (a checkpoint after
 * each candidate so a killed Lambda still leaves a partial trace), return a reference.
 */
export async function probePhase(event: unknown, context: Pick<Context, 'getRemainingTimeInMillis'> | undefined, deps: HandlerDeps): Promise<ProbeResult> {
  const input = validateProbeEvent(event);
  let credentials: Credentials | undefined;
  if (input.run.credentialRef) {
    credentials = deps.credentials?.get(input.run.credentialRef);
    if (!credentials) throw new CredentialsUnavailableError('the run refers to credentials this probe cannot resolve (deployed probes run without credentials)');
    // After a redirectAddr the user still signs in as who they are (BUG-11: keep the original UPN).
    credentials = { username: input.run.address, ...credentials };
  }
  const remaining = context?.getRemainingTimeInMillis?.();
  const budget = remaining != null ? Math.max(1_000, remaining - (deps.flushMarginMs ?? DEFAULT_FLUSH_MARGIN_MS)) : undefined;
  const signal = budget != null ? AbortSignal.timeout(budget) : undefined;
  const phase = {
    runId: input.run.runId,
    index: input.phase.index,
    role: input.role,
    address: input.phase.address,
    hops: input.phase.hops,
    visitedAddresses: input.phase.visitedAddresses,
    visitedUrls: input.phase.visitedUrls,
  };
  const trace = await runPhase(phase, {
    options: deps.options,
    credentials,
    signal,
    observe: deps.observe,
    // Credentials stay within the user's own domain (and Microsoft 365) across every phase.
    credentialDomains: [parseAddress(input.run.address).ok ? (parseAddress(input.run.address) as { domain: string }).domain : input.phase.address.split('@').pop()!],
    // A failed checkpoint must not stop the probe; the final write below reports the store problem.
    checkpoint: async (snapshot) => {
      try { await deps.store.putPhase(snapshot); } catch { /* the final write below surfaces a store problem */ }
    },
  });
  // The final write must succeed: a StoreError here ends the phase (the Report names it).
  const key = await deps.store.putPhase(trace);
  if (trace.state === 'crashed') throw new PhaseCrashedError(`${input.role} phase for ${input.phase.address} crashed: ${trace.error?.message ?? 'unknown error'} (partial trace at ${key})`);
  const outcome = trace.outcome?.kind ?? 'failed';
  const result: ProbeResult = { runId: trace.runId, index: trace.index, key, state: trace.state, outcome };
  if (trace.outcome?.kind === 'redirectAddr') {
    result.next = { index: trace.index + 1, address: trace.outcome.address, hops: trace.hops, visitedAddresses: trace.visitedAddresses, visitedUrls: trace.visitedUrls };
  }
  return result;
}

/**
 * The Lambda handler for one phase. middy's own early timeout is off (timeoutEarlyInMillis: 0): the
 * probe keeps its own deadline so it can write the partial trace instead of being cut off.
 */
export function createProbeHandler(deps: () => HandlerDeps) {
  return middy<unknown, ProbeResult>({ timeoutEarlyInMillis: 0 }).handler((event, context) => probePhase(event, context, deps()));
}
