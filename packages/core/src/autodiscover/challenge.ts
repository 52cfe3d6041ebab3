/**
 * HTTP authentication challenges (RFC 9110 §11.6.1) and response-header evidence: which schemes a
 * 401 offers, what an Exchange Bearer challenge says about hybrid modern auth (reference §5.2), and
 * whether an Exchange server (rather than a proxy in front of it) answered (BUG-07, BUG-15).
 */

// AADSTS codes travel in the bodies of the same auth failures; kept in aad.ts, re-exported here.
export { extractAadstsCodes } from './aad.ts';
export type { AadstsCode } from './aad.ts';

export interface Challenge {
  /** Scheme as sent, e.g. "Basic". */
  scheme: string;
  /** Lower-case scheme, for matching. */
  name: string;
  /** auth-params, names lower-cased, quoted values unquoted. */
  params: Record<string, string>;
  token68?: string;
  /** False for names that are not HTTP authentication schemes (e.g. "Kerberos", BUG-07). */
  standard: boolean;
  /** Why the scheme is flagged, when it is. */
  note?: string;
}

/** IANA HTTP Authentication Scheme Registry, plus NTLM (Microsoft, MS-NTHT; universal on IIS). */
export const KNOWN_AUTH_SCHEMES: readonly string[] = [
  'basic', 'bearer', 'concealed', 'digest', 'dpop', 'gnap', 'hoba', 'mutual', 'negotiate', 'ntlm', 'oauth', 'privatetoken', 'scram-sha-1', 'scram-sha-256', 'vapid',
];

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/** All challenges in all WWW-Authenticate values (several headers and/or comma-joined). */
export function parseWwwAuthenticate(values: string[] | string | undefined): Challenge[] {
  const list = values === undefined ? [] : Array.isArray(values) ? values : [values];
  const challenges: Challenge[] = [];
  for (const value of list) {
    let current: Challenge | undefined;
    for (const item of splitOutsideQuotes(String(value))) {
      const m = TOKEN.exec(item);
      if (!m) continue;
      const rest = item.slice(m[0].length);
      if (/^\s*=/.test(rest)) {
        // "name=value": an auth-param of the challenge being read.
        if (current) addParam(current, m[0], rest.replace(/^\s*=\s*/, ''));
        continue;
      }
      current = newChallenge(m[0]);
      challenges.push(current);
      const body = rest.trim();
      if (body === '') continue;
      if (TOKEN68.test(body)) current.token68 = body;
      else {
        const p = TOKEN.exec(body);
        if (p && /^\s*=/.test(body.slice(p[0].length))) addParam(current, p[0], body.slice(p[0].length).replace(/^\s*=\s*/, ''));
      }
    }
  }
  return challenges;
}

function newChallenge(scheme: string): Challenge {
  const name = scheme.toLowerCase();
  const ch: Challenge = { scheme, name, params: {}, standard: KNOWN_AUTH_SCHEMES.includes(name) };
  if (name === 'kerberos') ch.note = '"Kerberos" is not an HTTP authentication scheme (Kerberos travels inside Negotiate); typical of a proxy, not Exchange';
  else if (!ch.standard) ch.note = `"${scheme}" is not a registered HTTP authentication scheme`;
  return ch;
}

function addParam(ch: Challenge, name: string, rawValue: string): void {
  const key = name.toLowerCase();
  if (key === '__proto__' || key === 'constructor' || key === 'prototype') return;
  ch.params[key] = unquote(rawValue.trim());
}

function unquote(v: string): string {
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(.)/g, '$1');
  return v;
}

/** Split on commas that are not inside a quoted string; items trimmed, empty ones dropped. */
function splitOutsideQuotes(value: string): string[] {
  const items: string[] = [];
  let buf = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted && c === '\\' && i + 1 < value.length) {
      buf += c + value[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      items.push(buf.trim());
      buf = '';
      continue;
    }
    buf += c;
  }
  items.push(buf.trim());
  return items.filter((s) => s !== '');
}

export function offersScheme(challenges: Challenge[], name: string): boolean {
  return challenges.some((c) => c.name === name.toLowerCase());
}

/** Exchange's own OAuth client id, the value on-premises and EXO Bearer challenges carry. */
export const EXCHANGE_CLIENT_ID = '00000002-0000-0ff1-ce00-000000000000';

export interface BearerInfo {
  clientId?: string;
  /** client_id is Exchange's (00000002-0000-0ff1-ce00-000000000000). */
  exchangeClientId: boolean;
  trustedIssuers?: string;
  /** `…@*` accepts any tenant (Exchange Online); `…@<tenant GUID>` is on-premises hybrid modern auth. */
  issuerScope: 'any-tenant' | 'tenant' | 'none';
  tenantId?: string;
  authorizationUri?: string;
  resourceId?: string;
  error?: string;
  errorDescription?: string;
  notes: { code: string; detail: string }[];
}

export function describeBearer(ch: Challenge): BearerInfo {
  const p = ch.params;
  const info: BearerInfo = { exchangeClientId: p.client_id?.toLowerCase() === EXCHANGE_CLIENT_ID, issuerScope: 'none', notes: [] };
  if (ch.name !== 'bearer') info.notes.push({ code: 'NOT_BEARER', detail: `challenge scheme is ${ch.scheme}, not Bearer` });
  if (p.client_id !== undefined) info.clientId = p.client_id;
  if (p.trusted_issuers !== undefined) {
    info.trustedIssuers = p.trusted_issuers;
    const realms = p.trusted_issuers.split(',').map((s) => s.trim().split('@')[1] ?? '');
    if (realms.includes('*')) info.issuerScope = 'any-tenant';
    else {
      const tenant = realms.find((r) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(r));
      if (tenant) {
        info.issuerScope = 'tenant';
        info.tenantId = tenant.toLowerCase();
      }
    }
  }
  if (p.authorization_uri !== undefined) info.authorizationUri = p.authorization_uri;
  else if (ch.name === 'bearer') {
    info.notes.push({ code: 'BEARER_NO_AUTHORIZATION_URI', detail: 'Bearer challenge without authorization_uri: clients cannot find the token endpoint (on-premises: EvoSTS is not the default auth server)' });
  }
  if (p.resource_id !== undefined) info.resourceId = p.resource_id;
  if (p.error !== undefined) {
    info.error = p.error;
    info.notes.push({ code: 'BEARER_ERROR', detail: `Bearer error "${p.error}"${p.error_description ? `: ${p.error_description}` : ''}` });
  }
  if (p.error_description !== undefined) info.errorDescription = p.error_description;
  return info;
}

/** Response headers as any of: [name, value] pairs (raw, Fetch Headers), or a Node-style record. */
export type HeaderInput = Iterable<readonly [string, string]> | Record<string, string | string[] | undefined>;

export function headerEntries(headers: HeaderInput): [string, string][] {
  const out: [string, string][] = [];
  if (headers !== null && typeof headers === 'object' && Symbol.iterator in headers) {
    for (const [n, v] of headers as Iterable<readonly [string, string]>) out.push([String(n), String(v)]);
    return out;
  }
  for (const [n, v] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.push([n, String(one)]);
  }
  return out;
}

/** Every value of a header, name compared case-insensitively (Node lower-cases names, BUG-15). */
export function getHeaderValues(headers: HeaderInput, name: string): string[] {
  const want = name.toLowerCase();
  return headerEntries(headers)
    .filter(([n]) => n.toLowerCase() === want)
    .map(([, v]) => v);
}

export function getHeader(headers: HeaderInput, name: string): string | undefined {
  const values = getHeaderValues(headers, name);
  return values.length === 0 ? undefined : values.join(', ');
}

/** Headers only Exchange (on-premises CAS or Exchange Online front ends) sends. */
export const EXCHANGE_MARKER_HEADERS: readonly string[] = [
  'request-id', 'x-feserver', 'x-beserver', 'x-targetbeserver', 'x-calculatedbetarget', 'x-diaginfo', 'x-backendhttpstatus', 'x-owa-version', 'x-cafeserver', 'x-autodiscovery-error',
];

/** The Exchange marker headers present (lower-case names). */
export function exchangeMarkers(headers: HeaderInput): string[] {
  const present = new Set(headerEntries(headers).map(([n]) => n.toLowerCase()));
  return EXCHANGE_MARKER_HEADERS.filter((h) => present.has(h));
}

/** True when Exchange itself answered, not a proxy or web server in front of it (BUG-07). */
export function looksLikeExchange(headers: HeaderInput): boolean {
  return exchangeMarkers(headers).length > 0;
}

/** Capability headers say True/true/TRUE, sometimes padded (BUG-15). */
export function isTruthyHeader(value: string | undefined): boolean {
  return value !== undefined && value.trim().toLowerCase() === 'true';
}
