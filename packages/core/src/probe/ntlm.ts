/**
 * NTLM client messages (MS-NLMP): NEGOTIATE (Type 1), CHALLENGE (Type 2) parsing, AUTHENTICATE
 * (Type 3) with an NTLMv2 response. Pure functions: deterministic when the client challenge and the
 * time are given (tests do), no session key exchange, no signing or sealing (HTTP needs none).
 *
 * A CHALLENGE comes from the server under test, so it is parsed as hostile input: every length and
 * offset is checked against the message, and any problem is an NtlmError with a plain reason.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { md4 } from '../auth/md4.ts';

/** NEGOTIATE flags (MS-NLMP §2.2.2.5) this client uses or reports. */
export const NTLM_FLAGS = {
  UNICODE: 0x00000001,
  OEM: 0x00000002,
  REQUEST_TARGET: 0x00000004,
  SIGN: 0x00000010,
  SEAL: 0x00000020,
  NTLM: 0x00000200,
  ANONYMOUS: 0x00000800,
  ALWAYS_SIGN: 0x00008000,
  TARGET_TYPE_DOMAIN: 0x00010000,
  TARGET_TYPE_SERVER: 0x00020000,
  EXTENDED_SESSIONSECURITY: 0x00080000,
  TARGET_INFO: 0x00800000,
  VERSION: 0x02000000,
  NEGOTIATE_128: 0x20000000,
  KEY_EXCH: 0x40000000,
  NEGOTIATE_56: 0x80000000,
} as const;

/** What the client asks for: Unicode, NTLM, extended session security, always sign, target name and info, 128-bit. */
export const CLIENT_FLAGS =
  (NTLM_FLAGS.UNICODE | NTLM_FLAGS.REQUEST_TARGET | NTLM_FLAGS.NTLM | NTLM_FLAGS.ALWAYS_SIGN |
    NTLM_FLAGS.EXTENDED_SESSIONSECURITY | NTLM_FLAGS.TARGET_INFO | NTLM_FLAGS.NEGOTIATE_128) >>> 0;

/** AV pair ids (MS-NLMP §2.2.2.1). */
export const AV = {
  EOL: 0,
  NB_COMPUTER_NAME: 1,
  NB_DOMAIN_NAME: 2,
  DNS_COMPUTER_NAME: 3,
  DNS_DOMAIN_NAME: 4,
  DNS_TREE_NAME: 5,
  FLAGS: 6,
  TIMESTAMP: 7,
  SINGLE_HOST: 8,
  TARGET_NAME: 9,
  CHANNEL_BINDINGS: 10,
} as const;

const SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');
/** A CHALLENGE travels in one HTTP header; anything this large is not one. */
const MAX_MESSAGE = 64 * 1024;

export class NtlmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NtlmError';
  }
}

export interface AvPair {
  id: number;
  value: Buffer;
}

export interface NtlmChallenge {
  flags: number;
  serverChallenge: Buffer;
  /** TargetName: the NetBIOS domain (or server) name the server authenticates for. */
  targetName: string;
  /** TargetInfo exactly as sent (echoed in the NTLMv2 blob); empty when absent. */
  targetInfo: Buffer;
  avPairs: AvPair[];
  nbComputerName?: string;
  nbDomainName?: string;
  dnsComputerName?: string;
  dnsDomainName?: string;
  dnsTreeName?: string;
  /** MsvAvTimestamp, raw 8-byte FILETIME, when the server sent one. */
  timestamp?: Buffer;
  /** Server OS version, when the VERSION flag is set. */
  version?: { major: number; minor: number; build: number; revision: number };
}

/** What a trace may show of a challenge (nothing in it is secret). */
export function describeChallenge(c: NtlmChallenge): Record<string, unknown> {
  return {
    targetName: c.targetName,
    flags: `0x${c.flags.toString(16).padStart(8, '0')}`,
    ...(c.nbDomainName !== undefined ? { nbDomainName: c.nbDomainName } : {}),
    ...(c.nbComputerName !== undefined ? { nbComputerName: c.nbComputerName } : {}),
    ...(c.dnsDomainName !== undefined ? { dnsDomainName: c.dnsDomainName } : {}),
    ...(c.dnsComputerName !== undefined ? { dnsComputerName: c.dnsComputerName } : {}),
    ...(c.dnsTreeName !== undefined ? { dnsTreeName: c.dnsTreeName } : {}),
    ...(c.timestamp ? { timestamp: fileTimeToIso(c.timestamp) } : {}),
    ...(c.version ? { version: `${c.version.major}.${c.version.minor}.${c.version.build}` } : {}),
  };
}

// ───────────────────────────── Type 1 ─────────────────────────────

/** NEGOTIATE_MESSAGE without domain, workstation or version: 32 bytes. */
export function negotiateMessage(flags: number = CLIENT_FLAGS): Buffer {
  const m = Buffer.alloc(32);
  SIGNATURE.copy(m, 0);
  m.writeUInt32LE(1, 8);
  m.writeUInt32LE(flags >>> 0, 12);
  // DomainNameFields and WorkstationFields: empty, offset at the end of the message.
  m.writeUInt32LE(32, 20);
  m.writeUInt32LE(32, 28);
  return m;
}

// ───────────────────────────── Type 2 ─────────────────────────────

function field(msg: Buffer, at: number, what: string): Buffer {
  const len = msg.readUInt16LE(at);
  const offset = msg.readUInt32LE(at + 4);
  if (len === 0) return Buffer.alloc(0);
  if (offset > msg.length || len > msg.length - offset) {
    throw new NtlmError(`${what} (offset ${offset}, length ${len}) lies outside the ${msg.length}-byte message`);
  }
  return msg.subarray(offset, offset + len);
}

function utf16(buf: Buffer, what: string): string {
  if (buf.length % 2 !== 0) throw new NtlmError(`${what} has an odd length (${buf.length}) for UTF-16`);
  return buf.toString('utf16le');
}

function checkHeader(msg: Buffer, type: number, min: number): void {
  if (!Buffer.isBuffer(msg)) throw new NtlmError('not a binary message');
  if (msg.length < 12 || !msg.subarray(0, 8).equals(SIGNATURE)) throw new NtlmError('not an NTLM message (no NTLMSSP signature)');
  const t = msg.readUInt32LE(8);
  if (t !== type) throw new NtlmError(`expected NTLM message type ${type}, got ${t}`);
  if (msg.length < min) throw new NtlmError(`NTLM message type ${type} too short: ${msg.length} bytes (at least ${min})`);
  if (msg.length > MAX_MESSAGE) throw new NtlmError(`NTLM message type ${type} too large: ${msg.length} bytes`);
}

/** AV pairs up to MsvAvEOL; every pair must fit in the field. */
export function parseAvPairs(info: Buffer): AvPair[] {
  const pairs: AvPair[] = [];
  let at = 0;
  while (true) {
    if (at + 4 > info.length) throw new NtlmError('target info is not terminated by MsvAvEOL');
    const id = info.readUInt16LE(at);
    const len = info.readUInt16LE(at + 2);
    if (id === AV.EOL) return pairs;
    if (len > info.length - at - 4) throw new NtlmError(`target info pair ${id} (length ${len}) runs past the end of the field`);
    pairs.push({ id, value: info.subarray(at + 4, at + 4 + len) });
    at += 4 + len;
  }
}

/** Parses a CHALLENGE_MESSAGE (base64-decoded). Throws NtlmError on anything malformed. */
export function parseChallenge(msg: Buffer): NtlmChallenge {
  // 32 bytes: signature, type, TargetNameFields, flags, challenge (old servers stop there).
  checkHeader(msg, 2, 32);
  const flags = msg.readUInt32LE(20);
  const unicode = (flags & NTLM_FLAGS.UNICODE) !== 0;
  const nameBytes = field(msg, 12, 'TargetName');
  const targetName = unicode ? utf16(nameBytes, 'TargetName') : nameBytes.toString('latin1');
  const serverChallenge = Buffer.from(msg.subarray(24, 32));
  let targetInfo = Buffer.alloc(0);
  if (msg.length >= 48) targetInfo = Buffer.from(field(msg, 40, 'TargetInfo'));
  const avPairs = targetInfo.length > 0 ? parseAvPairs(targetInfo) : [];
  const challenge: NtlmChallenge = { flags, serverChallenge, targetName, targetInfo, avPairs };
  const names: Partial<Record<number, keyof NtlmChallenge>> = {
    [AV.NB_COMPUTER_NAME]: 'nbComputerName',
    [AV.NB_DOMAIN_NAME]: 'nbDomainName',
    [AV.DNS_COMPUTER_NAME]: 'dnsComputerName',
    [AV.DNS_DOMAIN_NAME]: 'dnsDomainName',
    [AV.DNS_TREE_NAME]: 'dnsTreeName',
  };
  for (const pair of avPairs) {
    const key = names[pair.id];
    if (key) (challenge as unknown as Record<string, string>)[key] = utf16(pair.value, `target info pair ${pair.id}`);
    else if (pair.id === AV.TIMESTAMP) {
      if (pair.value.length !== 8) throw new NtlmError(`MsvAvTimestamp has length ${pair.value.length}, not 8`);
      challenge.timestamp = Buffer.from(pair.value);
    }
  }
  if ((flags & NTLM_FLAGS.VERSION) !== 0 && msg.length >= 56) {
    challenge.version = { major: msg[48]!, minor: msg[49]!, build: msg.readUInt16LE(50), revision: msg[55]! };
  }
  return challenge;
}

// ───────────────────────────── NTLMv2 ─────────────────────────────

function hmacMd5(key: Uint8Array, ...data: Uint8Array[]): Buffer {
  const h = createHmac('md5', key);
  for (const d of data) h.update(d);
  return h.digest();
}

/** Upper case one UTF-16 unit at a time, as Windows does (no ß → SS expansion). */
function upcase(s: string): string {
  let out = '';
  for (const ch of s) {
    const u = ch.toUpperCase();
    out += u.length === ch.length ? u : ch;
  }
  return out;
}

/** NTOWFv1: MD4 of the UTF-16LE password (the NT hash). */
export function ntowfv1(password: string): Buffer {
  return md4(Buffer.from(password, 'utf16le'));
}

/** NTOWFv2 = HMAC-MD5(NT hash, UTF-16LE(upper(user) + domain)); the domain keeps its case. */
export function ntowfv2(password: string, user: string, domain: string): Buffer {
  return hmacMd5(ntowfv1(password), Buffer.from(upcase(user) + domain, 'utf16le'));
}

/** FILETIME (100 ns since 1601-01-01) as 8 little-endian bytes. */
export function fileTime(date: Date | number): Buffer {
  const ms = typeof date === 'number' ? date : date.getTime();
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(Math.round(ms)) * 10_000n + 116_444_736_000_000_000n);
  return b;
}

export function fileTimeToIso(ft: Buffer): string | undefined {
  const ms = Number(ft.readBigUInt64LE(0) / 10_000n - 11_644_473_600_000n);
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export interface Ntlmv2Response {
  ntProofStr: Buffer;
  /** NTProofStr + blob: the NtChallengeResponse field. */
  ntChallengeResponse: Buffer;
  /** LMv2, or 24 zero bytes when the server sent MsvAvTimestamp (MS-NLMP §3.1.5.1.2). */
  lmChallengeResponse: Buffer;
  sessionBaseKey: Buffer;
}

/**
 * ComputeResponse for NTLMv2 (MS-NLMP §3.3.2): the blob is 0x0101, zeros, the time, the client
 * challenge, zeros, the server's TargetInfo as sent, zeros.
 */
export function ntlmv2Response(input: {
  responseKey: Buffer;
  serverChallenge: Buffer;
  clientChallenge: Buffer;
  /** 8-byte FILETIME. */
  time: Buffer;
  targetInfo: Buffer;
  /** The server sent MsvAvTimestamp: LMv2 is replaced by zeros. */
  zeroLm: boolean;
}): Ntlmv2Response {
  const { responseKey, serverChallenge, clientChallenge, time, targetInfo } = input;
  if (clientChallenge.length !== 8) throw new NtlmError('client challenge must be 8 bytes');
  if (time.length !== 8) throw new NtlmError('time must be an 8-byte FILETIME');
  const blob = Buffer.concat([Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]), time, clientChallenge, Buffer.alloc(4), targetInfo, Buffer.alloc(4)]);
  const ntProofStr = hmacMd5(responseKey, serverChallenge, blob);
  return {
    ntProofStr,
    ntChallengeResponse: Buffer.concat([ntProofStr, blob]),
    lmChallengeResponse: input.zeroLm ? Buffer.alloc(24) : Buffer.concat([hmacMd5(responseKey, serverChallenge, clientChallenge), clientChallenge]),
    sessionBaseKey: hmacMd5(responseKey, ntProofStr),
  };
}

// ───────────────────────────── user names ─────────────────────────────

export interface NtlmIdentity {
  user: string;
  domain: string;
}

/**
 * `DOMAIN\user` → that domain and user; `user@domain` (UPN) → empty domain, the whole UPN as user
 * (the domain controller resolves it); a plain name → the domain the challenge names (TargetName
 * when it is a domain, else MsvAvNbDomainName), as Windows fills in for a bare user name.
 */
export function ntlmIdentity(username: string, challenge?: NtlmChallenge): NtlmIdentity {
  const slash = username.indexOf('\\');
  if (slash !== -1) return { domain: username.slice(0, slash), user: username.slice(slash + 1) };
  if (username.includes('@')) return { domain: '', user: username };
  const domain = challenge
    ? (challenge.flags & NTLM_FLAGS.TARGET_TYPE_DOMAIN) !== 0 && challenge.targetName ? challenge.targetName : challenge.nbDomainName ?? ''
    : '';
  return { domain, user: username };
}

// ───────────────────────────── Type 3 ─────────────────────────────

export interface AuthenticateInput {
  challenge: NtlmChallenge;
  /** `DOMAIN\user`, UPN or plain (see ntlmIdentity). */
  username: string;
  password: string;
  workstation?: string;
  /** 8 bytes; random when absent. */
  clientChallenge?: Buffer;
  /** Used when the server sent no MsvAvTimestamp; now when absent. */
  time?: Date | number;
}

export interface AuthenticateResult extends Ntlmv2Response {
  message: Buffer;
  identity: NtlmIdentity;
  flags: number;
}

/** AUTHENTICATE_MESSAGE with an NTLMv2 response; no version, no MIC, no session key exchange. */
export function authenticateMessage(input: AuthenticateInput): AuthenticateResult {
  const { challenge } = input;
  const identity = ntlmIdentity(input.username, challenge);
  const unicode = (challenge.flags & NTLM_FLAGS.UNICODE) !== 0;
  // What both sides agreed on, minus what needs a session key this client does not exchange.
  const flags = (((challenge.flags & CLIENT_FLAGS) | NTLM_FLAGS.NTLM | (unicode ? 0 : NTLM_FLAGS.OEM)) & ~(NTLM_FLAGS.KEY_EXCH | NTLM_FLAGS.SIGN | NTLM_FLAGS.SEAL | NTLM_FLAGS.VERSION)) >>> 0;
  const text = (s: string) => Buffer.from(s, unicode ? 'utf16le' : 'latin1');
  const timestamp = challenge.timestamp;
  const response = ntlmv2Response({
    responseKey: ntowfv2(input.password, identity.user, identity.domain),
    serverChallenge: challenge.serverChallenge,
    clientChallenge: input.clientChallenge ?? randomBytes(8),
    time: timestamp ?? fileTime(input.time ?? Date.now()),
    targetInfo: challenge.targetInfo,
    zeroLm: timestamp !== undefined,
  });
  const payload: Array<[number, Buffer]> = [
    [28, text(identity.domain)],
    [36, text(identity.user)],
    [44, text(input.workstation ?? '')],
    [12, response.lmChallengeResponse],
    [20, response.ntChallengeResponse],
    [52, Buffer.alloc(0)],
  ];
  const header = Buffer.alloc(64);
  SIGNATURE.copy(header, 0);
  header.writeUInt32LE(3, 8);
  header.writeUInt32LE(flags, 60);
  let offset = header.length;
  for (const [at, data] of payload) {
    if (data.length > 0xffff) throw new NtlmError('a field of the AUTHENTICATE message exceeds 65535 bytes');
    header.writeUInt16LE(data.length, at);
    header.writeUInt16LE(data.length, at + 2);
    header.writeUInt32LE(offset, at + 4);
    offset += data.length;
  }
  return { ...response, message: Buffer.concat([header, ...payload.map(([, d]) => d)]), identity, flags };
}

export interface ParsedAuthenticate {
  flags: number;
  domain: string;
  user: string;
  workstation: string;
  lmChallengeResponse: Buffer;
  ntChallengeResponse: Buffer;
}

/** Reads an AUTHENTICATE_MESSAGE (round trips in tests; the lab has its own server side). */
export function parseAuthenticate(msg: Buffer): ParsedAuthenticate {
  checkHeader(msg, 3, 64);
  const flags = msg.readUInt32LE(60);
  const unicode = (flags & NTLM_FLAGS.UNICODE) !== 0;
  const text = (b: Buffer, what: string) => (unicode ? utf16(b, what) : b.toString('latin1'));
  return {
    flags,
    lmChallengeResponse: Buffer.from(field(msg, 12, 'LmChallengeResponse')),
    ntChallengeResponse: Buffer.from(field(msg, 20, 'NtChallengeResponse')),
    domain: text(field(msg, 28, 'DomainName'), 'DomainName'),
    user: text(field(msg, 36, 'UserName'), 'UserName'),
    workstation: text(field(msg, 44, 'Workstation'), 'Workstation'),
  };
}

// ───────────────────────────── HTTP ─────────────────────────────

/** The NTLM message in a `WWW-Authenticate: NTLM <base64>` value; NtlmError when it is not base64. */
export function decodeToken(token68: string): Buffer {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token68) || token68.length % 4 === 1) throw new NtlmError('the NTLM token is not base64');
  if (token68.length > Math.ceil((MAX_MESSAGE * 4) / 3) + 4) throw new NtlmError(`the NTLM token is too large (${token68.length} characters)`);
  return Buffer.from(token68, 'base64');
}
