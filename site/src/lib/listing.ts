/** The runs listings the site pre-builds (all, per verdict, per region), so filtering needs no JavaScript. */
import type { RunIndexEntry, VerdictStatus } from '@discotrace/core';
import { PAGE_SIZE, regionSlug, type RunList } from './paths.ts';

export const VERDICTS: VerdictStatus[] = ['found', 'not-found', 'incomplete'];

export interface Listing {
  list: RunList;
  title: string;
  runs: RunIndexEntry[];
  pages: number;
}

const cache = new WeakMap<RunIndexEntry[], Listing[]>();

/** Every listing of these runs (computed once per build: the runs array is the build's listing). */
export function listings(runs: RunIndexEntry[]): Listing[] {
  let known = cache.get(runs);
  if (!known) cache.set(runs, (known = computeListings(runs)));
  return known;
}

function computeListings(runs: RunIndexEntry[]): Listing[] {
  const result: Listing[] = [make('all', 'All runs', runs)];
  for (const verdict of VERDICTS) {
    const some = runs.filter((r) => r.verdict === verdict);
    if (some.length) result.push(make(`verdict-${verdict}`, `Runs with verdict ${verdict}`, some));
  }
  const regions = [...new Set(runs.map((r) => r.region))].sort();
  for (const region of regions) result.push(make(`region-${regionSlug(region)}`, `Runs from region ${region}`, runs.filter((r) => r.region === region)));
  return result;
}

function make(list: RunList, title: string, runs: RunIndexEntry[]): Listing {
  return { list, title, runs, pages: Math.max(1, Math.ceil(runs.length / PAGE_SIZE)) };
}

export function pageOf(listing: Listing, page: number): RunIndexEntry[] {
  return listing.runs.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
}
