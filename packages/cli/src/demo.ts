import { resolveOptions, storeFromConfig, type Credentials } from '@discotrace/core';
import { CASES, getScenario, scenarioNames, startLab, seed, SEED_ADDRESS, SEED_BEARER_TOKEN, SEED_PASSWORD, type RunningLab, type Scenario } from '@discotrace/lab';
import { failure, probeAndPrint } from './main.ts';
import { labOptions } from './lab-options.ts';
import { paint } from './render/tree.ts';


/**
 * `npm run demo`: starts the emulated hybrid organisation on loopback and probes alice through it,
 * exactly as `discotrace probe` would a real domain, then says where the trace was saved.
 */
async function demo(name: string | undefined): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  const style = { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR };
  if (name === '--list' || name === '--help' || name === '-h') {
    out('npm run demo [-- <scenario>]   (default: seed, the hybrid journey)\n\nScenarios:');
    for (const n of scenarioNames()) out(`  ${n}`);
    return 0;
  }
  let lab: RunningLab | undefined;
  try {
    const scenario = name ? getScenario(name) : seed;
    const who = demoTarget(scenario);
    lab = await startLab(scenario);
    out(paint(style, '90', `Lab "${lab.scenario.name}" running on loopback: DNS ${lab.dnsServer}, ${Object.keys(lab.connectTo).length} endpoints, lab CA trusted for this run only.`));
    const { store, location } = storeFromConfig(process.env);
    const result = await probeAndPrint({
      address: who.address,
      credentials: who.credentials,
      options: labOptions(lab, who.options),
      store,
      json: false,
      style,
      io: { out },
      location,
    });
    return result.report.verdict.status === 'found' ? 0 : 1;
  } catch (e) {
    if ((e as { code?: string }).code === 'LAB_UNKNOWN_SCENARIO') {
      err(`demo: ${(e as Error).message}`);
      return 2;
    }
    return failure(e, { err, env: process.env });
  } finally {
    await lab?.close();
  }
}

/** Who to probe in a scenario: the case's own address and credentials, else its first user. */
function demoTarget(scenario: Scenario): { address: string; credentials?: Credentials; options?: Parameters<typeof resolveOptions>[0] } {
  const c = CASES[scenario.name];
  if (c) return { address: c.address, credentials: c.credentials, options: c.options as never };
  if (scenario.name === seed.name) return { address: SEED_ADDRESS, credentials: { password: SEED_PASSWORD, bearerToken: SEED_BEARER_TOKEN } };
  const user = scenario.users[0];
  if (!user) throw new Error(`scenario ${scenario.name} has no user to probe`);
  return { address: user.address, credentials: { ...(user.password ? { password: user.password } : {}), ...(user.bearerToken ? { bearerToken: user.bearerToken } : {}) } };
}

process.exitCode = await demo(process.argv[2]);
