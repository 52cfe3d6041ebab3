/**
 * One run of a lab scenario's user through the local pipeline, into a given store: the lab up for
 * the run only. For the tests and the benchmark that need real traces (the demo prints as it goes:
 * it uses probeAndPrint instead).
 */
import type { TraceStore } from '@discotrace/core';
import { probeTarget, startLab, type Scenario } from '@discotrace/lab';
import { labOptions } from './lab-options.ts';
import { runLocal, type LocalRunInput, type LocalRunResult } from './pipeline.ts';

export interface LabScenarioRun {
  store: TraceStore;
  /** Region label written into the traces (default "local"). */
  region?: string;
  group?: string;
  wrap?: LocalRunInput['wrap'];
}

export async function runLabScenario(scenario: Scenario, run: LabScenarioRun): Promise<LocalRunResult> {
  const who = probeTarget(scenario);
  if (!who) throw new Error(`scenario ${scenario.name} has no user to probe`);
  const lab = await startLab(scenario);
  try {
    const options = labOptions(lab, { ...(run.region ? { region: run.region } : {}), ...(who.options ?? {}) } as Parameters<typeof labOptions>[1]);
    return await runLocal({ address: who.address, credentials: who.credentials, options, store: run.store, group: run.group, wrap: run.wrap });
  } finally {
    await lab.close();
  }
}
