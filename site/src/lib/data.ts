/**
 * The site's only way into the traces: core's TraceStore, configured like every other process
 * (DISCOTRACE_STORE / DISCOTRACE_STORE_DIR, else .discotrace/traces under DISCOTRACE_SITE_ROOT).
 * Listings are read once per build and shared by every page; a run's traces are read by its own
 * page only, so memory stays flat however many runs there are.
 */
// Deep imports: the site needs the store, not the probe engine (and its XML parser).
import { storeFromConfig } from '@discotrace/core/store/config';
import type { RunIndexEntry, RunTraces, StoreError, TraceStore } from '@discotrace/core';

let configured: TraceStore | undefined;
let listing: Promise<RunIndexEntry[]> | undefined;
const skipped: string[] = [];

export function store(): TraceStore {
  configured ??= storeFromConfig(process.env, { cwd: process.env.DISCOTRACE_SITE_ROOT || process.cwd() }).store;
  return configured;
}

/** Every run with a report, newest first (damaged documents are left out and named in `skippedDocuments`). */
export function allRuns(): Promise<RunIndexEntry[]> {
  listing ??= store()
    .listRuns({
      onBadDocument: (error: StoreError) => {
        skipped.push(error.message);
        console.warn(`discotrace site: skipped ${error.message}`);
      },
    })
    // Run ids order runs to the second; runs started in the same second (a region group) are
    // ordered by their millisecond start.
    .then((runs) => runs.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : b.runId.localeCompare(a.runId))));
  return listing;
}

/** Documents the listing could not read, for the runs page to mention. */
export function skippedDocuments(): readonly string[] {
  return skipped;
}

/** A run's report and phase traces. */
export async function loadRun(runId: string): Promise<RunTraces> {
  const s = store();
  const report = await s.getReport(runId);
  if (!report) throw new Error(`run ${runId}: no report in ${s.location}`);
  // The report names its phases: read those (no directory listing per run page).
  const indexes = report.phases.filter((p) => p.state !== 'missing').map((p) => p.index);
  const phases = (await Promise.all(indexes.map((i) => s.getPhase(runId, i)))).filter((p) => p !== undefined);
  return { report, phases };
}

export async function runsOfDomain(domain: string): Promise<RunIndexEntry[]> {
  return (await allRuns()).filter((run) => run.domain === domain);
}

export async function runsOfGroup(group: string): Promise<RunIndexEntry[]> {
  return (await allRuns()).filter((run) => run.group === group).sort((a, b) => a.region.localeCompare(b.region));
}

/** The distinct values the runs page filters on. */
export async function facets(): Promise<{ domains: string[]; regions: string[]; groups: string[] }> {
  const runs = await allRuns();
  const domains = new Set<string>();
  const regions = new Set<string>();
  const groups = new Set<string>();
  for (const run of runs) {
    if (run.domain) domains.add(run.domain);
    regions.add(run.region);
    if (run.group) groups.add(run.group);
  }
  return { domains: [...domains].sort(), regions: [...regions].sort(), groups: [...groups].sort() };
}
