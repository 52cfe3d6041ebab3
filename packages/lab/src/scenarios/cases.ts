/**
 * One scenario per real-world failure case of ../shared/cases/ (see its README for the sources and
 * for what a correct tool reports). Each scenario is named after its case file in kebab-case and
 * cites it; hosts, statuses, headers and bodies follow the case (bodies embedded verbatim), and
 * where a case shows only one exchange the rest of the organisation is the plainest one around it
 * (example.ts), said so in the scenario's comment. `CASES` gives each scenario with the address and
 * credentials the probe is given (`users[0]`), for test/cases.test.ts.
 *
 * Not here: BUG-15 (header-name case: pure parsing, test/autodiscover-cases.test.ts and
 * test/autodiscover-challenge.test.ts) and BUG-17 (Autodiscover v2 JSON, which the walk does not
 * probe yet: test/autodiscover-v2.test.ts).
 */
import type { EndpointSpec, LabUser, Scenario } from '../scenario.ts';
import { EXO_HEADERS, httpRedirectMethod } from './contoso.ts';
import { userCredentials, type UserCredentials } from './users.ts';
import { exoOutlook, V2_IN_EXO } from './contoso-services.ts';
import {
  ADDRESSES,
  autodiscoverHttps,
  autodiscoverHttpsClosed,
  autodiscoverPort80Closed,
  BASELINE_SETTINGS_XML,
  baselineExo,
  baselineFor,
  EXAMPLE_BEARER_TOKEN,
  EXAMPLE_PASSWORD,
  EXAMPLE_USER,
  exampleDns,
  exampleExchange,
  exampleScenario,
  exampleWebSite,
  EXO_CERTIFICATES,
  exoAutodiscoverHttps,
  exoDns,
  exoExchange,
  exoFrontDoor,
  pairs,
  XML_UTF8,
  xmlAnswer,
} from './example.ts';

/** What a test hands the probe (structurally the engine's Credentials). */
/** Kept as a name for the case entries; the shape is the lab's one user-credentials type. */
export type CaseCredentials = UserCredentials;

export interface CaseScenario {
  /** The case file it reproduces. */
  file: string;
  scenario: Scenario;
  /** The address probed. */
  address: string;
  credentials: CaseCredentials;
  /**
   * Probe options the case needs beyond the lab's own: `credentialHosts`, a host outside the
   * user's domain the user allows credentials to (what clicking "Allow" in Outlook's redirect
   * prompt does).
   */
  options?: { credentialHosts?: string[] };
}

const user1: LabUser = { address: EXAMPLE_USER, username: EXAMPLE_USER, password: EXAMPLE_PASSWORD };

// ───────────────────────────── BUG-01 ─────────────────────────────

export const BUG01_ADDRESS = 'sharedbox@example.com';
export const BUG01_LOCATION = 'https://autodiscover-s.outlook.com:443/Autodiscover/sharedbox/Autodiscover.xml';
/** The mailbox-specific path of the Location, as the lab routes it. */
const BUG01_MAILBOX_PATH = '/autodiscover/sharedbox/autodiscover.xml';

/**
 * BUG-01-o365-302-mailbox-path.txt: the authenticated POST to autodiscover-s.outlook.com answers
 * 302 to the same host with an explicit :443 and an extra path segment; the re-POST there returns
 * BASELINE for sharedbox@example.com. The host is reached the way Outlook reaches Exchange Online:
 * autodiscover.example.com CNAME autodiscover.outlook.com, HTTPS refused, port-80 302. Basic is
 * accepted (the case is from 2021 and shows Basic).
 */
export const bug01: Scenario = exampleScenario(
  'bug-01-o365-302-mailbox-path',
  'BUG-01: Exchange Online answers the authenticated POST with a 302 to https://autodiscover-s.outlook.com:443/Autodiscover/sharedbox/Autodiscover.xml; the re-POST gets the settings.',
  { address: BUG01_ADDRESS, username: BUG01_ADDRESS, password: EXAMPLE_PASSWORD },
  exampleDns({ 'autodiscover.example.com': { CNAME: 'autodiscover.outlook.com' }, ...exoDns() }),
  [
    exampleWebSite,
    ...exoFrontDoor('autodiscover.example.com'),
    exoAutodiscoverHttps({
      kind: 'routes',
      routes: [
        {
          path: '/autodiscover/autodiscover.xml',
          behaviour: exoExchange(
            {
              [BUG01_ADDRESS]: {
                action: 'raw',
                status: 302,
                headers: pairs(
                  ['Cache-Control', 'private'],
                  ['Content-Type', XML_UTF8],
                  ['Location', BUG01_LOCATION],
                  ['Server', 'Microsoft-IIS/10.0'],
                ),
                body: '',
              },
            },
            { basicBlocked: undefined, basic: [{ username: BUG01_ADDRESS, password: EXAMPLE_PASSWORD }] },
          ),
        },
        {
          path: BUG01_MAILBOX_PATH,
          behaviour: exoExchange(
            { [BUG01_ADDRESS]: xmlAnswer(baselineFor(BUG01_ADDRESS), XML_UTF8, EXO_HEADERS) },
            { path: BUG01_MAILBOX_PATH, basicBlocked: undefined, basic: [{ username: BUG01_ADDRESS, password: EXAMPLE_PASSWORD }] },
          ),
        },
      ],
    }),
  ],
  EXO_CERTIFICATES,
);

// ───────────────────────────── BUG-02 ─────────────────────────────

export const BUG02_HOSTER = 'mail.example-hoster.net';
export const BUG02_LOCATION = `https://${BUG02_HOSTER}/autodiscover/autodiscover.xml`;
/** The 301's body as the case shows it (kept for the 302/307/308 variants: "the same fixture"). */
export const BUG02_BODY =
  '<html><head><title>301 Moved Permanently</title></head><body><h1>Moved Permanently</h1><p>The document has moved <a href="https://mail.example-hoster.net/autodiscover/autodiscover.xml">here</a>.</p></body></html>';

/**
 * BUG-02-http-redirect-301.txt (and the 302/307/308 variants it asks for): example.com's mail is
 * hosted; autodiscover.example.com publishes only port 80, whose GET answers the redirect to
 * https://mail.example-hoster.net/autodiscover/autodiscover.xml; the hoster's Exchange returns
 * BASELINE to the authenticated POST.
 */
function bug02(status: 301 | 302 | 307 | 308): Scenario {
  return exampleScenario(
    `bug-02-http-redirect-${status}`,
    `BUG-02: the HTTP redirect method answers ${status}${status === 302 ? '' : ' (not only 302)'} to mail.example-hoster.net, which returns the settings.`,
    user1,
    exampleDns({ 'mail.example-hoster.net': { A: [ADDRESSES.other] } }),
    [
      exampleWebSite,
      autodiscoverHttpsClosed,
      httpRedirectMethod('autodiscover.example.com', {
        kind: 'redirect',
        status,
        location: BUG02_LOCATION,
        headers: pairs(['Content-Type', 'text/html; charset=UTF-8']),
        body: BUG02_BODY,
      }),
      {
        host: 'mail.example-hoster.net',
        port: 443,
        tls: { dnsNames: ['mail.example-hoster.net'] },
        behaviour: exampleExchange({ [EXAMPLE_USER]: xmlAnswer(BASELINE_SETTINGS_XML) }, { challenges: ['Negotiate', 'NTLM', 'Basic realm="mail.example-hoster.net"'] }),
      },
    ],
  );
}

export const bug02Variants: Record<301 | 302 | 307 | 308, Scenario> = { 301: bug02(301), 302: bug02(302), 307: bug02(307), 308: bug02(308) };

// ───────────────────────────── BUG-05 ─────────────────────────────

/**
 * BUG-05-root-domain-cert-mismatch.txt: example.com (192.0.2.10 there) presents a trusted
 * certificate for www.example.com only (CN and SAN); autodiscover.example.com (198.51.100.20)
 * presents autodiscover.example.com + mail.example.com and returns BASELINE. What the web site
 * answers is not in the case: nginx's 404.
 */
export const bug05: Scenario = exampleScenario(
  'bug-05-root-domain-cert-mismatch',
  'BUG-05: the bare domain serves a certificate for www.example.com only; autodiscover.example.com works.',
  user1,
  exampleDns(),
  [
    { ...exampleWebSite, aliases: [], tls: { dnsNames: ['www.example.com'], commonName: 'www.example.com' } },
    autodiscoverHttps(exampleExchange({ [EXAMPLE_USER]: xmlAnswer(BASELINE_SETTINGS_XML) })),
    autodiscoverPort80Closed,
  ],
);

// ───────────────────────────── BUG-06 ─────────────────────────────

/** BUG-06-expr-missing-exch-only.xml, verbatim. */
export const BUG06_XML = `<?xml version="1.0" encoding="utf-8"?>
<!-- BUG-06 composed body: settings response with an EXCH (internal) block only; no EXPR (external) block. -->
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
        <ServerDN>/o=ExampleOrg/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn=EX01</ServerDN>
        <ServerVersion>738180DA</ServerVersion>
        <AuthPackage>Kerb</AuthPackage>
        <ASUrl>https://ex01.corp.example.local/EWS/Exchange.asmx</ASUrl>
        <EwsUrl>https://ex01.corp.example.local/EWS/Exchange.asmx</EwsUrl>
        <OOFUrl>https://ex01.corp.example.local/EWS/Exchange.asmx</OOFUrl>
        <OABUrl>https://ex01.corp.example.local/OAB/00000000-0000-0000-0000-000000000000/</OABUrl>
      </Protocol>
      <Protocol>
        <Type>WEB</Type>
        <Internal>
          <OWAUrl AuthenticationMethod="Basic, Fba">https://ex01.corp.example.local/owa/</OWAUrl>
        </Internal>
      </Protocol>
    </Account>
  </Response>
</Autodiscover>
`;

/** BUG-06-expr-missing-exch-only.xml: autodiscover.example.com answers with EXCH (+ WEB Internal) only, no EXPR. */
export const bug06: Scenario = exampleScenario(
  'bug-06-expr-missing-exch-only',
  'BUG-06: the settings have an EXCH block with *.corp.example.local URLs and no EXPR block.',
  user1,
  exampleDns(),
  [exampleWebSite, autodiscoverHttps(exampleExchange({ [EXAMPLE_USER]: xmlAnswer(BUG06_XML) })), autodiscoverPort80Closed],
);

// ───────────────────────────── BUG-07 ─────────────────────────────

export const BUG07_REASON = 'Unauthorized ( Proxy requires authorization before the Web server can be reached. )';
export const BUG07_BODY =
  '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0 Transitional//EN">\n' +
  '<HTML><HEAD><TITLE>Access denied</TITLE></HEAD>\n' +
  '<BODY><P>The page cannot be displayed. The proxy requires authentication before forwarding this request.</P></BODY></HTML>';

/**
 * BUG-07-proxy-401-html-multi-auth.txt: a TMG-style pre-authenticating proxy owns
 * autodiscover.example.com:443 and answers every request itself — signed in or not — with the
 * case's 401 (reason phrase, four WWW-Authenticate lines including the bogus "Kerberos", HTML
 * body, Proxy-Support, no Exchange header). Content-Length is the body's real length.
 */
export const bug07: Scenario = exampleScenario(
  'bug-07-proxy-401-html-multi-auth',
  'BUG-07: a reverse proxy with pre-authentication answers 401 (HTML, four schemes, no Exchange headers), also after signing in.',
  user1,
  exampleDns(),
  [
    exampleWebSite,
    autodiscoverHttps({
      kind: 'static',
      status: 401,
      reason: BUG07_REASON,
      headers: pairs(
        ['WWW-Authenticate', 'Negotiate'],
        ['WWW-Authenticate', 'Kerberos'],
        ['WWW-Authenticate', 'NTLM'],
        ['WWW-Authenticate', 'Basic realm="autodiscover.example.com"'],
        ['Connection', 'Keep-Alive'],
        ['Pragma', 'no-cache'],
        ['Cache-Control', 'no-cache'],
        ['Content-Type', 'text/html'],
        ['Proxy-Support', 'Session-Based-Authentication'],
      ),
      body: BUG07_BODY,
    }),
    autodiscoverPort80Closed,
  ],
);

// ───────────────────────────── BUG-08 ─────────────────────────────

export const BUG08_PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Example Corp - Welcome</title>
<link href="https://fonts.example.net/css?family=Open+Sans:400,700&subset=latin,latin-ext" rel="stylesheet">
</head>
<body>
<form action="/owa/auth.owa" method="post"><input name="username"><input name="password" type="password"></form>
</body>
</html>`;

/**
 * BUG-08-html-200-page.txt: the CMS / parked-domain case. example.com and autodiscover.example.com
 * both resolve to the web server (a catch-all, like a wildcard record), which answers every
 * request — the POST to /autodiscover/autodiscover.xml included — with the case's 200 HTML page,
 * on 443 and on 80. No SRV record: nothing else answers for the domain.
 */
export const bug08Html200: Scenario = exampleScenario(
  'bug-08-html-200-page',
  'BUG-08a: every Autodiscover URL of example.com gets a 200 web page (login form with a bare "&subset").',
  user1,
  exampleDns({ 'autodiscover.example.com': { A: [ADDRESSES.web] } }),
  (() => {
    const page = { kind: 'static', status: 200, headers: pairs(['Content-Type', 'text/html; charset=UTF-8'], ['Server', 'nginx']), body: BUG08_PAGE } as const;
    return [
      { host: 'example.com', aliases: ['www.example.com', 'autodiscover.example.com'], port: 443, tls: { dnsNames: ['example.com', '*.example.com'] }, behaviour: page },
      { host: 'example.com', aliases: ['www.example.com', 'autodiscover.example.com'], port: 80, behaviour: page },
    ] satisfies EndpointSpec[];
  })(),
);

export const BUG08_404_ADDRESS = 'user1@example.org';
export const BUG08_404_BODY =
  '<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr><center>nginx</center></body></html>';

/**
 * BUG-08-html-404-page.txt: example.org's web server (nginx) has no Autodiscover and answers the
 * POST with the case's 404 HTML page; autodiscover.example.org resolves to the same server, port
 * 80 included. No SRV record.
 */
export const bug08Html404: Scenario = exampleScenario(
  'bug-08-html-404-page',
  'BUG-08b: every Autodiscover URL of example.org gets nginx\'s 404 HTML page.',
  { address: BUG08_404_ADDRESS, username: BUG08_404_ADDRESS, password: EXAMPLE_PASSWORD },
  {
    'example.org': { A: [ADDRESSES.web] },
    'autodiscover.example.org': { A: [ADDRESSES.web] },
    '_autodiscover._tcp.example.org': { behaviour: 'nxdomain' },
  },
  (() => {
    const notFound = { kind: 'static', status: 404, headers: pairs(['Content-Type', 'text/html; charset=utf-8']), body: BUG08_404_BODY } as const;
    return [
      { host: 'example.org', aliases: ['autodiscover.example.org'], port: 443, tls: { dnsNames: ['example.org', '*.example.org'] }, behaviour: notFound },
      { host: 'example.org', aliases: ['autodiscover.example.org'], port: 80, behaviour: notFound },
    ] satisfies EndpointSpec[];
  })(),
);

// ───────────────────────────── BUG-09 / BUG-10 ─────────────────────────────

/** BUG-09-errorcode-600.xml, verbatim. */
export const BUG09_XML = `<?xml version="1.0" encoding="utf-8"?>
<!-- BUG-09 composed body: what Exchange-compatible servers return for a GET, or for a POST whose request lacks
     <EMailAddress>. Served with HTTP 200 and Content-Type text/xml. -->
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response>
    <Error Time="10:15:42.1234567" Id="1234567890">
      <ErrorCode>600</ErrorCode>
      <Message>Invalid Request</Message>
      <DebugData />
    </Error>
  </Response>
</Autodiscover>
`;
/** BUG-10-errorcode-603.xml, verbatim. */
export const BUG10_603_XML = `<?xml version="1.0" encoding="UTF-8"?>
<!-- BUG-10a composed body: internal server error reported inside a 200 response (mobilesync request). -->
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"><Response><Error Time="14:02:19" Id="987654321"><ErrorCode>603</ErrorCode><Message>Server Error</Message><DebugData/></Error></Response></Autodiscover>
`;
/** BUG-10-errorcode-500.xml, verbatim. */
export const BUG10_500_XML = `<?xml version="1.0" encoding="utf-8"?>
<!-- BUG-10b composed body: the address is unknown to this server (typo, wrong domain, or a contact without mailbox). -->
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <Error Time="08:01:12.5550000" Id="2715829403">
      <ErrorCode>500</ErrorCode>
      <Message>The e-mail address can't be found.</Message>
      <DebugData />
    </Error>
  </Response>
</Autodiscover>
`;

/** autodiscover.example.com answering the authenticated POST with `body` (200, text/xml). */
function errorScenario(name: string, description: string, body: string): Scenario {
  return exampleScenario(name, description, user1, exampleDns(), [
    exampleWebSite,
    autodiscoverHttps(exampleExchange({ [EXAMPLE_USER]: xmlAnswer(body) })),
    autodiscoverPort80Closed,
  ]);
}

/** BUG-09-errorcode-600.xml: the probe's own authenticated POST comes back 200 with ErrorCode 600. */
export const bug09: Scenario = errorScenario('bug-09-errorcode-600', 'BUG-09: the authenticated POST is answered with ErrorCode 600 "Invalid Request".', BUG09_XML);
/** BUG-10-errorcode-603.xml: ErrorCode 603 "Server Error" inside a 200. */
export const bug10Error603: Scenario = errorScenario('bug-10-errorcode-603', 'BUG-10a: ErrorCode 603 (internal server error) inside a 200 answer.', BUG10_603_XML);
/** BUG-10-errorcode-500.xml: ErrorCode 500 "The e-mail address can't be found." inside a 200. */
export const bug10Error500: Scenario = errorScenario('bug-10-errorcode-500', 'BUG-10b: ErrorCode 500 (address not found) inside a 200 answer.', BUG10_500_XML);

// ───────────────────────────── BUG-11 ─────────────────────────────

export const BUG11_TENANT_ADDRESS = 'user1@exampletenant.mail.onmicrosoft.com';
/** BUG-11-redirectaddr-hybrid.xml, verbatim. */
export const BUG11_XML = `<?xml version="1.0" encoding="utf-8"?>
<!-- BUG-11 composed body: on-premises server in a hybrid deployment; the mailbox lives in Exchange Online.
     Returned for user1@example.com by https://autodiscover.example.com/autodiscover/autodiscover.xml -->
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <Account>
      <Action>redirectAddr</Action>
      <RedirectAddr>user1@exampletenant.mail.onmicrosoft.com</RedirectAddr>
    </Account>
  </Response>
</Autodiscover>
`;

/**
 * BUG-11-redirectaddr-hybrid.xml: hybrid. On-premises autodiscover.example.com returns the case's
 * redirectAddr to user1@exampletenant.mail.onmicrosoft.com; that name's Autodiscover host is a
 * CNAME to autodiscover.outlook.com (HTTPS refused, port-80 302 to autodiscover-s.outlook.com),
 * where OAuth gets BASELINE with MicrosoftOnline=True and outlook.office365.com URLs (the case's
 * "if desired"). Basic is blocked there, as in Exchange Online today.
 */
export const bug11: Scenario = exampleScenario(
  'bug-11-redirectaddr-hybrid',
  'BUG-11: on-premises Exchange redirects user1 to the tenant routing address; Exchange Online returns the settings for an OAuth token.',
  { ...user1, bearerToken: EXAMPLE_BEARER_TOKEN },
  exampleDns({
    'exampletenant.mail.onmicrosoft.com': { behaviour: 'nxdomain' },
    'autodiscover.exampletenant.mail.onmicrosoft.com': { CNAME: 'autodiscover.outlook.com' },
    '_autodiscover._tcp.exampletenant.mail.onmicrosoft.com': { behaviour: 'nxdomain' },
    ...exoDns(),
  }),
  [
    exampleWebSite,
    autodiscoverHttps(exampleExchange({ [EXAMPLE_USER]: xmlAnswer(BUG11_XML) })),
    autodiscoverPort80Closed,
    ...exoFrontDoor('autodiscover.exampletenant.mail.onmicrosoft.com'),
    exoAutodiscoverHttps(exoExchange({
      [BUG11_TENANT_ADDRESS]: xmlAnswer(baselineExo(EXAMPLE_USER), XML_UTF8, EXO_HEADERS),
      [EXAMPLE_USER]: xmlAnswer(baselineExo(EXAMPLE_USER), XML_UTF8, EXO_HEADERS),
    })),
    // Where the settings point (EWS, OAB) and Exchange Online's v2 answer: the mailbox is hosted there.
    exoOutlook(V2_IN_EXO),
  ],
  EXO_CERTIFICATES,
);

// ───────────────────────────── BUG-14 ─────────────────────────────

/** The lower-case route the server (nginx of a Linux mail suite) really has. */
export const BUG14_WORKING_PATH = '/autodiscover/autodiscover.xml';
export const BUG14_404_BODY = '<html><body>404 Not Found</body></html>';

/**
 * BUG-14-path-case-sensitive.txt: autodiscover.example.com routes case-sensitively (nginx location,
 * mail-in-a-box/mailcow/Stalwart): the lower-case path is the Autodiscover generator (Basic, then
 * BASELINE), Outlook's /Autodiscover/Autodiscover.xml gets the case's HTML 404, Windows Mail's
 * /AutoDiscover/AutoDiscover.xml an empty 404. Not Exchange: no request-id.
 */
export const bug14: Scenario = exampleScenario(
  'bug-14-path-case-sensitive',
  'BUG-14: only /autodiscover/autodiscover.xml (lower case) is routed; Outlook\'s spelling gets 404.',
  user1,
  exampleDns(),
  [
    exampleWebSite,
    autodiscoverHttps({
      kind: 'routes',
      routes: [
        {
          path: BUG14_WORKING_PATH,
          caseSensitive: true,
          behaviour: exampleExchange(
            { [EXAMPLE_USER]: xmlAnswer(BASELINE_SETTINGS_XML, XML_UTF8, { Server: 'nginx' }) },
            { path: BUG14_WORKING_PATH, pathCaseSensitive: true, headers: { Server: 'nginx' }, challenges: ['Basic realm="autodiscover.example.com"'], requestId: false },
          ),
        },
        { path: '/Autodiscover/Autodiscover.xml', caseSensitive: true, behaviour: { kind: 'static', status: 404, headers: pairs(['Content-Type', 'text/html']), body: BUG14_404_BODY } },
        { path: '/AutoDiscover/AutoDiscover.xml', caseSensitive: true, behaviour: { kind: 'static', status: 404 } },
      ],
      fallback: { kind: 'static', status: 404, headers: pairs(['Content-Type', 'text/html']), body: BUG14_404_BODY },
    }),
    autodiscoverPort80Closed,
  ],
);

// ───────────────────────────── BUG-16 ─────────────────────────────

export const BUG16_403_BODY = '<html><body><h2>403 - Forbidden: Access is denied.</h2></body></html>';

/**
 * BUG-16-http-redirect-403.txt: autodiscover.example.com (192.0.2.44 there) is a generic IIS web
 * front end with no Exchange behind it: plain HTTP only, answering the GET with the case's 403.
 * The real Autodiscover is https://mail.example.com/Autodiscover/Autodiscover.xml, published only
 * through _autodiscover._tcp.example.com SRV 0 0 443 mail.example.com; it returns BASELINE.
 */
export const bug16: Scenario = exampleScenario(
  'bug-16-http-redirect-403',
  'BUG-16: the HTTP redirect method gets 403 from a generic web front end; SRV leads to mail.example.com, which works.',
  user1,
  exampleDns({
    'autodiscover.example.com': { A: ['127.0.0.44'] },
    '_autodiscover._tcp.example.com': { SRV: [{ priority: 0, weight: 0, port: 443, target: 'mail.example.com' }] },
    'mail.example.com': { A: [ADDRESSES.other] },
  }),
  [
    exampleWebSite,
    autodiscoverHttpsClosed,
    {
      host: 'autodiscover.example.com',
      port: 80,
      behaviour: { kind: 'static', status: 403, headers: pairs(['Content-Type', 'text/html'], ['Server', 'Microsoft-IIS/10.0']), body: BUG16_403_BODY },
    },
    { host: 'mail.example.com', port: 443, tls: { dnsNames: ['mail.example.com'] }, behaviour: exampleExchange({ [EXAMPLE_USER]: xmlAnswer(BASELINE_SETTINGS_XML) }) },
  ],
);

// ───────────────────────────── BUG-19 ─────────────────────────────

export const BUG19_CHALLENGE =
  'Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", resource_id="00000002-0000-0ff1-ce00-000000000000"';
export const BUG19_V2_BODY = '{"Protocol":"EWS","Url":"https://outlook.office365.com/EWS/Exchange.asmx"}';

/**
 * BUG-19-o365-basic-disabled.txt: autodiscover.example.com CNAME autodiscover.outlook.com; the
 * POST to autodiscover-s.outlook.com (reached through the port-80 302) is answered — with or
 * without Basic — by the case's 401 offering only Bearer (placeholder header values as in the
 * case). The probe is given a password only. outlook.office365.com also serves the case's
 * unauthenticated v2 answer, for when the walk learns v2.
 */
export const bug19: Scenario = exampleScenario(
  'bug-19-o365-basic-disabled',
  'BUG-19: Exchange Online with Basic disabled offers only Bearer; the user has only a password.',
  user1,
  exampleDns({ 'autodiscover.example.com': { CNAME: 'autodiscover.outlook.com' }, ...exoDns() }),
  [
    exampleWebSite,
    ...exoFrontDoor('autodiscover.example.com'),
    exoAutodiscoverHttps({ kind: 'static', status: 401, headers: pairs(['WWW-Authenticate', BUG19_CHALLENGE], ['X-Example-Diag', 'basic-auth-blocked-by-policy']) }),
    {
      host: 'outlook.office365.com',
      port: 443,
      tls: 'exo',
      behaviour: {
        kind: 'routes',
        routes: [{ path: '/autodiscover/autodiscover.json/v1.0/', prefix: true, methods: ['GET'], behaviour: { kind: 'static', status: 200, body: BUG19_V2_BODY } }],
      },
    },
  ],
  EXO_CERTIFICATES,
);

// ───────────────────────────── BUG-20 ─────────────────────────────

export const BUG20_BODY =
  '<html><body>AADSTS50076: Because of a configuration change by your administrator, or because you moved to a new location, multi-factor authentication is required for this resource.</body></html>';

/**
 * BUG-20-http-456-mfa.txt: autodiscover.example.com CNAME autodiscover.outlook.com (port-80 302 to
 * autodiscover-s.outlook.com); Exchange Online offers Bearer and Basic, and the Basic POST is
 * answered 456 with no reason phrase and the AADSTS50076 HTML body. Password only.
 */
export const bug20: Scenario = exampleScenario(
  'bug-20-http-456-mfa',
  'BUG-20: the Basic sign-in to Exchange Online is answered 456 (AADSTS50076, MFA required).',
  user1,
  exampleDns({ 'autodiscover.example.com': { CNAME: 'autodiscover.outlook.com' }, ...exoDns() }),
  [
    exampleWebSite,
    ...exoFrontDoor('autodiscover.example.com'),
    exoAutodiscoverHttps(exoExchange(
      { [EXAMPLE_USER]: { action: 'raw', status: 456, reason: '', headers: pairs(['Content-Type', 'text/html; charset=utf-8']), body: BUG20_BODY } },
      { basicBlocked: undefined, basic: [{ username: EXAMPLE_USER, password: EXAMPLE_PASSWORD }] },
    )),
  ],
  EXO_CERTIFICATES,
);

// ───────────────────────────── BUG-21 ─────────────────────────────

/** The six response Content-Types of BUG-21 ("Response side"), by scenario suffix; undefined = no header. */
export const BUG21_CONTENT_TYPES: Record<string, string | undefined> = {
  'text-xml-charset': 'text/xml; charset=utf-8',
  'text-xml-compact-charset': 'text/xml;charset=UTF-8',
  'application-xml': 'application/xml',
  'text-xml': 'text/xml',
  missing: undefined,
  'text-html': 'text/html; charset=utf-8',
};

function bug21(suffix: string, contentType: string | undefined): Scenario {
  return exampleScenario(
    `bug-21-content-type-${suffix}`,
    `BUG-21: BASELINE served with ${contentType === undefined ? 'no Content-Type header' : `Content-Type: ${contentType}`}.`,
    user1,
    exampleDns(),
    [exampleWebSite, autodiscoverHttps(exampleExchange({ [EXAMPLE_USER]: xmlAnswer(BASELINE_SETTINGS_XML, contentType ?? null) })), autodiscoverPort80Closed],
  );
}

/** BUG-21-content-type-variants.txt, response side: the same BASELINE body under each Content-Type. */
export const bug21Variants: Record<string, Scenario> = Object.fromEntries(
  Object.entries(BUG21_CONTENT_TYPES).map(([suffix, ct]) => [suffix, bug21(suffix, ct)]),
);

/** BUG-21's pretty-printed <EwsUrl>, as the case writes it (its common indentation removed). */
export const BUG21_PRETTY_EWSURL = '<EwsUrl>\n  https://mail.example.com/EWS/Exchange.asmx\n</EwsUrl>';

/** BASELINE with the EXPR block's EwsUrl pretty-printed. */
export function bug21PrettyBody(): string {
  const start = BASELINE_SETTINGS_XML.indexOf('<Type>EXPR</Type>');
  return BASELINE_SETTINGS_XML.slice(0, start) + BASELINE_SETTINGS_XML.slice(start).replace('<EwsUrl>https://mail.example.com/EWS/Exchange.asmx</EwsUrl>', BUG21_PRETTY_EWSURL);
}

/** BUG-21-content-type-variants.txt, pretty-printing variant: the EXPR EwsUrl spans three lines. */
export const bug21Pretty: Scenario = exampleScenario(
  'bug-21-pretty-printed-ewsurl',
  'BUG-21: BASELINE with a pretty-printed (whitespace-wrapped) EXPR <EwsUrl>.',
  user1,
  exampleDns(),
  [exampleWebSite, autodiscoverHttps(exampleExchange({ [EXAMPLE_USER]: xmlAnswer(bug21PrettyBody()) })), autodiscoverPort80Closed],
);

// ───────────────────────────── BUG-23 ─────────────────────────────

/** Lab data, not a secret: what the user typed — not the password Exchange knows (EXAMPLE_PASSWORD). */
export const BUG23_WRONG_PASSWORD = 'Wrong-Passw0rd?';
export const BUG23_REQUEST_ID = '3f0c6a52-0000-0000-0000-000000000000';

/**
 * BUG-23-wrong-password.txt: example.com is the web site (TLS OK, 404); autodiscover.example.com is
 * real Exchange (X-FEServer EX01, the case's request-id) on 443 and on 80 — Negotiate, NTLM,
 * Basic — so port 80 answers 401 too, no redirect; no SRV record. The probe is given a wrong
 * password.
 */
export const bug23: Scenario = (() => {
  const exchange = exampleExchange({ [EXAMPLE_USER]: xmlAnswer(BASELINE_SETTINGS_XML) }, { headers: { 'X-FEServer': 'EX01', 'request-id': BUG23_REQUEST_ID } });
  return exampleScenario(
    'bug-23-wrong-password',
    'BUG-23: the password is wrong; Exchange answers 401 (with its headers) on 443 and on 80; no SRV record.',
    { address: EXAMPLE_USER, username: EXAMPLE_USER, password: BUG23_WRONG_PASSWORD },
    exampleDns(),
    [exampleWebSite, autodiscoverHttps(exchange), { host: 'autodiscover.example.com', port: 80, behaviour: exchange }],
  );
})();

// ───────────────────────────── BUG-24 ─────────────────────────────

/** BUG-24's empty answers: the case (zero bytes, text/xml) and its variants (a), (b), (c). */
export const BUG24_VARIANTS: Record<string, { headers: Array<[string, string]>; body: string; note: string }> = {
  '': { headers: [['Content-Type', XML_UTF8], ['Content-Length', '0']], body: '', note: 'Content-Length: 0' },
  html: { headers: [['Content-Type', 'text/html'], ['Content-Length', '0']], body: '', note: '(a) text/html and zero bytes' },
  chunked: { headers: [['Content-Type', XML_UTF8], ['Transfer-Encoding', 'chunked']], body: '', note: '(b) chunked, a single zero-length chunk' },
  whitespace: { headers: [['Content-Type', XML_UTF8]], body: '\r\n  \r\n\t\r\n', note: '(c) whitespace only' },
  'xml-declaration': { headers: [['Content-Type', XML_UTF8]], body: '<?xml version="1.0" encoding="utf-8"?>\r\n', note: '(c) a lone XML declaration' },
};

/**
 * BUG-24-empty-200.txt: autodiscover.example.com is a mail suite's Autodiscover generator
 * (mailcow / automx style: nginx, Basic, no request-id) that answers the authenticated POST with
 * 200 and nothing in it. Port 80 closed, no SRV record.
 */
function bug24(suffix: string): Scenario {
  const v = BUG24_VARIANTS[suffix]!;
  return exampleScenario(
    suffix ? `bug-24-empty-200-${suffix}` : 'bug-24-empty-200',
    `BUG-24: the authenticated POST is answered 200 with an empty body (${v.note}).`,
    user1,
    exampleDns(),
    [
      exampleWebSite,
      autodiscoverHttps(exampleExchange(
        { [EXAMPLE_USER]: { action: 'raw', status: 200, headers: [['Server', 'nginx'], ...v.headers], body: v.body } },
        { headers: { Server: 'nginx' }, challenges: ['Basic realm="autodiscover.example.com"'], requestId: false },
      )),
      autodiscoverPort80Closed,
    ],
  );
}

export const bug24Variants: Record<string, Scenario> = Object.fromEntries(Object.keys(BUG24_VARIANTS).map((suffix) => [suffix, bug24(suffix)]));

// ───────────────────────────── DERIVED-01 ─────────────────────────────

export const DERIVED01_ADDRESS = 'first.last+sales@example.com';

/**
 * DERIVED-01-plus-address.txt (POX part): the address has a '+' in its local part; Exchange knows
 * exactly first.last+sales@example.com (sign-in name and address), so a '+' turned into a space
 * or an escape gets ErrorCode 500 or a 401 instead of BASELINE.
 */
export const derived01Plus: Scenario = exampleScenario(
  'derived-01-plus-address',
  'DERIVED-01: a plus-addressed mailbox (first.last+sales@example.com) on on-premises Exchange.',
  { address: DERIVED01_ADDRESS, username: DERIVED01_ADDRESS, password: EXAMPLE_PASSWORD },
  exampleDns(),
  [exampleWebSite, autodiscoverHttps(exampleExchange({ [DERIVED01_ADDRESS]: xmlAnswer(baselineFor(DERIVED01_ADDRESS)) })), autodiscoverPort80Closed],
);

export const DERIVED01_UPPERCASE_ADDRESS = 'User1@Example.COM';

/**
 * DERIVED-01-plus-address.txt ("Also test: uppercase local part (User1@Example.COM)"): the same
 * organisation probed with an upper-case address; DNS and host names must be lower-case, the
 * local part sent unchanged. Exchange compares addresses case-insensitively, as it does.
 */
export const derived01Uppercase: Scenario = exampleScenario(
  'derived-01-uppercase-address',
  'DERIVED-01: user1@example.com probed as User1@Example.COM.',
  { address: DERIVED01_UPPERCASE_ADDRESS, password: EXAMPLE_PASSWORD },
  exampleDns(),
  [exampleWebSite, autodiscoverHttps(exampleExchange({ [EXAMPLE_USER]: xmlAnswer(BASELINE_SETTINGS_XML) })), autodiscoverPort80Closed],
);

// ───────────────────────────── registry ─────────────────────────────

function entry(file: string, scenario: Scenario, options?: CaseScenario['options']): [string, CaseScenario] {
  const u = scenario.users[0]!;
  return [scenario.name, { file, scenario, address: u.address, credentials: userCredentials(u), ...(options ? { options } : {}) }];
}

/** Every case scenario by name, with its case file and what the probe is given. */
export const CASES: Readonly<Record<string, CaseScenario>> = Object.fromEntries([
  entry('BUG-01-o365-302-mailbox-path.txt', bug01),
  // The hoster is outside example.com: the user allows it, as Outlook's redirect prompt asks.
  ...Object.values(bug02Variants).map((s) => entry('BUG-02-http-redirect-301.txt', s, { credentialHosts: [BUG02_HOSTER] })),
  entry('BUG-05-root-domain-cert-mismatch.txt', bug05),
  entry('BUG-06-expr-missing-exch-only.xml', bug06),
  entry('BUG-07-proxy-401-html-multi-auth.txt', bug07),
  entry('BUG-08-html-200-page.txt', bug08Html200),
  entry('BUG-08-html-404-page.txt', bug08Html404),
  entry('BUG-09-errorcode-600.xml', bug09),
  entry('BUG-10-errorcode-603.xml', bug10Error603),
  entry('BUG-10-errorcode-500.xml', bug10Error500),
  entry('BUG-11-redirectaddr-hybrid.xml', bug11),
  entry('BUG-14-path-case-sensitive.txt', bug14),
  entry('BUG-16-http-redirect-403.txt', bug16),
  entry('BUG-19-o365-basic-disabled.txt', bug19),
  entry('BUG-20-http-456-mfa.txt', bug20),
  ...Object.values(bug21Variants).map((s) => entry('BUG-21-content-type-variants.txt', s)),
  entry('BUG-21-content-type-variants.txt', bug21Pretty),
  entry('BUG-23-wrong-password.txt', bug23),
  ...Object.values(bug24Variants).map((s) => entry('BUG-24-empty-200.txt', s)),
  entry('DERIVED-01-plus-address.txt', derived01Plus),
  entry('DERIVED-01-plus-address.txt', derived01Uppercase),
]);

/** The case scenarios, in case order. */
export const caseScenarios: readonly Scenario[] = Object.values(CASES).map((c) => c.scenario);
