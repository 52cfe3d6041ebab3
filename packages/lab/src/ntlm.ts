/**
 * The server side of NTLM for the emulated Exchange, as IIS does it: a NEGOTIATE (Type 1) gets a
 * 401 carrying a CHALLENGE (Type 2) bound to the connection it came on; the AUTHENTICATE (Type 3)
 * on that same connection is verified by recomputing the NTLMv2 NTProofStr from the stored
 * password — a wrong password really fails. A Type 3 on another connection has no challenge to
 * answer, so it fails too (a load balancer without persistence breaks NTLM exactly like this).
 *
 * Written independently of the engine's client (packages/core/src/probe/ntlm.ts) on purpose: the
 * lab must not agree with the client merely because both share a bug.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NtlmBehaviour, NtlmCredential } from './scenario.ts';

// ───────────────────────────── MD4 (RFC 1320) ─────────────────────────────

function md4(message: Buffer): Buffer {
  const words = ((message.length + 8) >> 6) * 16 + 16;
  const x = new Uint32Array(words);
  for (let i = 0; i < message.length; i++) x[i >> 2]! |= message[i]! << ((i % 4) * 8);
  x[message.length >> 2]! |= 0x80 << ((message.length % 4) * 8);
  x[words - 2] = (message.length * 8) >>> 0;
  x[words - 1] = Math.floor((message.length * 8) / 0x100000000);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  const rounds: Array<{ f: (b: number, c: number, d: number) => number; k: number; order: number[]; shifts: number[] }> = [
    { f: (b, c, d) => (b & c) | (~b & d), k: 0, order: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], shifts: [3, 7, 11, 19] },
    { f: (b, c, d) => (b & c) | (b & d) | (c & d), k: 0x5a827999, order: [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15], shifts: [3, 5, 9, 13] },
    { f: (b, c, d) => b ^ c ^ d, k: 0x6ed9eba1, order: [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15], shifts: [3, 9, 11, 15] },
  ];
  for (let block = 0; block < words; block += 16) {
    const v = [...h];
    for (const r of rounds) {
      for (let i = 0; i < 16; i++) {
        // Registers rotate a, d, c, b: step i updates v[(4 - i % 4) % 4].
        const t = (4 - (i % 4)) % 4;
        const sum = (v[t]! + r.f(v[(t + 1) % 4]!, v[(t + 2) % 4]!, v[(t + 3) % 4]!) + x[block + r.order[i]!]! + r.k) >>> 0;
        const s = r.shifts[i % 4]!;
        v[t] = ((sum << s) | (sum >>> (32 - s))) >>> 0;
      }
    }
    for (let i = 0; i < 4; i++) h[i] = (h[i]! + v[i]!) >>> 0;
  }
  const out = Buffer.alloc(16);
  h.forEach((w, i) => out.writeUInt32LE(w, i * 4));
  return out;
}

/** Exported for the lab's own known-answer tests. */
export const labMd4 = md4;

// ───────────────────────────── messages ─────────────────────────────

const SIGNATURE = 'NTLMSSP\0';
const UNICODE = 0x1;
const OEM = 0x2;
const REQUEST_TARGET = 0x4;
const NTLM = 0x200;
const ALWAYS_SIGN = 0x8000;
const TARGET_TYPE_DOMAIN = 0x10000;
const EXTENDED_SESSIONSECURITY = 0x80000;
const TARGET_INFO = 0x800000;
const VERSION = 0x2000000;
const NEGOTIATE_128 = 0x20000000;
const NEGOTIATE_56 = 0x80000000;
/** Windows Server 2019 (10.0.17763), NTLMSSP revision 15. */
const SERVER_VERSION = Buffer.from([10, 0, 0x63, 0x45, 0, 0, 0, 15]);

function messageType(msg: Buffer): number | undefined {
  if (msg.length < 12 || msg.toString('latin1', 0, 8) !== SIGNATURE) return undefined;
  return msg.readUInt32LE(8);
}

function avPair(id: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(id, 0);
  head.writeUInt16LE(value.length, 2);
  return Buffer.concat([head, value]);
}

function nowFileTime(): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE((BigInt(Date.now()) + 11_644_473_600_000n) * 10_000n);
  return b;
}

/** The names a server presents, from the behaviour or derived from the endpoint's host. */
export function ntlmNames(config: NtlmBehaviour, host: string): { netbiosDomain: string; dnsDomain: string; computer: string } {
  const labels = host.toLowerCase().split('.');
  const dnsDomain = config.dnsDomain ?? (labels.length > 2 ? labels.slice(1).join('.') : host.toLowerCase());
  const netbiosDomain = config.netbiosDomain ?? dnsDomain.split('.')[0]!.toUpperCase().slice(0, 15);
  return { netbiosDomain, dnsDomain, computer: config.computer ?? 'EX01' };
}

function challengeMessage(clientFlags: number, serverChallenge: Buffer, names: ReturnType<typeof ntlmNames>): Buffer {
  const unicode = (clientFlags & UNICODE) !== 0;
  const flags = ((unicode ? UNICODE : OEM) | REQUEST_TARGET | NTLM | ALWAYS_SIGN | TARGET_TYPE_DOMAIN | TARGET_INFO | VERSION |
    (clientFlags & (EXTENDED_SESSIONSECURITY | NEGOTIATE_128 | NEGOTIATE_56))) >>> 0;
  const u = (s: string) => Buffer.from(s, 'utf16le');
  const targetName = unicode ? u(names.netbiosDomain) : Buffer.from(names.netbiosDomain, 'latin1');
  const info = Buffer.concat([
    avPair(2, u(names.netbiosDomain)),
    avPair(1, u(names.computer)),
    avPair(4, u(names.dnsDomain)),
    avPair(3, u(`${names.computer.toLowerCase()}.${names.dnsDomain}`)),
    avPair(5, u(names.dnsDomain)),
    avPair(7, nowFileTime()),
    avPair(0, Buffer.alloc(0)),
  ]);
  const head = Buffer.alloc(56);
  head.write(SIGNATURE, 0, 'latin1');
  head.writeUInt32LE(2, 8);
  head.writeUInt16LE(targetName.length, 12);
  head.writeUInt16LE(targetName.length, 14);
  head.writeUInt32LE(56, 16);
  head.writeUInt32LE(flags, 20);
  serverChallenge.copy(head, 24);
  head.writeUInt16LE(info.length, 40);
  head.writeUInt16LE(info.length, 42);
  head.writeUInt32LE(56 + targetName.length, 44);
  SERVER_VERSION.copy(head, 48);
  return Buffer.concat([head, targetName, info]);
}

interface Type3 {
  unicode: boolean;
  domain: string;
  user: string;
  nt: Buffer;
}

/** Reads what verification needs; undefined when the message is malformed. */
function readType3(msg: Buffer): Type3 | undefined {
  if (msg.length < 64) return undefined;
  const slice = (at: number): Buffer | undefined => {
    const len = msg.readUInt16LE(at);
    const off = msg.readUInt32LE(at + 4);
    return off + len <= msg.length ? msg.subarray(off, off + len) : undefined;
  };
  const flags = msg.readUInt32LE(60);
  const unicode = (flags & UNICODE) !== 0;
  const [nt, domain, user] = [slice(20), slice(28), slice(36)];
  if (!nt || !domain || !user) return undefined;
  const text = (b: Buffer) => b.toString(unicode ? 'utf16le' : 'latin1');
  return { unicode, nt, domain: text(domain), user: text(user) };
}

const hmac = (key: Buffer, ...data: Buffer[]) => data.reduce((h, d) => h.update(d), createHmac('md5', key)).digest();

/** Upper case per UTF-16 unit, as Windows' RtlUpcaseUnicodeString. */
function upper(s: string): string {
  return [...s].map((c) => (c.toUpperCase().length === c.length ? c.toUpperCase() : c)).join('');
}

/** NTLMv2 check (MS-NLMP §3.3.2) with the user and domain exactly as the client sent them. */
export function verifyNtlmv2(password: string, user: string, domain: string, serverChallenge: Buffer, nt: Buffer): boolean {
  // 16 bytes of NTProofStr + a blob of at least 28 header bytes + MsvAvEOL; 24 bytes is NTLMv1: refused (LmCompatibilityLevel 5).
  if (nt.length < 16 + 32 || nt[16] !== 1 || nt[17] !== 1) return false;
  const responseKey = hmac(md4(Buffer.from(password, 'utf16le')), Buffer.from(upper(user) + domain, 'utf16le'));
  const proof = hmac(responseKey, serverChallenge, nt.subarray(16));
  return timingSafeEqual(proof, nt.subarray(0, 16));
}

/** Accounts whose name (and domain, when the client gave one) match; a UPN matches user@dnsDomain. */
function candidates(users: NtlmCredential[], t3: Type3, names: ReturnType<typeof ntlmNames>): NtlmCredential[] {
  const user = t3.user.toLowerCase();
  const domain = t3.domain.toLowerCase();
  return users.filter((c) => {
    const accountDomain = (c.domain ?? names.netbiosDomain).toLowerCase();
    const name = c.username.toLowerCase();
    if (user.includes('@')) return domain === '' && (name === user || `${name}@${names.dnsDomain.toLowerCase()}` === user);
    return name === user && (domain === '' || domain === accountDomain || domain === names.dnsDomain.toLowerCase());
  });
}

// ───────────────────────────── the exchange ─────────────────────────────

export type NtlmOutcome =
  | { kind: 'challenge'; header: string; close: boolean }
  | { kind: 'ok'; user: string; domain: string }
  | { kind: 'rejected'; reason: string };

/** Pending challenges by connection: an entry lives as long as its socket. */
const pending = new WeakMap<object, Buffer>();

/**
 * One step of the handshake for an `Authorization: NTLM|Negotiate <token>` value on `connection`.
 * Undefined when the value is not an NTLM message (Basic, Bearer, a Kerberos SPNEGO token …).
 */
export function ntlmStep(config: NtlmBehaviour, host: string, connection: object, authorization: string | undefined): NtlmOutcome | undefined {
  const m = /^(NTLM|Negotiate)\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization ?? '');
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase() === 'ntlm' ? 'NTLM' : 'Negotiate';
  const msg = Buffer.from(m[2]!, 'base64');
  const type = messageType(msg);
  if (type === undefined) return undefined;
  const names = ntlmNames(config, host);
  if (type === 1) {
    if (msg.length < 16) return { kind: 'rejected', reason: 'NEGOTIATE message too short' };
    const serverChallenge = randomBytes(8);
    pending.set(connection, serverChallenge);
    const type2 = challengeMessage(msg.readUInt32LE(12), serverChallenge, names);
    return { kind: 'challenge', header: `${scheme} ${type2.toString('base64')}`, close: config.closeAfterChallenge === true };
  }
  if (type === 3) {
    const serverChallenge = pending.get(connection);
    // One answer per challenge: a replayed or retried Type 3 needs a new handshake.
    pending.delete(connection);
    if (!serverChallenge) return { kind: 'rejected', reason: 'no challenge was issued on this connection' };
    const t3 = readType3(msg);
    if (!t3) return { kind: 'rejected', reason: 'malformed AUTHENTICATE message' };
    const ok = candidates(config.users, t3, names).some((c) => verifyNtlmv2(c.password, t3.user, t3.domain, serverChallenge, t3.nt));
    return ok ? { kind: 'ok', user: t3.user, domain: t3.domain } : { kind: 'rejected', reason: 'NTLMv2 response does not match' };
  }
  return { kind: 'rejected', reason: `unexpected NTLM message type ${type}` };
}
