/** How times, durations and statuses read on the site (one place, so every page agrees). */
import type { CandidateStatus, CandidateTrace, Finding, StepStatus, VerdictStatus } from '@discotrace/core';
import { redirectedOn } from '@discotrace/core/trace/facts';

/** `map[key]`, or the key itself: never an inherited property ("constructor", "toString"). */
export function own(map: Record<string, string>, key: string): string {
  return Object.hasOwn(map, key) ? (map[key] as string) : key;
}

export function duration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms === 0) return '0 ms';
  // Beyond any real run (a damaged trace): no 17-digit minute counts.
  if (ms >= 100 * 86_400_000) return 'over 100 days';
  if (ms < 1) return '<1 ms';
  // Each unit's range is checked after rounding, so 999.6 ms is "1.00 s", never "1000 ms", and 119.6 s
  // is "2 min 0 s", never "1 min 60 s".
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  if (Number((ms / 1000).toFixed(2)) < 10) return `${(ms / 1000).toFixed(2)} s`;
  if (Number((ms / 1000).toFixed(1)) < 60) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/** "2026-12-03 18:49:14 UTC": reports are compared across regions, so one time zone. */
export function utc(iso: string | undefined): string {
  if (!iso) return '–';
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : `${time.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export type Tone = 'ok' | 'fail' | 'warn' | 'info' | 'skip' | 'expected';

/** Icon and words for a step status; the words are what a screen reader says. */
export function stepBadge(status: StepStatus, expected: boolean): { tone: Tone; icon: string; label: string } {
  if (expected && (status === 'fail' || status === 'warn')) return { tone: 'expected', icon: '◌', label: 'expected failure' };
  switch (status) {
    case 'pass': return { tone: 'ok', icon: '✓', label: 'passed' };
    case 'fail': return { tone: 'fail', icon: '✗', label: 'failed' };
    case 'warn': return { tone: 'warn', icon: '!', label: 'warning' };
    case 'info': return { tone: 'info', icon: 'i', label: 'information' };
    default: return { tone: 'skip', icon: '–', label: 'skipped' };
  }
}

/**
 * A candidate's colour. One that failed only with warnings left (its failure itself normal for the
 * topology, like the bare domain's web site with a misnamed certificate) is a warning, not red:
 * red is kept for what stopped Autodiscover.
 */
export function candidateTone(candidate: Pick<CandidateTrace, 'status' | 'expected' | 'steps'>, cause?: Finding): Tone {
  switch (candidate.status) {
    case 'settings':
    case 'redirectAddr':
    case 'answered':
      return 'ok';
    case 'error-response':
      return candidate.expected ? 'expected' : 'warn';
    case 'failed':
      if (candidate.expected) return 'expected';
      return onlyWarnings(candidate) && !raised(candidate, cause) ? 'warn' : 'fail';
    default:
      return 'skip';
  }
}

function onlyWarnings(candidate: Pick<CandidateTrace, 'steps'>): boolean {
  const open = (candidate.steps ?? []).flatMap((s) => s.findings ?? []).filter((f) => f && !f.expected);
  return open.some((f) => f.severity === 'warning') && open.every((f) => f.severity === 'warning' || f.severity === 'info');
}

/** The candidate raised the verdict's cause (a warning can be the cause: AUTH_WITHHELD_HOST). */
function raised(candidate: Pick<CandidateTrace, 'steps'>, cause: Finding | undefined): boolean {
  return !!cause && (candidate.steps ?? []).some((s) => (s.findings ?? []).some((f) => f?.code === cause.code && f.title === cause.title));
}

export const CANDIDATE_STATUS: Record<CandidateStatus, string> = {
  settings: 'settings',
  redirectAddr: 'redirectAddr',
  'error-response': 'error response',
  answered: 'answered',
  failed: 'failed',
  skipped: 'skipped',
  'not-run': 'not run',
};

export const VERDICT: Record<VerdictStatus, { tone: Tone; label: string }> = {
  found: { tone: 'ok', label: 'Settings found' },
  'not-found': { tone: 'fail', label: 'Not found' },
  incomplete: { tone: 'warn', label: 'Incomplete' },
};

/** Tone and words of a verdict; an unknown one (a newer or damaged document) reads as itself. */
export function verdictLook(status: string): { tone: Tone; label: string } {
  return Object.hasOwn(VERDICT, status) ? VERDICT[status as VerdictStatus] : { tone: 'warn', label: status };
}

export const ROLE = { onprem: 'on-premises', cloud: 'Exchange Online' } as const;

/** A candidate's outcome in words: "redirected" for one that only sent the client on (core's redirectedOn). */
export function candidateStatusWord(candidate: CandidateTrace, phase: { candidates: CandidateTrace[] }): string {
  return redirectedOn(candidate, phase.candidates) ? 'redirected' : own(CANDIDATE_STATUS, candidate.status);
}
