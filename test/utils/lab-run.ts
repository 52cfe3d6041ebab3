import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveOptions, storeFromConfig, type Credentials, type ProbeEvent, type ProbeOptions, type TraceStore } from '@discotrace/core';
import { startLab, type RunningLab, type Scenario } from '@discotrace/lab';
import { runLocal, type LocalRunInput, type LocalRunResult } from '../../packages/cli/src/pipeline.ts';

export interface LabRun extends LocalRunResult {
  lab: RunningLab;
  store: TraceStore;
  storeDir: string;
  events: ProbeEvent[];
}

/** A fresh temporary trace directory (removed by the returned cleanup). */
export async function tempDir(prefix = 'discotrace-test-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Runs the whole local pipeline (state machine + real handlers) against a lab scenario; the lab is
 * left running for assertions on what it received and closed by `close()`.
 */
export async function runAgainstLab(
  scenario: Scenario | string,
  address: string,
  credentials: Credentials | undefined,
  extra: Partial<Pick<LocalRunInput, 'probeTimeoutSeconds' | 'wrap'>> & {
    timeouts?: Partial<ReturnType<typeof resolveOptions>['timeouts']>;
    /** Any other probe options (schema, v2Host, credentialHosts …), on top of the lab's own. */
    options?: Omit<Partial<ProbeOptions>, 'timeouts'>;
  } = {},
): Promise<LabRun & { close: () => Promise<void> }> {
  const lab = await startLab(scenario);
  const { dir, cleanup } = await tempDir();
  const { store } = storeFromConfig({ DISCOTRACE_STORE_DIR: dir });
  const events: ProbeEvent[] = [];
  try {
    const options = resolveOptions({ dnsServers: [lab.dnsServer], connectTo: lab.connectTo, trustedCaCertificates: lab.caCertificates, ...(extra.options ?? {}), ...(extra.timeouts ? { timeouts: extra.timeouts as never } : {}) });
    const result = await runLocal({ address, credentials, options, store, observe: (e) => events.push(e), probeTimeoutSeconds: extra.probeTimeoutSeconds, wrap: extra.wrap });
    return { ...result, lab, store, storeDir: dir, events, close: async () => { await lab.close(); await cleanup(); } };
  } catch (err) {
    await lab.close();
    await cleanup();
    throw err;
  }
}
