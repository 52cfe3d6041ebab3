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
 * GET ?address=alice@contoso.com[&region=eu-west-1 | &regions=eu-west-1,us-east-1 | &regions=all]:
 * validate, start one execution per region, answer 202 with where the reports will be. Runs started
 * together share a group id (the site shows them side by side). The input carries no credentials:
 * deployed probes run unauthenticated.
 */
export async function triggerRun(event: Request, deps: TriggerDeps): Promise<APIGatewayProxyStructuredResultV2> {
  const method = event.requestContext?.http?.method ?? 'GET';
  if (method !== 'GET') return json(405, { error: `method ${method} not allowed; use GET ?address=alice@contoso.com` });
  const query = event.queryStringParameters ?? {};
  if (!query.address) return json(400, { error: 'missing ?address= (an e-mail address like alice@contoso.com)' });
  const parsed = parseAddress(query.address);
  if (!parsed.ok) return json(400, { error: `invalid address: ${parsed.reason}` });
  const deployed = Object.keys(deps.workflows.stateMachines);
  if (query.region && query.regions) return json(400, { error: 'use ?region= or ?regions=, not both' });
  const regions = query.regions === 'all' ? deployed : [...new Set((query.regions ?? query.region ?? deps.workflows.defaultRegion).split(',').map((r) => r.trim()).filter(Boolean))];
  const unknown = regions.find((region) => !deps.workflows.stateMachines[region]);
  if (unknown !== undefined || regions.length === 0) {
    return json(400, { error: `region "${unknown ?? ''}" is not deployed; use one of ${deployed.join(', ')}` });
  }
  const startedAt = (deps.now?.() ?? new Date()).toISOString();
  const group = regions.length > 1 ? newRunId(new Date(startedAt)) : undefined;
  const started = [];
  for (const region of regions) {
    const runId = newRunId(new Date(startedAt));
    // The run id doubles as the execution name: unique, and a run is found from its id alone.
    const run = { runId, address: parsed.address, startedAt, ...(group ? { group } : {}) };
    const command = new StartExecutionCommand({ stateMachineArn: deps.workflows.stateMachines[region], name: runId, input: JSON.stringify({ run }) });
    try {
      const { executionArn } = await deps.sfn(region).send(command);
      started.push({ region, runId, executionArn, report: keyForReport(runId) });
    } catch (error) {
      console.error('StartExecution failed', region, error); // the details stay in the log, not in the public answer
      if (started.length === 0) return json(502, { error: `could not start the diagnosis (${(error as Error).name ?? 'Error'})` });
      started.push({ region, error: `could not start the diagnosis in ${region} (${(error as Error).name ?? 'Error'})` });
    }
  }
  if (!group) return json(202, started[0]);
  return json(202, { group, runs: started });
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
