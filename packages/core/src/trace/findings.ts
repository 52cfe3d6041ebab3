import type { Finding, Severity } from './model.ts';

/**
 * Every finding code the engine can emit, with its default severity, its rank for the verdict
 * (higher explains a failure better) and the text an admin reads. Codes are stable: the site and
 * saved traces match on them.
 */
interface FindingSpec {
  severity: Severity;
  rank: number;
  explanation: string;
  fix: string;
}

const spec = (severity: Severity, rank: number, explanation: string, fix: string): FindingSpec => ({ severity, rank, explanation, fix });

export const FINDINGS = {
  SCP_NOT_APPLICABLE: spec('info', 0, 'Domain-joined Outlook first looks up a Service Connection Point in Active Directory. A probe outside the organisation has no directory to ask, so this method is skipped, as Remote Connectivity Analyzer does.', 'Nothing to fix. Internal clients may still succeed (or fail) through SCP differently from what this external test shows.'),

  DNS_NXDOMAIN: spec('error', 40, 'The name does not exist in DNS (NXDOMAIN): no client can reach it.', 'Create the record (A/AAAA or CNAME) in the public zone, or check the spelling of the domain.'),
  DNS_NODATA: spec('error', 40, 'The name exists in DNS but has no address record of this type (NOERROR, no data).', 'Add an A (and AAAA if you publish IPv6) record, or a CNAME to the Autodiscover host.'),
  DNS_SERVFAIL: spec('error', 45, 'The DNS server failed to answer (SERVFAIL): a resolver or authoritative-server problem, often broken DNSSEC or a lame delegation.', 'Check the zone\'s authoritative servers and DNSSEC chain (e.g. with dig +trace and a DNSSEC analyzer).'),
  DNS_REFUSED: spec('error', 45, 'The DNS server refused the query.', 'Check that the resolver allows recursion for this client, or use another resolver.'),
  DNS_TIMEOUT: spec('error', 45, 'No DNS answer arrived in time.', 'Check that the authoritative servers answer over UDP and TCP port 53 and are reachable.'),
  // Ranked above what a name can do wrong: every lookup fails alike, and the name is not to blame.
  DNS_SERVER_UNREACHABLE: spec('error', 48, 'The DNS server this probe asks could not be reached (the connection was refused), so nothing is known about the name itself.', 'Check the DNS servers the probe uses (--dns, or the system\'s resolver configuration): they must answer from where the probe runs.'),
  DNS_ERROR: spec('error', 40, 'The DNS lookup failed.', 'Check the DNS configuration for this name.'),

  TCP_REFUSED: spec('error', 35, 'The connection was refused: the address answered, but nothing listens on that port (or a firewall rejects it).', 'Publish the service on this port, or fix the firewall/NAT rule that forwards it.'),
  TCP_TIMEOUT: spec('error', 38, 'No answer to the connection attempt: a firewall drops the packets or the address is not in use.', 'Open the port on the firewall and check that the published address is the right one.'),
  TCP_UNREACHABLE: spec('error', 35, 'The network reported the address as unreachable.', 'Check routing to the published address.'),
  TCP_BLOCKED_POLICY: spec('error', 36, 'The name resolves to a private, loopback or link-local address. A cloud probe never connects to those (they could reach its own infrastructure); an Internet client could not reach them either.', 'Publish a public address for this name, or probe from inside the network with the CLI.'),
  TCP_ERROR: spec('error', 35, 'The connection failed.', 'Check the network path to the host.'),

  TLS_HANDSHAKE_FAILED: spec('error', 50, 'The TLS handshake failed: client and server could not agree on a secure connection.', 'Check the server\'s TLS configuration: protocol versions (TLS 1.2+), ciphers and the certificate binding.'),
  TLS_TIMEOUT: spec('error', 48, 'The server accepted the connection but did not complete the TLS handshake in time.', 'Check the TLS termination (load balancer, reverse proxy) in front of the host.'),
  CERT_NAME_MISMATCH: spec('error', 60, 'The certificate does not name the host the client asked for, so Outlook shows a certificate warning or refuses the connection. Only the Subject Alternative Names count when present; a wildcard covers exactly one label.', 'Issue a certificate whose Subject Alternative Names include this host name (or point this name elsewhere).'),
  CERT_SELF_SIGNED: spec('error', 60, 'The server presents a self-signed certificate (often the Exchange default certificate), which no client trusts.', 'Bind a certificate from a public CA to the site (IIS Default Web Site for Exchange).'),
  CERT_UNTRUSTED: spec('error', 60, 'The certificate chain does not lead to a trusted root.', 'Use a certificate from a publicly trusted CA and serve the full chain.'),
  CERT_MISSING_INTERMEDIATE: spec('error', 58, 'The server does not send the intermediate certificate(s). Windows may fetch them (AIA) and succeed; phones, Macs and most libraries fail.', 'Install the intermediate certificates on the server (or load balancer) so the full chain is sent.'),
  CERT_EXPIRED: spec('error', 62, 'A certificate in the chain has expired.', 'Renew the certificate and bind the new one on every server and load balancer that answers for this name.'),
  CERT_NOT_YET_VALID: spec('error', 62, 'A certificate in the chain is not valid yet (or the server clock is wrong).', 'Check the certificate\'s start date and the clocks involved.'),
  CERT_EXPIRING_SOON: spec('warning', 5, 'A certificate in the chain expires within 30 days.', 'Renew it before it expires.'),
  CLIENT_CERT_REQUIRED: spec('error', 55, 'The server asks for a client certificate; Outlook cannot provide one for Autodiscover.', 'Set client certificates to "Ignore" on the Autodiscover virtual directory in IIS.'),

  HTTP_TIMEOUT: spec('error', 42, 'The server did not answer the HTTP request in time.', 'Check the web server / reverse proxy and the Exchange application pools.'),
  HTTP_ERROR: spec('error', 40, 'The connection failed during the HTTP exchange.', 'Check the server and any device in front of it that may reset connections.'),
  HTTP_BODY_TRUNCATED: spec('warning', 10, 'The response body was larger than the probe reads; only the beginning was kept.', 'An Autodiscover answer is a few kilobytes; a larger body is usually not Autodiscover.'),

  ROOT_NOT_AUTODISCOVER: spec('info', 2, 'The bare domain is usually the company web site, not Exchange. Outlook tries it first and moves on.', 'Nothing to fix unless it is slow or asks for credentials (then consider the ExcludeHttpsRootDomain policy).'),
  POST_NOT_FOUND: spec('error', 20, 'The server has no Autodiscover endpoint at this path (404).', 'Point this name at Exchange, or remove it from DNS if it should not answer for Autodiscover.'),
  POST_METHOD_NOT_ALLOWED: spec('error', 20, 'The server refused the POST (405): a plain web server, not Exchange.', 'Point the Autodiscover name at Exchange.'),
  POST_FORBIDDEN: spec('error', 52, 'The server refused the request (403): a firewall, WAF or IIS setting (SSL required, IP restrictions, client certificates) blocks it.', 'Check IIS settings on the Autodiscover virtual directory and any WAF in front of it.'),
  POST_SERVER_ERROR: spec('error', 54, 'The server failed with a 5xx error.', 'Check the Exchange event logs and the health of the Autodiscover application pool (MSExchangeAutodiscoverAppPool).'),
  POST_UNEXPECTED_STATUS: spec('error', 30, 'The server answered with an HTTP status that Autodiscover does not use.', 'Check what answers on this name.'),

  AUTH_CHALLENGE: spec('info', 0, 'An anonymous request gets 401 with the authentication methods the server accepts. This is the normal first answer.', 'Nothing to fix.'),
  AUTH_NO_CHALLENGE: spec('error', 56, '401 without any WWW-Authenticate header: the client cannot know how to sign in. Typically a reverse proxy or WAF answered.', 'Publish Autodiscover with pass-through authentication, or fix the device that strips the header.'),
  AUTH_NO_USABLE_METHOD: spec('error', 56, 'None of the offered authentication methods can be used with the credentials supplied.', 'Supply credentials for an offered method (Basic or an OAuth token), or enable the method on the server.'),
  AUTH_NO_CREDENTIALS: spec('warning', 67, 'The server requires sign-in and no credentials were supplied, so the settings could not be fetched.', 'Run again with a password (prompt, stdin or environment variable) or an OAuth token.'),
  AUTH_WITHHELD_CERT: spec('warning', 12, 'Credentials were not sent because this host\'s certificate failed validation (the real Outlook would warn the user first).', 'Fix the certificate problem reported above.'),
  AUTH_PROXY_REJECTED: spec('error', 71, 'The 401 after signing in carries none of Exchange\'s headers (request-id, X-FEServer): a reverse proxy or firewall with pre-authentication (TMG, WAP, F5) answered, not Exchange.', 'Publish Autodiscover with pass-through authentication on the proxy, or sign in the way the proxy expects; then test again.'),
  AUTH_NONSTANDARD_SCHEME: spec('warning', 6, 'The server offers an authentication scheme that is not an HTTP scheme; typical of a proxy in front of Exchange.', 'Check the device in front of Exchange.'),
  EXO_OAUTH_REQUIRED: spec('error', 72, 'Exchange Online only offers OAuth (Bearer): Basic authentication is disabled, so a password alone cannot get the settings.', 'Supply an OAuth access token for the user (--token-env); Outlook does this with modern authentication.'),
  PATH_CASE_SENSITIVE: spec('error', 60, 'The server answers the lowercase path /autodiscover/autodiscover.xml but not /Autodiscover/Autodiscover.xml, the spelling Outlook and Remote Connectivity Analyzer use. IIS ignores case; this server (nginx, a Linux mail suite) does not.', 'Make the route case-insensitive (e.g. nginx location ~* ^/autodiscover/autodiscover\\.xml$).'),
  AUTH_WITHHELD_HOST: spec('warning', 69, 'Credentials were not sent: the host was reached through a redirect or SRV record and lies outside your domain. Outlook asks the user before sending them there; an attacker who can alter plain HTTP or DNS could otherwise collect passwords.', 'If the host is legitimately yours (a hosting provider), allow it explicitly and run again.'),
  SRV_TARGET_INVALID: spec('error', 20, 'The SRV record\'s target is not a valid host name.', 'Fix the SRV record.'),
  PROBE_INTERNAL_ERROR: spec('error', 29, 'The probe hit an internal error on this candidate; the other candidates were still tested.', 'Report the error text; the rest of the trace is valid.'),
  NTLM_CONNECTION_NOT_KEPT: spec('error', 69, 'NTLM authenticates a connection, and the connection was closed between the challenge and the answer (a load balancer or proxy without persistence). Not a wrong password.', 'Keep connections alive through the load balancer or proxy, or publish Autodiscover with a method that is not connection-bound.'),
  NTLM_BAD_CHALLENGE: spec('error', 56, 'The server offered NTLM but its challenge message is malformed, so no client can answer it.', 'Check what answers on this URL: a proxy or a broken module in front of Exchange.'),
  AUTH_REJECTED: spec('error', 70, 'The credentials were rejected by Exchange (401 again after signing in).', 'Check the user name format (UPN, e-mail or DOMAIN\\user) and the password; check for a locked account.'),
  EXO_BASIC_AUTH_BLOCKED: spec('error', 72, 'Exchange Online no longer accepts Basic authentication (permanently disabled since 2022). This is not a wrong password.', 'Use modern authentication: supply an OAuth token (discotrace --token-env) for the user.'),
  AUTH_MFA_REQUIRED: spec('error', 72, 'HTTP 456: the account must complete multi-factor authentication; legacy sign-in is blocked.', 'Use modern authentication (OAuth) for this account.'),

  RESPONSE_HTML_PAGE: spec('error', 25, 'A web page came back instead of Autodiscover XML: a web site, a login page of a pre-authenticating proxy, or a captive portal.', 'Publish Autodiscover with pass-through authentication, or point the name at Exchange.'),
  RESPONSE_EMPTY: spec('error', 50, 'HTTP 200 with an empty body: the server produced no Autodiscover answer for this user.', 'Check the generator/server logs for this user (permissions, script errors).'),
  RESPONSE_NOT_XML: spec('error', 45, 'The response is not well-formed XML.', 'Check what answers on this URL.'),
  RESPONSE_NOT_AUTODISCOVER: spec('error', 45, 'The XML is not an Autodiscover response.', 'Check what answers on this URL.'),
  RESPONSE_DTD_REFUSED: spec('error', 45, 'The response declares a DTD or entities; the probe refuses to expand them (XML bomb / external entity protection). Exchange never sends one.', 'Check what answers on this URL.'),
  RESPONSE_TOO_LARGE: spec('error', 48, 'The answer is larger than the probe reads (1 MiB by default); an Autodiscover answer is a few kilobytes, so this is rarely Autodiscover.', 'Check what answers on this URL; if it really is Autodiscover, raise the body limit (bodyLimitBytes).'),
  RESPONSE_NOTE: spec('info', 1, 'A tolerated oddity in the Autodiscover response.', 'Usually nothing; stricter clients may fail on it.'),

  AD_ERROR_500: spec('error', 80, 'Autodiscover error 500: the e-mail address cannot be found by this server. In hybrid this usually means the migrated user has no RemoteMailbox / RemoteRoutingAddress on-premises.', 'Check the address (and its proxyAddresses); for a migrated user check the RemoteMailbox targetAddress.'),
  AD_ERROR_501: spec('error', 80, 'Autodiscover error 501: the address is known but has no configuration for this client.', 'Check the recipient type; only mailboxes (and mail users in hybrid) get settings.'),
  AD_ERROR_600: spec('error', 78, 'Autodiscover error 600: the server considers the request invalid.', 'Compare the request body (namespace, schema) with what the server expects.'),
  AD_ERROR_601: spec('error', 78, 'Autodiscover error 601: no provider for the requested response schema.', 'Check that the Outlook (or MobileSync) provider is enabled on the server.'),
  AD_ERROR_602: spec('error', 80, 'Autodiscover error 602: the address is known but configuration errors prevent an answer.', 'Check the recipient object for errors.'),
  AD_ERROR_603: spec('error', 80, 'Autodiscover error 603: internal server error.', 'Check the server\'s event logs.'),
  AD_ERROR_OTHER: spec('error', 78, 'Autodiscover returned an error.', 'See the server message.'),

  REDIRECT_URL: spec('info', 0, 'The server sent the client to another Autodiscover URL; the probe re-sends the same request there.', 'Nothing to fix.'),
  REDIRECT_NOT_HTTPS: spec('error', 65, 'A redirect pointed to a non-HTTPS URL. Credentials must never go over plain HTTP, so the redirect is refused.', 'Make the redirect point to https://…/autodiscover/autodiscover.xml.'),
  REDIRECT_BAD_PATH: spec('error', 64, 'A redirect pointed to a URL that is not an Autodiscover endpoint (e.g. an IIS "redirect to OWA" rule).', 'Make the redirect point to https://<Autodiscover host>/autodiscover/autodiscover.xml; an IIS "redirect to OWA" rule must not apply to the Autodiscover virtual directory or the port-80 redirect site.'),
  REDIRECT_LOOP: spec('error', 66, 'The redirects lead back to a URL already tried.', 'Fix the redirect configuration; list the chain shown.'),
  REDIRECT_LIMIT: spec('error', 66, 'More than the allowed number of redirects (10).', 'Fix the redirect chain shown.'),
  REDIRECT_INVALID_URL: spec('error', 64, 'The redirect target is not a valid URL.', 'Fix the redirect target.'),
  REDIRECT_CREDENTIALS_IN_URL: spec('error', 64, 'The redirect target carries credentials in the URL.', 'Remove user information from the redirect URL.'),
  REDIRECT_ADDR: spec('info', 0, 'The server answered with another address for this user (redirectAddr): discovery restarts for that address.', 'Nothing to fix.'),
  HANDOFF_TENANT_ROUTING: spec('info', 0, 'Hybrid hand-off: on-premises Exchange sends the client to the tenant routing address, and discovery continues against Exchange Online.', 'Nothing to fix.'),
  REDIRECT_ADDR_NOT_TENANT: spec('warning', 20, 'The address redirect does not point at a tenant routing domain (*.mail.onmicrosoft.com). For a mailbox moved to Exchange Online the RemoteRoutingAddress normally does.', 'Check the RemoteMailbox\'s RemoteRoutingAddress / targetAddress.'),
  REDIRECT_ADDR_INVALID: spec('error', 66, 'The address redirect is not a valid e-mail address.', 'Fix the targetAddress of the recipient.'),
  REDIRECT_ADDR_SAME: spec('error', 66, 'The address redirect points to the address just tried.', 'Fix the targetAddress of the recipient.'),
  REDIRECT_ADDR_LOOP: spec('error', 66, 'The address redirects form a loop.', 'Fix the targetAddress values along the chain shown.'),

  HTTP_REDIRECT_FOUND: spec('info', 0, 'The HTTP redirect method: an unauthenticated GET on port 80 answered with a redirect to an HTTPS Autodiscover URL. Outlook asks the user before following it.', 'Nothing to fix.'),
  HTTP_REDIRECT_UNUSUAL_STATUS: spec('warning', 8, 'The port-80 redirect uses a status other than 301/302; some clients only follow 302.', 'Use a 302 redirect.'),
  HTTP_REDIRECT_NOT_CONFIGURED: spec('error', 18, 'A positive HTTP response other than a redirect came back on port 80: the HTTP redirect method is not configured on this host.', 'Only needed when the HTTPS candidates cannot work: configure a 302 to https://<autodiscover host>/autodiscover/autodiscover.xml.'),

  SRV_NOT_FOUND: spec('info', 3, 'No _autodiscover._tcp SRV record. Only a problem if SRV is your intended method.', 'Nothing to fix unless you rely on SRV.'),
  SRV_PORT_NOT_443: spec('warning', 10, 'The SRV record uses a port other than 443; Outlook and the EWS Managed API only use SRV targets on 443.', 'Publish the target on port 443.'),
  SRV_SERVICE_UNAVAILABLE: spec('info', 3, 'The SRV record\'s target is "." (service explicitly not available).', 'Nothing to fix unless you rely on SRV.'),
  SRV_TARGET: spec('info', 0, 'The SRV record points to another host; Outlook asks the user before using it.', 'Nothing to fix.'),

  V2_IN_EXCHANGE_ONLINE: spec('info', 0, 'Autodiscover v2 at Exchange Online answers with a URL: the mailbox is hosted in Exchange Online. New Outlook and Outlook mobile use this.', 'Nothing to fix.'),
  V2_ON_PREMISES: spec('info', 0, 'Autodiscover v2 at Exchange Online redirects to an on-premises URL: Exchange Online considers the mailbox on-premises.', 'Nothing to fix if the mailbox is on-premises.'),
  V2_ERROR: spec('info', 0, 'Autodiscover v2 gave no usable answer.', 'Check the address; new Outlook and Outlook mobile rely on v2.'),
  V2_DISAGREES: spec('warning', 24, 'The classic Autodiscover walk and Exchange Online\'s v2 answer disagree about where the mailbox lives.', 'Check the mailbox\'s location: for a moved mailbox, on-premises must hold a RemoteMailbox whose RemoteRoutingAddress is the tenant routing address.'),
  RETURNED_URL_FAILED: spec('warning', 22, 'A URL from the Autodiscover settings (EWS, OAB or MAPI) does not answer as it should: Outlook configures itself but then fails to connect, or free/busy and the address book break.', 'Publish the URL on a host with a valid certificate, or fix the ExternalUrl of that virtual directory.'),
  NOT_NEEDED: spec('info', 0, 'A higher-priority candidate answered, so this one did not decide anything.', 'Nothing to fix.'),
  PHASE_NO_METHOD: spec('error', 10, 'Autodiscover could not be contacted by any method for this address.', 'See the failures of each candidate above; the highest-ranked one leads the verdict.'),
  PHASE_ABORTED: spec('error', 30, 'The phase ran out of time before it finished; the trace holds what was done.', 'Run again; if it repeats, a host is not answering (see the last steps).'),
  PHASE_CRASHED: spec('error', 30, 'The phase stopped with an internal error; the trace holds what was done until then.', 'Report the error shown; the partial trace still shows the steps that ran.'),
} as const satisfies Record<string, FindingSpec>;

export type FindingCode = keyof typeof FINDINGS;

/** The severity a code has unless a step demoted it (undefined for an unknown code). */
export function findingSeverity(code: string): Severity | undefined {
  return (FINDINGS as Record<string, FindingSpec>)[code]?.severity;
}

export function findingRank(code: string): number {
  return (FINDINGS as Record<string, FindingSpec>)[code]?.rank ?? 1;
}

/** Marks a finding as normal for the topology; the first reason given is kept. */
export function expect(f: Finding, reason: string): void {
  f.expected = true;
  f.expectedReason ??= reason;
}

/** Builds a finding; `title` carries the facts (host, names, codes). */
export function finding(
  code: FindingCode,
  title: string,
  extra: { expected?: boolean; expectedReason?: string; evidence?: Record<string, unknown>; severity?: Severity; explanation?: string; fix?: string } = {},
): Finding {
  const s = FINDINGS[code];
  return {
    code,
    severity: extra.severity ?? s.severity,
    title,
    explanation: extra.explanation ?? s.explanation,
    fix: extra.fix ?? s.fix,
    expected: extra.expected ?? false,
    ...(extra.expectedReason ? { expectedReason: extra.expectedReason } : {}),
    ...(extra.evidence ? { evidence: extra.evidence } : {}),
  };
}
