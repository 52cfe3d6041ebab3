import { resolveOptions, storeFromConfig } from '@discotrace/core';
import { startLab, seed, SEED_ADDRESS, SEED_BEARER_TOKEN, SEED_PASSWORD, type RunningLab } from '@discotrace/lab';
import { failure, probeAndPrint } from './main.ts';
import { paint } from './render/tree.ts';

/** Probe options that send the engine into a running lab (DNS, connect-to map, lab CA). */
export function labOptions(lab: RunningLab, extra: Parameters<typeof resolveOptions>[0] = {}) {
  return resolveOptions({ dnsServers: [lab.dnsServer], connectTo: lab.connectTo, trustedCaCertificates: lab.caCertificates, ...extra });
}

/**
 * `npm run demo`: starts the emulated hybrid organisation on loopback and probes alice through it,
 * exactly as `discotrace probe` would a real domain, then says where the trace was saved.
 */
async function demo(): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const style = { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR };
  let lab: RunningLab | undefined;
  try {
    lab = await startLab(seed);
    out(paint(style, '90', `Lab "${lab.scenario.name}" running on loopback: DNS ${lab.dnsServer}, ${Object.keys(lab.connectTo).length} endpoints, lab CA trusted for this run only.`));
    const { store, location } = storeFromConfig(process.env);
    const result = await probeAndPrint({
      address: SEED_ADDRESS,
      credentials: { password: SEED_PASSWORD, bearerToken: SEED_BEARER_TOKEN },
      options: labOptions(lab),
      store,
      json: false,
      style,
      io: { out },
      location,
    });
    return result.report.verdict.status === 'found' ? 0 : 1;
  } catch (err) {
    return failure(err, { err: (l) => process.stderr.write(`${l}\n`), env: process.env });
  } finally {
    await lab?.close();
  }
}

process.exitCode = await demo();
