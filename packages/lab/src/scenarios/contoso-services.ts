/**
 * Contoso building blocks for the scenarios of issue 3 items 4–7 (ActiveSync, the v2 cross-check,
 * the returned URLs, the per-client table): the on-premises front end with its EWS/OAB/MAPI virtual
 * directories answering like IIS does (401 without credentials), and Exchange Online's
 * outlook.office365.com with Autodiscover v2. Plain data, derived from contoso.ts.
 */
import type { AutodiscoverAnswer, DnsZone, EndpointSpec, ExchangeBehaviour, HttpBehaviour, Route, StaticBehaviour } from '../scenario.ts';
import { EXO_CERTIFICATE, EXO_CHALLENGES, EXO_HEADERS, ON_PREM_CERTIFICATE, ON_PREM_CHALLENGES, ON_PREM_HEADERS } from './contoso.ts';

/** Lab data, not a secret: the Basic password of every contoso.com user of these scenarios. */
export const CONTOSO_PASSWORD = 'Lab-Passw0rd!';

/** IIS's anonymous answer on an Exchange virtual directory: 401 with the Windows/Basic challenge. */
export const ON_PREM_VDIR_401: StaticBehaviour = {
  kind: 'static',
  status: 401,
  headers: { ...ON_PREM_HEADERS, 'WWW-Authenticate': ['Negotiate', 'NTLM', 'Basic realm="mail.contoso.com"'] },
};

/** Exchange Online's anonymous answer on EWS/OAB/MAPI: 401 with the Bearer challenge. */
export const EXO_VDIR_401: StaticBehaviour = { kind: 'static', status: 401, headers: { ...EXO_HEADERS, 'WWW-Authenticate': EXO_CHALLENGES } };

/** EWS, OAB and MAPI routes of an Exchange front end; `override` replaces one of them. */
export function vdirRoutes(healthy: HttpBehaviour, override: Partial<Record<'EWS' | 'OAB' | 'mapi', HttpBehaviour>> = {}): Route[] {
  return (['EWS', 'OAB', 'mapi'] as const).map((dir) => ({ path: `/${dir}/`, prefix: true, behaviour: override[dir] ?? healthy }));
}

export interface OnPremOptions {
  /** Behaviours replacing the healthy 401 of a virtual directory (e.g. OAB answering 404). */
  vdirs?: Partial<Record<'EWS' | 'OAB' | 'mapi', HttpBehaviour>>;
  /** Overrides of the Exchange behaviour (mobileSync: false …). */
  exchange?: Partial<ExchangeBehaviour>;
}

/**
 * autodiscover.contoso.com and mail.contoso.com on 443 (one Exchange 2016 front end): Autodiscover
 * for the given users, and the EWS/OAB/MAPI virtual directories the settings point at.
 */
export function onPremFrontEnd(users: string[], answers: Record<string, AutodiscoverAnswer>, options: OnPremOptions = {}): EndpointSpec {
  const exchange: ExchangeBehaviour = {
    kind: 'exchange',
    headers: ON_PREM_HEADERS,
    challenges: ON_PREM_CHALLENGES,
    basic: users.map((username) => ({ username, password: CONTOSO_PASSWORD })),
    answers,
    ...options.exchange,
  };
  return {
    host: 'autodiscover.contoso.com',
    aliases: ['mail.contoso.com'],
    port: 443,
    tls: ON_PREM_CERTIFICATE,
    behaviour: {
      kind: 'routes',
      routes: [{ path: '/autodiscover/autodiscover.xml', behaviour: exchange }, ...vdirRoutes(ON_PREM_VDIR_401, options.vdirs)],
    },
  };
}

/** The v2 answer of Exchange Online for a mailbox it hosts (reference §3.6). */
export const V2_IN_EXO: StaticBehaviour = {
  kind: 'static',
  status: 200,
  headers: { ...EXO_HEADERS, 'Content-Type': 'application/json; charset=utf-8' },
  body: '{"Protocol":"AutodiscoverV1","Url":"https://outlook.office365.com/autodiscover/autodiscover.xml"}',
};

/** The v2 answer of Exchange Online for a mailbox it considers on-premises: 302 to the on-premises v2 URL. */
export function v2ToOnPrem(address: string, host = 'autodiscover.contoso.com'): HttpBehaviour {
  return {
    kind: 'redirect',
    status: 302,
    location: `https://${host}/autodiscover/autodiscover.json?Email=${encodeURIComponent(address)}&Protocol=AutodiscoverV1&RedirectCount=1`,
    headers: { ...EXO_HEADERS, 'Cache-Control': 'no-cache' },
  };
}

/** outlook.office365.com:443 — EWS/OAB/MAPI (401 is healthy) and Autodiscover v2 with the given answer. */
export function exoOutlook(v2: HttpBehaviour): EndpointSpec {
  return {
    host: 'outlook.office365.com',
    port: 443,
    tls: EXO_CERTIFICATE,
    behaviour: {
      kind: 'routes',
      routes: [...vdirRoutes(EXO_VDIR_401), { path: '/autodiscover/autodiscover.json', prefix: true, methods: ['GET'], behaviour: v2 }],
    },
  };
}

/** contoso.com's zone as on-premises clients see it (web site, Autodiscover CNAME, no SRV). */
export function contosoDns(extra: DnsZone = {}): DnsZone {
  return {
    'contoso.com': { A: ['127.0.0.10'] },
    'autodiscover.contoso.com': { CNAME: 'mail.contoso.com' },
    'mail.contoso.com': { A: ['127.0.0.20'] },
    '_autodiscover._tcp.contoso.com': { behaviour: 'nxdomain' },
    ...extra,
  };
}
