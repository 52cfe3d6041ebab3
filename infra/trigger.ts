// "Triggering a diagnosis from a URL": GET <url>?address=alice@contoso.com[&region=eu-west-1]
// starts an execution (functions/src/trigger.ts). The URL has no authorization, like the probes it
// runs unauthenticated; anyone who knows it can start runs.
import { regions } from "./probes.ts";
import { stateMachines } from "./workflow.ts";

// A raw Pulumi resource is not linkable, so one Linkable carries the state machines by region and
// the permission to start them; the handler reads Resource.Workflows.
const workflows = new sst.Linkable("Workflows", {
  properties: {
    defaultRegion: regions[0],
    stateMachines: Object.fromEntries(stateMachines.map(({ region, machine }) => [region, machine.arn])),
  },
  include: [
    sst.aws.permission({ actions: ["states:StartExecution"], resources: stateMachines.map(({ machine }) => machine.arn) }),
  ],
});

export const trigger = new sst.aws.Function("Trigger", {
  handler: "functions/src/trigger.handler",
  runtime: "nodejs24.x",
  architecture: "arm64",
  memory: "256 MB",
  timeout: "10 seconds", // One StartExecution call; the run itself goes on in Step Functions.
  url: true,
  link: [workflows],
});
