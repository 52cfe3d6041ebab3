/** Every certificate chain the run saw, once per host and leaf, with what the checks said about it. */
import type { CertificateInfo, PhaseTrace, Step } from '@discotrace/core';
import { certificateId, stepId } from './anchors.ts';
import { stepBadge } from './format.ts';

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
      if (!handshake || !data?.host || !Array.isArray(data.chain) || data.chain.length === 0) continue;
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
