/** Every certificate chain the run saw, once per host and leaf, with what the checks said about it. */
import type { CertificateInfo, PhaseTrace, Step } from '@discotrace/core';
import { certificateId, stepId } from './anchors.ts';
import { stepBadge, utc } from './format.ts';
import { html, type Html } from './html.ts';

export interface SeenCertificate {
  id: string;
  host: string;
  protocol?: string;
  cipher?: string;
  chain: CertificateInfo[];
  /** The name, trust and date checks of the first candidate that saw it. */
  checks: { title: string; summary: string; tone: string; label: string; href: string }[];
  seenAt: string[];
}

export function certificatesOf(phases: PhaseTrace[]): SeenCertificate[] {
  const seen = new Map<string, SeenCertificate>();
  for (const phase of [...phases].sort((a, b) => a.index - b.index)) {
    for (const candidate of phase.candidates) {
      const handshake = candidate.steps.find((s) => s.kind === 'tls:handshake');
      const data = handshake?.data as { host?: string; protocol?: string; cipher?: string; chain?: CertificateInfo[] } | undefined;
      // normalise.ts keeps a chain of objects as certificates and anything else as text only.
      if (!handshake || !data?.host || !Array.isArray(data.chain) || data.chain.length === 0 || typeof data.chain[0] !== 'object') continue;
      const leaf = data.chain[0] as CertificateInfo;
      const key = `${data.host}|${leaf.fingerprint256}`;
      const existing = seen.get(key);
      if (existing) {
        existing.seenAt.push(candidate.url);
        continue;
      }
      seen.set(key, {
        id: certificateId(data.host, leaf.fingerprint256 ?? ''),
        host: data.host,
        protocol: data.protocol,
        cipher: data.cipher,
        chain: data.chain,
        checks: candidate.steps.filter(isCertificateCheck).map((step) => {
          const badge = stepBadge(step.status, step.expected);
          return { title: step.title, summary: step.summary, tone: badge.tone, label: badge.label, href: `#${stepId(phase.index, candidate.index, step.seq)}` };
        }),
        seenAt: [candidate.url],
      });
    }
  }
  return [...seen.values()];
}

function isCertificateCheck(step: Step): boolean {
  return step.kind === 'tls:cert-name' || step.kind === 'tls:cert-trust' || step.kind === 'tls:cert-dates' || step.kind === 'tls:client-cert';
}

/** Days from the run to the certificate's end (negative: expired). */
export function daysLeft(notAfter: string, runAt: string): number | undefined {
  const end = Date.parse(notAfter);
  const at = Date.parse(runAt);
  return Number.isFinite(end) && Number.isFinite(at) ? Math.floor((end - at) / 86_400_000) : undefined;
}

/** Per host: the handshake, what the checks said, and each certificate of the chain. */
export function certificatesMarkup(certificates: SeenCertificate[], runAt: string, incomplete = false): Html {
  // With traces missing, "none" would claim more than is known.
  if (certificates.length === 0) return html`<p class="muted">${incomplete ? 'No TLS handshake in the traces that could be read.' : 'No TLS handshake completed in this run.'}</p>`;
  return html`${certificates.map((cert) => html`<section id="${cert.id}" class="cert" aria-label="Certificate of ${cert.host}">
<h3 class="mono">${cert.host}</h3>
<p class="muted">${[cert.protocol, cert.cipher].filter(Boolean).join(' · ')} · seen at ${cert.seenAt.join(', ')}</p>
<ul class="checks">${cert.checks.map((c) => html`<li><span class="tone tone-${c.tone}">${c.label}</span> <a href="${c.href}">${c.title}</a>: ${c.summary}</li>`)}</ul>
${cert.chain.map((c, i) => {
  const days = daysLeft(c.notAfter, runAt);
  const left = days === undefined ? '' : days < 0 ? ` (expired ${-days} days before the run)` : ` (${days} days left at the run)`;
  return html`<details${i === 0 ? html` open` : ''}><summary>${i === 0 ? 'Server certificate' : `Issuer ${i}`}: <span class="mono">${c.subject}</span></summary><dl>
<dt>Subject</dt><dd class="mono">${c.subject}</dd>
<dt>Issuer</dt><dd class="mono">${c.issuer}${c.selfSigned ? ' (self-signed)' : ''}</dd>
${c.dnsNames?.length ? html`<dt>Names (SAN)</dt><dd class="mono">${c.dnsNames.join(', ')}</dd>` : ''}
${c.ipAddresses?.length ? html`<dt>IP addresses</dt><dd class="mono">${c.ipAddresses.join(', ')}</dd>` : ''}
<dt>Valid</dt><dd>${utc(c.notBefore)} to ${utc(c.notAfter)}${left}</dd>
${c.keyType ? html`<dt>Key</dt><dd>${c.keyType}${c.keyBits ? ` ${c.keyBits} bits` : ''}</dd>` : ''}
<dt>Serial</dt><dd class="mono">${c.serialNumber}</dd>
<dt>SHA-256</dt><dd class="mono fp">${c.fingerprint256}</dd>
</dl></details>`;
})}
</section>`)}`;
}
