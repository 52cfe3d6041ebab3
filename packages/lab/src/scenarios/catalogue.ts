/**
 * The failure catalogue of issue 3 item 2: the ways Autodiscover breaks that admins hit, one
 * scenario each — certificates, DNS, transport, redirects, responses, authentication. Built from the
 * example.com blocks (example.ts): the company web site on the bare domain (nginx, 404), on-premises
 * Exchange on autodiscover.example.com returning BASELINE to user1@example.com, port 80 closed, no
 * SRV record — and exactly one thing broken, so the verdict has one right cause.
 *
 * Each entry cites the reference section (shared/reference/autodiscover-protocol.md) whose rule it
 * checks, and carries the probe options it needs (short timeouts where a timeout is the point).
 * test/scenarios-*.test.ts run them and assert the verdict and key findings.
 *
 * Covered elsewhere, not repeated here (see test/cases.test.ts, test/walk-redirects.test.ts,
 * test/engine-limits.test.ts): 301/302/307/308 on the port-80 step (BUG-02), 302 on the POST
 * (BUG-01), redirectUrl to http, hop limit, URL and address loops, 200 HTML login page (BUG-08),
 * empty 200 (BUG-24), ErrorCode 500/600/603 (BUG-09/10), EXCH without EXPR (BUG-06), XML bomb, 401
 * everywhere with a wrong password (BUG-23), HTTP 456 (BUG-20).
 */
import type { CertificateSpec, DnsZone, EndpointSpec, LabUser, Scenario, SrvRecord } from '../scenario.ts';
import { NGINX_404 } from './contoso.ts';
import type { CaseCredentials } from './cases.ts';
import { userCredentials } from './users.ts';
import {
  ADDRESSES,
  autodiscoverHttps,
  autodiscoverPort80Closed,
  BASELINE_SETTINGS_XML,
  baselineExo,
  baselineFor,
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
  ON_PREM_CERTIFICATE,
  pairs,
  XML_UTF8,
  xmlAnswer,
} from './example.ts';

/** Probe options a catalogue scenario needs beyond the lab's own (DNS, connect-to, lab root). */
export interface CatalogueOptions {
  /** Hosts outside the user's domain allowed to receive credentials (Outlook's redirect prompt: "Allow"). */
  credentialHosts?: string[];
  /** Per-operation timeouts (ms) where a timeout is the point of the scenario. */
  timeouts?: Partial<{ dnsMs: number; connectMs: number; tlsMs: number; httpMs: number }>;
  /** Largest body the probe reads. */
  bodyLimitBytes?: number;
}

export interface CatalogueEntry {
  /** Reference section(s) whose rule the scenario checks. */
  ref: string;
  scenario: Scenario;
  /** The address probed (`users[0]`). */
  address: string;
  credentials: CaseCredentials;
  options?: CatalogueOptions;
}

const user1: LabUser = { address: EXAMPLE_USER, username: EXAMPLE_USER, password: EXAMPLE_PASSWORD };

/** On-premises Exchange that gives user1 BASELINE once signed in with Basic. */
const onPremOk = () => exampleExchange({ [EXAMPLE_USER]: xmlAnswer(BASELINE_SETTINGS_XML) });

/** mail.example.com: the SRV target / redirect target of several scenarios. */
export const MAIL_HOST = 'mail.example.com';

// ───────────────────────────── certificates (§7, §8 #6–#10) ─────────────────────────────

/** The standard organisation with autodiscover.example.com presenting `tls`. */
function certScenario(name: string, description: string, tls: CertificateSpec): Scenario {
  return exampleScenario(name, description, user1, exampleDns(), [exampleWebSite, autodiscoverHttps(onPremOk(), { tls }), autodiscoverPort80Closed]);
}

export const certExpiredLeaf = certScenario(
  'cert-expired-leaf',
  'autodiscover.example.com presents its certificate (right names, trusted root) after its notAfter.',
  { ...ON_PREM_CERTIFICATE, validity: 'expired' },
);

export const certNotYetValid = certScenario(
  'cert-not-yet-valid',
  'autodiscover.example.com presents a certificate whose notBefore is tomorrow.',
  { ...ON_PREM_CERTIFICATE, validity: 'notYetValid' },
);

/**
 * A self-signed certificate with the right names (New-ExchangeCertificate without a CA; the
 * Exchange default "Microsoft Exchange" certificate is self-signed the same way). The names are
 * right so that trust is the only problem.
 */
export const certSelfSigned = certScenario(
  'cert-self-signed',
  'autodiscover.example.com presents a self-signed certificate (like the Exchange default certificate), names correct.',
  { ...ON_PREM_CERTIFICATE, issuer: 'self-signed' },
);

/** A private (enterprise) CA: the server sends the whole chain, root included; no client trusts that root. */
export const certUntrustedRoot = certScenario(
  'cert-untrusted-root',
  'autodiscover.example.com presents a certificate from a private CA, chain sent up to the private root.',
  { ...ON_PREM_CERTIFICATE, issuer: 'untrusted-root', sendRoot: true },
);

export const certMissingIntermediate = certScenario(
  'cert-missing-intermediate',
  'autodiscover.example.com sends only its leaf; the intermediate that signed it is not sent.',
  { ...ON_PREM_CERTIFICATE, issuer: 'intermediate', sendIntermediate: false },
);

export const certExpiredIntermediate = certScenario(
  'cert-expired-intermediate',
  'autodiscover.example.com sends a valid leaf with an intermediate that has expired.',
  { ...ON_PREM_CERTIFICATE, issuer: 'intermediate', intermediateValidity: 'expired' },
);

/** CN autodiscover.example.com, SAN mail.example.com only: the CN does not count once SANs exist (§7.1). */
export const certCnOnlyWithSans = certScenario(
  'cert-name-only-in-cn',
  'autodiscover.example.com presents CN=autodiscover.example.com with a SAN list naming only mail.example.com.',
  { dnsNames: [MAIL_HOST], commonName: 'autodiscover.example.com' },
);

export const SUB_DOMAIN_USER = 'user1@sub.example.com';

/** user1@sub.example.com: autodiscover.sub.example.com presents *.example.com — one label too deep. */
export const certWildcardTooDeep: Scenario = exampleScenario(
  'cert-wildcard-too-deep',
  'autodiscover.sub.example.com presents *.example.com (a wildcard covers exactly one label).',
  { address: SUB_DOMAIN_USER, username: SUB_DOMAIN_USER, password: EXAMPLE_PASSWORD },
  {
    'sub.example.com': { behaviour: 'nxdomain' },
    'autodiscover.sub.example.com': { A: [ADDRESSES.autodiscover] },
    '_autodiscover._tcp.sub.example.com': { behaviour: 'nxdomain' },
  },
  [
    {
      host: 'autodiscover.sub.example.com',
      port: 443,
      tls: { dnsNames: ['*.example.com'] },
      behaviour: exampleExchange({ [SUB_DOMAIN_USER]: xmlAnswer(baselineFor(SUB_DOMAIN_USER)) }, { challenges: ['Negotiate', 'NTLM', 'Basic realm="autodiscover.sub.example.com"'] }),
    },
    { host: 'autodiscover.sub.example.com', port: 80, behaviour: { kind: 'closed' } },
  ],
);

/**
 * The bare domain is the Exchange server (admins who publish https://example.com/autodiscover) with
 * the company's *.example.com certificate, which does not cover example.com itself;
 * autodiscover.example.com does not exist.
 */
export const certWildcardBareDomain: Scenario = exampleScenario(
  'cert-wildcard-bare-domain',
  'example.com (the only Autodiscover endpoint) presents *.example.com, which does not cover the bare name.',
  user1,
  exampleDns({ 'autodiscover.example.com': { behaviour: 'nxdomain' } }),
  [{ host: 'example.com', port: 443, tls: { dnsNames: ['*.example.com'] }, behaviour: onPremOk() }],
);

// ───────────────────────────── DNS (§2.4, §8 #4, #5) ─────────────────────────────

/** The standard organisation, Exchange in place, with autodiscover.example.com's DNS as given. */
function dnsScenario(name: string, description: string, autodiscover: DnsZone[string], extra: DnsZone = {}, endpoints?: EndpointSpec[]): Scenario {
  return exampleScenario(
    name,
    description,
    user1,
    exampleDns({ 'autodiscover.example.com': autodiscover, ...extra }),
    endpoints ?? [exampleWebSite, autodiscoverHttps(onPremOk()), autodiscoverPort80Closed],
  );
}

export const dnsServfail = dnsScenario('dns-servfail', 'autodiscover.example.com: the DNS server answers SERVFAIL (broken DNSSEC, lame delegation).', { behaviour: 'servfail' });

export const dnsTimeout = dnsScenario('dns-timeout', 'autodiscover.example.com: the DNS server never answers.', { behaviour: 'timeout' });

/** autodiscover.example.com → autodiscover.geo.example.net → mail-lb.example.net → mail.example.com (A). */
export const CNAME_CHAIN = ['autodiscover.geo.example.net', 'mail-lb.example.net', MAIL_HOST];

const cnameZone: DnsZone = {
  'autodiscover.geo.example.net': { CNAME: 'mail-lb.example.net' },
  'mail-lb.example.net': { CNAME: MAIL_HOST },
  [MAIL_HOST]: { A: [ADDRESSES.autodiscover] },
};

export const dnsCnameChain = dnsScenario(
  'dns-cname-chain',
  'autodiscover.example.com reaches Exchange through a chain of three CNAMEs; the certificate names autodiscover.example.com.',
  { CNAME: CNAME_CHAIN[0] },
  cnameZone,
  [exampleWebSite, autodiscoverHttps(onPremOk(), { aliases: [MAIL_HOST] }), { ...autodiscoverPort80Closed, aliases: [MAIL_HOST] }],
);

/** The same chain, but the certificate names only the chain's end (mail.example.com): the URL host is what counts. */
export const dnsCnameChainCertForTarget = dnsScenario(
  'dns-cname-chain-cert-for-target',
  'autodiscover.example.com reaches Exchange through three CNAMEs; the certificate names only the final target mail.example.com.',
  { CNAME: CNAME_CHAIN[0] },
  cnameZone,
  [exampleWebSite, autodiscoverHttps(onPremOk(), { aliases: [MAIL_HOST], tls: { dnsNames: [MAIL_HOST] } }), { ...autodiscoverPort80Closed, aliases: [MAIL_HOST] }],
);

/**
 * A wildcard record *.example.com → the web host: autodiscover.example.com (and the SRV name, NODATA)
 * are answered by it. The web server answers every name with a wildcard certificate and nginx 404s,
 * on 443 and on 80. DNS works exactly as published; the endpoint is the problem.
 */
export const dnsWildcardToWeb: Scenario = exampleScenario(
  'dns-wildcard-to-web',
  'A wildcard DNS record *.example.com answers for autodiscover.example.com with the web host, which has no Autodiscover.',
  user1,
  { 'example.com': { A: [ADDRESSES.web] }, '*.example.com': { A: [ADDRESSES.web] } },
  [
    { host: 'example.com', aliases: ['www.example.com', 'autodiscover.example.com'], port: 443, tls: { dnsNames: ['example.com', '*.example.com'] }, behaviour: NGINX_404 },
    { host: 'example.com', aliases: ['www.example.com', 'autodiscover.example.com'], port: 80, behaviour: NGINX_404 },
  ],
);

export const SRV_HOSTER = 'mail.example-hoster.net';
export const SRV_HOSTER_2 = 'mail2.example-hoster.net';

/**
 * Zone order deliberately not sorted. RFC 2782: the lowest priority number is preferred (10), weight
 * only shares the load within a priority; 20 loses although its weight is higher; the port-8443
 * record is flagged (clients use 443).
 */
export const SRV_RECORDS: SrvRecord[] = [
  { priority: 20, weight: 100, port: 443, target: 'autodiscover-backup.example.com' },
  { priority: 30, weight: 0, port: 8443, target: 'legacy.example.com' },
  { priority: 10, weight: 60, port: 443, target: SRV_HOSTER },
  { priority: 10, weight: 40, port: 443, target: SRV_HOSTER_2 },
];

/**
 * A hosted domain published only through SRV: autodiscover.example.com does not exist; the SRV
 * records point at the hoster (another domain) — where credentials go only once the user allows it.
 */
export const dnsSrvPriorities: Scenario = exampleScenario(
  'dns-srv-priorities',
  'SRV records with several priorities, weights and ports; the preferred ones point at a hoster in another domain.',
  user1,
  exampleDns({
    'autodiscover.example.com': { behaviour: 'nxdomain' },
    '_autodiscover._tcp.example.com': { SRV: SRV_RECORDS },
    [SRV_HOSTER]: { A: [ADDRESSES.other] },
    [SRV_HOSTER_2]: { A: [ADDRESSES.other] },
    'autodiscover-backup.example.com': { A: ['127.0.0.62'] },
    'legacy.example.com': { A: ['127.0.0.63'] },
  }),
  [
    exampleWebSite,
    {
      host: SRV_HOSTER,
      aliases: [SRV_HOSTER_2],
      port: 443,
      tls: { dnsNames: [SRV_HOSTER, SRV_HOSTER_2] },
      behaviour: exampleExchange({ [EXAMPLE_USER]: xmlAnswer(BASELINE_SETTINGS_XML) }, { challenges: ['Negotiate', 'NTLM', `Basic realm="${SRV_HOSTER}"`] }),
    },
    // Working Exchange on the less preferred targets too: only the order decides.
    { host: 'autodiscover-backup.example.com', port: 443, tls: { dnsNames: ['autodiscover-backup.example.com'] }, behaviour: onPremOk() },
    { host: 'legacy.example.com', port: 443, tls: { dnsNames: ['legacy.example.com'] }, behaviour: onPremOk() },
    { host: 'legacy.example.com', port: 8443, tls: { dnsNames: ['legacy.example.com'] }, behaviour: onPremOk() },
  ],
);

// ───────────────────────────── transport (§8 #11, §4.4) ─────────────────────────────

/**
 * autodiscover.example.com accepts TCP and never sends a byte; the rest answers at once, and the
 * SRV record leads to a working mail.example.com.
 */
export const transportSilent: Scenario = exampleScenario(
  'transport-silent-host',
  'autodiscover.example.com accepts connections and never answers; SRV leads to a working mail.example.com.',
  user1,
  exampleDns({
    '_autodiscover._tcp.example.com': { SRV: [{ priority: 0, weight: 0, port: 443, target: MAIL_HOST }] },
    [MAIL_HOST]: { A: [ADDRESSES.other] },
  }),
  [
    exampleWebSite,
    { host: 'autodiscover.example.com', port: 443, behaviour: { kind: 'silent' } },
    autodiscoverPort80Closed,
    { host: MAIL_HOST, port: 443, tls: { dnsNames: [MAIL_HOST] }, behaviour: onPremOk() },
  ],
);

/** Bytes of padding that push BASELINE over the probe's cap in transport-body-over-cap (cap: 64 KiB). */
export const OVERSIZED_PADDING = 300 * 1024;
export const BODY_CAP = 64 * 1024;

/** BASELINE with a large comment after the declaration: well-formed, just bigger than the probe reads. */
export const OVERSIZED_BASELINE = BASELINE_SETTINGS_XML.replace('?>\n', `?>\n<!-- ${'x'.repeat(OVERSIZED_PADDING)} -->\n`);

export const transportBodyOverCap = exampleScenario(
  'transport-body-over-cap',
  'autodiscover.example.com answers the authenticated POST with a well-formed settings body larger than the probe reads.',
  user1,
  exampleDns(),
  [exampleWebSite, autodiscoverHttps(exampleExchange({ [EXAMPLE_USER]: xmlAnswer(OVERSIZED_BASELINE) })), autodiscoverPort80Closed],
);

/**
 * Every candidate host blackholed: in the lab the endpoints are `silent` stand-ins; the namespace
 * test (test/scenarios-blackhole.test.ts) sends their connections to addresses that drop SYNs.
 */
export const transportBlackholed = exampleScenario(
  'transport-blackholed-hosts',
  'example.com and autodiscover.example.com (443 and 80) never answer a connection attempt; no SRV record.',
  user1,
  // No mail host either: every name the namespace test serves is one it blackholes.
  exampleDns({ 'mail.example.com': { behaviour: 'nxdomain' } }),
  [
    { host: 'example.com', port: 443, behaviour: { kind: 'silent' } },
    { host: 'autodiscover.example.com', port: 443, behaviour: { kind: 'silent' } },
    { host: 'autodiscover.example.com', port: 80, behaviour: { kind: 'silent' } },
  ],
);

// ───────────────────────────── redirects (§4.2, §8 #25) ─────────────────────────────

/** Exchange on 443 refuses; port 80 is an IIS "redirect to OWA" rule answering every path. */
function port80Redirect(name: string, description: string, location: string): Scenario {
  return exampleScenario(
    name,
    description,
    user1,
    exampleDns({ [MAIL_HOST]: { A: [ADDRESSES.other] } }),
    [
      exampleWebSite,
      { host: 'autodiscover.example.com', port: 443, behaviour: { kind: 'closed' } },
      { host: 'autodiscover.example.com', port: 80, behaviour: { kind: 'redirect', status: 302, location, headers: pairs(['Server', 'Microsoft-IIS/10.0'], ['Content-Type', 'text/html; charset=UTF-8']) } },
      // Where the redirect points: OWA's sign-in page (443) and a plain-http Autodiscover (80); never to be asked.
      { host: MAIL_HOST, port: 443, tls: { dnsNames: [MAIL_HOST] }, behaviour: { kind: 'static', status: 200, headers: pairs(['Content-Type', 'text/html']), body: '<html><title>Outlook</title></html>' } },
      { host: MAIL_HOST, port: 80, behaviour: onPremOk() },
    ],
  );
}

export const OWA_LOCATION = 'https://mail.example.com/owa/';
export const redirectPort80ToOwa = port80Redirect('redirect-port80-to-owa', 'The port-80 GET is redirected to https://mail.example.com/owa/ (IIS "redirect to OWA" rule).', OWA_LOCATION);

export const HTTP_LOCATION = 'http://mail.example.com/autodiscover/autodiscover.xml';
export const redirectPort80ToHttp = port80Redirect('redirect-port80-to-http', 'The port-80 GET is redirected to a plain-http Autodiscover URL.', HTTP_LOCATION);

// ───────────────────────────── responses (§3.2, §3.4, §6.1) ─────────────────────────────

/** The standard organisation with autodiscover.example.com answering user1's sign-in with `body`. */
function responseScenario(name: string, description: string, body: string): Scenario {
  return exampleScenario(name, description, user1, exampleDns(), [exampleWebSite, autodiscoverHttps(exampleExchange({ [EXAMPLE_USER]: xmlAnswer(body) })), autodiscoverPort80Closed]);
}

export const responseBom = responseScenario('response-bom', 'BASELINE preceded by a UTF-8 byte-order mark.', `\uFEFF${BASELINE_SETTINGS_XML}`);

/** Every namespace spelt https:// (copied from a page that "fixed" the links). */
export const responseNamespaceHttps = responseScenario(
  'response-namespace-https',
  'BASELINE with https://schemas.microsoft.com/… namespaces instead of http://.',
  BASELINE_SETTINGS_XML.replaceAll('xmlns="http://schemas.microsoft.com/', 'xmlns="https://schemas.microsoft.com/'),
);

export const responseNamespaceMissing = responseScenario(
  'response-namespace-missing',
  'BASELINE without any xmlns (a hand-written generator).',
  BASELINE_SETTINGS_XML.replace(/ xmlns="[^"]*"/g, ''),
);

/** ErrorCode 501, 601 and 602 (500/600/603 are the BUG-09/BUG-10 cases). */
export const responseErrors: Record<501 | 601 | 602, Scenario> = Object.fromEntries(
  ([501, 601, 602] as const).map((code) => [
    code,
    exampleScenario(
      `response-error-${code}`,
      `autodiscover.example.com answers user1's sign-in with Autodiscover ErrorCode ${code}.`,
      user1,
      exampleDns(),
      [exampleWebSite, autodiscoverHttps(exampleExchange({ [EXAMPLE_USER]: { action: 'error', code } })), autodiscoverPort80Closed],
    ),
  ]),
) as Record<501 | 601 | 602, Scenario>;

export const SECOND_ACCOUNT_EWS = 'https://second.example.com/EWS/Exchange.asmx';

/** BASELINE with a second Account element (other URLs) after the first. */
export const TWO_ACCOUNTS_XML = (() => {
  const start = BASELINE_SETTINGS_XML.indexOf('    <Account>');
  const end = BASELINE_SETTINGS_XML.indexOf('</Account>') + '</Account>\n'.length;
  const account = BASELINE_SETTINGS_XML.slice(start, end);
  const second = account.replaceAll('https://mail.example.com/EWS/Exchange.asmx', SECOND_ACCOUNT_EWS).replaceAll('https://ex01.corp.example.local/EWS/Exchange.asmx', SECOND_ACCOUNT_EWS);
  return BASELINE_SETTINGS_XML.slice(0, end) + second + BASELINE_SETTINGS_XML.slice(end);
})();

export const responseSeveralAccounts = responseScenario('response-several-accounts', 'BASELINE with two Account elements; the second carries other URLs.', TWO_ACCOUNTS_XML);

// ───────────────────────────── authentication (§5, §6.2, §8 #16, #31) ─────────────────────────────

export const WAF_403_BODY =
  '<HTML><HEAD>\n<TITLE>Access Denied</TITLE>\n</HEAD><BODY>\n<H1>Access Denied</H1>\n' +
  'You don\'t have permission to access "http&#58;&#47;&#47;autodiscover&#46;example&#46;com&#47;Autodiscover&#47;Autodiscover&#46;xml" on this server.<P>\n' +
  'Reference&#32;&#35;18&#46;6f64d517&#46;1733240000&#46;2a1b3c4d\n</BODY>\n</HTML>\n';

/** A WAF / CDN in front of Exchange refuses the POST with its "Access Denied" page. */
export const auth403 = exampleScenario(
  'auth-403-forbidden',
  'A WAF in front of autodiscover.example.com answers every request 403 "Access Denied".',
  user1,
  exampleDns(),
  [
    exampleWebSite,
    autodiscoverHttps({ kind: 'static', status: 403, reason: 'Forbidden', headers: pairs(['Server', 'AkamaiGHost'], ['Content-Type', 'text/html']), body: WAF_403_BODY }),
    autodiscoverPort80Closed,
  ],
);

/**
 * autodiscover.example.com CNAME autodiscover.outlook.com (port-80 302 to autodiscover-s.outlook.com);
 * Exchange Online offers Bearer and Basic and rejects every Basic sign-in with
 * X-AutoDiscovery-Error BasicAuthBlocked. The user has a password only.
 */
export const authExoBasicBlocked = exampleScenario(
  'auth-exo-basic-blocked',
  'Exchange Online offers Bearer and Basic, then answers the Basic sign-in 401 with X-AutoDiscovery-Error BasicAuthBlocked.',
  user1,
  exampleDns({ 'autodiscover.example.com': { CNAME: 'autodiscover.outlook.com' }, ...exoDns() }),
  [exampleWebSite, ...exoFrontDoor('autodiscover.example.com'), exoAutodiscoverHttps(exoExchange({ [EXAMPLE_USER]: xmlAnswer(baselineExo(), XML_UTF8) }))],
  EXO_CERTIFICATES,
);

// ───────────────────────────── registry ─────────────────────────────

function entry(ref: string, scenario: Scenario, options?: CatalogueOptions): [string, CatalogueEntry] {
  const u = scenario.users[0]!;
  return [scenario.name, { ref, scenario, address: u.address, credentials: userCredentials(u), ...(options ? { options } : {}) }];
}

/** Every catalogue scenario by name, with what the probe is given. */
export const CATALOGUE: Readonly<Record<string, CatalogueEntry>> = Object.fromEntries([
  entry('§7.3, §8 #8', certExpiredLeaf),
  entry('§7.3', certNotYetValid),
  entry('§7.2, §8 #10', certSelfSigned),
  entry('§7.2', certUntrustedRoot),
  entry('§7.2, §8 #9', certMissingIntermediate),
  entry('§7.3, §8 #8', certExpiredIntermediate),
  entry('§7.1, §8 #7', certWildcardTooDeep),
  entry('§7.1, §8 #7', certWildcardBareDomain),
  entry('§7.1, §8 #6', certCnOnlyWithSans),
  entry('§2.4, §8 #4', dnsServfail),
  entry('§2.4, §8 #4', dnsTimeout, { timeouts: { dnsMs: 600 } }),
  entry('§2.4, §8 #5', dnsCnameChain),
  entry('§2.4, §7.1, §8 #5', dnsCnameChainCertForTarget),
  entry('§2.4', dnsWildcardToWeb),
  entry('§2.4, §5.4, §8 #34', dnsSrvPriorities),
  entry('§8 #11, §2.2', transportSilent, { timeouts: { connectMs: 800, tlsMs: 800, httpMs: 800 } }),
  entry('§3.2', transportBodyOverCap, { bodyLimitBytes: BODY_CAP }),
  entry('§8 #11, §2.2', transportBlackholed, { timeouts: { connectMs: 1500, tlsMs: 1500, httpMs: 1500 } }),
  entry('§4.2, §8 #25', redirectPort80ToOwa),
  entry('§4.2, §5.4, §8 #23', redirectPort80ToHttp),
  entry('§3.2', responseBom),
  entry('§3.2, §8 #39', responseNamespaceHttps),
  entry('§3.2', responseNamespaceMissing),
  entry('§6.1, §8 #20', responseErrors[501]),
  entry('§6.1, §8 #20', responseErrors[601]),
  entry('§6.1', responseErrors[602]),
  entry('§3.2', responseSeveralAccounts),
  entry('§6.2, §8 #16', auth403),
  entry('§5.3, §8 #31', authExoBasicBlocked),
]);

/** The catalogue scenarios, in catalogue order. */
export const catalogueScenarios: readonly Scenario[] = Object.values(CATALOGUE).map((c) => c.scenario);
