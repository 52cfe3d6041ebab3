/** Ids inside a run page, shared by the tree, the diagram, the waterfall and the findings. */
export const candidateId = (phase: number, candidate: number) => `p${phase}c${candidate}`;
export const stepId = (phase: number, candidate: number, seq: number) => `p${phase}c${candidate}s${seq}`;
/** A readable prefix and a hash of the exact host and fingerprint: unique whatever they contain. */
export const certificateId = (host: string, fingerprint: string) => `cert-${host.replace(/[^A-Za-z0-9-]+/g, '_').slice(0, 60)}-${hash(`${host}\u0000${fingerprint}`)}`;

/** FNV-1a, 32 bits, as hex: short stable ids from arbitrary text. */
export function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** What the candidate sources are to an admin. */
export const SOURCE_LABEL: Record<string, string> = {
  scp: 'SCP lookup (Active Directory)',
  'root-https': 'Root domain over HTTPS',
  'autodiscover-https': 'Autodiscover host over HTTPS',
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
