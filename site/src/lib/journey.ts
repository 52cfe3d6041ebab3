/**
 * The journey as a diagram: the client, then one column per phase (the on-premises walk, then each
 * Exchange Online hand-off) with its candidates in walk order, then where it ended. Arrows follow
 * the path taken: redirectAddr between phases, HTTP and redirectUrl redirects inside a phase. Only
 * geometry is computed here; JourneyDiagram.astro draws it and CSS colours it by tone.
 */
import type { PhaseTrace, RedirectHop, RunReport } from '@discotrace/core';
import { candidateId, hostOf, SOURCE_LABEL } from './anchors.ts';
import { candidateStatusWord, candidateTone, ROLE, type Tone } from './format.ts';
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
  /** One or two lines (a long host name is wrapped at a dot, never cut in its middle). */
  sublabel: string[];
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
  anchor?: 'start' | 'middle' | 'end';
  /** Hover text and text alternative (a refused hop's target and why). */
  title?: string;
}

/**
 * `wide`: phases side by side, left to right (a screen). `tall`: the same journey top to bottom,
 * one column (a phone), so nothing needs a sideways scroll.
 */
export type DiagramLayout = 'wide' | 'tall';

export interface Diagram {
  layout: DiagramLayout;
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
/** Height a second sublabel line adds. */
const LINE_H = 14;
const GAP_Y = 10;
/** Between stacked phases (tall): room for the arrow and its label. */
const GAP_TALL = 40;
/** Monospace 12 px in a 270 px box with 10 px padding; in a 170 px one. */
const LABEL_CHARS = 34;
const SIDE_CHARS = 20;

export function journeyDiagram(report: RunReport, phases: PhaseTrace[], layout: DiagramLayout = 'wide'): Diagram {
  const tall = layout === 'tall';
  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  const steps: string[] = [];
  const sorted = [...phases].sort((a, b) => a.index - b.index);
  const sideW = tall ? COL_W : SIDE_W;
  const sideChars = tall ? LABEL_CHARS : SIDE_CHARS;
  const side = (lines: string[]) => HEAD_H + (lines.length - 1) * LINE_H;

  const who = wrapHost(report.address, sideChars);
  const client: DiagramNode = {
    id: 'client', x: PAD, y: PAD, w: sideW, h: side(who), tone: 'info', check: false,
    label: 'Client', sublabel: who, title: `The client asks for ${report.address}`,
  };
  nodes.push(client);
  steps.push(`The client starts Autodiscover for ${report.address}.`);

  let previous: DiagramNode = client;
  let previousExit: DiagramNode | undefined;
  let bottom = client.y + client.h;
  let ending: DiagramNode | undefined;
  /** Nodes a redirect loop arrives at (near their top right): an arrow leaving one starts lower. */
  const loopTargets = new Set<DiagramNode>();
  sorted.forEach((phase, column) => {
    const x = tall ? PAD : PAD + SIDE_W + GAP_X + column * (COL_W + GAP_X);
    const outcome = phase.outcome?.kind ?? phase.state;
    const addressLines = wrapHost(phase.address, LABEL_CHARS);
    const head: DiagramNode = {
      id: `phase-${phase.index}`, x, y: tall ? bottom + GAP_TALL : PAD, w: COL_W, h: side(addressLines),
      tone: phase.outcome?.kind === 'settings' || phase.outcome?.kind === 'redirectAddr' ? 'ok' : phase.state === 'running' ? 'skip' : 'fail',
      check: false,
      label: `Phase ${phase.index + 1} · ${own(ROLE, phase.role)}`,
      sublabel: addressLines,
      title: `Phase ${phase.index + 1} (${own(ROLE, phase.role)}) for ${phase.address}: ${outcome}`,
      href: `#phase-${phase.index}`,
    };
    nodes.push(head);
    edges.push(connect(previousExit ?? previous, head, previousExit ? 'ok' : 'info', previousExit ? 'redirectAddr' : undefined, layout));
    steps.push(`Phase ${phase.index + 1} (${own(ROLE, phase.role)}) for ${phase.address}: ${describeOutcome(phase)}.`);

    const byIndex = new Map<number, DiagramNode>();
    let y = head.y + head.h + GAP_Y;
    for (const candidate of phase.candidates) {
      const tone = candidateTone(candidate, report.verdict.cause);
      const check = candidate.source === 'autodiscover-v2' || candidate.source === 'returned-url';
      const sublabel = wrapHost(hostOf(candidate.url), LABEL_CHARS);
      const status = candidateStatusWord(candidate, phase);
      const node: DiagramNode = {
        id: candidateId(phase.index, candidate.index),
        x, y, w: COL_W, h: NODE_H + (sublabel.length - 1) * LINE_H, tone, check,
        label: `${own(SOURCE_LABEL, candidate.source)}`,
        sublabel,
        title: `${candidate.url}: ${status}${candidate.expected ? ' (expected)' : ''}. ${candidate.summary}`,
        href: `#${candidateId(phase.index, candidate.index)}`,
      };
      nodes.push(node);
      byIndex.set(candidate.index, node);
      steps.push(`  ${own(SOURCE_LABEL, candidate.source)} ${candidate.url}: ${status}${candidate.expected ? ' (expected for this topology)' : ''}`);
      y += node.h + GAP_Y;
      bottom = Math.max(bottom, node.y + node.h);
    }
    bottom = Math.max(bottom, head.y + head.h);
    // Redirects inside the phase: a loop on the right edge of the column, from source to target.
    for (const candidate of phase.candidates) {
      if (candidate.from === undefined) continue;
      const source = byIndex.get(candidate.from);
      const target = byIndex.get(candidate.index);
      if (!source || !target) continue;
      const hop = phase.redirects.find((r) => r.to === candidate.url);
      // A phone has no room beside the loop for its label; the target's node names it.
      edges.push(loop(source, target, target.tone === 'ok' ? 'ok' : target.tone, tall ? undefined : hopLabel(hop)));
      loopTargets.add(target);
    }
    // A refused redirect has no candidate to point at: a short arrow out of its source that stops.
    for (const hop of phase.redirects ?? []) {
      if (hop.accepted !== false) continue;
      // The candidate that recorded the refusal (an address redirect's `from` is an address, not a URL).
      const from = phase.candidates.find((c) => (c.steps ?? []).some((st) => st?.kind === 'walk:redirect' && st.data?.to === hop.to && st.data?.accepted === false))
        ?? phase.candidates.find((c) => c.url === hop.from);
      const source = from && byIndex.get(from.index);
      if (!source) continue;
      edges.push(refused(source, hop, tall));
      steps.push(`  ${hopLabel(hop)} to ${hop.to} refused${hop.reason ? `: ${hop.reason}` : ''}`);
    }
    const exit = phase.candidates.find((c) => c.status === phase.outcome?.kind && (c.status === 'settings' || c.status === 'redirectAddr') && c.url === (phase.outcome as { url?: string }).url)
      ?? phase.candidates.find((c) => c.status === 'redirectAddr' || c.status === 'settings');
    previous = head;
    previousExit = exit ? byIndex.get(exit.index) : undefined;
    if (phase.outcome?.kind === 'settings') ending = byIndex.get(exit?.index ?? -1) ?? head;
  });

  const found = report.verdict.status === 'found';
  // Where the settings came from: the host that answered (the EWS host is in the banner).
  const answered = sorted.at(-1)?.outcome?.kind === 'settings' ? (sorted.at(-1)!.outcome as { url?: string }).url : undefined;
  // A failure names its cause's code and, where the finding has one, the host it happened at.
  const cause = report.verdict.cause;
  const causeAt = cause && sorted.flatMap((p) => p.candidates).find((c) => c.steps.some((st) => (st.findings ?? []).some((f) => f?.code === cause.code && f.title === cause.title)));
  const causeHost = causeAt ? hostOf(causeAt.url) : typeof cause?.evidence?.host === 'string' ? cause.evidence.host : undefined;
  const result = found
    ? wrapHost(answered ? hostOf(answered) : 'received', sideChars)
    : [...wrapHost(report.verdict.cause?.code ?? 'no answer', sideChars), ...(causeHost ? wrapHost(`at ${causeHost}`, sideChars) : [])];
  const from = ending ?? previous;
  // Leaving a loop's target below where the loop arrives keeps the two arrow heads apart.
  const exitAt = loopTargets.has(from) ? 0.72 : 0.5;
  const endH = side(result);
  const end: DiagramNode = {
    id: 'end',
    x: tall ? PAD : PAD + SIDE_W + GAP_X + sorted.length * (COL_W + GAP_X),
    // Wide: level with the node it comes from, so the last arrow is straight and crosses nothing.
    y: tall ? bottom + GAP_TALL : Math.max(PAD, from.y + from.h * exitAt - endH / 2),
    w: sideW, h: endH, tone: found ? 'ok' : report.verdict.status === 'incomplete' ? 'warn' : 'fail', check: false,
    label: found ? (answered ? 'Settings from' : 'Settings') : report.verdict.status === 'incomplete' ? 'Incomplete' : 'No settings',
    sublabel: result,
    title: report.verdict.headline,
    href: '#verdict',
  };
  nodes.push(end);
  edges.push(connect(from, end, end.tone, undefined, layout, exitAt));
  bottom = Math.max(bottom, end.y + end.h);
  steps.push(`Result: ${report.verdict.headline}`);
  const width = tall ? PAD + COL_W + 52 + PAD : end.x + end.w + PAD;
  const height = (tall ? end.y + end.h : bottom) + PAD;
  return { layout, width, height, nodes, edges, steps };
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
  return hop.kind === 'http' ? 'HTTP redirect' : hop.kind === 'redirectAddr' ? 'Address redirect (redirectAddr)' : hop.kind;
}

/** From one node to the next in reading order: across the gap (wide), or down the right side (tall). */
function connect(a: DiagramNode, b: DiagramNode, tone: Tone, label: string | undefined, layout: DiagramLayout, exitAt = 0.5): DiagramEdge {
  return layout === 'tall' ? down(a, b, tone, label, exitAt) : arrow(a, b, tone, label, exitAt);
}

/**
 * A curve from the right edge of `a` to the left edge of `b`. Its label sits above the curve's
 * last, level stretch, where the curve never passes.
 */
function arrow(a: DiagramNode, b: DiagramNode, tone: Tone, label: string | undefined, exitAt = 0.5): DiagramEdge {
  const x1 = a.x + a.w;
  const y1 = a.y + a.h * exitAt;
  const x2 = b.x - 2;
  const y2 = b.y + b.h / 2;
  const mid = (x1 + x2) / 2;
  return { d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`, tone, label, labelX: x2 - 10, labelY: y2 - 9, anchor: 'end' };
}

/**
 * Tall: straight down when `b` sits right under `a`; otherwise from `a`'s right edge down the
 * side of the column into `b`'s right edge, the label in the gap above `b`, on the arrow's side.
 */
function down(a: DiagramNode, b: DiagramNode, tone: Tone, label: string | undefined, exitAt = 0.5): DiagramEdge {
  if (b.y - (a.y + a.h) <= GAP_TALL + 1) {
    const x = a.x + Math.min(a.w, b.w) / 2;
    return { d: `M${x},${a.y + a.h} L${x},${b.y - 2}`, tone, label, labelX: x + 8, labelY: b.y - GAP_TALL / 2 + 4, anchor: 'start' };
  }
  const x = a.x + a.w;
  const y1 = a.y + a.h * exitAt;
  const y2 = b.y + b.h / 2;
  const bulge = x + 46;
  return { d: `M${x},${y1} C${bulge},${y1} ${bulge},${y2} ${x + 2},${y2}`, tone, label, labelX: b.x + b.w - 6, labelY: b.y - 10, anchor: 'end' };
}

/** A stub out of the right edge of `a`, ending short: the hop it stands for was not followed. */
function refused(a: DiagramNode, hop: RedirectHop, tall: boolean): DiagramEdge {
  const x = a.x + a.w;
  const y = a.y + a.h * 0.5;
  // Short on a phone: the arrow down to the result passes the column's right edge close by.
  const length = tall ? 14 : 40;
  return {
    d: `M${x},${y} L${x + length},${y}`, tone: 'fail',
    // A phone has no room for the word; the hover text and the words below say it.
    label: tall ? undefined : 'refused', labelX: x + length + 4, labelY: y + 4, anchor: 'start',
    title: `${hopLabel(hop)} to ${hop.to} refused${hop.reason ? `: ${hop.reason}` : ''}`,
  };
}

/**
 * A loop out of the right edge of `a` into the right edge of `b` (same column), leaving low and
 * arriving high, so it never meets an arrow that leaves `b` at its middle.
 */
function loop(a: DiagramNode, b: DiagramNode, tone: Tone, label: string | undefined): DiagramEdge {
  const x = a.x + a.w;
  const y1 = a.y + a.h * 0.7;
  const y2 = b.y + b.h * 0.25;
  const bulge = x + 32;
  return { d: `M${x},${y1} C${bulge},${y1} ${bulge},${y2} ${x + 2},${y2}`, tone, label, labelX: x + 30, labelY: (y1 + y2) / 2 + 4, anchor: 'start' };
}


/**
 * A host name on one line, or two broken after a dot or an @ ("alice@contoso." /
 * "mail.onmicrosoft.com"), the lines as even as they can be: every label stays readable. Longer
 * still, the second line keeps its end.
 */
function wrapHost(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  let best = -1;
  for (let i = 1; i < text.length; i++) {
    if (text[i - 1] !== '.' && text[i - 1] !== '@' && text[i - 1] !== ' ') continue;
    if (i > max) break;
    if (text.length - i <= max && (best < 0 || Math.max(i, text.length - i) < Math.max(best, text.length - best))) best = i;
  }
  if (best < 0) {
    const dot = Math.max(text.lastIndexOf('.', max - 1), text.lastIndexOf('@', max - 1));
    best = dot > 0 ? dot + 1 : max;
  }
  const rest = text.slice(best);
  return [text.slice(0, best), rest.length <= max ? rest : `…${rest.slice(rest.length - (max - 1))}`];
}

/** The SVG's content: arrow heads, edges, then nodes (each a link into the step tree). */
export function diagramMarkup(diagram: Diagram): Html {
  const tones = ['ok', 'fail', 'warn', 'info', 'skip', 'expected'];
  // Marker ids carry the layout: both drawings are in the page, and ids must be unique in it.
  const id = (tone: string) => `arrow-${diagram.layout}-${tone}`;
  return html`<defs>${tones.map((tone) => html`<marker id="${id(tone)}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="head head-${tone}"/></marker>`)}</defs>
${diagram.edges.map((edge) => html`<g class="edge edge-${edge.tone}">${edge.title ? html`<title>${edge.title}</title>` : ''}<path d="${edge.d}" marker-end="url(#${id(edge.tone)})"/>${edge.label ? html`<text x="${edge.labelX}" y="${edge.labelY}" text-anchor="${edge.anchor ?? 'middle'}">${edge.label}</text>` : ''}</g>`)}
${diagram.nodes.map((node) => {
  const body = html`<title>${node.title}</title><rect x="${node.x}" y="${node.y}" width="${node.w}" height="${node.h}" rx="6"/><text x="${node.x + 10}" y="${node.y + 18}" class="label">${node.label}</text>${node.sublabel.map((line, i) => html`<text x="${node.x + 10}" y="${node.y + 35 + i * LINE_H}" class="sub">${line}</text>`)}`;
  const cls = `node node-${node.tone}${node.check ? ' node-check' : ''}`;
  return node.href ? html`<a href="${node.href}" class="${cls}" data-node="${node.id}">${body}</a>` : html`<g class="${cls}" data-node="${node.id}">${body}</g>`;
})}`;
}
