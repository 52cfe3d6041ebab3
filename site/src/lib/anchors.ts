/** Ids inside a run page, shared by the tree, the diagram, the waterfall and the findings. */
export const candidateId = (phase: number, candidate: number) => `p${phase}c${candidate}`;
export const stepId = (phase: number, candidate: number, seq: number) => `p${phase}c${candidate}s${seq}`;
export const certificateId = (host: string, fingerprint: string) => `cert-${host.replace(/[^A-Za-z0-9-]+/g, '_')}-${fingerprint.replace(/[^A-F0-9]/gi, '').slice(0, 12)}`;

/** What the candidate sources are to an admin. */
export const SOURCE_LABEL: Record<string, string> = {
  scp: 'SCP lookup (Active Directory)',
  'root-https': 'Root domain over HTTPS',
  'autodiscover-https': 'autodiscover. host over HTTPS',
  'http-redirect': 'HTTP redirect method (port 80)',
  srv: 'DNS SRV record',
  redirect: 'Redirect target',
  'autodiscover-v2': 'Autodiscover v2 cross-check',
  'returned-url': 'Returned URL check',
};

/** The host of a candidate URL, or the text itself (SCP and SRV candidates are not URLs). */
export function hostOf(url: string): string {
  let host = hosts.get(url);
  if (host === undefined) {
    try {
      host = new URL(url).host || url;
    } catch {
      host = url;
    }
    if (hosts.size > 10_000) hosts.clear(); // the same few hundred URLs recur across runs
    hosts.set(url, host);
  }
  return host;
}
const hosts = new Map<string, string>();
