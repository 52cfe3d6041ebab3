// Public surface of @discotrace/core: the engine, the trace, the store, the workflow definition.
export * from './trace/model.ts';
export { runFacts, compareRuns, factTable, FACT_SECTIONS, type RunTraces, type Fact, type FactChange, type FactRow, type FactSection } from './trace/facts.ts';
export { FINDINGS, finding, findingRank, type FindingCode } from './trace/findings.ts';
export type { ProbeEvent, ProbeObserver } from './trace/recorder.ts';
export { DiscotraceError, InvalidArgumentError, InvalidPhaseInputError, CredentialsUnavailableError } from './errors.ts';
export { resolveOptions, DEFAULT_OPTIONS, DEFAULT_TIMEOUTS, type ProbeOptions, type Timeouts } from './options.ts';
export { runPhase, type PhaseInput, type PhaseContext, type Credentials } from './walk/phase.ts';
export { CANDIDATES, AUTODISCOVER_PATH } from './walk/candidates.ts';
export { buildReport, rankCauses, phaseFindings, type StateFailure, type ReportInput } from './verdict.ts';
export { clientVerdicts, CLIENT_RULES } from './clients.ts';
export { createCredentialVault, type CredentialVault } from './credentials.ts';
export { buildDefinition, LOCAL_ARNS, STATE, DEFAULT_PROBE_TIMEOUT_SECONDS, type DefinitionParams } from './workflow/definition.ts';
export { parseAddress, isTenantRoutingDomain } from './autodiscover/address.ts';
export * from './store/index.ts';
