/**
 * The site's only way into the traces: core's TraceStore, configured like every other process
 * (DISCOTRACE_STORE / DISCOTRACE_STORE_DIR, else .discotrace/traces under DISCOTRACE_SITE_ROOT).
 * Listings are read once per build and shared by every page; a run's traces are read by its own
 * page only, so memory stays flat however many runs there are. Everything read is normalised
 * (normalise.ts): one damaged run is described on its page, never the end of the build.
 */
// Deep imports: the site needs the store, not the probe engine (and its XML parser).
import { storeFromConfig } from '@discotrace/core/store/config';
// One printable line: a damaged document must not drive the terminal of whoever builds the site.
import { printableLine } from '@discotrace/core/store/errors';
import type { PhaseTrace, ReadOptions, RunIndexEntry, RunTraces, StoreError, TraceStore } from '@discotrace/core';
import { normaliseEntry, normalisePhase, normaliseReport } from './normalise.ts';

/** Phases read per run: a real run has at most 11 (10 redirect hops). */
const MAX_PHASES = 12;
/**
 * The largest report or phase trace the site reads: real ones stay far below 1 MiB, and pages
 * render several at a time, so a store of 32 MiB documents must not fill the build's memory.
 */
const READ: ReadOptions = { maxBytes: 2 * 1024 * 1024, purpose: 'a document shown on the report site (real traces stay below 1 MiB)' };

let configured: TraceStore | undefined;
let listing: Promise<RunIndexEntry[]> | undefined;
const skipped: string[] = [];

export function store(): TraceStore {
  const root = process.env.DISCOTRACE_SITE_ROOT;
  // Only build.ts sets this, after checking the store and the output folder; a bare `astro build`
  // would skip those checks (and read no store), so it stops here with the way to do it.
  if (!root) throw new Error('build the report site with `npm run site` (site/build.ts), not `astro build`');
  configured ??= storeFromConfig(process.env, { cwd: root }).store;
  return configured;
}

/**
 * What a published page may say about a damaged document: its key and the kind of problem, not
 * the local path of the store nor a snippet of the content (the parser quotes it).
 */
export function publicProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const location = store().location;
  const local = location.startsWith('directory ') ? location.slice('directory '.length) : undefined;
  let text = message.replace(` in ${location}`, '').replace(/is not valid JSON \(.*\)$/s, 'is not valid JSON');
  if (local) text = text.split(local).join('<store>');
  text = printableLine(text);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** Every run with a report, newest first (damaged documents are left out and named in `skippedDocuments`). */
export function allRuns(): Promise<RunIndexEntry[]> {
  listing ??= store()
    .listRuns({
      ...READ,
      onBadDocument: (error: StoreError) => {
        skipped.push(publicProblem(error));
        // A StoreError's message is one printable line already.
        console.warn(`discotrace site: skipped ${error.message}`);
      },
    })
    // Run ids order runs to the second; runs started in the same second (a region group) are
    // ordered by their millisecond start.
    .then((runs) => runs.map(normaliseEntry).sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : b.runId.localeCompare(a.runId))));
  return listing;
}

/** Documents the listing could not read, for the runs page to mention. */
export function skippedDocuments(): readonly string[] {
  return skipped;
}

export interface LoadedRun extends RunTraces {
  /** Phase traces that are missing or could not be read, said on the run page. */
  problems: string[];
}

/** A run's report and the phase traces its report names (no directory listing per page). */
export async function loadRun(runId: string): Promise<LoadedRun> {
  const s = store();
  const stored = await s.getReport(runId, READ);
  if (!stored) throw new Error(`run ${runId}: no report in ${s.location}`);
  const report = normaliseReport(stored);
  const problems: { index: number; text: string }[] = [];
  const phases: PhaseTrace[] = [];
  // A real run has at most 11 phases (one per redirectAddr hop, 10 at most); each index once.
  const summaries = [...new Map(report.phases.map((p) => [p.index, p])).values()].sort((a, b) => a.index - b.index);
  if (summaries.length > MAX_PHASES) problems.push({ index: MAX_PHASES, text: `The report names ${summaries.length} phases; the first ${MAX_PHASES} are shown.` });
  // One phase at a time: a run's phases are few, and a store is never asked for hundreds at once.
  for (const summary of summaries.slice(0, MAX_PHASES)) {
    if (summary.state === 'missing') {
      problems.push({ index: summary.index, text: `Phase ${summary.index + 1} (${summary.address}): the state machine started it but no trace was written.` });
      continue;
    }
    try {
      const phase = await s.getPhase(runId, summary.index, READ);
      if (phase) phases.push(normalisePhase(phase, (text) => problems.push({ index: summary.index, text: `Phase ${summary.index + 1}: ${text}` })));
      else problems.push({ index: summary.index, text: `Phase ${summary.index + 1}: its trace ${summary.key} is missing from the store.` });
    } catch (error) {
      // Whatever the store says about one phase (damaged, unreadable, a loop of links), the page says it.
      if ((error as StoreError).name !== 'StoreError') throw error;
      problems.push({ index: summary.index, text: `Phase ${summary.index + 1}: ${publicProblem(error)}.` });
    }
  }
  return { report, phases, problems: problems.sort((a, b) => a.index - b.index).map((p) => p.text) };
}

/**
 * A page's own work (building a run view, comparing runs) that a damaged trace could still break:
 * the failure is said on that page and in the build log, and the build goes on with the others.
 */
export async function attempt<T>(what: string, work: () => Promise<T> | T): Promise<{ value: T; problem?: undefined } | { value?: undefined; problem: string }> {
  try {
    return { value: await work() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.warn(`discotrace site: ${what}: ${printableLine(message)}`);
    return { problem: `${what}: ${publicProblem(error)}` };
  }
}

interface Groupings {
  byDomain: Map<string, RunIndexEntry[]>;
  byGroup: Map<string, RunIndexEntry[]>;
  regions: string[];
}

let groupings: Promise<Groupings> | undefined;

/** The runs by domain and by region group, and the regions: once per build, not once per page. */
function group(): Promise<Groupings> {
  groupings ??= allRuns().then((runs) => {
    const byDomain = new Map<string, RunIndexEntry[]>();
    const byGroup = new Map<string, RunIndexEntry[]>();
    const regions = new Set<string>();
    const add = (map: Map<string, RunIndexEntry[]>, key: string, run: RunIndexEntry) => (map.get(key) ?? map.set(key, []).get(key)!).push(run);
    for (const run of runs) {
      if (run.domain) add(byDomain, run.domain, run);
      if (run.group) add(byGroup, run.group, run);
      regions.add(run.region);
    }
    for (const members of byGroup.values()) members.sort((a, b) => a.region.localeCompare(b.region));
    return { byDomain, byGroup, regions: [...regions].sort() };
  });
  return groupings;
}

/** A domain's runs, newest first. */
export async function runsOfDomain(domain: string): Promise<RunIndexEntry[]> {
  return (await group()).byDomain.get(domain) ?? [];
}

/** A region group's runs, by region. */
export async function runsOfGroup(id: string): Promise<RunIndexEntry[]> {
  return (await group()).byGroup.get(id) ?? [];
}

/** The distinct values the runs page filters on. */
export async function facets(): Promise<{ domains: string[]; regions: string[]; groups: string[] }> {
  const { byDomain, byGroup, regions } = await group();
  return { domains: [...byDomain.keys()].sort(), regions, groups: [...byGroup.keys()].sort() };
}
