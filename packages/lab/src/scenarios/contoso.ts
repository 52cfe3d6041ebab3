/**
 * Contoso building blocks shared by the scenarios: the company web site on the bare domain, the
 * on-premises Exchange front end, and Exchange Online's answers. Plain data; a scenario picks and
 * overrides what it needs.
 */
import type { EndpointSpec, ExchangeBehaviour, RedirectBehaviour, StaticBehaviour } from '../scenario.ts';

export const TENANT_ROUTING_DOMAIN = 'contoso.mail.onmicrosoft.com';

/** What nginx says for a page it does not have. */
export const NGINX_404: StaticBehaviour = {
  kind: 'static',
  status: 404,
  headers: { Server: 'nginx', 'Content-Type': 'text/html' },
  body:
    '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n' +
    '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
};

/** contoso.com:443 — the company web site; its certificate names only www.contoso.com. */
export const contosoWebSite: EndpointSpec = {
  host: 'contoso.com',
  port: 443,
  tls: { dnsNames: ['www.contoso.com'] },
  behaviour: NGINX_404,
};

/** Exchange 2016 front end as IIS presents it. */
export const ON_PREM_HEADERS: Record<string, string> = {
  Server: 'Microsoft-IIS/10.0',
  'X-FEServer': 'EX01',
  'X-BEServer': 'EX02',
  'X-Powered-By': 'ASP.NET',
};

/** Windows auth and Basic enabled on the Autodiscover virtual directory. */
export const ON_PREM_CHALLENGES = ['Negotiate', 'NTLM', 'Basic realm="autodiscover.contoso.com"'];

/** The on-prem certificate: the Autodiscover name and the namespace it is a CNAME of. */
export const ON_PREM_CERTIFICATE = { dnsNames: ['autodiscover.contoso.com', 'mail.contoso.com'] };

/** autodiscover.contoso.com (and mail.contoso.com) on 443 with the given users and answers. */
export function onPremExchange(
  basic: NonNullable<ExchangeBehaviour['basic']>,
  answers: ExchangeBehaviour['answers'],
): EndpointSpec {
  return {
    host: 'autodiscover.contoso.com',
    aliases: ['mail.contoso.com'],
    port: 443,
    tls: ON_PREM_CERTIFICATE,
    behaviour: { kind: 'exchange', headers: ON_PREM_HEADERS, challenges: ON_PREM_CHALLENGES, basic, answers },
  };
}

/** Only 443 is published for the on-prem names: port 80 refuses. */
export const onPremPort80Closed: EndpointSpec = {
  host: 'autodiscover.contoso.com',
  aliases: ['mail.contoso.com'],
  port: 80,
  behaviour: { kind: 'closed' },
};

/** Exchange Online front door headers (see samples/exo-401-bearer-challenge.http). */
export const EXO_HEADERS: Record<string, string> = {
  Server: 'Microsoft-IIS/10.0',
  'X-CalculatedBETarget': 'AB1PR01MB2345.eurprd01.prod.outlook.com',
  'X-FEServer': 'AB1PR02CA0123',
  'X-BEServer': 'AB1PR01MB2345',
};

/** Exchange Online's challenge: OAuth for any tenant, plus a Basic it will refuse anyway. */
export const EXO_CHALLENGES = [
  'Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@*", ' +
    'token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"',
  'Basic Realm=""',
];

export const EXO_BASIC_BLOCKED = 'LiveIdBasicAuth:BasicAuthBlocked:Basic authentication is disabled for this tenant.';

/** One certificate for the Exchange Online names. */
export const EXO_CERTIFICATE = { dnsNames: ['autodiscover-s.outlook.com', '*.outlook.com', 'outlook.office365.com'] };

/** Where Exchange Online's port-80 redirect sends every customer name. */
export const EXO_AUTODISCOVER_URL = 'https://autodiscover-s.outlook.com/autodiscover/autodiscover.xml';

/**
 * A name CNAMEd to autodiscover.outlook.com, as Exchange Online serves it: HTTPS refused (no
 * certificate for the customer's name), the HTTP redirect method on port 80 answers a 302 to
 * autodiscover-s.outlook.com (samples/http-redirect-method-302.http).
 */
export function exoFrontDoor(host: string): EndpointSpec[] {
  const aliases = ['autodiscover.outlook.com'];
  return [
    { host, aliases, port: 443, behaviour: { kind: 'closed' } },
    httpRedirectMethod(host, { kind: 'redirect', status: 302, location: EXO_AUTODISCOVER_URL, headers: { 'Cache-Control': 'no-cache' } }, aliases),
  ];
}

/**
 * The HTTP redirect method (reference §4.2) as a server publishes it: port 80 answers a GET (or
 * HEAD) for /autodiscover/autodiscover.xml with `redirect`; anything else is a 404.
 */
export function httpRedirectMethod(host: string, redirect: RedirectBehaviour, aliases?: string[]): EndpointSpec {
  return {
    host,
    ...(aliases ? { aliases } : {}),
    port: 80,
    behaviour: { kind: 'routes', routes: [{ path: '/autodiscover/autodiscover.xml', methods: ['GET', 'HEAD'], behaviour: redirect }] },
  };
}
