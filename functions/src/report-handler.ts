import { createReportHandler } from './report.ts';
import { lambdaDeps } from './lambda-deps.ts';

/** Lambda: assembles the run report and the per-domain index entry. */
export const handler = createReportHandler(lambdaDeps);
