/**
 * Redirect validation (reference §4): one predicate per kind of redirect, each returning a stable
 * code when it refuses. The walk owns the counters and visited sets; these functions only judge.
 *
 * Hop accounting: `hops` is the number of redirects already taken (URL and address redirects share
 * one counter, limit 10). A redirect is refused with REDIRECT_LIMIT when taking it would exceed the
 * limit, i.e. when hops >= limit.
 */
import { addressKey, isTenantRoutingDomain, parseAddress, sameAddress } from './address.ts';

export const DEFAULT_REDIRECT_LIMIT = 10;

export type UrlRedirectCode =
  | 'REDIRECT_INVALID_URL'
  | 'REDIRECT_CREDENTIALS_IN_URL'
  | 'REDIRECT_NOT_HTTPS'
  | 'REDIRECT_BAD_PATH'
  | 'REDIRECT_LOOP'
  | 'REDIRECT_LIMIT';

export type AddressRedirectCode = 'REDIRECT_ADDR_INVALID' | 'REDIRECT_ADDR_SAME' | 'REDIRECT_ADDR_LOOP' | 'REDIRECT_LIMIT';

/**
 * Canonical form for display and comparison: lower-case scheme and host, default port dropped
 * (https://h:443/ ≡ https://h/), path and query kept as sent, fragment dropped (never sent).
 * Unparseable input comes back trimmed.
 */
export function normalizeUrl(url: string): string {
  const u = tryUrl(url);
  if (!u) return String(url).trim();
  u.hash = '';
  return u.href; // WHATWG URL already lower-cases scheme/host and drops default ports.
}

/** Key for the visited-URL set: IIS paths are case-insensitive, so the whole URL is compared that way. */
export function urlKey(url: string): string {
  return normalizeUrl(url).toLowerCase();
}

export function sameUrl(a: string, b: string): boolean {
  return urlKey(a) === urlKey(b);
}

/** `/autodiscover/(…/)*autodiscover.xml`: EXO redirects to `/Autodiscover/<mailbox>/Autodiscover.xml` (BUG-01). */
export const AUTODISCOVER_PATH = /^\/autodiscover\/(?:[^/]+\/)*autodiscover\.xml$/i;

export interface UrlRedirectInput {
  /** Location header or RedirectUrl value; may be relative. */
  location: string;
  /** The URL of the request that was redirected (relative locations resolve against it). */
  base: string;
  /** URLs already requested in this walk. */
  visited: string[];
  /** Redirects already taken. */
  hops: number;
  limit?: number;
}

/**
 * A refusal's `reason` is only the why ("not https …", "path /owa/ is not an Autodiscover path …"):
 * callers compose it after their own "Redirect from X to Y refused: " and must not get the target or
 * the word "refused" a second time.
 */
export type UrlRedirectResult =
  | {
      ok: true;
      /** Absolute, normalised target. */
      url: string;
      /** Same scheme, host and port as the base: credentials may be re-sent without asking. */
      sameOrigin: boolean;
      /** Host moved to another registrable domain (Outlook would ask the user first). */
      registrableDomainChanged: boolean;
      /** Hop number this redirect becomes. */
      hop: number;
    }
  | { ok: false; code: UrlRedirectCode; reason: string };

/** MS-OXDSCLI / reference §4.2: may the walk follow this URL redirect (3xx Location or RedirectUrl)? */
export function checkUrlRedirect({ location, base, visited, hops, limit = DEFAULT_REDIRECT_LIMIT }: UrlRedirectInput): UrlRedirectResult {
  const raw = String(location ?? '').trim();
  if (raw === '') return { ok: false, code: 'REDIRECT_INVALID_URL', reason: 'no target URL' };
  const target = tryUrl(raw, base);
  if (!target) return { ok: false, code: 'REDIRECT_INVALID_URL', reason: `"${raw}" is not a valid URL` };
  if (target.username !== '' || target.password !== '') {
    return { ok: false, code: 'REDIRECT_CREDENTIALS_IN_URL', reason: 'the target URL carries a user name or password' };
  }
  target.hash = '';
  const url = target.href;
  if (target.protocol !== 'https:') {
    return { ok: false, code: 'REDIRECT_NOT_HTTPS', reason: 'not https (credentials are never sent over http)' };
  }
  if (!AUTODISCOVER_PATH.test(target.pathname)) {
    return { ok: false, code: 'REDIRECT_BAD_PATH', reason: `path ${target.pathname} is not an Autodiscover path (/autodiscover/…/autodiscover.xml)` };
  }
  const key = url.toLowerCase();
  if (visited.some((v) => urlKey(v) === key)) return { ok: false, code: 'REDIRECT_LOOP', reason: `loop: ${url} was already requested` };
  if (hops >= limit) return { ok: false, code: 'REDIRECT_LIMIT', reason: `limit of ${limit} redirects reached` };
  const from = tryUrl(base);
  return {
    ok: true,
    url,
    sameOrigin: from !== undefined && from.origin === target.origin,
    registrableDomainChanged: from === undefined || registrableDomain(from.hostname) !== registrableDomain(target.hostname),
    hop: hops + 1,
  };
}

/**
 * Approximation: the last two labels (contoso.com). Without the Public Suffix List this is wrong
 * for names like contoso.co.uk (every co.uk host looks alike); good enough for a warning.
 */
export function registrableDomain(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (/^[0-9.]+$/.test(h) || h.includes(':')) return h; // IP literal: the whole address
  return h.split('.').slice(-2).join('.');
}

export type RedirectMethodResult =
  | { ok: true; status: number; location: string; notes: { code: string; detail: string }[] }
  | { ok: false; code: 'REDIRECT_METHOD_NO_LOCATION' | 'REDIRECT_METHOD_POSITIVE_RESPONSE' | 'REDIRECT_METHOD_NOT_REDIRECT'; reason: string };

const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

/**
 * The port-80 unauthenticated GET of the HTTP redirect method (MS-OXDISCO 3.1.5.4): only a
 * redirect with a Location is a success. 301/302 are the documented answers; 303/307/308 are
 * accepted but noted. The caller then validates the Location with checkUrlRedirect.
 */
export function checkRedirectMethodResponse(status: number, location: string | undefined): RedirectMethodResult {
  if (REDIRECT_STATUSES.includes(status)) {
    const loc = (location ?? '').trim();
    if (loc === '') return { ok: false, code: 'REDIRECT_METHOD_NO_LOCATION', reason: `HTTP ${status} without a Location header` };
    const notes = status === 301 || status === 302 ? [] : [{ code: 'REDIRECT_STATUS_UNUSUAL', detail: `HTTP ${status}: Autodiscover servers answer 302 (or 301); a ${status} often comes from a network device` }];
    return { ok: true, status, location: loc, notes };
  }
  if (status >= 200 && status < 300) {
    return { ok: false, code: 'REDIRECT_METHOD_POSITIVE_RESPONSE', reason: `a positive HTTP response other than a redirect was received (HTTP ${status}); the HTTP redirect method is not configured on this host` };
  }
  return { ok: false, code: 'REDIRECT_METHOD_NOT_REDIRECT', reason: `HTTP ${status} instead of a redirect; the HTTP redirect method is not configured on this host` };
}

export interface AddressRedirectInput {
  /** The address the request was sent for. */
  current: string;
  /** RedirectAddr value. */
  target: string;
  /** Addresses already tried in this walk. */
  visitedAddresses: string[];
  hops: number;
  limit?: number;
}

/** As for URL redirects, a refusal's `reason` is only the why; the caller names the addresses. */
export type AddressRedirectResult =
  | {
      ok: true;
      /** Normalised target (domain lower-cased). */
      address: string;
      domain: string;
      /** Target is in a tenant routing domain (<tenant>.mail.onmicrosoft.com): the normal hybrid hand-off. */
      tenantRouting: boolean;
      hop: number;
    }
  | { ok: false; code: AddressRedirectCode; reason: string };

/** Reference §4.3: may the walk restart discovery for this RedirectAddr? */
export function checkAddressRedirect({ current, target, visitedAddresses, hops, limit = DEFAULT_REDIRECT_LIMIT }: AddressRedirectInput): AddressRedirectResult {
  const parsed = parseAddress(String(target ?? ''));
  if (!parsed.ok) return { ok: false, code: 'REDIRECT_ADDR_INVALID', reason: `not a valid address: ${parsed.reason}` };
  // Learn: a redirect to the address just sent means this URL is not a valid endpoint.
  if (sameAddress(current, parsed.address)) return { ok: false, code: 'REDIRECT_ADDR_SAME', reason: 'it is the address just tried' };
  const key = addressKey(parsed.address);
  if (visitedAddresses.some((a) => addressKey(a) === key)) return { ok: false, code: 'REDIRECT_ADDR_LOOP', reason: `loop: ${parsed.address} was already tried` };
  if (hops >= limit) return { ok: false, code: 'REDIRECT_LIMIT', reason: `limit of ${limit} redirects reached` };
  return { ok: true, address: parsed.address, domain: parsed.domain, tenantRouting: isTenantRoutingDomain(parsed.domain), hop: hops + 1 };
}

function tryUrl(url: string, base?: string): URL | undefined {
  // An absolute URL must parse even when the base is missing or unparseable.
  for (const b of base === undefined ? [undefined] : [base, undefined]) {
    try {
      return new URL(String(url).trim(), b);
    } catch {
      // try the next form
    }
  }
  return undefined;
}
