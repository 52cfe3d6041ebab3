/**
 * example.com building blocks for the scenarios of the real-world failure cases (cases.ts; the case
 * files are ../shared/cases/*): names and loopback addresses, the BASELINE settings body, the
 * company web site on the bare domain, an on-premises Exchange front end on autodiscover.example.com,
 * and Exchange Online reached the way Outlook reaches it (CNAME to autodiscover.outlook.com, HTTPS
 * refused, the port-80 redirect to autodiscover-s.outlook.com). Plain data; a scenario picks and
 * overrides. Bodies are embedded verbatim: the lab never reads the case files at run time.
 */
import type { AutodiscoverAnswer, DnsZone, EndpointSpec, ExchangeBehaviour, HeaderSpec, HttpBehaviour, LabUser, Scenario } from '../scenario.ts';
import { EXO_BASIC_BLOCKED, EXO_CERTIFICATE, EXO_CHALLENGES, EXO_HEADERS, NGINX_404, ON_PREM_HEADERS } from './contoso.ts';

// Exchange Online's front door is the same for every customer name (contoso.ts).
export { EXO_AUTODISCOVER_URL, exoFrontDoor } from './contoso.ts';

export const EXAMPLE_DOMAIN = 'example.com';
/** The mailbox most cases are about. */
export const EXAMPLE_USER = 'user1@example.com';
/** Lab data, not a secret: the Basic password every example.com server accepts. */
export const EXAMPLE_PASSWORD = 'Example-Passw0rd!';
/** Lab data, not a secret: the access token the emulated Exchange Online accepts. */
export const EXAMPLE_BEARER_TOKEN =
  'eyJ0eXAiOiJKV1QiLCJub25jZSI6ImV4YW1wbGUifQ.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlMzY1LmNvbSIsInVwbiI6InVzZXIxQGV4YW1wbGUuY29tIn0.Zx8Qm2Lr5Tn0Vb7Kc4Hs1Jd9Wf6Ya3Pe';

/** Loopback addresses standing for the hosts of the cases (192.0.2.x / 198.51.100.x there). */
export const ADDRESSES = {
  /** example.com / www.example.com: the company web site. */
  web: '127.0.0.10',
  /** autodiscover.example.com: on-premises Exchange (or whatever the case puts there). */
  autodiscover: '127.0.0.20',
  /** autodiscover.outlook.com: Exchange Online's front door for CNAMEd customer names. */
  exoFrontDoor: '127.0.0.30',
  /** autodiscover-s.outlook.com: Exchange Online Autodiscover. */
  exoAutodiscover: '127.0.0.40',
  /** outlook.office365.com: Exchange Online EWS/OWA (and Autodiscover v2). */
  exoOutlook: '127.0.0.50',
  /** Any other host a case names (mail.example.com, mail.example-hoster.net …). */
  other: '127.0.0.60',
} as const;

export const XML_UTF8 = 'text/xml; charset=utf-8';

// ───────────────────────────── bodies ─────────────────────────────

/** BASELINE-settings-expr.xml, verbatim: the good on-premises settings answer (EXCH + EXPR + WEB). */
export const BASELINE_SETTINGS_XML = `<?xml version="1.0" encoding="utf-8"?>
<!-- BASELINE composed body: a well-formed Outlook-provider settings response (on-premises, EXCH + EXPR + WEB).
     Used as the "good" follow-up answer by several BUG cases. -->
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <User>
      <DisplayName>Example User</DisplayName>
      <LegacyDN>/o=ExampleOrg/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=user1</LegacyDN>
      <AutoDiscoverSMTPAddress>user1@example.com</AutoDiscoverSMTPAddress>
      <DeploymentId>11111111-2222-3333-4444-555555555555</DeploymentId>
    </User>
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
      <MicrosoftOnline>False</MicrosoftOnline>
      <Protocol>
        <Type>EXCH</Type>
        <Server>ex01.corp.example.local</Server>
        <AuthPackage>Kerb</AuthPackage>
        <ASUrl>https://ex01.corp.example.local/EWS/Exchange.asmx</ASUrl>
        <EwsUrl>https://ex01.corp.example.local/EWS/Exchange.asmx</EwsUrl>
      </Protocol>
      <Protocol>
        <Type>EXPR</Type>
        <Server>mail.example.com</Server>
        <SSL>On</SSL>
        <AuthPackage>Negotiate</AuthPackage>
        <CertPrincipalName>msstd:mail.example.com</CertPrincipalName>
        <ASUrl>https://mail.example.com/EWS/Exchange.asmx</ASUrl>
        <EwsUrl>https://mail.example.com/EWS/Exchange.asmx</EwsUrl>
        <OOFUrl>https://mail.example.com/EWS/Exchange.asmx</OOFUrl>
        <OABUrl>https://mail.example.com/OAB/00000000-0000-0000-0000-000000000000/</OABUrl>
      </Protocol>
      <Protocol>
        <Type>WEB</Type>
        <External>
          <OWAUrl AuthenticationMethod="Fba">https://mail.example.com/owa/</OWAUrl>
          <Protocol>
            <Type>EXPR</Type>
            <ASUrl>https://mail.example.com/EWS/Exchange.asmx</ASUrl>
          </Protocol>
        </External>
      </Protocol>
    </Account>
  </Response>
</Autodiscover>
`;

/** BASELINE for another mailbox: only AutoDiscoverSMTPAddress changes (BUG-01 sharedbox, DERIVED-01). */
export function baselineFor(smtpAddress: string): string {
  return BASELINE_SETTINGS_XML.replace(
    '<AutoDiscoverSMTPAddress>user1@example.com</AutoDiscoverSMTPAddress>',
    `<AutoDiscoverSMTPAddress>${escapeXml(smtpAddress)}</AutoDiscoverSMTPAddress>`,
  );
}

/**
 * BASELINE as Exchange Online sends it (BUG-11 "use BASELINE with MicrosoftOnline=True and
 * outlook.office365.com URLs"): MicrosoftOnline True, every host outlook.office365.com.
 */
export function baselineExo(smtpAddress = EXAMPLE_USER): string {
  return baselineFor(smtpAddress)
    .replace('<MicrosoftOnline>False</MicrosoftOnline>', '<MicrosoftOnline>True</MicrosoftOnline>')
    .replaceAll('ex01.corp.example.local', 'outlook.office365.com')
    .replaceAll('mail.example.com', 'outlook.office365.com');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A 200 carrying `body` byte for byte, with `contentType` (null: no Content-Type header at all)
 * after the server's own headers.
 */
export function xmlAnswer(body: string, contentType: string | null = XML_UTF8, headers: Record<string, string> = ON_PREM_HEADERS): AutodiscoverAnswer {
  const pairs: Array<[string, string]> = Object.entries(headers);
  if (contentType !== null) pairs.push(['Content-Type', contentType]);
  return { action: 'raw', status: 200, headers: pairs, body };
}

// ───────────────────────────── DNS ─────────────────────────────

/**
 * example.com as most cases have it: the web site on the bare name, autodiscover.example.com on
 * its own address, no SRV record. `extra` adds or overrides names.
 */
export function exampleDns(extra: DnsZone = {}): DnsZone {
  return {
    'example.com': { A: [ADDRESSES.web] },
    'www.example.com': { A: [ADDRESSES.web] },
    'autodiscover.example.com': { A: [ADDRESSES.autodiscover] },
    '_autodiscover._tcp.example.com': { behaviour: 'nxdomain' },
    ...extra,
  };
}

/** Exchange Online's own names. */
export function exoDns(): DnsZone {
  return {
    'autodiscover.outlook.com': { A: [ADDRESSES.exoFrontDoor] },
    'autodiscover-s.outlook.com': { A: [ADDRESSES.exoAutodiscover] },
    'outlook.office365.com': { A: [ADDRESSES.exoOutlook] },
  };
}

// ───────────────────────────── web site ─────────────────────────────

/** example.com:443 — the company web site (nginx, certificate for the bare and www names), 404 on Autodiscover. */
export const exampleWebSite: EndpointSpec = {
  host: 'example.com',
  aliases: ['www.example.com'],
  port: 443,
  tls: { dnsNames: ['example.com', 'www.example.com'] },
  behaviour: NGINX_404,
};

// ───────────────────────────── on-premises Exchange ─────────────────────────────

/** Exchange 2016 front end as IIS presents it (the same servers as contoso's). */
export { ON_PREM_HEADERS } from './contoso.ts';

/** Windows auth and Basic on the Autodiscover virtual directory (BUG-07/BUG-23 list these). */
export const ON_PREM_CHALLENGES = ['Negotiate', 'NTLM', 'Basic realm="autodiscover.example.com"'];

/** BUG-05: "SAN DNS:autodiscover.example.com, DNS:mail.example.com (trusted, valid)". */
export const ON_PREM_CERTIFICATE = { dnsNames: ['autodiscover.example.com', 'mail.example.com'] };

/**
 * Emulated Exchange answering `answers`; every address in `answers` signs in with Basic as itself
 * and EXAMPLE_PASSWORD. Overrides for the exceptions (other headers, paths, credentials).
 */
export function exampleExchange(answers: ExchangeBehaviour['answers'], overrides: Partial<ExchangeBehaviour> = {}): ExchangeBehaviour {
  return {
    kind: 'exchange',
    headers: ON_PREM_HEADERS,
    challenges: ON_PREM_CHALLENGES,
    basic: Object.keys(answers).map((address) => ({ username: address, password: EXAMPLE_PASSWORD })),
    answers,
    ...overrides,
  };
}

/** autodiscover.example.com:443 with the on-prem certificate and the given behaviour. */
export function autodiscoverHttps(behaviour: HttpBehaviour, overrides: Partial<EndpointSpec> = {}): EndpointSpec {
  return { host: 'autodiscover.example.com', port: 443, tls: ON_PREM_CERTIFICATE, behaviour, ...overrides };
}

/**
 * mail.example.com:443, where BASELINE's EWS and OAB URLs point: the virtual directories answer 401
 * without credentials, as IIS does (the returned-URL check's healthy answer). exampleScenario adds
 * it (with exampleMailDns) to every case that does not place mail.example.com itself.
 */
export const exampleMailHost: EndpointSpec = {
  host: 'mail.example.com',
  port: 443,
  tls: ON_PREM_CERTIFICATE,
  behaviour: { kind: 'static', status: 401, headers: { ...ON_PREM_HEADERS, 'WWW-Authenticate': ON_PREM_CHALLENGES } },
};
export const exampleMailDns: DnsZone = { 'mail.example.com': { A: [ADDRESSES.other] } };

/** Nothing listens on autodiscover.example.com:80 (only 443 is published). */
export const autodiscoverPort80Closed: EndpointSpec = { host: 'autodiscover.example.com', port: 80, behaviour: { kind: 'closed' } };

/** Nothing listens on autodiscover.example.com:443. */
export const autodiscoverHttpsClosed: EndpointSpec = { host: 'autodiscover.example.com', port: 443, behaviour: { kind: 'closed' } };

// ───────────────────────────── Exchange Online ─────────────────────────────

/** The Exchange Online certificate, shared by its hosts through `tls: 'exo'`. */
export const EXO_CERTIFICATES = { exo: EXO_CERTIFICATE };

/**
 * Exchange Online Autodiscover: OAuth for any tenant and a Basic challenge. `basic` lists the
 * accepted Basic users (the years before Basic was switched off); without it every Basic attempt
 * is blocked the way Exchange Online does it today.
 */
export function exoExchange(answers: ExchangeBehaviour['answers'], overrides: Partial<ExchangeBehaviour> = {}): ExchangeBehaviour {
  return {
    kind: 'exchange',
    headers: EXO_HEADERS,
    challenges: EXO_CHALLENGES,
    challengeHeaders: { 'X-BackEndHttpStatus': '401' },
    basicBlocked: EXO_BASIC_BLOCKED,
    bearerTokens: [EXAMPLE_BEARER_TOKEN],
    answers,
    ...overrides,
  };
}

/** autodiscover-s.outlook.com:443 with the given behaviour. */
export function exoAutodiscoverHttps(behaviour: HttpBehaviour): EndpointSpec {
  return { host: 'autodiscover-s.outlook.com', port: 443, tls: 'exo', behaviour };
}

// ───────────────────────────── scenario ─────────────────────────────

/** Headers as ordered pairs (for the exact order of a transcript). */
export function pairs(...list: Array<[string, string]>): HeaderSpec {
  return list;
}

export function exampleScenario(
  name: string,
  description: string,
  user: LabUser,
  dns: DnsZone,
  endpoints: EndpointSpec[],
  certificates?: Scenario['certificates'],
): Scenario {
  // BASELINE hands out mail.example.com's EWS and OAB URLs: where a case does not place that host
  // itself, it works (the cases are about Autodiscover, not about a missing mail host).
  const placed = 'mail.example.com' in dns || endpoints.some((e) => e.host === 'mail.example.com' || e.aliases?.includes('mail.example.com'));
  return {
    name, description, users: [user],
    dns: placed ? dns : { ...dns, ...exampleMailDns },
    ...(certificates ? { certificates } : {}),
    endpoints: placed ? endpoints : [...endpoints, exampleMailHost],
  };
}
