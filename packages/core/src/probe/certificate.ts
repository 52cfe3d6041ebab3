import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type { CertificateInfo, Finding } from '../trace/model.ts';
import { finding } from '../trace/findings.ts';
import type { StepResult } from '../trace/recorder.ts';

/** Certificate checks, each reporting every problem it sees (not only the first). */

const DAY_MS = 86_400_000;
const EXPIRY_WARNING_DAYS = 30;

function names(cert: tls.PeerCertificate): { dns: string[]; ip: string[] } {
  const dns: string[] = [];
  const ip: string[] = [];
  for (const part of (cert.subjectaltname ?? '').split(/,\s*/)) {
    if (part.startsWith('DNS:')) dns.push(part.slice(4));
    else if (part.startsWith('IP Address:')) ip.push(part.slice(11));
  }
  return { dns, ip };
}

function dn(obj: tls.Certificate | undefined): string {
  if (!obj) return '';
  return Object.entries(obj).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`).join(', ');
}

export function describeCertificate(cert: tls.DetailedPeerCertificate): CertificateInfo {
  const { dns, ip } = names(cert);
  const cn = cert.subject?.CN;
  return {
    subject: dn(cert.subject),
    issuer: dn(cert.issuer),
    ...(cn ? { commonName: Array.isArray(cn) ? cn[0] : cn } : {}),
    dnsNames: dns,
    ipAddresses: ip,
    notBefore: new Date(cert.valid_from).toISOString(),
    notAfter: new Date(cert.valid_to).toISOString(),
    serialNumber: cert.serialNumber,
    fingerprint256: cert.fingerprint256,
    selfSigned: dn(cert.subject) === dn(cert.issuer),
    ...(cert.asn1Curve ? { keyType: `EC ${cert.asn1Curve}` } : cert.bits ? { keyType: 'RSA', keyBits: cert.bits } : {}),
  };
}

/** Name check against the URL's host (never a CNAME target), with Node's RFC 6125 rules. */
export function checkName(host: string, leaf: tls.DetailedPeerCertificate): StepResult {
  const info = describeCertificate(leaf);
  const err = tls.checkServerIdentity(host, leaf);
  const data = { host, dnsNames: info.dnsNames, commonName: info.commonName };
  if (!err) {
    const exact = info.dnsNames.find((n) => n.toLowerCase() === host.toLowerCase());
    const how = exact ? `SAN ${exact}` : info.dnsNames.length ? `wildcard ${info.dnsNames.find((n) => n.startsWith('*.')) ?? ''}` : `CN ${info.commonName}`;
    return { status: 'pass', summary: `${host} matches ${how}`, data: { ...data, matchedBy: how } };
  }
  const presented = info.dnsNames.length ? info.dnsNames.join(', ') : `CN ${info.commonName ?? '(none)'}`;
  return {
    status: 'fail',
    summary: `certificate names ${presented}, not ${host}`,
    data,
    findings: [finding('CERT_NAME_MISMATCH', `Certificate for ${host} names ${presented}`, { evidence: data })],
  };
}

let rootCache: X509Certificate[] | undefined;
function x509(pem: string): X509Certificate | undefined {
  try { return new X509Certificate(pem); } catch { return undefined; }
}

/** Chain trust from Node's verification, refined into the diagnoses an admin can act on. */
export function checkTrust(chain: tls.DetailedPeerCertificate[], authorized: boolean, authorizationError: string | undefined, extraCa: string[]): StepResult {
  rootCache ??= tls.rootCertificates.map(x509).filter((c): c is X509Certificate => c != null);
  const leaf = chain[0]!;
  const top = chain[chain.length - 1]!;
  const data = { authorized, authorizationError, chainLength: chain.length, chain: chain.map((c) => describeCertificate(c).subject) };
  // Node reports the host-name check as authorizationError, but only after the chain verified;
  // names are the cert-name step's business, dates the cert-dates step's.
  const anchors = [...rootCache, ...extraCa.map(x509).filter((c): c is X509Certificate => c != null)];
  // OpenSSL reports only its last error: an expired certificate hides an untrusted chain. When the
  // reported problem is a date (or the name, checked only after the chain), verify the chain here.
  const dateOrName = authorizationError === 'CERT_HAS_EXPIRED' || authorizationError === 'CERT_NOT_YET_VALID' || authorizationError === 'ERR_TLS_CERT_ALTNAME_INVALID';
  if (authorized || (dateOrName && chainReachesAnchor(chain, anchors))) {
    return { status: 'pass', summary: `chain builds to a trusted root (${chain.length} certificate${chain.length > 1 ? 's' : ''})`, data };
  }
  const topX509 = x509(`-----BEGIN CERTIFICATE-----\n${top.raw.toString('base64')}\n-----END CERTIFICATE-----`);
  const issuerKnown = topX509 ? anchors.some((a) => topX509.checkIssued(a)) : false;
  let f: Finding;
  if (authorizationError === 'DEPTH_ZERO_SELF_SIGNED_CERT' || (chain.length === 1 && describeCertificate(leaf).selfSigned)) {
    f = finding('CERT_SELF_SIGNED', `Self-signed certificate: ${describeCertificate(leaf).subject}`, { evidence: data });
  } else if (authorizationError === 'SELF_SIGNED_CERT_IN_CHAIN' || describeCertificate(top).selfSigned) {
    f = finding('CERT_UNTRUSTED', `Chain ends at an untrusted root: ${describeCertificate(top).subject}`, { evidence: data });
  } else if (!issuerKnown && (authorizationError === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || authorizationError === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' || authorizationError === 'UNABLE_TO_GET_ISSUER_CERT')) {
    f = finding('CERT_MISSING_INTERMEDIATE', `Issuer of ${describeCertificate(top).subject} not sent by the server and not a trusted root (missing intermediate, or a private CA)`, { evidence: { ...data, missingIssuer: describeCertificate(top).issuer } });
  } else {
    f = finding('CERT_UNTRUSTED', `Certificate chain not trusted (${authorizationError ?? 'unknown reason'})`, { evidence: data });
  }
  return { status: 'fail', summary: f.title, data, findings: [f] };
}

function toX509(cert: tls.DetailedPeerCertificate): X509Certificate | undefined {
  return x509(`-----BEGIN CERTIFICATE-----\n${cert.raw.toString('base64')}\n-----END CERTIFICATE-----`);
}

/** Signature path from the leaf to a trust anchor, dates ignored (they are the dates step's business). */
function chainReachesAnchor(chain: tls.DetailedPeerCertificate[], anchors: X509Certificate[]): boolean {
  const certs = chain.map(toX509);
  if (certs.some((c) => c == null)) return false;
  const signedBy = (child: X509Certificate, parent: X509Certificate) => {
    try { return child.checkIssued(parent) && child.verify(parent.publicKey); } catch { return false; }
  };
  for (let i = 0; i < certs.length; i++) {
    const cert = certs[i]!;
    if (anchors.some((a) => a.fingerprint256 === cert.fingerprint256 || signedBy(cert, a))) return true;
    const next = certs[i + 1];
    if (!next || !signedBy(cert, next)) return false;
  }
  return false;
}

/** Validity dates of every certificate in the chain, not only the leaf. */
export function checkDates(chain: tls.DetailedPeerCertificate[], now = new Date()): StepResult {
  const findings: Finding[] = [];
  const certificates = chain.map((c) => {
    const info = describeCertificate(c);
    const nb = Date.parse(info.notBefore);
    const na = Date.parse(info.notAfter);
    let state: 'valid' | 'expired' | 'not-yet-valid' | 'expiring' = 'valid';
    if (now.getTime() > na) {
      state = 'expired';
      findings.push(finding('CERT_EXPIRED', `${info.subject} expired on ${info.notAfter}`, { evidence: { subject: info.subject, notAfter: info.notAfter } }));
    } else if (now.getTime() < nb) {
      state = 'not-yet-valid';
      findings.push(finding('CERT_NOT_YET_VALID', `${info.subject} is valid only from ${info.notBefore}`, { evidence: { subject: info.subject, notBefore: info.notBefore } }));
    } else if (na - now.getTime() < EXPIRY_WARNING_DAYS * DAY_MS) {
      state = 'expiring';
      findings.push(finding('CERT_EXPIRING_SOON', `${info.subject} expires on ${info.notAfter}`, { evidence: { subject: info.subject, notAfter: info.notAfter } }));
    }
    return { subject: info.subject, notBefore: info.notBefore, notAfter: info.notAfter, state };
  });
  const bad = findings.filter((f) => f.severity === 'error');
  const leaf = certificates[0]!;
  return {
    status: bad.length ? 'fail' : findings.length ? 'warn' : 'pass',
    summary: bad.length ? bad.map((f) => f.title).join('; ') : `valid until ${leaf.notAfter.slice(0, 10)}${findings.length ? ' (expiring soon)' : ''}`,
    data: { certificates },
    findings,
  };
}
