/**
 * The one state-machine definition (JSONPath ASL). The local runner executes this object with
 * aws-local-stepfunctions and infra/ deploys the very same object: SST's own builder emits JSONata,
 * which the local interpreter cannot run (toolchain.md).
 *
 * Payloads carry references into the trace store, never traces (Step Functions caps them at 256 KB),
 * and never credentials (only an opaque credentialRef resolved inside the probe).
 */

export const STATE = {
  onPrem: 'OnPremProbe',
  afterOnPrem: 'AfterOnPrem',
  cloud: 'CloudProbe',
  afterCloud: 'AfterCloud',
  onPremFailed: 'OnPremFailed',
  cloudFailed: 'CloudFailed',
  report: 'Report',
  reportFailed: 'ReportFailed',
} as const;

export interface DefinitionParams {
  onPremProbeArn: string;
  cloudProbeArn: string;
  reportArn: string;
  /** Task timeout for a probe phase; the Lambda's own timeout should be a little shorter. */
  probeTimeoutSeconds?: number;
  reportTimeoutSeconds?: number;
}

export const DEFAULT_PROBE_TIMEOUT_SECONDS = 150;
export const DEFAULT_REPORT_TIMEOUT_SECONDS = 60;

/** Placeholder ARNs for local runs: valid syntax, never invoked (tasks are overridden by state name). */
export const LOCAL_ARNS = {
  onPremProbeArn: 'arn:aws:lambda:us-east-1:000000000000:function:discotrace-OnPremProbe',
  cloudProbeArn: 'arn:aws:lambda:us-east-1:000000000000:function:discotrace-CloudProbe',
  reportArn: 'arn:aws:lambda:us-east-1:000000000000:function:discotrace-Report',
};

// Transient Lambda service errors are worth a retry; a probe's own failure is not (it would probe twice).
const LAMBDA_RETRY = [
  {
    ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'],
    IntervalSeconds: 2,
    MaxAttempts: 2,
    BackoffRate: 2,
  },
];

function invoke(arn: string, payload: Record<string, unknown>, timeoutSeconds: number) {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: { FunctionName: arn, Payload: payload },
    ResultSelector: { 'phase.$': '$.Payload' },
    ResultPath: '$.last',
    TimeoutSeconds: timeoutSeconds,
    Retry: LAMBDA_RETRY,
  };
}

/** What to do after a phase: another address hand-off means another cloud phase (hop budget ends it). */
function afterPhase() {
  return {
    Type: 'Choice',
    Choices: [{ Variable: '$.last.phase.outcome', StringEquals: 'redirectAddr', Next: STATE.cloud }],
    Default: STATE.report,
  };
}

function recordFailure(state: string) {
  return {
    Type: 'Pass',
    Parameters: { state, 'error.$': '$.caught.Error', 'cause.$': '$.caught.Cause' },
    ResultPath: '$.failure',
    Next: STATE.report,
  };
}

export function buildDefinition(params: DefinitionParams): Record<string, unknown> {
  const probeTimeout = params.probeTimeoutSeconds ?? DEFAULT_PROBE_TIMEOUT_SECONDS;
  const reportTimeout = params.reportTimeoutSeconds ?? DEFAULT_REPORT_TIMEOUT_SECONDS;
  const catchTo = (next: string) => [{ ErrorEquals: ['States.ALL'], ResultPath: '$.caught', Next: next }];
  return {
    Comment: 'discotrace: on-premises Autodiscover phase, then an Exchange Online phase per redirectAddr hand-off, then the run report',
    QueryLanguage: 'JSONPath',
    StartAt: STATE.onPrem,
    States: {
      [STATE.onPrem]: {
        ...invoke(params.onPremProbeArn, { 'run.$': '$.run', role: 'onprem', phase: { index: 0, 'address.$': '$.run.address', hops: 0, visitedAddresses: [], visitedUrls: [] } }, probeTimeout),
        Catch: catchTo(STATE.onPremFailed),
        Next: STATE.afterOnPrem,
      },
      [STATE.afterOnPrem]: afterPhase(),
      [STATE.cloud]: {
        ...invoke(params.cloudProbeArn, { 'run.$': '$.run', role: 'cloud', 'phase.$': '$.last.phase.next' }, probeTimeout),
        Catch: catchTo(STATE.cloudFailed),
        Next: STATE.afterCloud,
      },
      [STATE.afterCloud]: afterPhase(),
      [STATE.onPremFailed]: recordFailure(STATE.onPrem),
      [STATE.cloudFailed]: recordFailure(STATE.cloud),
      [STATE.report]: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        // $.failure only exists on the Catch paths; States.ArrayGetItem over a filtered array is not
        // JSONPath-safe, so the whole state is passed and the handler picks what it needs.
        Parameters: { FunctionName: params.reportArn, 'Payload.$': '$' },
        ResultSelector: { 'report.$': '$.Payload' },
        ResultPath: '$.result',
        OutputPath: '$.result.report',
        TimeoutSeconds: reportTimeout,
        Retry: LAMBDA_RETRY,
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.caught', Next: STATE.reportFailed }],
        End: true,
      },
      [STATE.reportFailed]: { Type: 'Fail', Error: 'ReportFailed', Cause: 'The run report could not be written; the phase traces are in the store.' },
    },
  };
}
