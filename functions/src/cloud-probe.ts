import { createProbeHandler } from './probe-phase.ts';
import { lambdaDeps } from './lambda-deps.ts';

/** Lambda: a phase after a redirectAddr hand-off (the tenant routing address in hybrid). */
export const handler = createProbeHandler(lambdaDeps);
