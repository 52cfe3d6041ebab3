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
  /** The journey drawn twice: side by side for a screen, top to bottom for a phone (CSS shows one). */
  diagram: { steps: string[]; wide: DrawnDiagram; tall: DrawnDiagram };
  timings: { totalMs: number; ticks: { ms: number; at: number }[]; rows: string };
  tree: string;
  /** How many steps the tree holds (none: no expand/collapse, no timings table). */
  steps: number;
  certificates: string;
  findings: string;
}

export interface DrawnDiagram {
  width: number;
  height: number;
  svg: string;
}

export async function buildRunView(runId: string): Promise<RunView> {
  const { report, phases, problems } = await loadRun(runId);
  const wide = journeyDiagram(report, phases, 'wide');
  const tall = journeyDiagram(report, phases, 'tall');
  const drawn = (d: typeof wide): DrawnDiagram => ({ width: d.width, height: d.height, svg: diagramMarkup(d).value });
  const timing = waterfall(report, phases);
  return {
    report,
    problems,
    diagram: { steps: wide.steps, wide: drawn(wide), tall: drawn(tall) },
    timings: { totalMs: timing.totalMs, ticks: timing.ticks, rows: waterfallRows(timing).value },
    tree: stepTree(phases, report.verdict.cause).value,
    steps: phases.reduce((n, p) => n + p.candidates.reduce((m, c) => m + c.steps.length, 0), 0),
    certificates: certificatesMarkup(certificatesOf(phases), report.startedAt, problems.length > 0).value,
    findings: findingsMarkup(findingsOf(report, phases)).value,
  };
}
