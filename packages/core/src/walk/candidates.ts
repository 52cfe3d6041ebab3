import type { CandidateSource } from '../trace/model.ts';

/**
 * The candidate order, as data. Remote Connectivity Analyzer's order (root, autodiscover host,
 * HTTP redirect, SRV) decides which answer wins and the order of the trace (reference §2.2).
 * Outlook writes the path as /Autodiscover/Autodiscover.xml; IIS matches it case-insensitively.
 */
export interface CandidateDef {
  source: Exclude<CandidateSource, 'redirect'>;
  title: (domain: string) => string;
  /** The URL (or DNS name for SRV) this candidate tries. */
  target: (domain: string) => string;
}

export const AUTODISCOVER_PATH = '/Autodiscover/Autodiscover.xml';

export const CANDIDATES: readonly CandidateDef[] = [
  /**
   * SCP: Active Directory Service Connection Point (MS-OXDISCO 3.1.5.1). Domain-joined clients only;
   * an Internet probe has no directory, so it is reported as not applicable.
   */
  { source: 'scp', title: () => 'SCP lookup in Active Directory', target: (d) => `LDAP: serviceConnectionPoint for ${d}` },
  /** Root domain: https://<domain>/autodiscover/autodiscover.xml (MS-OXDISCO 3.1.5, first DNS-derived URL). */
  { source: 'root-https', title: (d) => `Root domain https://${d}`, target: (d) => `https://${d}${AUTODISCOVER_PATH}` },
  /** Autodiscover host: https://autodiscover.<domain>/autodiscover/autodiscover.xml (second DNS-derived URL). */
  { source: 'autodiscover-https', title: (d) => `Autodiscover host https://autodiscover.${d}`, target: (d) => `https://autodiscover.${d}${AUTODISCOVER_PATH}` },
  /**
   * HTTP redirect method (MS-OXDISCO 3.1.5.4): an unauthenticated GET to
   * http://autodiscover.<domain>/autodiscover/autodiscover.xml; only a redirect to HTTPS is useful.
   */
  { source: 'http-redirect', title: (d) => `HTTP redirect method http://autodiscover.${d}`, target: (d) => `http://autodiscover.${d}${AUTODISCOVER_PATH}` },
  /** DNS SRV _autodiscover._tcp.<domain> (MS-OXDISCO 3.1.5.5): the target host on port 443. */
  { source: 'srv', title: (d) => `SRV record _autodiscover._tcp.${d}`, target: (d) => `_autodiscover._tcp.${d}` },
];
