/**
 * Runs a real-world case scenario (packages/lab/src/scenarios/cases.ts) through the whole local
 * pipeline with the address, credentials and probe options the case exports — runAgainstLab plus
 * the case's options (e.g. credentialHosts). The lab stays up for assertions until close().
 */
import { resolveOptions, storeFromConfig } from '@discotrace/core';
import { startLab, type CaseScenario } from '@discotrace/lab';
import { runLocal } from '../../packages/cli/src/pipeline.ts';
import { tempDir, type LabRun } from './lab-run.ts';

export type CaseRun = LabRun & { close: () => Promise<void> };

export async function runCase(c: CaseScenario): Promise<CaseRun> {
  const lab = await startLab(c.scenario);
  const { dir, cleanup } = await tempDir('discotrace-case-');
  const { store } = storeFromConfig({ DISCOTRACE_STORE_DIR: dir });
  const events: LabRun['events'] = [];
  try {
    const options = resolveOptions({
      dnsServers: [lab.dnsServer],
      connectTo: lab.connectTo,
      trustedCaCertificates: lab.caCertificates,
      ...(c.options?.credentialHosts ? { credentialHosts: c.options.credentialHosts } : {}),
    });
    const result = await runLocal({ address: c.address, credentials: c.credentials, options, store, observe: (e) => events.push(e) });
    return { ...result, lab, store, storeDir: dir, events, close: async () => { await lab.close(); await cleanup(); } };
  } catch (err) {
    await lab.close();
    await cleanup();
    throw err;
  }
}
