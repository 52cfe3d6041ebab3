/**
 * The lab certificate authority: a fresh root (and intermediate) per lab, and leaf certificates
 * described by CertificateSpec data — trusted, expired, self-signed, privately rooted, sent
 * without their intermediate, CN-only. Everything stays in memory; nothing is written to disk.
 */
import './reflect-metadata-shim.ts';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { CertificateSpec, DateSpec } from './scenario.ts';
import { LabError } from './errors.ts';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKeyPair = webcrypto.CryptoKeyPair;
/** Distinguished name as @peculiar/x509 takes it: one attribute per RDN. */
type Name = Array<Record<string, string[]>>;

const DAY = 86_400_000;
const ORGANISATION = 'discotrace lab';

const ALGORITHMS = {
  'ecdsa-p256': { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
  'rsa-2048': { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
} as const;
type KeyKind = keyof typeof ALGORITHMS;

/** A certificate as a TLS server uses it. */
export interface IssuedCertificate {
  /** The leaf, PEM. */
  certPem: string;
  /** What the server sends, leaf first (leaf + intermediate when sent). */
  chainPem: string[];
  /** PKCS#8 private key, PEM. Never logged. */
  keyPem: string;
}

interface Authority {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  kind: KeyKind;
}

export interface LabCa {
  /** The trusted lab root, PEM (goes into RunningLab.caCertificates). */
  rootPem: string;
  /** The lab intermediate (signed by the root), PEM. */
  intermediatePem: string;
  issue(spec: CertificateSpec): Promise<IssuedCertificate>;
}

/** PEM with a final newline, so chains can be concatenated safely. */
function pem(cert: x509.X509Certificate): string {
  return `${cert.toString('pem').trimEnd()}\n`;
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0] & 0x7f; // keep the DER INTEGER positive
  return Buffer.from(bytes).toString('hex');
}

/** Resolves an ISO date or an offset such as `-1d`, `+10d`, `+2h`, `-30m` against `now`. */
export function resolveDate(spec: DateSpec, now: number): Date {
  const relative = /^([+-])(\d+)([dhms])$/.exec(spec.trim());
  if (relative) {
    const unit = { d: DAY, h: 3_600_000, m: 60_000, s: 1000 }[relative[3] as 'd' | 'h' | 'm' | 's'];
    const sign = relative[1] === '-' ? -1 : 1;
    return new Date(now + sign * Number(relative[2]) * unit);
  }
  const absolute = Date.parse(spec);
  if (Number.isNaN(absolute)) {
    throw new LabError('LAB_SCENARIO_INVALID', `certificate date "${spec}" is neither ISO 8601 nor an offset like -1d / +10d`);
  }
  return new Date(absolute);
}

function validityWindow(spec: CertificateSpec, now: number): { notBefore: Date; notAfter: Date } {
  const shortcut = {
    valid: { notBefore: new Date(now - DAY), notAfter: new Date(now + 90 * DAY) },
    expired: { notBefore: new Date(now - 90 * DAY), notAfter: new Date(now - DAY) },
    notYetValid: { notBefore: new Date(now + DAY), notAfter: new Date(now + 90 * DAY) },
  }[spec.validity ?? 'valid'];
  return {
    notBefore: spec.notBefore ? resolveDate(spec.notBefore, now) : shortcut.notBefore,
    notAfter: spec.notAfter ? resolveDate(spec.notAfter, now) : shortcut.notAfter,
  };
}

/** RSA generation costs ~100 ms, so one RSA key pair per process is shared by RSA leaves. */
let rsaKeys: Promise<CryptoKeyPair> | undefined;

function generateKeys(kind: KeyKind): Promise<CryptoKeyPair> {
  const make = () => webcrypto.subtle.generateKey(ALGORITHMS[kind], true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
  if (kind === 'rsa-2048') return (rsaKeys ??= make());
  return make(); // P-256 takes about a millisecond
}

async function keyPem(keys: CryptoKeyPair): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return `${x509.PemConverter.encode(pkcs8, 'PRIVATE KEY').trimEnd()}\n`;
}

async function createRoot(commonName: string, now: number): Promise<Authority> {
  const keys = await generateKeys('ecdsa-p256');
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: [{ CN: [commonName] }, { O: [ORGANISATION] }] as Name,
    notBefore: new Date(now - 2 * DAY),
    notAfter: new Date(now + 365 * DAY),
    keys,
    signingAlgorithm: ALGORITHMS['ecdsa-p256'],
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys, kind: 'ecdsa-p256' };
}

/** The intermediate's window: valid, or over (`expired`) / not started (`notYetValid`) — see CertificateSpec.intermediateValidity. */
const INTERMEDIATE_WINDOWS = {
  valid: (now: number) => ({ notBefore: new Date(now - 2 * DAY), notAfter: new Date(now + 365 * DAY) }),
  expired: (now: number) => ({ notBefore: new Date(now - 400 * DAY), notAfter: new Date(now - 2 * DAY) }),
  notYetValid: (now: number) => ({ notBefore: new Date(now + 2 * DAY), notAfter: new Date(now + 365 * DAY) }),
} as const;

async function createIntermediate(root: Authority, now: number, validity: keyof typeof INTERMEDIATE_WINDOWS = 'valid'): Promise<Authority> {
  const keys = await generateKeys('ecdsa-p256');
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: [{ CN: ['discotrace lab issuing CA 1'] }, { O: [ORGANISATION] }] as Name,
    issuer: root.cert.subjectName,
    ...INTERMEDIATE_WINDOWS[validity](now),
    publicKey: keys.publicKey,
    signingKey: root.keys.privateKey,
    signingAlgorithm: ALGORITHMS[root.kind],
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(root.cert, false),
    ],
  });
  return { cert, keys, kind: 'ecdsa-p256' };
}

async function createLeaf(spec: CertificateSpec, signer: Authority | 'self', now: number): Promise<{ cert: x509.X509Certificate; keys: CryptoKeyPair }> {
  const kind: KeyKind = spec.key ?? 'ecdsa-p256';
  const keys = await generateKeys(kind);
  const commonName = spec.commonName ?? spec.dnsNames[0];
  if (!commonName) {
    throw new LabError('LAB_SCENARIO_INVALID', 'a certificate needs at least one dnsName or a commonName');
  }
  const subject: Name = [{ CN: [commonName] }, { O: [ORGANISATION] }];
  const sanEntries = [
    ...spec.dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...(spec.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const usage =
    kind === 'rsa-2048'
      ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment
      : x509.KeyUsageFlags.digitalSignature;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(usage, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  // No SAN extension at all for a CN-only certificate: that is the case being emulated.
  if (sanEntries.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sanEntries));
  const { notBefore, notAfter } = validityWindow(spec, now);

  if (signer === 'self') {
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: randomSerial(),
      name: subject,
      notBefore,
      notAfter,
      keys,
      signingAlgorithm: ALGORITHMS[kind],
      extensions,
    });
    return { cert, keys };
  }
  extensions.push(await x509.AuthorityKeyIdentifierExtension.create(signer.cert, false));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject,
    issuer: signer.cert.subjectName,
    notBefore,
    notAfter,
    publicKey: keys.publicKey,
    signingKey: signer.keys.privateKey,
    signingAlgorithm: ALGORITHMS[signer.kind],
    extensions,
  });
  return { cert, keys };
}

/**
 * Creates the lab root and intermediate. The untrusted root is made only when a spec asks for it.
 * `now` anchors every relative date (default: the moment of the call).
 */
export async function createLabCa(now: number = Date.now()): Promise<LabCa> {
  const root = await createRoot(`discotrace lab root CA ${randomSerial().slice(0, 8)}`, now);
  const intermediate = await createIntermediate(root, now);
  let untrusted: Promise<Authority> | undefined;
  const otherIntermediates = new Map<string, Promise<Authority>>();

  return {
    rootPem: pem(root.cert),
    intermediatePem: pem(intermediate.cert),
    async issue(spec) {
      const issuer = spec.issuer ?? 'root';
      const window = spec.intermediateValidity ?? 'valid';
      let issuing = intermediate;
      if (issuer === 'intermediate' && window !== 'valid') {
        if (!otherIntermediates.has(window)) otherIntermediates.set(window, createIntermediate(root, now, window));
        issuing = await otherIntermediates.get(window)!;
      }
      const untrustedRoot = issuer === 'untrusted-root' ? await (untrusted ??= createRoot('discotrace lab untrusted root CA', now)) : undefined;
      const signer = issuer === 'root' ? root : issuer === 'intermediate' ? issuing : untrustedRoot ?? ('self' as const);
      const leaf = await createLeaf(spec, signer, now);
      const certPem = pem(leaf.cert);
      const chainPem = [certPem];
      if (issuer === 'intermediate' && spec.sendIntermediate !== false) {
        chainPem.push(pem(issuing.cert));
      }
      if (spec.sendRoot && issuer !== 'self-signed') chainPem.push(pem((untrustedRoot ?? root).cert));
      return { certPem, chainPem, keyPem: await keyPem(leaf.keys) };
    },
  };
}
