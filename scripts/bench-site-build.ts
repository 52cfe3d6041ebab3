/**
 * Child entry of `npm run bench:site`: builds the report site and nothing else, so this process's
 * wall time and peak RSS are the build's alone (the parent generated the traces and would inflate
 * both). Usage: bench-site-build.ts <store dir> <out dir>; the figures go back over the IPC channel.
 */
import { buildSite, type SiteBuildResult } from '../site/build.ts';

export interface SiteBuildFigures {
  result: SiteBuildResult;
  /** Peak resident set size of this process, in KiB (getrusage ru_maxrss). */
  maxRssKiB: number;
  /** CPU time of this process, in microseconds. */
  userCpuUs: number;
  systemCpuUs: number;
}

const [storeDir, outDir] = process.argv.slice(2);
if (!storeDir || !outDir || !process.send) {
  process.stderr.write('bench-site-build: run by scripts/bench-site.ts (fork, with <store dir> <out dir>)\n');
  process.exit(2);
}

const result = await buildSite({ env: { DISCOTRACE_STORE_DIR: storeDir }, cwd: storeDir, outDir, quiet: true });
const usage = process.resourceUsage();
const figures: SiteBuildFigures = { result, maxRssKiB: usage.maxRSS, userCpuUs: usage.userCPUTime, systemCpuUs: usage.systemCPUTime };
// Exit only once the message is out: process.send is asynchronous.
process.send(figures, () => process.disconnect());
