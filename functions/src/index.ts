export { createProbeHandler, probePhase, validateProbeEvent, PhaseCrashedError, type ProbeEvent, type ProbeResult } from './probe-phase.ts';
export { createReportHandler, reportRun, validateReportEvent, type ReportEvent, type ReportResult } from './report.ts';
export type { HandlerDeps } from './deps.ts';
