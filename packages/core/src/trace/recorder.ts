import type { CandidateSource, CandidateStatus, CandidateTrace, Finding, PhaseTrace, Step, StepKind, StepStatus } from './model.ts';
import { expect } from './findings.ts';

/** Events for live views. `path` orders candidates canonically: [top-level index, redirect child, …]. */
export type ProbeEvent =
  | { type: 'phase:start'; runId: string; phase: number; address: string }
  | { type: 'candidate:start'; runId: string; phase: number; path: number[]; title: string; url: string }
  | { type: 'step'; runId: string; phase: number; path: number[]; step: Step }
  | { type: 'candidate:end'; runId: string; phase: number; path: number[]; status: CandidateStatus; summary: string }
  | { type: 'phase:end'; runId: string; phase: number; trace: PhaseTrace };

const CONNECTIVITY = new Set<StepKind>(['dns:resolve', 'dns:srv', 'tcp:connect', 'tls:handshake', 'tls:cert-name', 'tls:cert-trust', 'tls:cert-dates']);

export function isConnectivityStep(kind: StepKind): boolean {
  return CONNECTIVITY.has(kind);
}

export type ProbeObserver = (event: ProbeEvent) => void;

const TEXT_MAX = 500;
const STRING_MAX = 8_192;
const ARRAY_MAX = 200;

/** One line for people, bounded: server-supplied text can be megabytes. */
export function boundText(text: string, max = TEXT_MAX): string {
  return text.length > max ? `${text.slice(0, max)}… [${text.length - max} more characters]` : text;
}

/** Keeps step data small whatever a server sends: long strings and long lists are cut, with a marker. */
export function boundData<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return boundText(value, STRING_MAX) as T;
  if (depth > 12 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const kept = value.slice(0, ARRAY_MAX).map((v) => boundData(v, depth + 1));
    if (value.length > ARRAY_MAX) kept.push(`… ${value.length - ARRAY_MAX} more entries`);
    return kept as T;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, boundData(v, depth + 1)])) as T;
}

export interface StepResult {
  status: StepStatus;
  summary: string;
  data?: Record<string, unknown>;
  findings?: Finding[];
  expected?: boolean;
}

/**
 * Records one candidate's steps in the order they were started (which is the canonical order:
 * steps within a candidate run one after another).
 */
export class CandidateRecorder {
  readonly trace: CandidateTrace;
  readonly path: number[];
  readonly #emit: (e: ProbeEvent) => void;
  readonly #started = performance.now();
  #slots: (Step | undefined)[] = [];
  /** When set, failures are normal for this candidate (tenant routing domain over HTTPS): marked as they happen. */
  expectFailures: string | undefined;
  /** A cross-check (v2): its findings inform, never lead a verdict. */
  advisory = false;
  /** A URL the settings returned: Autodiscover worked, so its problems are warnings about what comes next. */
  returnedUrl = false;
  /** The candidate that redirected here (its path), so the trace can point back with `from`. */
  parentPath: number[] | undefined;
  /** Prepended to finding titles that do not already name it (which service a DNS or certificate problem hits). */
  findingPrefix = '';

  constructor(path: number[], source: CandidateSource, url: string, title: string, emit: (e: ProbeEvent) => void) {
    this.path = path;
    this.#emit = emit;
    this.trace = { index: -1, source, url, title, status: 'not-run', expected: false, summary: '', durationMs: 0, steps: [] };
  }

  /** Starts a step; call the returned function with its result. */
  begin(kind: StepKind, title: string): (result: StepResult) => Step {
    const seq = this.#slots.length;
    this.#slots.push(undefined);
    const startedAt = new Date().toISOString();
    const t0 = performance.now();
    return (result) => {
      // Only connectivity can be "expected" to fail; an answer from a server that did respond always counts.
      const expectedNow = this.expectFailures != null && result.status !== 'pass' && CONNECTIVITY.has(kind);
      if (expectedNow) for (const f of result.findings ?? []) expect(f, this.expectFailures!);
      const step: Step = {
        seq,
        kind,
        title: boundText(title),
        status: result.status,
        expected: result.expected ?? expectedNow,
        summary: boundText(result.summary),
        startedAt,
        durationMs: Math.round((performance.now() - t0) * 10) / 10,
        data: boundData(result.data ?? {}),
        findings: (result.findings ?? []).map((f) => ({
          ...f,
          ...(this.advisory ? { severity: 'info' as const } : this.returnedUrl && f.severity === 'error' ? { severity: 'warning' as const } : {}),
          title: boundText(this.findingPrefix && !f.title.startsWith(this.findingPrefix.split(' URL ')[0]!) ? `${this.findingPrefix}${f.title}` : f.title),
          ...(this.returnedUrl ? { fix: `${f.fix} For a returned URL, check the ExternalUrl (and InternalUrl) of the virtual directory behind it.` } : {}),
          ...(f.evidence ? { evidence: boundData(f.evidence) } : {}),
        })),
      };
      this.#slots[seq] = step;
      this.trace.steps = this.#slots.filter((s): s is Step => s != null);
      this.#emit({ type: 'step', path: this.path, step } as ProbeEvent);
      return step;
    };
  }

  /** Records a step that took no time (a decision, a skipped check). */
  note(kind: StepKind, title: string, result: StepResult): Step {
    return this.begin(kind, title)(result);
  }

  finish(status: CandidateStatus, summary: string, expected = false): void {
    this.trace.status = status;
    this.trace.summary = summary;
    this.trace.expected = expected;
    this.trace.durationMs = Math.round(performance.now() - this.#started);
    this.trace.steps = this.#slots.filter((s): s is Step => s != null);
  }

  get finished(): boolean {
    return this.trace.status !== 'not-run';
  }
}
