/**
 * A small, safe XML reader on top of fast-xml-parser: refuses DTDs, checks well-formedness first,
 * expands only the five predefined entities and character references, and returns a plain element
 * tree with namespaces resolved, so callers match by local name whatever the prefixes are.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlAttribute {
  /** As written, e.g. "xsi:type". */
  name: string;
  local: string;
  value: string;
}

export interface XmlElement {
  /** Qualified name as written, e.g. "a:Response". */
  name: string;
  local: string;
  /** Resolved namespace URI; '' when the element is in no namespace. */
  namespace: string;
  attributes: XmlAttribute[];
  children: XmlElement[];
  /** Direct text and CDATA content, entities decoded, not trimmed. */
  text: string;
}

export type XmlParseResult =
  | { ok: true; root: XmlElement }
  | { ok: false; code: 'DTD_REFUSED' | 'NOT_WELL_FORMED' | 'NO_ROOT' | 'MULTIPLE_ROOTS'; detail: string };

/** Autodiscover documents nest about 7 deep; anything past this is hostile or broken. */
export const MAX_XML_DEPTH = 64;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  allowBooleanAttributes: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Entities are decoded by decodeXmlText below (predefined five + character references only).
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
  commentPropName: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_XML_DEPTH,
});

/** Parse a whole document. Never throws. */
const DETAIL_MAX = 300;

/** Parser messages can echo the whole tag stack of a hostile body: keep them one readable line. */
function short(detail: string): string {
  const one = detail.replace(/\s+/g, ' ');
  return one.length > DETAIL_MAX ? `${one.slice(0, DETAIL_MAX)}…` : one;
}

export function parseXmlDocument(text: string): XmlParseResult {
  const result = parseXml(text);
  return result.ok ? result : { ...result, detail: short(result.detail) };
}

function parseXml(text: string): XmlParseResult {
  // Refused before any parser sees it: entity expansion bombs and external entities live here.
  const dtd = /<!(DOCTYPE|ENTITY)/i.exec(text);
  if (dtd) return { ok: false, code: 'DTD_REFUSED', detail: `document contains a <!${dtd[1].toUpperCase()} declaration; DTDs are refused` };
  let validation: ReturnType<typeof XMLValidator.validate>;
  try {
    validation = XMLValidator.validate(text, { allowBooleanAttributes: false });
  } catch (e) {
    return { ok: false, code: 'NOT_WELL_FORMED', detail: errorText(e) };
  }
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    return { ok: false, code: 'NOT_WELL_FORMED', detail: `${msg} (line ${line}${col ? `, column ${col}` : ''})` };
  }
  let nodes: unknown;
  try {
    nodes = parser.parse(text);
  } catch (e) {
    return { ok: false, code: 'NOT_WELL_FORMED', detail: errorText(e) };
  }
  const roots = Array.isArray(nodes) ? nodes.filter((n) => elementName(n) !== undefined) : [];
  if (roots.length === 0) return { ok: false, code: 'NO_ROOT', detail: 'no root element' };
  if (roots.length > 1) return { ok: false, code: 'MULTIPLE_ROOTS', detail: `${roots.length} root elements; a document has exactly one` };
  return { ok: true, root: convert(roots[0], new Map([['xml', 'http://www.w3.org/XML/1998/namespace']])) };
}

type RawNode = Record<string, unknown>;

function elementName(node: unknown): string | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  return Object.keys(node).find((k) => k !== ':@' && k !== '#text' && k !== '#cdata');
}

function convert(node: unknown, inherited: Map<string, string>): XmlElement {
  const raw = node as RawNode;
  const name = elementName(raw) as string;
  const rawAttrs = (raw[':@'] ?? {}) as Record<string, unknown>;
  // Copy the namespace scope only where an element declares one: copying it for every element is
  // namespaces × elements of work, which a hostile body turns into minutes of blocked event loop.
  let scope = inherited;
  const attributes: XmlAttribute[] = [];
  for (const [attrName, value] of Object.entries(rawAttrs)) {
    const decoded = decodeXmlText(String(value));
    if (attrName === 'xmlns' || attrName.startsWith('xmlns:')) {
      if (scope === inherited) scope = new Map(inherited);
      scope.set(attrName === 'xmlns' ? '' : attrName.slice(6), decoded);
    }
    attributes.push({ name: attrName, local: localName(attrName), value: decoded });
  }
  const colon = name.indexOf(':');
  const prefix = colon > 0 ? name.slice(0, colon) : '';
  const element: XmlElement = { name, local: localName(name), namespace: scope.get(prefix) ?? '', attributes, children: [], text: '' };
  const content = raw[name];
  for (const child of Array.isArray(content) ? content : []) {
    if (child === null || typeof child !== 'object') continue;
    const c = child as RawNode;
    if ('#text' in c) element.text += decodeXmlText(String(c['#text']));
    else if ('#cdata' in c) element.text += cdataText(c['#cdata']);
    else if (elementName(c) !== undefined) element.children.push(convert(c, scope));
  }
  return element;
}

function cdataText(value: unknown): string {
  // CDATA content is literal: no entity decoding.
  if (Array.isArray(value)) return value.map((v) => (v && typeof v === 'object' && '#text' in v ? String((v as RawNode)['#text']) : '')).join('');
  return typeof value === 'string' ? value : '';
}

export function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon >= 0 ? qualified.slice(colon + 1) : qualified;
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decode the five predefined entities and character references; anything else stays literal. */
export function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z]+);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return PREDEFINED[ref] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    // Only code points XML allows; a bad reference stays as written rather than throwing.
    const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
    return allowed ? String.fromCodePoint(code) : whole;
  });
}

/** First child with this local name, compared case-insensitively (docs disagree on RedirectUrl/RedirectURL). */
export function childElement(parent: XmlElement, local: string): XmlElement | undefined {
  const want = local.toLowerCase();
  return parent.children.find((c) => c.local.toLowerCase() === want);
}

export function childElements(parent: XmlElement, local: string): XmlElement[] {
  const want = local.toLowerCase();
  return parent.children.filter((c) => c.local.toLowerCase() === want);
}

/** Trimmed text of the first matching child; undefined when the child is absent or empty. */
export function childText(parent: XmlElement, local: string): string | undefined {
  const el = childElement(parent, local);
  if (!el) return undefined;
  const t = el.text.trim();
  return t === '' ? undefined : t;
}

export function attributeValue(el: XmlElement, local: string): string | undefined {
  const want = local.toLowerCase();
  const a = el.attributes.find((x) => x.local.toLowerCase() === want && x.name !== 'xmlns' && !x.name.startsWith('xmlns:'));
  return a === undefined ? undefined : a.value.trim();
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
