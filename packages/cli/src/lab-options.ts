import { resolveOptions } from '@discotrace/core';
import type { RunningLab } from '@discotrace/lab';

/** Probe options that send the engine into a running lab (DNS, connect-to map, lab CA). */
export function labOptions(lab: RunningLab, extra: Parameters<typeof resolveOptions>[0] = {}) {
  return resolveOptions({ dnsServers: [lab.dnsServer], connectTo: lab.connectTo, trustedCaCertificates: lab.caCertificates, ...extra });
}
