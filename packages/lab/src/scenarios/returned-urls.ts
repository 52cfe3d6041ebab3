/**
 * Returned-URL scenarios (issue 3 item 6): Autodiscover works for bob, but a URL the settings hand
 * out (EWS, OAB, MAPI) does not: a certificate for another name, a 404, a name that does not
 * resolve. The verdict stays "found"; each problem is a warning naming the URL or its host.
 */
import type { HttpBehaviour, Scenario } from '../scenario.ts';
import { contosoWebSite, onPremPort80Closed } from './contoso.ts';
import { CONTOSO_PASSWORD, contosoDns, ON_PREM_VDIR_401, onPremFrontEnd, vdirRoutes } from './contoso-services.ts';

export const RETURNED_ADDRESS = 'bob@contoso.com';
export const RETURNED_PASSWORD = CONTOSO_PASSWORD;
/** The separate EWS host of the cert-mismatch and NXDOMAIN scenarios. */
export const RETURNED_EWS_HOST = 'ews.contoso.com';
export const RETURNED_EWS_URL = `https://${RETURNED_EWS_HOST}/EWS/Exchange.asmx`;

const bob = { address: RETURNED_ADDRESS, username: RETURNED_ADDRESS, password: RETURNED_PASSWORD };
const bobSettings = (ewsUrl?: string) => ({ action: 'settings', profile: 'onprem', displayName: 'Bob Example', ...(ewsUrl ? { ewsUrl } : {}) }) as const;

/** EWS is published on ews.contoso.com, whose certificate names only legacy.contoso.com. */
export const returnedEwsCertMismatch: Scenario = {
  name: 'returned-ews-cert-mismatch',
  description: 'bob\'s settings point EWS at ews.contoso.com, which presents a certificate for legacy.contoso.com only.',
  users: [bob],
  dns: contosoDns({ [RETURNED_EWS_HOST]: { A: ['127.0.0.21'] } }),
  endpoints: [
    contosoWebSite,
    onPremFrontEnd([RETURNED_ADDRESS], { [RETURNED_ADDRESS]: bobSettings(RETURNED_EWS_URL) }),
    onPremPort80Closed,
    { host: RETURNED_EWS_HOST, port: 443, tls: { dnsNames: ['legacy.contoso.com'] }, behaviour: { kind: 'routes', routes: vdirRoutes(ON_PREM_VDIR_401) } },
  ],
};

/** Autodiscover works for bob; one virtual directory of the same front end answers `behaviour`. */
function brokenVdir(name: string, description: string, dir: 'EWS' | 'OAB' | 'mapi', behaviour: HttpBehaviour): Scenario {
  return {
    name,
    description,
    users: [bob],
    dns: contosoDns(),
    endpoints: [contosoWebSite, onPremFrontEnd([RETURNED_ADDRESS], { [RETURNED_ADDRESS]: bobSettings() }, { vdirs: { [dir]: behaviour } }), onPremPort80Closed],
  };
}

const IIS_PAGE = { Server: 'Microsoft-IIS/10.0', 'Content-Type': 'text/html' };

/** The OAB virtual directory answers 404 (its ExternalUrl names a path IIS does not have). */
export const returnedOab404 = brokenVdir('returned-oab-404', 'bob\'s settings are fine, but the OAB URL they hand out answers 404.', 'OAB', {
  kind: 'static', status: 404, headers: IIS_PAGE, body: '<html><body><h2>404 - File or directory not found.</h2></body></html>',
});

/** EWS points at ews.contoso.com, which is not in public DNS (an internal-only name). */
export const returnedEwsNxdomain: Scenario = {
  name: 'returned-ews-nxdomain',
  description: 'bob\'s settings point EWS at ews.contoso.com, which does not resolve (NXDOMAIN).',
  users: [bob],
  dns: contosoDns({ [RETURNED_EWS_HOST]: { behaviour: 'nxdomain' } }),
  endpoints: [contosoWebSite, onPremFrontEnd([RETURNED_ADDRESS], { [RETURNED_ADDRESS]: bobSettings(RETURNED_EWS_URL) }), onPremPort80Closed],
};

/** IIS asks for a client certificate on the MAPI virtual directory only (SSL settings are per directory). */
export const returnedMapiClientCert = brokenVdir('returned-mapi-client-cert', 'bob\'s settings are fine and EWS answers, but the MAPI virtual directory requires a client certificate (HTTP 403.7).', 'mapi', {
  kind: 'static', status: 403, headers: IIS_PAGE, body: '<html><body><h2>403.7 - Forbidden: Client certificate required.</h2></body></html>',
});

export const returnedUrlScenarios: readonly Scenario[] = [returnedEwsCertMismatch, returnedOab404, returnedEwsNxdomain, returnedMapiClientCert];
