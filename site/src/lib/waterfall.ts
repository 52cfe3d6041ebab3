/**
 * Step timings on one time axis: a row per candidate, a segment per step, placed by when the step
 * started relative to the run. Candidates of a phase run concurrently, so the rows overlap in time
 * and the slow part (a DNS timeout, a TCP blackhole) stands out.
 */
import type { PhaseTrace, RunReport } from '@discotrace/core';
import { candidateId, hostOf, SOURCE_LABEL, stepId } from './anchors.ts';
import { candidateTone, duration, type Tone } from './format.ts';
import { own } from './format.ts';
import { html, type Html } from './html.ts';

export interface WaterfallSegment {
  /** Percent of the axis. */
  left: number;
  width: number;
  layer: string;
  title: string;
  href: string;
}

export interface WaterfallRow {
  label: string;
  href: string;
  tone: Tone;
  startMs: number;
  /** The candidate's own time, as the step tree shows it: its steps and its waits between them. */
  durationMs: number;
  /** That time on the axis (percent): the gaps between segments are waits for a turn or an answer. */
  span: { left: number; width: number };
  segments: WaterfallSegment[];
}

export interface Waterfall {
  totalMs: number;
  rows: WaterfallRow[];
  /** Axis ticks, in ms, with their position in percent. */
  ticks: { ms: number; at: number }[];
}

export function waterfall(report: RunReport, phases: PhaseTrace[]): Waterfall {
  const origin = Date.parse(report.startedAt);
  const steps = phases.flatMap((p) => p.candidates.flatMap((c) => c.steps));
  const ends = steps.map((s) => Date.parse(s.startedAt) - origin + (s.durationMs || 0)).filter(Number.isFinite);
  const finished = Date.parse(report.finishedAt) - origin;
  // Loops, not spreads: a tampered trace with 100,000 steps must not overflow the call stack.
  const totalMs = ends.reduce((a, b) => (b > a ? b : a), Math.max(1, Number.isFinite(finished) ? finished : 0));
  const at = (ms: number) => Math.min(100, Math.max(0, (ms / totalMs) * 100));
  const rows: WaterfallRow[] = [];
  for (const phase of [...phases].sort((a, b) => a.index - b.index)) {
    for (const candidate of phase.candidates) {
      if (candidate.steps.length === 0) continue;
      const starts = candidate.steps.map((s) => Date.parse(s.startedAt) - origin).filter(Number.isFinite);
      const start = starts.length ? starts.reduce((a, b) => (b < a ? b : a)) : 0;
      const end = candidate.steps.map((s) => Date.parse(s.startedAt) - origin + (s.durationMs || 0)).filter(Number.isFinite).reduce((a, b) => (b > a ? b : a), start);
      // Credentials go out in priority order only, so a candidate may wait after its own steps.
      const took = Math.max(candidate.durationMs || 0, end - start);
      rows.push({
        label: `Phase ${phase.index + 1} · ${own(SOURCE_LABEL, candidate.source)} · ${hostOf(candidate.url)}`,
        href: `#${candidateId(phase.index, candidate.index)}`,
        tone: candidateTone(candidate, report.verdict.cause),
        startMs: start,
        durationMs: took,
        span: { left: at(start), width: at(start + took) - at(start) },
        segments: candidate.steps.map((step) => {
          const offset = Date.parse(step.startedAt) - origin;
          return {
            left: at(Number.isFinite(offset) ? offset : start),
            width: at(step.durationMs || 0),
            layer: step.kind.split(':')[0] ?? 'other',
            title: `${step.title}: ${Math.round(step.durationMs || 0)} ms`,
            href: `#${stepId(phase.index, candidate.index, step.seq)}`,
          };
        }),
      });
    }
  }
  return { totalMs, rows, ticks: ticks(totalMs).map((ms) => ({ ms, at: at(ms) })) };
}

/** Four or five round tick values across the axis. */
function ticks(total: number): number[] {
  const raw = total / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const list: number[] = [];
  for (let ms = 0; ms <= total; ms += step) list.push(ms);
  return list;
}

/** The table body: a row per candidate with its start, its duration and its step segments. */
export function waterfallRows(w: Waterfall): Html {
  return html`${w.rows.map((row) => html`<tr><th scope="row"><a href="${row.href}">${row.label}</a></th><td class="wf-num">+${duration(row.startMs)}</td><td class="wf-num">${duration(row.durationMs)}</td><td class="track-cell"><div class="track track-${row.tone}" aria-hidden="true"><span class="wait" style="left:${row.span.left.toFixed(2)}%;width:${row.span.width.toFixed(2)}%"></span>${row.segments.map((s) => html`<a href="${s.href}" tabindex="-1" class="seg seg-${s.layer}" style="left:${s.left.toFixed(2)}%;width:${s.width.toFixed(2)}%" title="${s.title}"></a>`)}</div></td></tr>`)}`;
}
