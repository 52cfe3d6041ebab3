import { createProbeHandler } from './probe-phase.ts';
import { lambdaDeps } from './lambda-deps.ts';

/** Lambda: the on-premises phase (the address as typed). */
export const handler = createProbeHandler(lambdaDeps);
