/**
 * Scenario validation, where scenarios enter the lab (startLab). Collects every problem, so a
 * broken scenario file is fixed in one pass. The loopback rule is the safety net of the whole lab:
 * a DNS answer outside 127.0.0.0/8 or ::1 could send a probe off the machine.
 */
import net from 'node:net';
import type { CertificateSpec, DnsBehaviour, ExchangeBehaviour, HttpBehaviour, Scenario } from './scenario.ts';
import { LabError } from './errors.ts';
import { endpointKeys } from './endpoint.ts';

const DNS_BEHAVIOURS: readonly DnsBehaviour[] = ['answer', 'nxdomain', 'nodata', 'servfail', 'refused', 'timeout'];
const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'SRV', 'TXT', 'MX'];
const ISSUERS = ['root', 'intermediate', 'self-signed', 'untrusted-root'];
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
const NAME = /^(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.?$/i;

function isLoopback(address: string): boolean {
  if (net.isIPv4(address)) return address.startsWith('127.');
  if (net.isIPv6(address)) return address === '::1' || address === '0:0:0:0:0:0:0:1';
  return false;
}

function isPort(port: unknown, allowZero = false): boolean {
  return Number.isInteger(port) && (port as number) >= (allowZero ? 0 : 1) && (port as number) <= 65535;
}

function checkCertificate(spec: CertificateSpec, where: string, problems: string[]): void {
  if (!Array.isArray(spec.dnsNames)) {
    problems.push(`${where}: dnsNames must be an array`);
    return;
  }
  if (spec.dnsNames.length === 0 && !spec.commonName) problems.push(`${where}: needs a dnsName or a commonName`);
  for (const name of spec.dnsNames) if (!NAME.test(name)) problems.push(`${where}: "${name}" is not a DNS name`);
  for (const ip of spec.ipAddresses ?? []) if (!net.isIP(ip)) problems.push(`${where}: "${ip}" is not an IP address`);
  if (spec.issuer !== undefined && !ISSUERS.includes(spec.issuer)) problems.push(`${where}: unknown issuer "${spec.issuer}"`);
  if (spec.intermediateValidity !== undefined) {
    if (!['valid', 'expired', 'notYetValid'].includes(spec.intermediateValidity)) problems.push(`${where}: unknown intermediateValidity "${spec.intermediateValidity}"`);
    else if (spec.intermediateValidity !== 'valid' && spec.issuer !== 'intermediate') problems.push(`${where}: intermediateValidity needs issuer "intermediate"`);
  }
}

function checkNtlm(b: ExchangeBehaviour, where: string, problems: string[]): void {
  const ntlm = b.ntlm!;
  if (!Array.isArray(ntlm.users)) problems.push(`${where}: ntlm.users must be an array of { domain?, username, password }`);
  else ntlm.users.forEach((u, i) => {
    if (typeof u?.username !== 'string' || u.username === '' || typeof u.password !== 'string') problems.push(`${where}: ntlm.users[${i}] needs a username and a password`);
    if (u?.domain !== undefined && typeof u.domain !== 'string') problems.push(`${where}: ntlm.users[${i}].domain must be a string`);
  });
  for (const key of ['netbiosDomain', 'dnsDomain', 'computer'] as const) {
    if (ntlm[key] !== undefined && (typeof ntlm[key] !== 'string' || ntlm[key] === '')) problems.push(`${where}: ntlm.${key} must be a non-empty string`);
  }
  // A client only starts NTLM when the 401 offers it.
  if (Array.isArray(b.challenges) && !b.challenges.some((c) => /^(ntlm|negotiate)\b/i.test(String(c)))) {
    problems.push(`${where}: ntlm is set but no challenge offers NTLM or Negotiate`);
  }
}

function checkBehaviour(b: HttpBehaviour, where: string, problems: string[]): void {
  switch (b?.kind) {
    case 'closed':
    case 'silent':
    case 'reset':
      return;
    case 'static':
      if (!Number.isInteger(b.status) || b.status < 100 || b.status > 999) problems.push(`${where}: status ${b.status} is not an HTTP status`);
      return;
    case 'redirect':
      if (!REDIRECT_STATUSES.includes(b.status)) problems.push(`${where}: redirect status must be one of ${REDIRECT_STATUSES.join(', ')}`);
      if (typeof b.location !== 'string') problems.push(`${where}: redirect needs a location`);
      return;
    case 'routes':
      if (!Array.isArray(b.routes)) problems.push(`${where}: routes must be an array`);
      else b.routes.forEach((r, i) => {
        if (typeof r.path !== 'string' || !r.path.startsWith('/')) problems.push(`${where}.routes[${i}]: path must start with /`);
        checkBehaviour(r.behaviour, `${where}.routes[${i}]`, problems);
      });
      if (b.fallback) checkBehaviour(b.fallback, `${where}.fallback`, problems);
      return;
    case 'exchange':
      if (!Array.isArray(b.challenges)) problems.push(`${where}: challenges must be an array of WWW-Authenticate values`);
      if (b.ntlm !== undefined) checkNtlm(b, where, problems);
      if (typeof b.answers !== 'object' || b.answers === null) problems.push(`${where}: answers must map addresses to answers`);
      else for (const [address, answer] of Object.entries(b.answers)) {
        if (!address.includes('@')) problems.push(`${where}: answer key "${address}" is not an address`);
        if (!['redirectAddr', 'redirectUrl', 'settings', 'error', 'raw'].includes(answer?.action)) {
          problems.push(`${where}: answer for ${address} has unknown action "${(answer as { action?: string })?.action}"`);
        }
      }
      return;
    default:
      problems.push(`${where}: unknown behaviour kind "${(b as { kind?: string })?.kind}"`);
  }
}

/** Throws LAB_SCENARIO_INVALID listing every problem, or returns the scenario unchanged. */
export function validateScenario(scenario: Scenario): Scenario {
  const problems: string[] = [];
  if (typeof scenario?.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(scenario.name)) {
    problems.push('name must be kebab-case');
  }
  if (!Array.isArray(scenario?.users)) problems.push('users must be an array');

  for (const [name, entry] of Object.entries(scenario?.dns ?? {})) {
    const where = `dns["${name}"]`;
    if (!NAME.test(name)) problems.push(`${where}: not a DNS name`);
    for (const a of entry.A ?? []) if (!net.isIPv4(a) || !isLoopback(a)) problems.push(`${where}: A ${a} must be a 127.x address`);
    for (const a of entry.AAAA ?? []) if (!isLoopback(a)) problems.push(`${where}: AAAA ${a} must be ::1`);
    if (entry.CNAME !== undefined && !NAME.test(entry.CNAME)) problems.push(`${where}: CNAME target "${entry.CNAME}" is not a DNS name`);
    for (const srv of entry.SRV ?? []) {
      if (![srv.priority, srv.weight].every((n) => isPort(n, true)) || !isPort(srv.port, true)) problems.push(`${where}: SRV numbers must be 0..65535`);
      if (!NAME.test(srv.target) && srv.target !== '.') problems.push(`${where}: SRV target "${srv.target}" is not a DNS name`);
    }
    if (entry.behaviour !== undefined && !DNS_BEHAVIOURS.includes(entry.behaviour)) problems.push(`${where}: unknown behaviour "${entry.behaviour}"`);
    for (const [type, b] of Object.entries(entry.byType ?? {})) {
      if (!RECORD_TYPES.includes(type)) problems.push(`${where}: byType has unknown type ${type}`);
      if (!DNS_BEHAVIOURS.includes(b)) problems.push(`${where}: byType.${type} has unknown behaviour "${b}"`);
    }
  }

  for (const [name, spec] of Object.entries(scenario?.certificates ?? {})) checkCertificate(spec, `certificates["${name}"]`, problems);

  const seen = new Set<string>();
  (scenario?.endpoints ?? []).forEach((endpoint, i) => {
    const where = `endpoints[${i}] (${endpoint?.host}:${endpoint?.port})`;
    for (const host of [endpoint.host, ...(endpoint.aliases ?? [])]) {
      if (typeof host !== 'string' || !NAME.test(host)) problems.push(`${where}: "${host}" is not a host name`);
    }
    if (!isPort(endpoint.port)) problems.push(`${where}: port must be 1..65535`);
    for (const key of endpointKeys(endpoint)) {
      if (seen.has(key)) problems.push(`${where}: ${key} is served twice`);
      seen.add(key);
    }
    if (typeof endpoint.tls === 'string') {
      if (!scenario.certificates?.[endpoint.tls]) problems.push(`${where}: certificate "${endpoint.tls}" is not defined`);
    } else if (endpoint.tls !== undefined) {
      checkCertificate(endpoint.tls, `${where}.tls`, problems);
    }
    checkBehaviour(endpoint.behaviour, `${where}.behaviour`, problems);
  });

  if (problems.length > 0) {
    throw new LabError('LAB_SCENARIO_INVALID', `scenario "${scenario?.name}" is invalid:\n- ${problems.join('\n- ')}`);
  }
  return scenario;
}
