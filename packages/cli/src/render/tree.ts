import { settingsUrls, type CandidateTrace, type PhaseTrace, type ProbeEvent, type RunReport, type Step, type StepStatus } from '@discotrace/core';

/** Terminal rendering of traces: reads the trace model, decides nothing about the protocol. */

export interface Style {
  color: boolean;
}

const MARK: Record<StepStatus, string> = { pass: '✓', fail: '✗', warn: '!', info: 'i', skip: '–' };
const CODE: Record<StepStatus, string> = { pass: '32', fail: '31', warn: '33', info: '36', skip: '90' };

export function paint(style: Style, code: string, text: string): string {
  return style.color ? `\u001b[${code}m${text}\u001b[0m` : text;
}

/** Server-supplied text (titles, messages, headers) must not drive the terminal: drop control characters. */
export function clean(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '\uFFFD').replace(/\n/g, ' ');
}

/** JSON for a terminal or a pipe: C1 controls and bidi/line-separator characters escaped as \\uXXXX. */
export function safeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function ms(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`;
}

function mark(style: Style, status: StepStatus, expected: boolean): string {
  return expected && status !== 'pass' ? paint(style, '90', MARK[status]) : paint(style, CODE[status], MARK[status]);
}

export function stepLine(style: Style, step: Step, indent: string): string {
  const exp = step.expected && step.status !== 'pass' ? paint(style, '90', ' (expected)') : '';
  return `${indent}${mark(style, step.status, step.expected)} ${clean(step.title)}${exp} ${paint(style, '90', '—')} ${clean(step.summary)} ${paint(style, '90', `[${ms(step.durationMs)}]`)}`;
}

const CANDIDATE_STATUS: Record<CandidateTrace['status'], StepStatus> = { settings: 'pass', redirectAddr: 'pass', answered: 'pass', 'error-response': 'fail', failed: 'fail', skipped: 'skip', 'not-run': 'skip' };

export function candidateLine(style: Style, c: { title: string; status: CandidateTrace['status']; summary: string; expected: boolean }, indent: string): string {
  const status = CANDIDATE_STATUS[c.status];
  const exp = c.expected && status === 'fail' ? paint(style, '90', ' (expected)') : '';
  return `${indent}${mark(style, status, c.expected)} ${paint(style, '1', clean(c.title))}${exp}${c.summary ? ` ${paint(style, '90', '—')} ${clean(c.summary)}` : ''}`;
}

export function phaseHeader(style: Style, index: number, role: string, address: string): string {
  const label = index === 0 ? 'on-premises phase' : role === 'cloud' || index > 0 ? 'Exchange Online phase (after redirectAddr)' : role;
  return paint(style, '1', `Phase ${index + 1} · ${label} · ${address}`);
}

function depthIndent(path: number[]): string {
  return '  '.repeat(path.length);
}

/**
 * Prints steps as they complete, yet in canonical order: a candidate's block is printed once every
 * candidate before it (by path) has ended; within the open candidate, steps stream as they arrive.
 * Append-only, so it works the same on a terminal and in a log file.
 */
export class LiveTree {
  readonly #write: (line: string) => void;
  readonly #style: Style;
  #slots: { path: number[]; title: string; steps: Step[]; printed: number; headerPrinted: boolean; ended?: { status: CandidateTrace['status']; summary: string } }[] = [];

  constructor(write: (line: string) => void, style: Style) {
    this.#write = write;
    this.#style = style;
  }

  on(event: ProbeEvent): void {
    switch (event.type) {
      case 'phase:start':
        this.#slots = [];
        this.#write('');
        this.#write(phaseHeader(this.#style, event.phase, event.phase === 0 ? 'onprem' : 'cloud', clean(event.address)));
        return;
      case 'candidate:start':
        this.#slots.push({ path: event.path, title: event.title, steps: [], printed: 0, headerPrinted: false });
        this.#slots.sort((a, b) => compare(a.path, b.path));
        break;
      case 'step':
        this.#slot(event.path)?.steps.push(event.step);
        break;
      case 'candidate:end': {
        const s = this.#slot(event.path);
        if (s) s.ended = { status: event.status, summary: event.summary };
        break;
      }
      case 'phase:end': {
        // Expected failures are only known once the phase has ended: say so per candidate.
        this.#write(paint(this.#style, '90', '  Outcome per candidate:'));
        for (const c of event.trace.candidates) this.#write(candidateLine(this.#style, c, c.from != null ? '      ' : '    '));
        return;
      }
    }
    this.#flush();
  }

  #slot(path: number[]) {
    return this.#slots.find((s) => compare(s.path, path) === 0);
  }

  #flush(): void {
    for (const s of this.#slots) {
      if (!s.headerPrinted) {
        this.#write(`${depthIndent(s.path)}${paint(this.#style, '1', clean(s.path.length > 1 ? `↳ ${s.title}` : s.title))}`);
        s.headerPrinted = true;
      }
      s.steps.sort((a, b) => a.seq - b.seq);
      while (s.printed < s.steps.length && s.steps[s.printed]!.seq === s.printed) {
        this.#write(stepLine(this.#style, s.steps[s.printed]!, `${depthIndent(s.path)}  `));
        s.printed++;
      }
      // Later candidates wait until this one (and its redirect children) have ended.
      if (!s.ended) return;
    }
  }
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** The whole journey from stored traces (used for `show`-style output and tests). */
export function renderPhases(style: Style, phases: PhaseTrace[]): string[] {
  const lines: string[] = [];
  for (const p of phases) {
    lines.push('', phaseHeader(style, p.index, p.role, p.address));
    for (const c of p.candidates) {
      const depth = c.from != null ? 2 : 1;
      lines.push(candidateLine(style, { ...c, title: c.from != null ? `↳ ${c.title}` : c.title }, '  '.repeat(depth)));
      for (const s of c.steps) lines.push(stepLine(style, s, '  '.repeat(depth + 1)));
    }
  }
  return lines;
}

export function renderVerdict(style: Style, report: RunReport): string[] {
  const v = report.verdict;
  const ok = v.status === 'found';
  const lines = ['', paint(style, ok ? '1;32' : '1;31', verdictLine(report))];
  if (v.cause) lines.push(`  Why: ${clean(v.cause.explanation)}`);
  if (report.chain.length) {
    lines.push('', paint(style, '1', 'Redirect chain'));
    for (const h of report.chain) lines.push(clean(`  ${h.accepted ? '→' : '✗'} hop ${h.hop} ${h.kind}: ${h.from} → ${h.to}${h.reason ? ` (${h.reason})` : ''}`));
  }
  if (v.settings) {
    const s = v.settings;
    lines.push('', paint(style, '1', s.activeSyncUrl && !s.ewsUrl ? 'Settings an ActiveSync client would use' : 'Settings Outlook would use'));
    const rows: [string, string | undefined][] = [
      ['Display name', s.displayName],
      ['Primary SMTP', s.autoDiscoverSmtpAddress],
      ['Exchange Online', s.microsoftOnline == null ? undefined : s.microsoftOnline ? 'yes' : 'no'],
      ...settingsUrls(s),
      ['Protocols', s.protocols.map((p) => p.type).join(', ')],
    ];
    for (const [k, val] of rows) if (val) lines.push(`  ${k.padEnd(18)} ${clean(val.length > 300 ? `${val.slice(0, 300)}… (${val.length - 300} more characters)` : val)}`);
  }
  const others = v.others.slice(0, 8);
  if (others.length) {
    lines.push('', paint(style, '1', ok ? 'Warnings' : 'Also found'));
    // The run worked, so nothing among its others stopped it: under "Warnings" every line is a
    // warning ('!'), whatever the finding's own severity. A failed run keeps ✗ for errors.
    for (const f of others) lines.push(`  ${!ok && f.severity === 'error' ? '✗' : '!'} ${clean(f.title)}`);
    if (v.others.length > others.length) lines.push(`  … and ${v.others.length - others.length} more (see the trace)`);
  }
  for (const f of report.failures) lines.push(paint(style, '31', clean(`  State ${f.state} failed: ${f.error}`)));
  if (report.clients?.length) {
    lines.push('', paint(style, '1', 'Which clients will configure themselves'));
    const width = Math.max(...report.clients.map((c) => c.client.length));
    const mark: Record<string, string> = { yes: paint(style, '32', 'yes'), no: paint(style, '31', 'no '), unknown: paint(style, '90', ' ? ') };
    for (const c of report.clients) lines.push(`  ${c.client.padEnd(width)}  ${mark[c.verdict]}  ${clean(c.reason)}`);
  }
  return lines;
}

/** The verdict in one line: the outcome, the cause and the fix. */
export function verdictLine(report: RunReport): string {
  const v = report.verdict;
  if (v.status === 'found') return `✓ ${clean(v.headline)}`;
  return `✗ ${clean(v.headline)}${v.cause ? ` — Fix: ${clean(v.cause.fix)}` : ''}`;
}
