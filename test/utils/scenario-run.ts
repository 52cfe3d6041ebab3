/**
 * Runs a registered lab scenario through the whole local pipeline (runAgainstLab) with its first
 * user's address and password, plus helpers to read the report: the client table, findings by
 * code. Used by the ActiveSync, v2, returned-URL and client-table tests.
 */
import assert from 'node:assert/strict';
import type { ClientVerdict, Credentials, Finding, ProbeOptions } from '@discotrace/core';
import { getScenario } from '@discotrace/lab';
import { runAgainstLab, type LabRun } from './lab-run.ts';
import { findings, story } from './catalogue-run.ts';

export type ScenarioRun = LabRun & { close: () => Promise<void> };

export interface ScenarioRunInput {
  /** Default: the scenario's first user. */
  address?: string;
  /** Default: the first user's password and token. */
  credentials?: Credentials;
  options?: Omit<Partial<ProbeOptions>, 'timeouts'>;
}

/** Starts the scenario's lab and runs the probe; the caller closes the run. */
export async function runScenario(name: string, input: ScenarioRunInput = {}): Promise<ScenarioRun> {
  const scenario = getScenario(name);
  const user = scenario.users[0];
  const address = input.address ?? user?.address;
  assert.ok(address, `scenario ${name} has no user to probe`);
  const credentials = input.credentials ?? {
    ...(user?.username ? { username: user.username } : {}),
    ...(user?.password ? { password: user.password } : {}),
    ...(user?.bearerToken ? { bearerToken: user.bearerToken } : {}),
  };
  return runAgainstLab(scenario, address, credentials, { options: input.options ?? {} });
}

/** The client line whose name starts with `prefix` ("Outlook for Windows", "Thunderbird" …). */
export function client(run: LabRun, prefix: string): ClientVerdict {
  const line = run.report.clients.find((c) => c.client.startsWith(prefix));
  assert.ok(line, `no client line "${prefix}…": ${run.report.clients.map((c) => c.client).join(', ')}`);
  return line;
}

/** The client table as [name, verdict] pairs, for a compact deepEqual. */
export function table(run: LabRun): Array<[string, string]> {
  return run.report.clients.map((c) => [c.client, c.verdict]);
}

/** The verdict's other findings with this code. */
export function others(run: LabRun, code: string): Finding[] {
  return run.report.verdict.others.filter((f) => f.code === code);
}

/** Every finding of the run's phase traces with this code (steps and phase level). */
export function traced(run: LabRun, code: string): Finding[] {
  return findings(run.phases).filter((f) => f.code === code);
}

export { story };
