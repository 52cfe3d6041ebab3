/**
 * Fixture access for the Autodiscover tests: the read-only reference material in `../shared`
 * (beside the repository, as CI lays it out) and the few case files whose inputs are written as
 * indented text rather than `< ` transcript lines (BUG-21, BUG-23).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseXmlDocument } from '../../packages/core/src/autodiscover/xml.ts';
import type { XmlElement } from '../../packages/core/src/autodiscover/xml.ts';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const sharedDir = path.resolve(repoRoot, '..', 'shared');
export const samplesDir = path.join(sharedDir, 'reference', 'samples');
export const casesDir = path.join(sharedDir, 'cases');

export function readSample(name: string): string {
  return readFileSync(path.join(samplesDir, name), 'utf8');
}

export function readCase(name: string): string {
  return readFileSync(path.join(casesDir, name), 'utf8');
}

/** Fixture files of a directory (README.md excluded), sorted. */
export function fixtureFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f !== 'README.md' && !f.startsWith('.'))
    .sort();
}

/**
 * BUG-21: the six response Content-Type variants listed under "Response side" (undefined for
 * "(no Content-Type header at all)"), and the pretty-printed <EwsUrl> block.
 */
export function bug21Variants(text: string): { contentTypes: (string | undefined)[]; prettyEwsUrl: string } {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Response side'));
  const end = lines.findIndex((l, i) => i > start && l.trim().startsWith('->'));
  const contentTypes: (string | undefined)[] = [];
  for (const line of lines.slice(start + 1, end)) {
    const ct = /^\s+Content-Type:\s*(.*?)(?:\s{2,};.*)?$/.exec(line);
    if (ct) contentTypes.push(ct[1].trim());
    else if (/^\s+\(no Content-Type header/.test(line)) contentTypes.push(undefined);
  }
  const pStart = lines.findIndex((l) => l.startsWith('Pretty-printing variant'));
  const pEnd = lines.findIndex((l, i) => i > pStart && l.trim().startsWith('->'));
  const block = lines.slice(pStart + 1, pEnd).filter((l) => l.trim() !== '');
  const indent = Math.min(...block.map((l) => /^\s*/.exec(l)![0].length));
  return { contentTypes, prettyEwsUrl: block.map((l) => l.slice(indent)).join('\n') };
}

/** Indented "Name: value" header lines between two markers (BUG-23 lists the 401 headers that way). */
export function indentedHeaders(text: string, fromMarker: string, toMarker: string): [string, string][] {
  const from = text.indexOf(fromMarker);
  const to = text.indexOf(toMarker, from + fromMarker.length);
  const section = text.slice(from, to < 0 ? undefined : to);
  const headers: [string, string][] = [];
  for (const line of section.split('\n')) {
    const m = /^\s+([A-Za-z][A-Za-z0-9-]*):\s+(.*)$/.exec(line);
    if (m) headers.push([m[1], m[2].trim()]);
  }
  return headers;
}

/** Element structure without whitespace-only text, for "equivalent document" comparisons. */
export interface CanonicalElement {
  local: string;
  namespace: string;
  attributes: Record<string, string>;
  text: string;
  children: CanonicalElement[];
}

export function canonicalXml(xml: string): CanonicalElement {
  const doc = parseXmlDocument(xml);
  if (!doc.ok) throw new Error(`not well-formed: ${doc.detail}`);
  return canonical(doc.root);
}

function canonical(el: XmlElement): CanonicalElement {
  const attributes: Record<string, string> = {};
  for (const a of el.attributes) if (a.name !== 'xmlns' && !a.name.startsWith('xmlns:')) attributes[a.local] = a.value;
  return { local: el.local, namespace: el.namespace, attributes, text: el.text.trim(), children: el.children.map(canonical) };
}
