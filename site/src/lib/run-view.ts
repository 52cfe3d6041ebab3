/**
 * Everything a run page shows, prepared from the store in one call: the normalised report, and the
 * repeated structures already rendered to markup (escaped by html.ts): on a 10,000-run site these
 * strings cost a fraction of the same markup as Astro expressions.
 */
import type { RunReport } from '@discotrace/core';
import { loadRun } from './data.ts';
import { diagramMarkup, journeyDiagram } from './journey.ts';
import { waterfall, waterfallRows } from './waterfall.ts';
import { certificatesMarkup, certificatesOf } from './certificates.ts';
import { findingsMarkup, findingsOf } from './findings.ts';
import { stepTree } from './step-tree.ts';

export interface RunView {
  report: RunReport;
  problems: string[];
  diagram: { width: number; height: number; steps: string[]; svg: string };
  timings: { totalMs: number; ticks: { ms: number; at: number }[]; rows: string };
  tree: string;
  certificates: string;
  findings: string;
}

export async function buildRunView(runId: string): Promise<RunView> {
  const { report, phases, problems } = await loadRun(runId);
  const diagram = journeyDiagram(report, phases);
  const timing = waterfall(report, phases);
  return {
    report,
    problems,
    diagram: { width: diagram.width, height: diagram.height, steps: diagram.steps, svg: diagramMarkup(diagram).value },
    timings: { totalMs: timing.totalMs, ticks: timing.ticks, rows: waterfallRows(timing).value },
    tree: stepTree(phases).value,
    certificates: certificatesMarkup(certificatesOf(phases), report.startedAt).value,
    findings: findingsMarkup(findingsOf(report, phases)).value,
  };
}
