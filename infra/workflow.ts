// One state machine per probing region, deployed from the very definition object the local runner
// executes (packages/core/src/workflow/definition.ts). Raw aws.sfn.StateMachine on purpose:
// sst.aws.StepFunctions emits JSONata, which aws-local-stepfunctions cannot run (toolchain.md).
import { buildDefinition } from "@discotrace/core/workflow/definition";
import { probes } from "./probes.ts";

export const stateMachines = probes.map(({ region, suffix, provider, onPremProbe, cloudProbe, report }) => {
  const opts = provider ? { provider } : undefined;
  const role = new aws.iam.Role(`WorkflowRole${suffix}`, {
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
  }, opts);
  // Invoking the three functions is all the workflow does; ":*" also covers qualified ARNs.
  const policy = new aws.iam.RolePolicy(`WorkflowInvoke${suffix}`, {
    role: role.id,
    policy: $resolve([onPremProbe.arn, cloudProbe.arn, report.arn]).apply((arns) =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: arns.flatMap((arn) => [arn, `${arn}:*`]) }],
      }),
    ),
  }, opts);
  const machine = new aws.sfn.StateMachine(`Workflow${suffix}`, {
    type: "STANDARD",
    roleArn: role.arn,
    definition: $resolve([onPremProbe.arn, cloudProbe.arn, report.arn]).apply(([onPremProbeArn, cloudProbeArn, reportArn]) =>
      JSON.stringify(buildDefinition({ onPremProbeArn, cloudProbeArn, reportArn })),
    ),
    // No loggingConfiguration: the execution history already shows every state's input and output.
  }, { ...opts, dependsOn: [policy] }); // Step Functions checks the role's permissions on create.
  return { region, machine };
});

/** region → state machine ARN, for the stack outputs. */
export const stateMachineArns = Object.fromEntries(stateMachines.map(({ region, machine }) => [region, machine.arn]));
