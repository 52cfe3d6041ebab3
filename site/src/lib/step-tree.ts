/**
 * The step tree as markup: phases, their candidates, their steps, each step's findings, its HTTP
 * exchange (as recorded: credentials were masked by the probe) and its data. Plain <details>, so it
 * folds without JavaScript. Answers and unexpected failures start open; expected failures and
 * skipped candidates start folded. Built with the escaping `html` template (see html.ts).
 */
import type { Finding, HttpExchange, PhaseTrace, Step } from '@discotrace/core';
import { candidateId, certificateId, hostOf, SOURCE_LABEL, stepId } from './anchors.ts';
import { candidateStatusWord, candidateTone, duration, ROLE, stepBadge } from './format.ts';
import { own } from './format.ts';
import { dataRows } from './step-data.ts';
import { html, type Html } from './html.ts';
import { fixLine } from './findings.ts';

export function stepTree(phases: PhaseTrace[], cause?: Finding): Html {
  if (phases.length === 0) return html`<p class="muted">No phase trace of this run could be read: there are no steps to show.</p>`;
  return html`${[...phases].sort((a, b) => a.index - b.index).map((phase) => phaseSection(phase, cause))}`;
}

function phaseSection(phase: PhaseTrace, cause: Finding | undefined): Html {
  const id = `phase-${phase.index}`;
  return html`<section id="${id}" class="phase" aria-labelledby="${id}-h">
<h3 id="${id}-h">Phase ${phase.index + 1} · ${own(ROLE, phase.role)} · <span class="mono">${phase.address}</span></h3>
<p class="muted phase-meta">${outcomeText(phase)} · ${duration(phase.durationMs)} · state ${phase.state}${phase.error ? ` · ${phase.error.name}: ${phase.error.message}` : ''}</p>
${(phase.findings ?? []).length > 0 ? html`<ul class="phase-findings">${phase.findings.map((f) => html`<li><code>${f.code}</code> ${f.title}</li>`)}</ul>` : ''}
${(phase.candidates ?? []).map((candidate) => {
  const tone = candidateTone(candidate, cause);
  const open = tone === 'ok' || tone === 'fail' || tone === 'warn';
  const steps = candidate.steps ?? [];
  return html`<details id="${candidateId(phase.index, candidate.index)}" class="candidate c-${tone}"${open ? html` open` : ''}>
<summary><span class="tone tone-${tone}">${candidateStatusWord(candidate, phase)}${candidate.expected ? ' · expected' : ''}</span> <span class="c-title">${own(SOURCE_LABEL, candidate.source)}</span> <span class="mono c-url">${candidate.url}</span> <span class="muted c-ms">${duration(candidate.durationMs)}</span> <span class="c-summary">${candidate.summary}</span></summary>
${steps.length === 0 ? html`<p class="muted none">No steps ran.</p>` : html`<ol class="steps">${steps.map((step) => stepItem(phase, candidate.index, candidate.url, step))}</ol>`}
</details>`;
})}
</section>`;
}

function stepItem(phase: PhaseTrace, candidate: number, url: string, step: Step): Html {
  const badge = stepBadge(step.status, step.expected);
  const data = (step.data ?? {}) as { exchange?: HttpExchange; chain?: { fingerprint256?: string }[]; host?: string };
  const fingerprint = Array.isArray(data.chain) ? data.chain[0]?.fingerprint256 : undefined;
  const rows = dataRows(step.data);
  const open = badge.tone === 'fail' || badge.tone === 'warn';
  return html`<li><details id="${stepId(phase.index, candidate, step.seq)}" class="step"${open ? html` open` : ''}>
<summary><span class="icon icon-${badge.tone}" aria-hidden="true">${badge.icon}</span><span class="visually-hidden">${badge.label}:</span> <span class="s-title">${step.title}</span> <span class="s-summary">${step.summary}</span>${step.expected ? html` <span class="tone tone-expected">expected</span>` : ''} <span class="muted s-ms">${duration(step.durationMs)}</span></summary>
<div class="s-body">
${(step.findings ?? []).map(findingBox)}
${data.exchange ? exchangeView(data.exchange) : ''}
${fingerprint ? html`<p><a href="#${certificateId(data.host ?? hostOf(url), fingerprint)}">Certificate chain (${data.chain!.length}) ↓</a></p>` : ''}
${rows.length > 0 ? html`<dl class="data">${rows.map((row) => html`<dt>${row.label}</dt><dd>${row.block ? html`<pre>${row.value}</pre>` : html`<span class="mono">${row.value}</span>`}</dd>`)}</dl>` : ''}
<p class="muted at">${step.kind} · started ${step.startedAt.slice(11, 23)}</p>
</div>
</details></li>`;
}

function findingBox(f: Finding): Html {
  return html`<div class="finding f-${f.expected ? 'expected' : f.severity}"><p><code>${f.code}</code> <strong>${f.title}</strong>${f.expected ? ' (expected for this topology)' : ''}</p><p>${f.explanation}</p>${fixLine(f)}</div>`;
}

function exchangeView(exchange: HttpExchange): Html {
  const request = [`${exchange.method} ${exchange.url}`, ...Object.entries(exchange.requestHeaders ?? {}).map(([k, v]) => `${k}: ${v}`)].join('\n');
  const status = exchange.status === undefined ? 'no response' : `HTTP ${exchange.status}${exchange.statusText ? ` ${exchange.statusText}` : ''}`;
  const headers = Array.isArray(exchange.responseHeaders) ? exchange.responseHeaders : [];
  const response = [status, ...headers.map((pair) => (Array.isArray(pair) ? `${pair[0]}: ${pair[1]}` : String(pair)))].join('\n');
  const bodyNote = exchange.truncated ? ` (first part of ${exchange.bodyBytes} bytes)` : ` (${exchange.bodyBytes} bytes)`;
  return html`<div class="exchange">
<h4>Request <span class="muted">(${exchange.auth === 'none' ? 'anonymous' : `${exchange.auth} credentials, masked`})</span></h4>
<pre>${request}</pre>
${exchange.requestBody ? html`<pre>${exchange.requestBody}</pre>` : ''}
<h4>Response</h4>
<pre>${response}</pre>
${exchange.bodyExcerpt ? html`<p class="muted">Body${bodyNote}</p><pre>${exchange.bodyExcerpt}</pre>` : html`<p class="muted">Empty body${exchange.bodyBytes ? bodyNote : ''}.</p>`}
</div>`;
}

function outcomeText(phase: PhaseTrace): string {
  const o = phase.outcome;
  if (!o) return phase.state === 'running' ? 'did not finish (checkpoint)' : phase.state;
  if (o.kind === 'settings') return `settings from ${o.url}`;
  if (o.kind === 'redirectAddr') return `redirectAddr → ${o.address}`;
  return `${o.kind}: ${o.reason}`;
}
