/**
 * The scenario format: a hybrid Exchange organisation described as plain data (DNS zone,
 * certificates, endpoints and their behaviours). New failure cases are new data, not new code:
 * every field below is read by exactly one module (dns-server, ca, endpoint, behaviour, exchange).
 */

// ───────────────────────────── DNS ─────────────────────────────

/** Record types the lab DNS server answers with data. */
export type DnsRecordType = 'A' | 'AAAA' | 'CNAME' | 'SRV' | 'TXT' | 'MX';

/**
 * What the server does for a name (or one type of it) instead of answering from the records.
 * - `answer`   answer from the records (NOERROR; empty answer = NODATA). Default for listed names.
 * - `nxdomain` rcode NXDOMAIN (also what every unlisted name gets).
 * - `nodata`   NOERROR with an empty answer section, whatever records are listed.
 * - `servfail` rcode SERVFAIL; `refused` rcode REFUSED.
 * - `timeout`  never answer (the client times out).
 */
export type DnsBehaviour = 'answer' | 'nxdomain' | 'nodata' | 'servfail' | 'refused' | 'timeout';

export interface SrvRecord {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

export interface MxRecord {
  preference: number;
  exchange: string;
}

/**
 * One name in the zone. Names are case-insensitive; a key `*.example.com` is a wildcard for any
 * name below example.com that is not listed itself. Addresses must be loopback (127.0.0.0/8, ::1)
 * so that a client without a connect-to entry still never leaves the machine.
 */
export interface DnsEntry {
  A?: string[];
  AAAA?: string[];
  /** Alias target; A/AAAA/SRV/TXT/MX queries follow it like a recursive resolver would. */
  CNAME?: string;
  SRV?: SrvRecord[];
  /** One string per TXT record. */
  TXT?: string[];
  MX?: MxRecord[];
  /** Whole-name behaviour; default `answer`. */
  behaviour?: DnsBehaviour;
  /** Per-type override (e.g. AAAA times out while A answers). */
  byType?: Partial<Record<DnsRecordType, DnsBehaviour>>;
  /** TTL of every record of this name, seconds; default 60. */
  ttl?: number;
}

export type DnsZone = Record<string, DnsEntry>;

// ───────────────────────────── certificates ─────────────────────────────

/**
 * Who signs a leaf:
 * - `root`           the lab root CA (trusted: it is in RunningLab.caCertificates)
 * - `intermediate`   the lab intermediate, itself signed by the root
 * - `self-signed`    the leaf signs itself (Exchange's default "Microsoft Exchange" certificate)
 * - `untrusted-root` a second root that is never handed to the client (a private CA)
 */
export type CertificateIssuer = 'root' | 'intermediate' | 'self-signed' | 'untrusted-root';

/**
 * A point in time: an ISO 8601 string, or an offset from lab start such as `-1d`, `+10d`, `+2h`,
 * `-30m` (relative offsets keep "expires in 10 days" scenarios true whenever they run).
 */
export type DateSpec = string;

export interface CertificateSpec {
  /** DNS SAN entries. Empty (with commonName set) makes a CN-only certificate. */
  dnsNames: string[];
  /** IP SAN entries. */
  ipAddresses?: string[];
  /** Subject CN; default the first dnsName. */
  commonName?: string;
  /** Shortcut for the validity window; explicit notBefore/notAfter win over it. */
  validity?: 'valid' | 'expired' | 'notYetValid';
  notBefore?: DateSpec;
  notAfter?: DateSpec;
  /** Default `root`. */
  issuer?: CertificateIssuer;
  /** Send the intermediate with the leaf (only for issuer `intermediate`); default true. */
  sendIntermediate?: boolean;
  /**
   * Validity of the intermediate that signs this leaf (issuer `intermediate` only); default
   * `valid`. `expired` / `notYetValid` sign the leaf with a separate intermediate of the same
   * name, itself signed by the lab root, whose window is over / not started (the leaf stays valid).
   */
  intermediateValidity?: 'valid' | 'expired' | 'notYetValid';
  /**
   * Also send the root that issued the chain (servers that send the whole chain, root included);
   * default false. With `untrusted-root` the client sees the private root it does not trust.
   * Ignored for `self-signed`.
   */
  sendRoot?: boolean;
  /** Default `ecdsa-p256` (fast); `rsa-2048` when the key type itself matters. */
  key?: 'ecdsa-p256' | 'rsa-2048';
}

// ───────────────────────────── HTTP behaviours ─────────────────────────────

/**
 * Header list as data. An object keeps it short; an array of [name, value] pairs keeps exact order,
 * exact case and repeats. A string[] value sends one header line per entry (WWW-Authenticate).
 */
export type HeaderSpec = Record<string, string | string[]> | Array<[string, string]>;

/**
 * Nothing listens: the client gets ECONNREFUSED. Only meaningful for a whole endpoint; as a route
 * it resets the connection like `reset`.
 */
export interface ClosedBehaviour {
  kind: 'closed';
}

/**
 * Accepts the TCP connection and never sends a byte (no TLS handshake, no HTTP answer): stands in
 * for a blackholed host, which needs root to emulate on loopback. As a route: the request hangs.
 */
export interface SilentBehaviour {
  kind: 'silent';
}

/** Accepts, then resets the connection (ECONNRESET) — on connect, or on the request as a route. */
export interface ResetBehaviour {
  kind: 'reset';
}

/** The same answer for any request (web host 404, proxy 401 with HTML, 456, empty 200 …). */
export interface StaticBehaviour {
  kind: 'static';
  status: number;
  /** Reason phrase; default node's for the status. */
  reason?: string;
  headers?: HeaderSpec;
  body?: string;
  /** Wait this long before answering (slow server). */
  delayMs?: number;
}

/**
 * HTTP redirect (the port-80 HTTP-redirect method, or a 302 on the POST). Answers every method;
 * put it in a route with `methods` to limit it (e.g. GET only).
 */
export interface RedirectBehaviour {
  kind: 'redirect';
  status: 301 | 302 | 303 | 307 | 308;
  location: string;
  headers?: HeaderSpec;
  body?: string;
}

/** One route: first match wins. Paths compare case-insensitively unless caseSensitive. */
export interface Route {
  path: string;
  /** Match `path` as a prefix instead of exactly. */
  prefix?: boolean;
  caseSensitive?: boolean;
  /** Upper-case methods; default any. */
  methods?: string[];
  behaviour: HttpBehaviour;
}

/** Dispatch by path and method; `fallback` answers everything else (default a 404). */
export interface RoutesBehaviour {
  kind: 'routes';
  routes: Route[];
  fallback?: HttpBehaviour;
}

// ───────────────────────────── emulated Exchange ─────────────────────────────

export interface BasicCredential {
  username: string;
  password: string;
}

/** An account the emulated Exchange accepts over NTLM. */
export interface NtlmCredential {
  /** NetBIOS domain of the account; default the server's (NtlmBehaviour.netbiosDomain). */
  domain?: string;
  /** sAMAccountName, or a full UPN; `name@dnsDomain` also matches `name` (the implicit UPN). */
  username: string;
  password: string;
}

/**
 * Windows authentication (NTLM) as IIS does it: a NEGOTIATE gets a 401 with a CHALLENGE bound to
 * the connection; the AUTHENTICATE on that connection is verified by recomputing the NTLMv2 proof
 * (a wrong password fails). Accepted under `NTLM` and, with a raw NTLM token, `Negotiate`.
 */
export interface NtlmBehaviour {
  users: NtlmCredential[];
  /** TargetName and MsvAvNbDomainName; default the first label of dnsDomain, upper-case. */
  netbiosDomain?: string;
  /** MsvAvDnsDomainName (and the UPN suffix); default the endpoint's host without its first label. */
  dnsDomain?: string;
  /** NetBIOS computer name; default EX01. */
  computer?: string;
  /**
   * Close the connection after the CHALLENGE (`Connection: close`), like a load balancer without
   * persistence: the AUTHENTICATE then arrives on a new connection and is refused.
   */
  closeAfterChallenge?: boolean;
}

/** Settings answer; everything but the profile has defaults derived from the address. */
export interface SettingsAnswer {
  action: 'settings';
  /** `onprem`: EXCH + EXPR + WEB like Exchange 2016; `exo`: EXCH + WEB like Exchange Online. */
  profile: 'onprem' | 'exo';
  displayName?: string;
  /** AutoDiscoverSMTPAddress (the primary address); default the requested address. */
  smtpAddress?: string;
  /** Host in the URLs; default `mail.<domain>` on-prem, `outlook.office365.com` for exo. */
  server?: string;
  /** Exchange organisation name in LegacyDNs (on-prem); default the domain's first label. */
  organisation?: string;
  mailboxGuid?: string;
  deploymentId?: string;
  /** Hex ServerVersion; default 73C18E3A (15.1.3642) on-prem, 73D49F70 (15.20.8048) exo. */
  serverVersion?: string;
  /** Override of the EWS URL in every block that carries one. */
  ewsUrl?: string;
  /** Leave protocol blocks out (e.g. no EXPR: a server that only publishes EXCH). */
  omit?: Array<'EXCH' | 'EXPR' | 'WEB' | 'mapiHttp'>;
  /** Add the mapiHttp block when the request carries X-MapiHttpCapability ≥ 1; default true. */
  mapiHttp?: boolean;
  /**
   * The MobileSync server URL of an ActiveSync (mobilesync) answer; default
   * `https://<server>/Microsoft-Server-ActiveSync`.
   */
  activeSyncUrl?: string;
}

export type AutodiscoverAnswer =
  | { action: 'redirectAddr'; to: string }
  | { action: 'redirectUrl'; to: string }
  | SettingsAnswer
  /**
   * Outlook requests get Response/Error/ErrorCode. ActiveSync (mobilesync) requests get
   * Response/Action/Error/{Status,Message,DebugData} with `mobileSyncStatus` (default 1, as in
   * MS-ASCMD's examples), except 600 and 601, which Exchange sends as ErrorCode in the base namespace.
   */
  | { action: 'error'; code: number; message?: string; debugData?: string; mobileSyncStatus?: number }
  /** Anything else, byte for byte (HTML, empty body, a 302 on the POST …). */
  | { action: 'raw'; status: number; reason?: string; headers?: HeaderSpec; body?: string };

/**
 * Emulated Exchange Autodiscover (POX) on one path. Order of checks: path → credentials →
 * method/body → address table. Responses carry `headers` plus a fresh `request-id`.
 */
export interface ExchangeBehaviour {
  kind: 'exchange';
  /** Default `/autodiscover/autodiscover.xml`; matched case-insensitively unless pathCaseSensitive. */
  path?: string;
  pathCaseSensitive?: boolean;
  /** Sent with every answer (Server, X-FEServer, X-BEServer …). */
  headers?: HeaderSpec;
  /** WWW-Authenticate values of the 401, one header line each, in this order. */
  challenges: string[];
  /** Extra headers only on 401s (X-BackEndHttpStatus …). */
  challengeHeaders?: HeaderSpec;
  /** Serve without credentials (servers that do not protect the endpoint). */
  anonymous?: boolean;
  basic?: BasicCredential[];
  /**
   * Reject every Basic attempt the way Exchange Online does: 401 with this value in
   * X-AutoDiscovery-Error (e.g. `LiveIdBasicAuth:BasicAuthBlocked:…`).
   */
  basicBlocked?: string;
  bearerTokens?: string[];
  /** Accept NTLM sign-in (offer it in `challenges` too: `NTLM`, `Negotiate`). */
  ntlm?: NtlmBehaviour;
  /**
   * Answers by requested address (case-insensitive); a missing address gets ErrorCode 500. The
   * provider follows the request's AcceptableResponseSchema (or its root namespace): a mobilesync
   * request gets the same answer in MS-ASCMD shape — settings as Action/Settings/Server (MobileSync
   * URL), redirectAddr as Action/Redirect, error as Action/Error. redirectUrl and raw answers are
   * sent as they are (ActiveSync has no redirectUrl).
   */
  answers: Record<string, AutodiscoverAnswer>;
  /**
   * The ActiveSync (MobileSync) provider is enabled; default true. `false`: every mobilesync
   * request gets ErrorCode 601 (provider not available) in the base namespace.
   */
  mobileSync?: boolean;
  /** Error `Id` attribute (Exchange: a hash of the server name); default derived from the host. */
  errorId?: string;
  /**
   * Add a fresh `request-id` header to every answer (Exchange does); default true. `false` for the
   * Autodiscover generators of other mail servers (mailcow, mail-in-a-box …), which send none.
   */
  requestId?: boolean;
}

export type HttpBehaviour =
  | ClosedBehaviour
  | SilentBehaviour
  | ResetBehaviour
  | StaticBehaviour
  | RedirectBehaviour
  | RoutesBehaviour
  | ExchangeBehaviour;

// ───────────────────────────── endpoints and the scenario ─────────────────────────────

/** One listener, standing for `host:port` (and its aliases) on the real network. */
export interface EndpointSpec {
  /** The name a client puts in the URL (and in SNI and Host). */
  host: string;
  /** More names served by the same listener (e.g. the CNAME target). */
  aliases?: string[];
  /** The real port it stands for (443, 80 …). */
  port: number;
  /** TLS with this certificate (inline, or a key of Scenario.certificates); absent = plain HTTP. */
  tls?: CertificateSpec | string;
  behaviour: HttpBehaviour;
}

/** Who the scenario is about: what a probe is given as input. */
export interface LabUser {
  address: string;
  /** Basic user name; default the address. */
  username?: string;
  password?: string;
  /** OAuth access token the emulated Exchange Online accepts. */
  bearerToken?: string;
}

export interface Scenario {
  /** Registry key, kebab-case. */
  name: string;
  description: string;
  users: LabUser[];
  dns: DnsZone;
  /** Named certificates, shared by endpoints through `tls: '<name>'`. */
  certificates?: Record<string, CertificateSpec>;
  endpoints: EndpointSpec[];
}
