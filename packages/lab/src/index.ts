/**
 * @discotrace/lab — an emulated hybrid Exchange organisation on loopback (DNS, CA, HTTP/HTTPS
 * endpoints, Exchange Autodiscover), driven by scenario data. Test infrastructure: the engine
 * never imports it.
 */
export { startLab } from './lab.ts';
export type { LabOptions, RunningLab, ServedCertificate } from './lab.ts';
export { DEFAULT_REAL_DNS_ADDRESS, NETNS_ENV } from './real-ports.ts';
export type * from './scenario.ts';
export type { LabConnection, LabRequest } from './records.ts';
export { headerValue } from './records.ts';
export type { DnsQueryRecord } from './dns-server.ts';
export { LabError } from './errors.ts';
export type { LabErrorCode } from './errors.ts';
export { validateScenario } from './validate.ts';
export { getScenario, probeTarget, scenarioNames, scenarios } from './scenarios/index.ts';
export type { ProbeTarget } from './scenarios/index.ts';
export { userCredentials, type UserCredentials } from './scenarios/users.ts';
export { seed, SEED_ADDRESS, SEED_BEARER_TOKEN, SEED_PASSWORD, SEED_ROUTING_ADDRESS } from './scenarios/seed.ts';
export { onpremOnly, ONPREM_ADDRESS, ONPREM_PASSWORD } from './scenarios/onprem-only.ts';
export { ntlmOnly, fabrikamExchange, NTLM_ADDRESS, NTLM_USERNAME, NTLM_PASSWORD } from './scenarios/ntlm-only.ts';
export { CASES, caseScenarios } from './scenarios/cases.ts';
export type { CaseCredentials, CaseScenario } from './scenarios/cases.ts';
