/** The scenario registry: every scenario by name. Add a scenario by adding one line here. */
import type { Scenario } from '../scenario.ts';
import { LabError } from '../errors.ts';
import { seed } from './seed.ts';
import { onpremOnly } from './onprem-only.ts';
import { ntlmOnly } from './ntlm-only.ts';
import { CASES, caseScenarios } from './cases.ts';
import { CATALOGUE, catalogueScenarios } from './catalogue.ts';
import { userCredentials, type UserCredentials } from './users.ts';
import { activesyncScenarios } from './activesync.ts';
import { v2Scenarios } from './v2-crosscheck.ts';
import { returnedUrlScenarios } from './returned-urls.ts';
import { clientTableScenarios } from './client-table.ts';

/** Frozen so one test cannot change a scenario under another; derive variants with spreads. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export const scenarios: Readonly<Record<string, Scenario>> = deepFreeze({
  [seed.name]: seed,
  [onpremOnly.name]: onpremOnly,
  [ntlmOnly.name]: ntlmOnly,
  // One per real-world failure case (../shared/cases), named after the case file.
  ...Object.fromEntries(caseScenarios.map((s) => [s.name, s])),
  // The failure catalogue of issue 3 (certificates, DNS, transport, redirects, responses, auth).
  ...Object.fromEntries(catalogueScenarios.map((s) => [s.name, s])),
  // Issue 3 items 4–7: ActiveSync, the v2 cross-check, the returned URLs, the per-client table.
  ...Object.fromEntries([...activesyncScenarios, ...v2Scenarios, ...returnedUrlScenarios, ...clientTableScenarios].map((s) => [s.name, s])),
});

export function scenarioNames(): string[] {
  return Object.keys(scenarios);
}

export function getScenario(name: string): Scenario {
  const scenario = Object.hasOwn(scenarios, name) ? scenarios[name] : undefined;
  if (!scenario) {
    throw new LabError('LAB_UNKNOWN_SCENARIO', `no lab scenario "${name}" (known: ${scenarioNames().join(', ')})`);
  }
  return scenario;
}

/** Who to probe in a scenario, and with what: a case's or catalogue entry's own target, else its first user. */
export interface ProbeTarget {
  address: string;
  credentials: UserCredentials;
  /** Probe options the scenario needs (allowed hosts, short timeouts, schema). */
  options?: Record<string, unknown>;
}

export function probeTarget(scenario: Scenario): ProbeTarget | undefined {
  const entry = CASES[scenario.name] ?? CATALOGUE[scenario.name];
  if (entry) return { address: entry.address, credentials: entry.credentials, ...(entry.options ? { options: entry.options as Record<string, unknown> } : {}) };
  const user = scenario.users[0];
  return user ? { address: user.address, credentials: userCredentials(user) } : undefined;
}
