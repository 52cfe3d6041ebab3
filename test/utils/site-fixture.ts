/**
 * A trace store with the runs the site must show, made by the real pipeline against the lab, then
 * the site built from it (once per test file):
 *   - a region group: the seed from "eu-west-1" and the classic-Autodiscover failure from "us-east-1";
 *   - the seed journey (found), then the same user failing (not found): the domain's history;
 *   - a run whose trace carries hostile text (markup in summaries, headers, the body);
 *   - a damaged report (not JSON), which the site leaves out and names.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { newRunId, storeFromConfig, type PhaseTrace, type RunReport, type TraceStore } from '@discotrace/core';
import { getScenario, seed, type Scenario } from '@discotrace/lab';
import type { LocalRunResult } from '../../packages/cli/src/pipeline.ts';
import { runLabScenario } from '../../packages/cli/src/lab-run.ts';
import { buildSite, type SiteBuildResult } from '../../site/build.ts';
import { tempDir } from './lab-run.ts';

export const HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>';

export interface SiteFixture {
  dir: string;
  store: TraceStore;
  site: SiteBuildResult;
  seedRun: LocalRunResult;
  failedRun: LocalRunResult;
  group: string;
  groupRuns: LocalRunResult[];
  hostileRunId: string;
  damagedRunId: string;
  /** Every password and token the lab users have (must never reach a page). */
  secrets: string[];
  page: (relative: string) => Promise<string>;
  cleanup: () => Promise<void>;
}

const run = (store: TraceStore, scenario: Scenario, region: string, group?: string) => runLabScenario(scenario, { store, region, group });

export async function buildSiteFixture(): Promise<SiteFixture> {
  const { dir, cleanup } = await tempDir('discotrace-site-');
  const { store } = storeFromConfig({ DISCOTRACE_STORE_DIR: path.join(dir, 'traces') });
  const failing = getScenario('v2-classic-fails');
  const group = newRunId();
  const groupRuns = [await run(store, seed, 'eu-west-1', group), await run(store, failing, 'us-east-1', group)];
  const seedRun = await run(store, seed, 'local');
  const failedRun = await run(store, failing, 'local');

  // Hostile text where a server controls it: summaries, response headers and body, the headline.
  const hostileRunId = newRunId(new Date(Date.parse(seedRun.report.startedAt) - 3_600_000));
  const copy = <T>(doc: T): T => JSON.parse(JSON.stringify(doc).replaceAll(seedRun.runId, hostileRunId)) as T;
  const report: RunReport = copy(seedRun.report);
  report.startedAt = new Date(Date.parse(seedRun.report.startedAt) - 3_600_000).toISOString();
  report.verdict.headline = `Autodiscover fails ${HOSTILE}`;
  for (const phase of seedRun.phases) {
    const hostile: PhaseTrace = copy(phase);
    for (const candidate of hostile.candidates) {
      candidate.summary = `${candidate.summary} ${HOSTILE}`;
      for (const step of candidate.steps) {
        step.summary = `${step.summary} ${HOSTILE}`;
        const exchange = (step.data as { exchange?: { responseHeaders: [string, string][]; bodyExcerpt?: string } }).exchange;
        if (exchange) {
          exchange.responseHeaders.push(['x-hostile', HOSTILE]);
          exchange.bodyExcerpt = `${exchange.bodyExcerpt ?? ''}${HOSTILE}`;
        }
      }
    }
    await store.putPhase(hostile);
  }
  await store.putReport(report);

  const damagedRunId = newRunId(new Date(Date.parse(seedRun.report.startedAt) - 7_200_000));
  await store.blobs.put(`runs/${damagedRunId}/report.json`, '{"version": 1, "runId": "truncated');

  const site = await buildSite({ env: { DISCOTRACE_STORE_DIR: path.join(dir, 'traces') }, outDir: path.join(dir, 'site'), quiet: true });
  const secrets = [seed, failing].flatMap((s) => s.users.flatMap((u) => [u.password, u.bearerToken])).filter((s): s is string => typeof s === 'string' && s.length >= 4);
  return {
    dir, store, site, seedRun, failedRun, group, groupRuns, hostileRunId, damagedRunId, secrets,
    page: (relative) => readFile(path.join(site.outDir, relative), 'utf8'),
    cleanup,
  };
}
