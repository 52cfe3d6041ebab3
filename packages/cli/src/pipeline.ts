import { StateMachine } from 'aws-local-stepfunctions';
import {
  buildDefinition,
  createCredentialVault,
  DEFAULT_PROBE_TIMEOUT_SECONDS,
  InvalidArgumentError,
  parseAddress,
  LOCAL_ARNS,
  newRunId,
  STATE,
  type Credentials,
  type PhaseTrace,
  type ProbeObserver,
  type ProbeOptions,
  type RunReport,
  type TraceStore,
} from '@discotrace/core';
import { probePhase, reportRun, type HandlerDeps } from '@discotrace/functions';

export interface LocalRunInput {
  address: string;
  credentials?: Credentials;
  options: ProbeOptions;
  store: TraceStore;
  observe?: ProbeObserver;
  /** Region group: runs started together from several vantage points share it (the site compares them). */
  group?: string;
  /** State-machine task timeout; the emulated Lambda deadline is 5 s shorter, like infra/. */
  probeTimeoutSeconds?: number;
  /** Replace a handler (tests inject failures this way). */
  wrap?: Partial<Record<'OnPremProbe' | 'CloudProbe' | 'Report', (input: unknown, run: (input: unknown) => Promise<unknown>) => Promise<unknown>>>;
}

export interface LocalRunResult {
  runId: string;
  report: RunReport;
  reportKey: string;
  phases: PhaseTrace[];
}

/** A Lambda-like context whose remaining time counts down from the function timeout. */
function lambdaContext(timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  return { getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
}

/**
 * Runs a diagnosis locally: the same state-machine definition that infra/ deploys, executed by
 * aws-local-stepfunctions, invoking the same handler functions the Lambdas run. Credentials stay
 * in this process: the execution input carries only an opaque reference.
 */
export async function runLocal(input: LocalRunInput): Promise<LocalRunResult> {
  const parsed = parseAddress(input.address);
  if (!parsed.ok) throw new InvalidArgumentError(`"${input.address}" is not a usable e-mail address: ${parsed.reason}`);
  const probeTimeout = input.probeTimeoutSeconds ?? DEFAULT_PROBE_TIMEOUT_SECONDS;
  const lambdaTimeoutMs = Math.max(1, probeTimeout - 5) * 1000;
  const vault = createCredentialVault();
  const credentialRef = input.credentials && (input.credentials.password || input.credentials.bearerToken) ? vault.put(input.credentials) : undefined;
  const deps: HandlerDeps = { store: input.store, options: input.options, credentials: vault, observe: input.observe, flushMarginMs: Math.min(3000, Math.floor(lambdaTimeoutMs / 4)) };
  const definition = buildDefinition({ ...LOCAL_ARNS, probeTimeoutSeconds: probeTimeout });
  const machine = new StateMachine(definition as never);
  const runId = newRunId();
  const startedAt = new Date().toISOString();

  // A store that cannot be written (full disk, permissions) is the tool failing, not Autodiscover:
  // remember it so the caller can say so plainly instead of "the execution failed".
  let storeError: Error | undefined;
  // The optimized lambda:invoke integration hands the task its Parameters and expects { Payload }.
  const task = (name: 'OnPremProbe' | 'CloudProbe' | 'Report', fn: (payload: unknown) => Promise<unknown>) => async (params: unknown) => {
    const payload = (params as { Payload?: unknown }).Payload ?? params;
    const wrapped = input.wrap?.[name];
    try {
      const result = wrapped ? await wrapped(payload, fn) : await fn(payload);
      return { Payload: result } as never;
    } catch (err) {
      if ((err as Error)?.name === 'StoreError') storeError ??= err as Error;
      throw err;
    }
  };
  try {
    const execution = machine.run(
      { run: { runId, address: input.address, startedAt, ...(input.group ? { group: input.group } : {}), ...(credentialRef ? { credentialRef } : {}) } },
      {
        overrides: {
          taskResourceLocalHandlers: {
            [STATE.onPrem]: task('OnPremProbe', (p) => probePhase(p, lambdaContext(lambdaTimeoutMs), deps)),
            [STATE.cloud]: task('CloudProbe', (p) => probePhase(p, lambdaContext(lambdaTimeoutMs), deps)),
            [STATE.report]: task('Report', (p) => reportRun(p, deps)),
          },
          retryIntervalOverrides: { [STATE.onPrem]: 0, [STATE.cloud]: 0, [STATE.report]: 0 },
        },
      },
    );
    await execution.result;
  } catch (err) {
    throw storeError ?? err;
  } finally {
    if (credentialRef) vault.drop(credentialRef);
  }
  if (storeError) throw storeError;
  const report = await input.store.getReport(runId);
  if (!report) throw new Error(`the run finished but no report was written for ${runId} in ${input.store.location}`);
  const phases = await input.store.listPhases(runId);
  return { runId, report, reportKey: input.store.keyForReport(runId), phases };
}
