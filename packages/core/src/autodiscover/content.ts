/**
 * Body sniffing: decide what a response body is before anything tries to parse it. Web pages,
 * login forms and empty 200s are common answers on Autodiscover URLs (BUG-08, BUG-24); they must
 * be named, never fed to the XML parser and reported as a parser crash.
 */

export type BodyKind = 'empty' | 'html' | 'json' | 'xml' | 'binary' | 'text';

export type EmptyKind = 'zero-bytes' | 'whitespace' | 'xml-declaration-only';

export interface ContentType {
  /** Lower-case type/subtype, e.g. "text/xml". */
  mediaType: string;
  /** Lower-case charset parameter, if any. */
  charset?: string;
  /** The header value as received. */
  raw: string;
}

export interface SniffedBody {
  kind: BodyKind;
  /** The body with a leading UTF-8 BOM removed. */
  text: string;
  /** A UTF-8 byte-order mark was present (and removed). */
  bom: boolean;
  /** For kind 'empty': what "empty" looked like. */
  empty?: EmptyKind;
  /** For kind 'html': the page <title>, whitespace-collapsed. */
  title?: string;
  contentType?: ContentType;
}

const BOM = '\uFEFF';
const TITLE_MAX = 200;

/** Parse a Content-Type header value; undefined when absent or blank. */
export function parseContentType(value: string | undefined): ContentType | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const [type, ...params] = value.split(';');
  const result: ContentType = { mediaType: type.trim().toLowerCase(), raw: value };
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    if (p.slice(0, eq).trim().toLowerCase() === 'charset') {
      result.charset = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
    }
  }
  return result;
}

export function isXmlMediaType(mediaType: string): boolean {
  return mediaType === 'text/xml' || mediaType === 'application/xml' || mediaType.endsWith('+xml');
}

export function stripBom(text: string): { text: string; bom: boolean } {
  return text.startsWith(BOM) ? { text: text.slice(1), bom: true } : { text, bom: false };
}

export function sniffBody(body: string, contentType?: string): SniffedBody {
  const { text, bom } = stripBom(typeof body === 'string' ? body : '');
  const ct = parseContentType(contentType);
  const base = { text, bom, ...(ct ? { contentType: ct } : {}) };
  const empty = emptyKind(text);
  if (empty) return { ...base, kind: 'empty', empty };
  const start = skipPrologue(text);
  if (looksLikeHtml(text, start)) {
    const title = extractHtmlTitle(text);
    return { ...base, kind: 'html', ...(title !== undefined ? { title } : {}) };
  }
  if (looksBinary(text)) return { ...base, kind: 'binary' };
  const first = text.charAt(firstNonSpace(text));
  if (first === '<') return { ...base, kind: 'xml' };
  if ((first === '{' || first === '[') && isJson(text)) return { ...base, kind: 'json' };
  return { ...base, kind: 'text' };
}

function emptyKind(text: string): EmptyKind | undefined {
  if (text.length === 0) return 'zero-bytes';
  if (text.trim() === '') return 'whitespace';
  // A lone declaration (optionally with comments) has no element: nothing was generated (BUG-24).
  const t = text.trim();
  if (t.startsWith('<?xml') && skipPrologue(t) >= t.length) return 'xml-declaration-only';
  return undefined;
}

/** Index just past the XML declaration, processing instructions, comments and whitespace. */
function skipPrologue(text: string): number {
  let i = firstNonSpace(text);
  for (;;) {
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return i;
      i = firstNonSpace(text, end + 2);
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return i;
      i = firstNonSpace(text, end + 3);
    } else {
      return i;
    }
  }
}

function firstNonSpace(text: string, from = 0): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i])) i++;
  return i;
}

function looksLikeHtml(text: string, start: number): boolean {
  const head = text.slice(start, start + 64).toLowerCase();
  return /^<!doctype\s+html/.test(head) || /^<html[\s>]/.test(head) || /^<(head|body)[\s>]/.test(head);
}

// A decoded binary body shows NULs or many U+FFFD replacement characters.
function looksBinary(text: string): boolean {
  const sample = text.slice(0, 1024);
  if (sample.includes('\u0000')) return true;
  let odd = 0;
  for (const c of sample) if (c === '\uFFFD' || /[\u0001-\u0008\u000e-\u001f]/.test(c)) odd++;
  return odd > sample.length / 10;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The <title> of an HTML page, whitespace-collapsed and capped; undefined when there is none. */
export function extractHtmlTitle(html: string): string | undefined {
  // indexOf-based on purpose: no regular expression runs over an attacker-sized body.
  const lower = html.slice(0, 65536).toLowerCase();
  const open = lower.indexOf('<title');
  if (open < 0) return undefined;
  const gt = lower.indexOf('>', open);
  if (gt < 0) return undefined;
  const close = lower.indexOf('</title', gt);
  const raw = html.slice(gt + 1, close < 0 ? Math.min(lower.length, gt + 1 + TITLE_MAX) : close);
  // The title is attacker-controlled and ends up on terminals: control characters are dropped.
  const title = decodeBasicEntities(raw).replace(/\s+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim().slice(0, TITLE_MAX);
  return title === '' ? undefined : title;
}

function decodeBasicEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#39|nbsp);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", nbsp: ' ' })[e] as string);
}
