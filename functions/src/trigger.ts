import type { APIGatewayProxyStructuredResultV2, LambdaFunctionURLEvent } from 'aws-lambda';
import middy from '@middy/core';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { Resource } from 'sst';
// Deep imports: the trigger needs three small functions, not the engine (undici, the S3 store), so
// its bundle stays tiny and its cold start short.
import { parseAddress } from '@discotrace/core/autodiscover/address';
import { keyForReport, newRunId } from '@discotrace/core/store/trace-store';

/** The state machines by region, as infra/trigger.ts links them (Resource.Workflows). */
export interface Workflows {
  defaultRegion: string;
  stateMachines: Record<string, string>;
}

/** The one call the trigger makes; an SFNClient fits, and so does a test's plain object. */
export interface SfnSender {
  send(command: StartExecutionCommand): Promise<{ executionArn?: string }>;
}

export interface TriggerDeps {
  workflows: Workflows;
  /** The client for a region: StartExecution must reach the state machine's own region. */
  sfn: (region: string) => SfnSender;
  now?: () => Date;
}

type Request = Pick<LambdaFunctionURLEvent, 'queryStringParameters'> & { requestContext?: { http?: { method?: string } } };

function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/**
 * GET ?address=alice@contoso.com[&region=eu-west-1]: validate, start one execution, answer 202 with
 * where the report will be. The input carries no credentials: deployed probes run unauthenticated.
 */
export async function triggerRun(event: Request, deps: TriggerDeps): Promise<APIGatewayProxyStructuredResultV2> {
  const method = event.requestContext?.http?.method ?? 'GET';
  if (method !== 'GET') return json(405, { error: `method ${method} not allowed; use GET ?address=alice@contoso.com` });
  const query = event.queryStringParameters ?? {};
  if (!query.address) return json(400, { error: 'missing ?address= (an e-mail address like alice@contoso.com)' });
  const parsed = parseAddress(query.address);
  if (!parsed.ok) return json(400, { error: `invalid address: ${parsed.reason}` });
  const region = query.region || deps.workflows.defaultRegion;
  const stateMachineArn = deps.workflows.stateMachines[region];
  if (!stateMachineArn) {
    return json(400, { error: `region "${region}" is not deployed; use one of ${Object.keys(deps.workflows.stateMachines).join(', ')}` });
  }
  const startedAt = (deps.now?.() ?? new Date()).toISOString();
  const runId = newRunId(new Date(startedAt));
  // The run id doubles as the execution name: unique, and a run is found from its id alone.
  const command = new StartExecutionCommand({ stateMachineArn, name: runId, input: JSON.stringify({ run: { runId, address: parsed.address, startedAt } }) });
  try {
    const { executionArn } = await deps.sfn(region).send(command);
    return json(202, { runId, executionArn, report: keyForReport(runId) });
  } catch (error) {
    console.error('StartExecution failed', error); // the details stay in the log, not in the public answer
    return json(502, { error: `could not start the diagnosis (${(error as Error).name ?? 'Error'})` });
  }
}

const clients = new Map<string, SFNClient>();

/** Deployed edges, read at the first request (the module loads without SST's variables). */
function lambdaTriggerDeps(): TriggerDeps {
  return {
    workflows: (Resource as unknown as { Workflows: Workflows }).Workflows,
    sfn: (region) => {
      let client = clients.get(region);
      if (!client) clients.set(region, (client = new SFNClient({ region })));
      return client;
    },
  };
}

export const handler = middy<LambdaFunctionURLEvent, APIGatewayProxyStructuredResultV2>().handler((event) => triggerRun(event, lambdaTriggerDeps()));
