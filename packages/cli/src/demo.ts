import { resolveOptions, storeFromConfig } from '@discotrace/core';
import { getScenario, probeTarget, scenarioNames, startLab, seed, type RunningLab } from '@discotrace/lab';
import { failure, prepareStore, probeAndPrint } from './main.ts';
import { labOptions } from './lab-options.ts';
import { paint } from './render/tree.ts';
import { buildSite } from '@discotrace/site/build';
import { whereToOpen } from './site.ts';
import { withUserPaths } from './user-paths.ts';


/**
 * `npm run demo`: starts the emulated hybrid organisation on loopback and probes alice through it,
 * exactly as `discotrace probe` would a real domain, then says where the trace was saved and builds
 * the report site from the store.
 */
async function demo(name: string | undefined, extra: Parameters<typeof resolveOptions>[0] = {}): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`${line}\n`);
  const style = { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR };
  if (name === '--list' || name === '--help' || name === '-h') {
    out('npm run demo [-- <scenario>] [--schema outlook|mobilesync] [--no-v2]   (default: seed, the hybrid journey)\n\nScenarios:');
    const names = scenarioNames();
    const width = Math.max(...names.map((n) => n.length));
    for (const n of names) out(`  ${n.padEnd(width)}  ${getScenario(n).description}`);
    return 0;
  }
  let lab: RunningLab | undefined;
  try {
    const scenario = name ? getScenario(name) : seed;
    const who = probeTarget(scenario);
    if (!who) throw new Error(`scenario ${scenario.name} has no user to probe`);
    lab = await startLab(scenario);
    out(paint(style, '90', `Lab "${lab.scenario.name}" running on loopback: DNS ${lab.dnsServer}, ${Object.keys(lab.connectTo).length} endpoints, lab CA trusted for this run only.`));
    const env = withUserPaths(process.env);
    const { store, location } = storeFromConfig(env);
    await prepareStore(store);
    // A scenario that needs credentials to go outside the user's domain says so, as the user would type it.
    const allowed = (who.options as { credentialHosts?: string[] } | undefined)?.credentialHosts ?? [];
    if (allowed.length) out(paint(style, '90', `This scenario runs as with ${allowed.map((h) => `--allow-host ${h}`).join(' ')}: credentials may go to ${allowed.join(', ')}.`));
    const result = await probeAndPrint({
      address: who.address,
      credentials: who.credentials,
      options: labOptions(lab, { ...(who.options ?? {}), ...extra } as never),
      store,
      json: false,
      style,
      io: { out },
      location,
    });
    await lab.close();
    lab = undefined;
    // The run is saved whatever happens next; a site that cannot be built is said, not fatal.
    out('');
    try {
      for (const line of whereToOpen(await buildSite({ env, quiet: true }), result.runId)) out(line);
    } catch (e) {
      err(`demo: the trace is saved, but the report site could not be built: ${(e as Error).message}`);
    }
    return result.report.verdict.status === 'found' ? 0 : 1;
  } catch (e) {
    if ((e as { code?: string }).code === 'LAB_UNKNOWN_SCENARIO') {
      err(`demo: no lab scenario "${name}" (npm run demo -- --list shows them)`);
      return 2;
    }
    return failure(e, { err, env: process.env });
  } finally {
    await lab?.close();
  }
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});


/** `npm run demo -- [scenario] [--schema mobilesync] [--no-v2]` */
function demoArgs(argv: string[]): { name?: string; extra: Parameters<typeof resolveOptions>[0]; error?: string } {
  const extra: Record<string, unknown> = {};
  let name: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--schema') extra.schema = argv[++i];
    else if (a.startsWith('--schema=')) extra.schema = a.slice(9);
    else if (a === '--no-v2') extra.v2Host = '';
    else if (a === '--list' || a === '--help' || a === '-h') name = a;
    else if (a.startsWith('-')) return { extra, error: `unknown option "${a}" (demo options: --schema outlook|mobilesync, --no-v2, --list)` };
    else if (!name) name = a;
    else return { extra, error: `unexpected argument "${a}"` };
  }
  if (extra.schema != null && extra.schema !== 'outlook' && extra.schema !== 'mobilesync') return { extra, error: '--schema must be outlook or mobilesync' };
  return { name, extra: extra as never };
}

const args = demoArgs(process.argv.slice(2));
if (args.error) {
  process.stderr.write(`demo: ${args.error}\n`);
  process.exitCode = 2;
} else {
  process.exitCode = await demo(args.name, args.extra);
}
