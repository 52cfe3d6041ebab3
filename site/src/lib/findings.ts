/**
 * Every finding of a run with where it was raised, in the order an admin should read them: the
 * verdict's cause, the other unexpected problems as the verdict ranked them, then the rest, and the
 * expected failures last (normal for a hybrid topology, listed so nothing is hidden).
 */
import type { Finding, PhaseTrace, RunReport } from '@discotrace/core';
import { hash, stepId } from './anchors.ts';
import { html, type Html } from './html.ts';

export interface PlacedFinding {
  finding: Finding;
  /** Where it was raised: "Phase 1 · Connect to autodiscover.contoso.com:443". */
  where: string;
  href: string;
  group: 'cause' | 'problem' | 'note' | 'expected';
}

export function findingsOf(report: RunReport, phases: PhaseTrace[]): PlacedFinding[] {
  const placed: PlacedFinding[] = [];
  const seen = new Set<string>();
  const rankOf = (f: Finding) => {
    if (report.verdict.cause && same(f, report.verdict.cause)) return 0;
    const i = report.verdict.others.findIndex((o) => same(o, f));
    return i >= 0 ? i + 1 : Number.MAX_SAFE_INTEGER;
  };
  for (const phase of [...phases].sort((a, b) => a.index - b.index)) {
    for (const finding of phase.findings ?? []) push(finding, `Phase ${phase.index + 1}`, `#phase-${phase.index}`);
    for (const candidate of phase.candidates) {
      for (const step of candidate.steps) {
        for (const finding of step.findings ?? []) push(finding, `Phase ${phase.index + 1} · ${step.title}`, `#${stepId(phase.index, candidate.index, step.seq)}`);
      }
    }
  }
  // Findings the report itself raised (the v2 cross-check, a state-machine failure) are listed too.
  for (const finding of [report.verdict.cause, ...report.verdict.others]) if (finding) push(finding, 'the verdict, from the whole run (not one step)', '#verdict');
  function push(finding: Finding, where: string, href: string): void {
    const key = `${finding.code}|${finding.title}`;
    if (seen.has(key)) return;
    seen.add(key);
    const group = report.verdict.cause && same(finding, report.verdict.cause) ? 'cause'
      : finding.expected ? 'expected'
      : finding.severity === 'info' ? 'note' : 'problem';
    placed.push({ finding, where, href, group });
  }
  const order = { cause: 0, problem: 1, note: 2, expected: 3 };
  return placed.sort((a, b) => order[a.group] - order[b.group] || rankOf(a.finding) - rankOf(b.finding));
}

function same(a: Finding, b: Finding): boolean {
  return a.code === b.code && a.title === b.title;
}

/**
 * An expected failure is normal for the topology: its generic fix would mislead, so it says why
 * there is nothing to fix (a note's own fix already says so; older traces carry no reason).
 */
export function fixLine(f: Finding): Html | string {
  if (f.expected && f.expectedReason) return html`<p><strong>Fix:</strong> nothing to fix: ${f.expectedReason}.</p>`;
  if (f.expected && (f.severity !== 'info' || !f.fix)) return html`<p><strong>Fix:</strong> nothing to fix: this is normal for this topology.</p>`;
  return f.fix ? html`<p><strong>Fix:</strong> ${f.fix}</p>` : '';
}

const HEADINGS = { cause: 'Cause', problem: 'Other problems', note: 'Notes', expected: 'Expected for this topology' } as const;

/** The id of a finding in the Findings section (code and title: unique there, known to the banner). */
export function findingAnchor(f: Finding): string {
  return `finding-${f.code.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60)}-${hash(`${f.code}\u0000${f.title}`)}`;
}

/** Grouped lists, each finding with its anchor; expected findings say there is nothing to fix. */
export function findingsMarkup(findings: PlacedFinding[]): Html {
  if (findings.length === 0) return html`<p class="muted">No findings.</p>`;
  return html`${(['cause', 'problem', 'note', 'expected'] as const).map((group) => {
    const items = findings.filter((f) => f.group === group);
    if (items.length === 0) return '';
    return html`<h3>${HEADINGS[group]} <span class="muted">(${items.length})</span></h3><ul class="findings">${items.map(({ finding, where, href }) => {
      const tone = finding.expected ? 'expected' : finding.severity === 'error' ? 'fail' : finding.severity === 'warning' ? 'warn' : 'info';
      return html`<li id="${findingAnchor(finding)}" class="f f-${tone}"><p><span class="tone tone-${tone}">${finding.expected ? 'expected' : finding.severity}</span> <code>${finding.code}</code> <strong>${finding.title}</strong></p><p>${finding.explanation}</p>${fixLine(finding)}<p class="muted where">Raised at <a href="${href}">${where}</a></p></li>`;
    })}</ul>`;
  })}`;
}
