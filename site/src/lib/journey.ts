/**
 * The journey as a diagram: the client, then one column per phase (the on-premises walk, then each
 * Exchange Online hand-off) with its candidates in walk order, then where it ended. Arrows follow
 * the path taken: redirectAddr between phases, HTTP and redirectUrl redirects inside a phase. Only
 * geometry is computed here; JourneyDiagram.astro draws it and CSS colours it by tone.
 */
import type { PhaseTrace, RedirectHop, RunReport } from '@discotrace/core';
import { candidateId, hostOf, SOURCE_LABEL } from './anchors.ts';
import { candidateTone, CANDIDATE_STATUS, ROLE, type Tone } from './format.ts';
import { own } from './format.ts';
import { html, type Html } from './html.ts';

export interface DiagramNode {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
  tone: Tone;
  /** Cross-checks are drawn dashed: they inform, they never answer. */
  check: boolean;
  label: string;
  sublabel: string;
  /** Full text for the tooltip and the text alternative. */
  title: string;
  href?: string;
}

export interface DiagramEdge {
  d: string;
  tone: Tone;
  label?: string;
  labelX: number;
  labelY: number;
  /** Labels of loops sit beside them, in the gap between columns. */
  anchor?: 'start' | 'middle';
}

export interface Diagram {
  width: number;
  height: number;
  nodes: DiagramNode[];
  edges: DiagramEdge[];
  /** The same journey in words, in order. */
  steps: string[];
}

const PAD = 16;
const SIDE_W = 170;
const COL_W = 270;
const GAP_X = 116;
const HEAD_H = 50;
const NODE_H = 44;
const GAP_Y = 10;
const LABEL_CHARS = 36;

export function journeyDiagram(report: RunReport, phases: PhaseTrace[]): Diagram {
  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  const steps: string[] = [];
  const sorted = [...phases].sort((a, b) => a.index - b.index);

  const client: DiagramNode = {
    id: 'client', x: PAD, y: PAD, w: SIDE_W, h: HEAD_H, tone: 'info', check: false,
    label: 'Client', sublabel: clip(report.address, 24), title: `The client asks for ${report.address}`,
  };
  nodes.push(client);
  steps.push(`The client starts Autodiscover for ${report.address}.`);

  let previous: DiagramNode = client;
  let previousExit: DiagramNode | undefined;
  let tallest = HEAD_H;
  let ending: DiagramNode | undefined;
  sorted.forEach((phase, column) => {
    const x = PAD + SIDE_W + GAP_X + column * (COL_W + GAP_X);
    const outcome = phase.outcome?.kind ?? phase.state;
    const head: DiagramNode = {
      id: `phase-${phase.index}`, x, y: PAD, w: COL_W, h: HEAD_H,
      tone: phase.outcome?.kind === 'settings' || phase.outcome?.kind === 'redirectAddr' ? 'ok' : phase.state === 'running' ? 'skip' : 'fail',
      check: false,
      label: `Phase ${phase.index + 1} · ${own(ROLE, phase.role)}`,
      sublabel: clip(phase.address, LABEL_CHARS),
      title: `Phase ${phase.index + 1} (${own(ROLE, phase.role)}) for ${phase.address}: ${outcome}`,
      href: `#phase-${phase.index}`,
    };
    nodes.push(head);
    const from = previousExit ?? previous;
    edges.push(arrow(from, head, previousExit ? 'ok' : 'info', previousExit ? 'redirectAddr' : undefined));
    steps.push(`Phase ${phase.index + 1} (${own(ROLE, phase.role)}) for ${phase.address}: ${describeOutcome(phase)}.`);

    const byIndex = new Map<number, DiagramNode>();
    phase.candidates.forEach((candidate, row) => {
      const tone = candidateTone(candidate.status, candidate.expected);
      const check = candidate.source === 'autodiscover-v2' || candidate.source === 'returned-url';
      const node: DiagramNode = {
        id: candidateId(phase.index, candidate.index),
        x, y: PAD + HEAD_H + GAP_Y + row * (NODE_H + GAP_Y), w: COL_W, h: NODE_H, tone, check,
        label: `${own(SOURCE_LABEL, candidate.source)}`,
        sublabel: clipMiddle(hostOf(candidate.url), LABEL_CHARS),
        title: `${candidate.url}: ${own(CANDIDATE_STATUS, candidate.status)}${candidate.expected ? ' (expected)' : ''}. ${candidate.summary}`,
        href: `#${candidateId(phase.index, candidate.index)}`,
      };
      nodes.push(node);
      byIndex.set(candidate.index, node);
      steps.push(`  ${own(SOURCE_LABEL, candidate.source)} ${candidate.url}: ${own(CANDIDATE_STATUS, candidate.status)}${candidate.expected ? ' (expected for this topology)' : ''}`);
      tallest = Math.max(tallest, node.y + node.h - PAD);
    });
    // Redirects inside the phase: a loop on the right edge of the column, from source to target.
    for (const candidate of phase.candidates) {
      if (candidate.from === undefined) continue;
      const source = byIndex.get(candidate.from);
      const target = byIndex.get(candidate.index);
      if (!source || !target) continue;
      const hop = phase.redirects.find((r) => r.to === candidate.url);
      edges.push(loop(source, target, target.tone === 'ok' ? 'ok' : target.tone, hopLabel(hop)));
    }
    const exit = phase.candidates.find((c) => c.status === phase.outcome?.kind && (c.status === 'settings' || c.status === 'redirectAddr') && c.url === (phase.outcome as { url?: string }).url)
      ?? phase.candidates.find((c) => c.status === 'redirectAddr' || c.status === 'settings');
    previous = head;
    previousExit = exit ? byIndex.get(exit.index) : undefined;
    if (phase.outcome?.kind === 'settings') ending = byIndex.get(exit?.index ?? -1) ?? head;
  });

  const x = PAD + SIDE_W + GAP_X + sorted.length * (COL_W + GAP_X);
  const found = report.verdict.status === 'found';
  const ews = report.verdict.settings?.ewsUrl ?? report.verdict.settings?.activeSyncUrl;
  const end: DiagramNode = {
    id: 'end', x, y: PAD, w: SIDE_W, h: HEAD_H, tone: found ? 'ok' : report.verdict.status === 'incomplete' ? 'warn' : 'fail', check: false,
    label: found ? 'Settings' : report.verdict.status === 'incomplete' ? 'Incomplete' : 'No settings',
    sublabel: found ? clip(ews ? hostOf(ews) : 'received', 24) : clip(report.verdict.cause?.code ?? 'no answer', 24),
    title: report.verdict.headline,
    href: '#verdict',
  };
  nodes.push(end);
  edges.push(arrow(ending ?? previous, end, end.tone, undefined));
  steps.push(`Result: ${report.verdict.headline}`);
  return { width: x + SIDE_W + PAD, height: PAD * 2 + tallest, nodes, edges, steps };
}

function describeOutcome(phase: PhaseTrace): string {
  const outcome = phase.outcome;
  if (!outcome) return phase.state === 'running' ? 'did not finish' : phase.state;
  switch (outcome.kind) {
    case 'settings': return `settings from ${outcome.url}`;
    case 'redirectAddr': return `redirectAddr to ${outcome.address} (from ${outcome.url})`;
    default: return `${outcome.kind}: ${outcome.reason}`;
  }
}

function hopLabel(hop: RedirectHop | undefined): string {
  if (!hop) return 'redirect';
  return hop.kind === 'http' ? 'HTTP redirect' : hop.kind;
}

/** A curve from the right edge of `a` to the left edge of `b`. */
function arrow(a: DiagramNode, b: DiagramNode, tone: Tone, label: string | undefined): DiagramEdge {
  const x1 = a.x + a.w;
  const y1 = a.y + a.h / 2;
  const x2 = b.x - 2;
  const y2 = b.y + b.h / 2;
  const mid = (x1 + x2) / 2;
  return { d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`, tone, label, labelX: mid, labelY: Math.min(y1, y2) + Math.abs(y2 - y1) / 2 - 6 };
}

/** A loop out of the right edge of `a` into the right edge of `b` (same column). */
function loop(a: DiagramNode, b: DiagramNode, tone: Tone, label: string): DiagramEdge {
  const x = a.x + a.w;
  const y1 = a.y + a.h / 2;
  const y2 = b.y + b.h / 2;
  const bulge = x + 40;
  return { d: `M${x},${y1} C${bulge},${y1} ${bulge},${y2} ${x + 2},${y2}`, tone, label, labelX: x + 36, labelY: (y1 + y2) / 2 + 4, anchor: 'start' };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Host names keep both ends ("autodiscover.…mail.onmicrosoft.com"): the domain tells them apart. */
function clipMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.ceil((max - 1) / 3);
  return `${text.slice(0, head)}…${text.slice(text.length - (max - 1 - head))}`;
}

/** The SVG's content: arrow heads, edges, then nodes (each a link into the step tree). */
export function diagramMarkup(diagram: Diagram): Html {
  const tones = ['ok', 'fail', 'warn', 'info', 'skip', 'expected'];
  return html`<defs>${tones.map((tone) => html`<marker id="arrow-${tone}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="head head-${tone}"/></marker>`)}</defs>
${diagram.edges.map((edge) => html`<g class="edge edge-${edge.tone}"><path d="${edge.d}" marker-end="url(#arrow-${edge.tone})"/>${edge.label ? html`<text x="${edge.labelX}" y="${edge.labelY}" text-anchor="${edge.anchor ?? 'middle'}">${edge.label}</text>` : ''}</g>`)}
${diagram.nodes.map((node) => {
  const body = html`<title>${node.title}</title><rect x="${node.x}" y="${node.y}" width="${node.w}" height="${node.h}" rx="6"/><text x="${node.x + 10}" y="${node.y + 18}" class="label">${node.label}</text><text x="${node.x + 10}" y="${node.y + 35}" class="sub">${node.sublabel}</text>`;
  const cls = `node node-${node.tone}${node.check ? ' node-check' : ''}`;
  return node.href ? html`<a href="${node.href}" class="${cls}" data-node="${node.id}">${body}</a>` : html`<g class="${cls}" data-node="${node.id}">${body}</g>`;
})}`;
}
