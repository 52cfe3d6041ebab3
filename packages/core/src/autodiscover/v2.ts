/**
 * Autodiscover v2 (`autodiscover.json`, anonymous GET, JSON; reference §3.6). No public
 * specification: URL forms and answers follow Microsoft's tools and observed traffic.
 */
import { sniffBody } from './content.ts';

export type V2Form = 'query' | 'path';

/** Canonical protocol names; servers compare them case-sensitively (BUG-17: "Autodiscoverv1" → 400). */
export const V2_PROTOCOLS = ['AutodiscoverV1', 'Ews', 'ActiveSync', 'Rest'] as const;

/** The canonical spelling of a v2 protocol name, or the input unchanged when it is not a known one. */
export function canonicalV2Protocol(protocol: string): string {
  return V2_PROTOCOLS.find((p) => p.toLowerCase() === protocol.trim().toLowerCase()) ?? protocol;
}

/**
 * `https://<host>/autodiscover/autodiscover.json?Email=<address>&Protocol=<p>` (query form) or
 * `https://<host>/autodiscover/autodiscover.json/v1.0/<address>?Protocol=<p>` (path form).
 * Query form: the address is fully percent-encoded — a literal '+' would reach the server as a
 * space (DERIVED-01). Path form: '%', '#', '?', '/' and '@' are escaped; '+' is literal in a path.
 */
export function buildV2Url(host: string, address: string, protocol: string, form: V2Form = 'query', options: { redirectCount?: number } = {}): string {
  const base = `https://${host.trim()}/autodiscover/autodiscover.json`;
  const p = encodeURIComponent(protocol);
  const rc = options.redirectCount === undefined ? '' : `&RedirectCount=${options.redirectCount}`;
  if (form === 'path') return `${base}/v1.0/${encodePathAddress(address)}?Protocol=${p}${rc}`;
  return `${base}?Email=${encodeURIComponent(address)}&Protocol=${p}${rc}`;
}

function encodePathAddress(address: string): string {
  return encodeURIComponent(address).replace(/%2B/gi, '+');
}

export type V2Result =
  | { kind: 'url'; protocol: string; url: string }
  | { kind: 'error'; status: number; errorCode: string; errorMessage: string }
  /** 3xx: EXO hands a mailbox it does not host to the on-premises v2 endpoint. */
  | { kind: 'redirect'; status: number; location: string }
  | { kind: 'invalid'; reason: V2InvalidReason; detail: string };

export type V2InvalidReason = 'NOT_FOUND' | 'EMPTY_BODY' | 'HTML_PAGE' | 'NOT_JSON' | 'UNEXPECTED_JSON' | 'BAD_URL' | 'HTTP_STATUS';

/** Interpret a v2 answer. `location` is the Location header, for 3xx answers. Never throws. */
export function parseV2Response(status: number, body: string, location?: string): V2Result {
  try {
    return parse(status, typeof body === 'string' ? body : '', location);
  } catch (e) {
    return { kind: 'invalid', reason: 'NOT_JSON', detail: `parser failure: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function parse(status: number, body: string, location: string | undefined): V2Result {
  if (status >= 300 && status < 400 && location && location.trim() !== '') {
    // Only an absolute https URL is a usable hand-off; anything else (javascript:, relative, http) is not.
    const target = safeHttps(location.trim());
    if (!target) return { kind: 'invalid', reason: 'BAD_URL', detail: `redirect Location "${location.trim().slice(0, 200)}" is not an absolute https URL` };
    return { kind: 'redirect', status, location: target };
  }
  const sniffed = sniffBody(body);
  let json: unknown;
  if (sniffed.kind === 'json') json = JSON.parse(sniffed.text);
  const fields = json !== null && typeof json === 'object' && !Array.isArray(json) ? lowerKeys(json as Record<string, unknown>) : undefined;

  if (fields && typeof fields.errorcode === 'string') {
    return { kind: 'error', status, errorCode: fields.errorcode, errorMessage: typeof fields.errormessage === 'string' ? fields.errormessage : '' };
  }
  if (status === 404) return { kind: 'invalid', reason: 'NOT_FOUND', detail: 'HTTP 404: Autodiscover v2 is not supported at this host' };
  if (status !== 200) return { kind: 'invalid', reason: 'HTTP_STATUS', detail: `HTTP ${status}${sniffed.kind === 'html' && sniffed.title ? ` (page title: "${sniffed.title}")` : ''}` };
  if (sniffed.kind === 'empty') return { kind: 'invalid', reason: 'EMPTY_BODY', detail: 'HTTP 200 with an empty body' };
  if (sniffed.kind === 'html') return { kind: 'invalid', reason: 'HTML_PAGE', detail: `web page returned${sniffed.title ? ` (title: "${sniffed.title}")` : ''}, not v2 JSON` };
  if (!fields) return { kind: 'invalid', reason: sniffed.kind === 'json' ? 'UNEXPECTED_JSON' : 'NOT_JSON', detail: sniffed.kind === 'json' ? 'JSON is not an object' : `body is ${sniffed.kind}, not JSON` };
  if (typeof fields.url !== 'string' || typeof fields.protocol !== 'string') {
    return { kind: 'invalid', reason: 'UNEXPECTED_JSON', detail: 'JSON has neither Protocol/Url nor ErrorCode' };
  }
  const url = fields.url.trim();
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.protocol !== 'https:') return { kind: 'invalid', reason: 'BAD_URL', detail: `Url "${url}" is not an absolute https URL` };
  return { kind: 'url', protocol: fields.protocol, url };
}

// Observed answers use Protocol/Url and ErrorCode/ErrorMessage; accept any case. A null-prototype
// object, so a "__proto__" key in hostile JSON stays an ordinary key.
function lowerKeys(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const [k, v] of Object.entries(obj)) if (!Object.hasOwn(out, k.toLowerCase())) out[k.toLowerCase()] = v;
  return out;
}

function safeHttps(value: string): string | undefined {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' && !u.username && !u.password ? u.href : undefined;
  } catch {
    return undefined;
  }
}
