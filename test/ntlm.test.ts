/**
 * NTLM sign-in: MD4 (RFC 1320), the NTLMv2 computation against MS-NLMP §4.2.4's published values,
 * the client messages (encode, parse, round trips), hostile CHALLENGE messages, the lab's
 * independent server side, and the whole pipeline against the `ntlm-only` scenario (Windows
 * authentication only) — including a wrong password, a connection closed after the challenge,
 * Negotiate carrying raw NTLM, Basic preferred when offered, and credentials withheld from a host
 * whose certificate fails.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { headerValue, LabError, validateScenario, type LabRequest, type Scenario } from '@discotrace/lab';
import type { PhaseTrace, Step } from '@discotrace/core';
import { md4 } from '../packages/core/src/auth/md4.ts';
import {
  AV, CLIENT_FLAGS, NTLM_FLAGS, NtlmError, authenticateMessage, decodeToken, describeChallenge, fileTime, negotiateMessage,
  ntlmIdentity, ntlmv2Response, ntowfv1, ntowfv2, parseAuthenticate, parseAvPairs, parseChallenge, type NtlmChallenge,
} from '../packages/core/src/probe/ntlm.ts';
import { labMd4, ntlmStep, verifyNtlmv2 } from '../packages/lab/src/ntlm.ts';
import { fabrikamExchange, ntlmOnly, NTLM_ADDRESS, NTLM_PASSWORD, NTLM_USERNAME, type FabrikamOptions } from '../packages/lab/src/scenarios/ntlm-only.ts';
import { runAgainstLab, type LabRun } from './utils/lab-run.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// ───────────────────────────── MS-NLMP §4.2 published values ─────────────────────────────

/** §4.2.4.3 CHALLENGE_MESSAGE (NTLMv2): target "Server", TargetInfo NbDomainName "Domain", NbComputerName "Server". */
const SPEC_CHALLENGE = hex(`4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef
  00000000000000002400240044000000060070170000000f5300650072007600
  6500720002000c0044006f006d00610069006e0001000c005300650072007600
  6500720000000000`);
/** §4.2.4.3 AUTHENTICATE_MESSAGE (user "User", domain "Domain", workstation "COMPUTER", with key exchange). */
const SPEC_AUTHENTICATE = hex(`4e544c4d5353500003000000180018006c00000054005400840000000c000c00
  480000000800080054000000100010005c00000010001000d8000000358288e2
  0501280a0000000f44006f006d00610069006e00550073006500720043004f00
  4d005000550054004500520086c35097ac9cec102554764a57cccc19aaaaaaaa
  aaaaaaaa68cd0ab851e51c96aabc927bebef6a1c010100000000000000000000
  00000000aaaaaaaaaaaaaaaa0000000002000c0044006f006d00610069006e00
  01000c005300650072007600650072000000000000000000c5dad2544fc97990
  94ce1ce90bc9d03e`);
const SPEC_SERVER_CHALLENGE = hex('0123456789abcdef');
const SPEC_CLIENT_CHALLENGE = hex('aaaaaaaaaaaaaaaa');
/** FILETIME 0 = 1601-01-01T00:00:00Z, the spec's Time. */
const SPEC_TIME = Date.UTC(1601, 0, 1);
const SPEC_NT_PROOF = '68cd0ab851e51c96aabc927bebef6a1c';
const SPEC_BLOB = '01010000000000000000000000000000aaaaaaaaaaaaaaaa0000000002000c0044006f006d00610069006e0001000c005300650072007600650072000000000000000000';

describe('MD4 (RFC 1320 §A.5 test suite)', () => {
  const vectors: [string, string][] = [
    ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
    ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
    ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
    ['message digest', 'd9130a8164549fe818874806e1c7014b'],
    ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', '043f8582f241db351ce627e153e7f0e4'],
    ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', 'e33b4ddc9c38f2199c3e7b164fcc0536'],
  ];
  for (const [input, digest] of vectors) {
    it(`MD4("${input.length > 20 ? `${input.slice(0, 20)}…` : input}")`, () => {
      assert.equal(md4(Buffer.from(input, 'latin1')).toString('hex'), digest, 'engine');
      assert.equal(labMd4(Buffer.from(input, 'latin1')).toString('hex'), digest, 'lab');
    });
  }

  it('the engine and the lab (two implementations) agree around every padding boundary', () => {
    for (let n = 0; n <= 200; n++) {
      const input = Buffer.alloc(n, n * 7 + 1);
      assert.equal(md4(input).toString('hex'), labMd4(input).toString('hex'), `length ${n}`);
    }
  });
});

describe('NTLMv2 against MS-NLMP §4.2.4', () => {
  it('NTOWFv1 (§4.2.2.1.2) and NTOWFv2 (§4.2.4.1.1): user upper-cased, domain kept as is', () => {
    assert.equal(ntowfv1('Password').toString('hex'), 'a4f49c406510bdcab6824ee7c30fd852');
    assert.equal(ntowfv2('Password', 'User', 'Domain').toString('hex'), '0c868a403bfd7a93a3001ef22ef02e3f');
    assert.equal(ntowfv2('Password', 'user', 'Domain').toString('hex'), '0c868a403bfd7a93a3001ef22ef02e3f');
    assert.notEqual(ntowfv2('Password', 'User', 'DOMAIN').toString('hex'), '0c868a403bfd7a93a3001ef22ef02e3f');
  });

  it('reads the §4.2.4.3 CHALLENGE: target name, flags, challenge, AV pairs, version; no timestamp', () => {
    const c = parseChallenge(SPEC_CHALLENGE);
    assert.equal(c.targetName, 'Server');
    assert.equal(c.flags >>> 0, 0xe28a8233);
    assert.deepEqual(c.serverChallenge, SPEC_SERVER_CHALLENGE);
    assert.equal(c.nbDomainName, 'Domain');
    assert.equal(c.nbComputerName, 'Server');
    assert.equal(c.timestamp, undefined);
    assert.deepEqual(c.avPairs.map((p) => p.id), [AV.NB_DOMAIN_NAME, AV.NB_COMPUTER_NAME]);
    assert.deepEqual(c.version, { major: 6, minor: 0, build: 6000, revision: 15 });
    assert.equal(c.targetInfo.length, 0x24);
  });

  it('reproduces NTProofStr, the NTLMv2 response, LMv2 and the session base key (§4.2.4.1.3, §4.2.4.2)', () => {
    const c = parseChallenge(SPEC_CHALLENGE);
    const r = ntlmv2Response({ responseKey: ntowfv2('Password', 'User', 'Domain'), serverChallenge: c.serverChallenge, clientChallenge: SPEC_CLIENT_CHALLENGE, time: fileTime(SPEC_TIME), targetInfo: c.targetInfo, zeroLm: false });
    assert.equal(r.ntProofStr.toString('hex'), SPEC_NT_PROOF);
    assert.equal(r.ntChallengeResponse.toString('hex'), SPEC_NT_PROOF + SPEC_BLOB);
    assert.equal(r.lmChallengeResponse.toString('hex'), '86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa');
    assert.equal(r.sessionBaseKey.toString('hex'), '8de40ccadbc14a82f15cb0ad0de95ca3');
  });

  it('the AUTHENTICATE message carries exactly the spec responses for Domain\\User', () => {
    const a = authenticateMessage({ challenge: parseChallenge(SPEC_CHALLENGE), username: 'Domain\\User', password: 'Password', clientChallenge: SPEC_CLIENT_CHALLENGE, time: SPEC_TIME, workstation: 'COMPUTER' });
    const p = parseAuthenticate(a.message);
    const spec = parseAuthenticate(SPEC_AUTHENTICATE);
    assert.deepEqual([p.domain, p.user, p.workstation], ['Domain', 'User', 'COMPUTER']);
    assert.deepEqual([spec.domain, spec.user, spec.workstation], ['Domain', 'User', 'COMPUTER']);
    assert.deepEqual(p.ntChallengeResponse, spec.ntChallengeResponse);
    assert.deepEqual(p.lmChallengeResponse, spec.lmChallengeResponse);
    // No key exchange, no signing or sealing, no version: those need a session this client never uses.
    assert.equal(p.flags & (NTLM_FLAGS.KEY_EXCH | NTLM_FLAGS.SIGN | NTLM_FLAGS.SEAL | NTLM_FLAGS.VERSION), 0);
    assert.ok(p.flags & NTLM_FLAGS.UNICODE && p.flags & NTLM_FLAGS.NTLM && p.flags & NTLM_FLAGS.EXTENDED_SESSIONSECURITY);
  });
});

// ───────────────────────────── messages ─────────────────────────────

/** A Windows-like challenge with MsvAvTimestamp, built field by field. */
function challengeWith(opts: { flags?: number; targetName?: string; pairs?: Array<[number, Buffer]>; unicode?: boolean } = {}): Buffer {
  const unicode = opts.unicode ?? true;
  const flags = (opts.flags ?? ((unicode ? NTLM_FLAGS.UNICODE : NTLM_FLAGS.OEM) | NTLM_FLAGS.NTLM | NTLM_FLAGS.TARGET_TYPE_DOMAIN | NTLM_FLAGS.TARGET_INFO | NTLM_FLAGS.EXTENDED_SESSIONSECURITY)) >>> 0;
  const name = Buffer.from(opts.targetName ?? 'FABRIKAM', unicode ? 'utf16le' : 'latin1');
  const pairs = opts.pairs ?? [
    [AV.NB_DOMAIN_NAME, Buffer.from('FABRIKAM', 'utf16le')],
    [AV.NB_COMPUTER_NAME, Buffer.from('EX01', 'utf16le')],
    [AV.DNS_DOMAIN_NAME, Buffer.from('fabrikam.com', 'utf16le')],
    [AV.DNS_COMPUTER_NAME, Buffer.from('ex01.fabrikam.com', 'utf16le')],
    [AV.TIMESTAMP, fileTime(Date.UTC(2026, 11, 3, 12))],
  ];
  const info = Buffer.concat([...pairs.map(([id, v]) => { const h = Buffer.alloc(4); h.writeUInt16LE(id, 0); h.writeUInt16LE(v.length, 2); return Buffer.concat([h, v]); }), Buffer.alloc(4)]);
  const head = Buffer.alloc(48);
  head.write('NTLMSSP\0', 0, 'latin1');
  head.writeUInt32LE(2, 8);
  head.writeUInt16LE(name.length, 12);
  head.writeUInt16LE(name.length, 14);
  head.writeUInt32LE(48, 16);
  head.writeUInt32LE(flags, 20);
  hex('1122334455667788').copy(head, 24);
  head.writeUInt16LE(info.length, 40);
  head.writeUInt16LE(info.length, 42);
  head.writeUInt32LE(48 + name.length, 44);
  return Buffer.concat([head, name, info]);
}

describe('NTLM messages', () => {
  it('NEGOTIATE: 32 bytes, type 1, Unicode + NTLM + extended session security + always sign + target info + 128-bit', () => {
    const m = negotiateMessage();
    assert.equal(m.length, 32);
    assert.equal(m.toString('latin1', 0, 8), 'NTLMSSP\0');
    assert.equal(m.readUInt32LE(8), 1);
    const flags = m.readUInt32LE(12);
    assert.equal(flags, CLIENT_FLAGS);
    for (const f of ['UNICODE', 'NTLM', 'EXTENDED_SESSIONSECURITY', 'ALWAYS_SIGN', 'REQUEST_TARGET', 'TARGET_INFO', 'NEGOTIATE_128'] as const) {
      assert.ok(flags & NTLM_FLAGS[f], f);
    }
    assert.equal(flags & (NTLM_FLAGS.KEY_EXCH | NTLM_FLAGS.SEAL | NTLM_FLAGS.SIGN), 0);
  });

  it('CHALLENGE with MsvAvTimestamp: the blob carries the server time (not the local clock) and LMv2 is zeroed', () => {
    const c = parseChallenge(challengeWith());
    assert.deepEqual(describeChallenge(c), {
      targetName: 'FABRIKAM', flags: `0x${c.flags.toString(16).padStart(8, '0')}`, nbDomainName: 'FABRIKAM', nbComputerName: 'EX01',
      dnsDomainName: 'fabrikam.com', dnsComputerName: 'ex01.fabrikam.com', timestamp: '2026-12-03T12:00:00.000Z',
    });
    const a = authenticateMessage({ challenge: c, username: 'FABRIKAM\\carol', password: 'pw', clientChallenge: Buffer.alloc(8, 1), time: 0 });
    const p = parseAuthenticate(a.message);
    assert.deepEqual(p.lmChallengeResponse, Buffer.alloc(24));
    assert.deepEqual(p.ntChallengeResponse.subarray(24, 32), c.timestamp, 'the blob time is MsvAvTimestamp');
    assert.deepEqual(p.ntChallengeResponse.subarray(32, 40), Buffer.alloc(8, 1), 'then the client challenge');
    assert.deepEqual(p.ntChallengeResponse.subarray(44, 44 + c.targetInfo.length), c.targetInfo, 'then the TargetInfo as sent');
    // Deterministic given the client challenge; a fresh random one otherwise.
    assert.deepEqual(authenticateMessage({ challenge: c, username: 'FABRIKAM\\carol', password: 'pw', clientChallenge: Buffer.alloc(8, 1) }).message, a.message);
    assert.notDeepEqual(authenticateMessage({ challenge: c, username: 'FABRIKAM\\carol', password: 'pw' }).ntProofStr, authenticateMessage({ challenge: c, username: 'FABRIKAM\\carol', password: 'pw' }).ntProofStr);
  });

  it('user name forms: DOMAIN\\user, UPN (empty domain, whole UPN as user), plain (the challenge\'s domain)', () => {
    const c = parseChallenge(challengeWith());
    assert.deepEqual(ntlmIdentity('FABRIKAM\\carol', c), { domain: 'FABRIKAM', user: 'carol' });
    assert.deepEqual(ntlmIdentity('carol@fabrikam.com', c), { domain: '', user: 'carol@fabrikam.com' });
    assert.deepEqual(ntlmIdentity('carol', c), { domain: 'FABRIKAM', user: 'carol' });
    assert.deepEqual(ntlmIdentity('carol'), { domain: '', user: 'carol' });
    // Target type server (a stand-alone server): the NetBIOS domain pair names the domain.
    const server = parseChallenge(challengeWith({ flags: NTLM_FLAGS.UNICODE | NTLM_FLAGS.NTLM | NTLM_FLAGS.TARGET_TYPE_SERVER | NTLM_FLAGS.TARGET_INFO, targetName: 'EX01' }));
    assert.deepEqual(ntlmIdentity('carol', server), { domain: 'FABRIKAM', user: 'carol' });
    for (const [name, domain, user] of [['FABRIKAM\\carol', 'FABRIKAM', 'carol'], ['carol@fabrikam.com', '', 'carol@fabrikam.com'], ['carol', 'FABRIKAM', 'carol']]) {
      const p = parseAuthenticate(authenticateMessage({ challenge: c, username: name!, password: 'pw' }).message);
      assert.deepEqual([p.domain, p.user, p.workstation], [domain, user, ''], name);
    }
  });

  it('an OEM (non-Unicode) challenge gets OEM strings back', () => {
    const c = parseChallenge(challengeWith({ unicode: false, targetName: 'FABRIKAM' }));
    assert.equal(c.targetName, 'FABRIKAM');
    const a = authenticateMessage({ challenge: c, username: 'FABRIKAM\\carol', password: 'pw' });
    assert.equal(a.flags & NTLM_FLAGS.UNICODE, 0);
    assert.ok(a.flags & NTLM_FLAGS.OEM);
    const p = parseAuthenticate(a.message);
    assert.deepEqual([p.domain, p.user], ['FABRIKAM', 'carol']);
  });

  it('a 32-byte challenge of an old server (no TargetInfo fields) still gets an answer', () => {
    const old = challengeWith().subarray(0, 32);
    old.writeUInt16LE(0, 12); // no target name
    const c = parseChallenge(old);
    assert.equal(c.targetInfo.length, 0);
    assert.equal(c.targetName, '');
    const p = parseAuthenticate(authenticateMessage({ challenge: c, username: 'carol', password: 'pw', time: 0 }).message);
    assert.equal(p.ntChallengeResponse.length, 16 + 28 + 4);
    assert.notDeepEqual(p.lmChallengeResponse, Buffer.alloc(24), 'LMv2 is sent without a server timestamp');
  });
});

describe('hostile CHALLENGE messages: a clear NtlmError, never a crash', () => {
  const good = challengeWith();
  const patch = (f: (b: Buffer) => void): Buffer => {
    const b = Buffer.from(good);
    f(b);
    return b;
  };
  const cases: Array<[string, Buffer, RegExp]> = [
    ['empty', Buffer.alloc(0), /not an NTLM message/],
    ['a few bytes', Buffer.from('NTLM'), /not an NTLM message/],
    ['wrong signature', patch((b) => b.write('XTLMSSP\0', 0, 'latin1')), /not an NTLM message/],
    ['a NEGOTIATE instead', negotiateMessage(), /expected NTLM message type 2, got 1/],
    ['type 3 number', patch((b) => b.writeUInt32LE(3, 8)), /expected NTLM message type 2, got 3/],
    ['short: 31 bytes', good.subarray(0, 31), /too short: 31 bytes/],
    ['target name beyond the end', patch((b) => b.writeUInt32LE(0xfffffff0, 16)), /TargetName .* lies outside/],
    ['target name of 65535 bytes', patch((b) => b.writeUInt16LE(0xffff, 12)), /TargetName .*length 65535.* lies outside/],
    ['target info offset overflow', patch((b) => b.writeUInt32LE(0xffffffff, 44)), /TargetInfo .* lies outside/],
    ['target info longer than the message', patch((b) => b.writeUInt16LE(0xffff, 40)), /TargetInfo .* lies outside/],
    ['AV pair longer than its field', patch((b) => b.writeUInt16LE(0xfff0, b.readUInt32LE(44) + 2)), /runs past the end/],
    ['odd-length target name', patch((b) => b.writeUInt16LE(3, 12)), /odd length/],
    ['no MsvAvEOL', (() => { const b = challengeWith(); const info = b.readUInt16LE(40); b.writeUInt16LE(info - 4, 40); return b.subarray(0, b.length - 4); })(), /not terminated by MsvAvEOL/],
    ['timestamp of 4 bytes', challengeWith({ pairs: [[AV.TIMESTAMP, Buffer.alloc(4)]] }), /MsvAvTimestamp has length 4/],
    ['odd-length NetBIOS name', challengeWith({ pairs: [[AV.NB_DOMAIN_NAME, Buffer.from('ABC', 'latin1')]] }), /odd length/],
    ['larger than 64 KiB', Buffer.concat([good, Buffer.alloc(70_000)]), /too large/],
  ];
  for (const [what, msg, reason] of cases) {
    it(what, () => {
      assert.throws(() => parseChallenge(msg), (e: unknown) => e instanceof NtlmError && reason.test(e.message));
    });
  }

  it('tokens that are not base64, or absurdly long, are refused before decoding', () => {
    assert.throws(() => decodeToken('not base64!'), NtlmError);
    assert.throws(() => decodeToken('A'), NtlmError);
    assert.throws(() => decodeToken('A'.repeat(200_000)), /too large/);
    assert.deepEqual(decodeToken(good.toString('base64')), good);
  });

  it('5000 random mutations: every one parses or fails with NtlmError (and what parses can be answered)', () => {
    let seed = 0x1234567;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    let parsed = 0;
    for (let i = 0; i < 5000; i++) {
      const b = Buffer.from(good);
      for (let k = 0, n = 1 + rand(6); k < n; k++) b[rand(b.length)] = rand(256);
      const cut = rand(4) === 0 ? b.subarray(0, rand(b.length + 1)) : b;
      let c: NtlmChallenge;
      try {
        c = parseChallenge(cut);
      } catch (e) {
        assert.ok(e instanceof NtlmError, `mutation ${i}: ${(e as Error)?.stack}`);
        continue;
      }
      parsed++;
      authenticateMessage({ challenge: c, username: 'carol', password: 'pw' });
    }
    assert.ok(parsed > 0 && parsed < 5000, `${parsed} parsed`);
  });

  it('AV pairs stop at MsvAvEOL and keep unknown ids', () => {
    const pairs = parseAvPairs(hex('ff00020041420000000009000200ffff'));
    assert.deepEqual(pairs.map((p) => [p.id, p.value.toString('hex')]), [[0xff, '4142']]);
  });
});

// ───────────────────────────── the lab's server side ─────────────────────────────

describe('lab NTLM server (independent implementation)', () => {
  const config = { users: [{ domain: 'FABRIKAM', username: 'carol', password: NTLM_PASSWORD }], netbiosDomain: 'FABRIKAM', dnsDomain: 'fabrikam.com' };
  const host = 'autodiscover.fabrikam.com';
  const type1 = `NTLM ${negotiateMessage().toString('base64')}`;
  const challengeOn = (connection: object) => {
    const out = ntlmStep(config, host, connection, type1);
    assert.equal(out?.kind, 'challenge');
    const [scheme, token] = (out as { header: string }).header.split(' ');
    assert.equal(scheme, 'NTLM');
    return parseChallenge(decodeToken(token!));
  };
  const answer = (c: NtlmChallenge, username: string, password: string) => `NTLM ${authenticateMessage({ challenge: c, username, password }).message.toString('base64')}`;

  it('verifies the spec\'s own AUTHENTICATE response (§4.2.4.3) with "Password", and nothing else', () => {
    const nt = parseAuthenticate(SPEC_AUTHENTICATE).ntChallengeResponse;
    assert.equal(verifyNtlmv2('Password', 'User', 'Domain', SPEC_SERVER_CHALLENGE, nt), true);
    assert.equal(verifyNtlmv2('password', 'User', 'Domain', SPEC_SERVER_CHALLENGE, nt), false);
    assert.equal(verifyNtlmv2('Password', 'User', 'DOMAIN', SPEC_SERVER_CHALLENGE, nt), false, 'the domain is part of the key, as sent');
    assert.equal(verifyNtlmv2('Password', 'User', 'Domain', hex('0123456789abcdee'), nt), false);
    assert.equal(verifyNtlmv2('Password', 'User', 'Domain', SPEC_SERVER_CHALLENGE, nt.subarray(0, 24)), false, 'NTLMv1-sized responses are refused');
  });

  it('its challenge carries the names and a timestamp; the right password in every user name form is accepted', () => {
    for (const username of ['FABRIKAM\\carol', 'carol@fabrikam.com', 'carol', 'fabrikam.com\\CAROL']) {
      const conn = {};
      const c = challengeOn(conn);
      assert.equal(c.targetName, 'FABRIKAM');
      assert.equal(c.dnsDomainName, 'fabrikam.com');
      assert.ok(c.timestamp && Math.abs(Date.parse(describeChallenge(c).timestamp as string) - Date.now()) < 60_000);
      assert.deepEqual(ntlmStep(config, host, conn, answer(c, username, NTLM_PASSWORD))?.kind, 'ok', username);
    }
  });

  it('refuses a wrong password, an unknown user or domain, another connection, and a replay', () => {
    const conn = {};
    assert.equal(ntlmStep(config, host, conn, answer(challengeOn(conn), 'FABRIKAM\\carol', 'wrong'))?.kind, 'rejected');
    assert.equal(ntlmStep(config, host, conn, answer(challengeOn(conn), 'FABRIKAM\\dave', NTLM_PASSWORD))?.kind, 'rejected');
    assert.equal(ntlmStep(config, host, conn, answer(challengeOn(conn), 'CONTOSO\\carol', NTLM_PASSWORD))?.kind, 'rejected');
    const other = {};
    const c = challengeOn(conn);
    const good = answer(c, 'FABRIKAM\\carol', NTLM_PASSWORD);
    assert.deepEqual(ntlmStep(config, host, other, good), { kind: 'rejected', reason: 'no challenge was issued on this connection' });
    assert.equal(ntlmStep(config, host, conn, good)?.kind, 'ok');
    assert.equal(ntlmStep(config, host, conn, good)?.kind, 'rejected', 'a challenge is answered once');
  });

  it('answers Negotiate with raw NTLM tokens in kind; leaves Basic, Bearer and Kerberos tokens alone', () => {
    const out = ntlmStep(config, host, {}, `Negotiate ${negotiateMessage().toString('base64')}`);
    assert.match((out as { header: string }).header, /^Negotiate TlRMTVNTUAAC/);
    assert.equal(ntlmStep(config, host, {}, 'Basic Y2Fyb2w6eA=='), undefined);
    assert.equal(ntlmStep(config, host, {}, 'Negotiate YIIBCwYGKwYBBQUCoIIB'), undefined);
    assert.equal(ntlmStep(config, host, {}, undefined), undefined);
  });
});

describe('lab scenario validation of the ntlm option', () => {
  it('the registered ntlm-only scenario is valid; a broken ntlm option is refused with every problem listed', () => {
    validateScenario(ntlmOnly);
    const bad: Scenario = {
      ...ntlmOnly,
      name: 'bad-ntlm',
      endpoints: [{
        host: 'autodiscover.fabrikam.com', port: 443, tls: { dnsNames: ['autodiscover.fabrikam.com'] },
        behaviour: { kind: 'exchange', challenges: ['Basic realm="x"'], answers: {}, ntlm: { users: [{ username: '', password: 'x' }, { username: 'carol' } as never], computer: '' } },
      }],
    };
    assert.throws(() => validateScenario(bad), (e: unknown) => {
      assert.ok(e instanceof LabError && e.code === 'LAB_SCENARIO_INVALID');
      for (const problem of [/ntlm\.users\[0\] needs a username and a password/, /ntlm\.users\[1\] needs a username and a password/, /ntlm\.computer must be a non-empty string/, /no challenge offers NTLM or Negotiate/]) {
        assert.match(e.message, problem);
      }
      return true;
    });
  });
});

// ───────────────────────────── end to end ─────────────────────────────

function variant(name: string, options: FabrikamOptions): Scenario {
  return { ...ntlmOnly, name, endpoints: ntlmOnly.endpoints.map((e) => (e.host === 'autodiscover.fabrikam.com' && e.port === 443 ? fabrikamExchange(options) : e)) };
}

function autodiscoverSteps(run: LabRun, kind = 'http:post'): Step[] {
  const c = run.phases[0]!.candidates.find((x) => x.source === 'autodiscover-https');
  assert.ok(c);
  return c.steps.filter((s) => s.kind === kind);
}

function exchangeOf(step: Step) {
  return (step.data as { exchange: { requestHeaders: Record<string, string>; auth: string; status?: number; responseHeaders: [string, string][] } }).exchange;
}

const ADS = 'autodiscover.fabrikam.com:443';
const adRequests = (run: LabRun): LabRequest[] => run.lab.requests.filter((r) => r.endpoint === ADS && /autodiscover\.xml$/i.test(r.path));
const authOf = (r: LabRequest) => headerValue(r, 'authorization') ?? '';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

describe('ntlm-only end to end (state machine + lab)', () => {
  let run: LabRun & { close: () => Promise<void> };
  before(async () => {
    run = await runAgainstLab('ntlm-only', NTLM_ADDRESS, { username: NTLM_USERNAME, password: NTLM_PASSWORD });
  });
  after(() => run?.close());

  it('the right password: verdict found, with the on-premises settings', () => {
    const v = run.report.verdict;
    assert.equal(v.status, 'found', v.headline);
    assert.equal(v.cause, undefined);
    assert.equal(v.settings?.ewsUrl, 'https://mail.fabrikam.com/EWS/Exchange.asmx');
    assert.equal(run.phases[0]!.outcome?.kind, 'settings');
  });

  it('steps: anonymous 401 (Negotiate, NTLM), NTLM negotiate → challenge, NTLM authenticate → 200; auth "ntlm", tokens masked', () => {
    const posts = autodiscoverSteps(run);
    assert.deepEqual(posts.map((s) => [exchangeOf(s).auth, exchangeOf(s).status, s.status]), [['none', 401, 'pass'], ['ntlm', 401, 'pass'], ['ntlm', 200, 'pass']]);
    assert.match(posts[1]!.title, /with NTLM: negotiate \(message 1 of 3\)/);
    assert.match(posts[1]!.summary, /^401 NTLM challenge \(message 2 of 3\) for FABRIKAM from ex01\.fabrikam\.com/);
    assert.equal((posts[1]!.data as { ntlm: { dnsDomainName: string } }).ntlm.dnsDomainName, 'fabrikam.com');
    assert.match(posts[2]!.title, /with NTLM credentials: authenticate \(message 3 of 3\)/);
    assert.match(posts[2]!.summary, /^200 text\/xml.*signed in as FABRIKAM\\carol/);
    for (const s of posts.slice(1)) assert.equal(exchangeOf(s).requestHeaders.Authorization, 'NTLM ********');
    // The challenge itself (not secret) stays visible for diagnosis.
    assert.ok(exchangeOf(posts[1]!).responseHeaders.some(([n, v]) => n === 'www-authenticate' && v.startsWith('NTLM TlRMTVNTUAAC')));
    assert.equal(autodiscoverSteps(run, 'autodiscover:response')[0]?.status, 'pass');
  });

  it('one connection carried the whole handshake: the engine counted one connect, the lab saw one connection', () => {
    const posts = autodiscoverSteps(run);
    assert.deepEqual(posts.map((s) => (s.data as { connections: number }).connections), [1, 1, 1]);
    assert.equal((posts[2]!.data as { ntlm: { sameConnection: boolean } }).ntlm.sameConnection, true);
    const seen = adRequests(run);
    assert.deepEqual(seen.map((r) => authOf(r).slice(0, 16)), ['', 'NTLM TlRMTVNTUAA', 'NTLM TlRMTVNTUAA']);
    assert.deepEqual(seen.map((r) => Buffer.from(authOf(r).slice(5) || 'AAAAAAAAAAAAAAAA', 'base64')[8]), [0, 1, 3], 'message types 1 and 3');
    assert.deepEqual(seen.map((r) => r.status), [401, 401, 200]);
    const ids = new Set(seen.map((r) => r.connection));
    assert.equal(ids.size, 1, 'all three requests on one connection');
    assert.equal(run.lab.connections[[...ids][0]!]!.endpoint, ADS);
  });

  it('never sends Basic, never sends credentials without TLS, and the returned URLs answer 401 like IIS', () => {
    assert.ok(run.lab.requests.every((r) => !/^basic /i.test(authOf(r))));
    assert.ok(run.lab.requests.every((r) => r.tls || authOf(r) === ''));
    const returned = run.phases[0]!.candidates.find((c) => c.source === 'returned-url');
    assert.ok(returned && returned.steps.filter((s) => s.kind === 'http:get').every((s) => s.status === 'pass'), JSON.stringify(returned?.steps.map((s) => s.summary)));
  });

  it('neither the password nor any NTLM token the lab received appears in the stored traces or the events', async () => {
    const tokens = run.lab.requests.map(authOf).filter(Boolean).map((a) => a.split(' ')[1]!);
    assert.equal(tokens.length, 2);
    const secrets = [NTLM_PASSWORD, Buffer.from(NTLM_PASSWORD, 'utf16le').toString('base64').replace(/=+$/, ''), ntowfv1(NTLM_PASSWORD).toString('hex'), ...tokens];
    const texts = [JSON.stringify(run.events), JSON.stringify(run.phases), JSON.stringify(run.report)];
    for (const f of await filesUnder(run.storeDir)) texts.push(await readFile(f, 'utf8'));
    assert.ok(texts.length > 3);
    for (const t of texts) for (const s of secrets) assert.ok(!t.includes(s), `a secret (${s.slice(0, 6)}…) leaked`);
  });
});

describe('ntlm-only end to end: other user names, failures, variants', () => {
  for (const [form, username] of [['UPN (the address, the default)', undefined], ['plain name', 'carol']] as const) {
    it(`${form}: found`, async () => {
      const run = await runAgainstLab('ntlm-only', NTLM_ADDRESS, { ...(username ? { username } : {}), password: NTLM_PASSWORD });
      try {
        assert.equal(run.report.verdict.status, 'found', run.report.verdict.headline);
        assert.match(autodiscoverSteps(run)[2]!.summary, username ? /signed in as FABRIKAM\\carol/ : /signed in as carol@fabrikam\.com/);
      } finally {
        await run.close();
      }
    });
  }

  it('wrong password: verdict not-found, cause AUTH_REJECTED naming NTLM and the target name', async () => {
    const run = await runAgainstLab('ntlm-only', NTLM_ADDRESS, { username: NTLM_USERNAME, password: 'Wrong-Passw0rd!' });
    try {
      const v = run.report.verdict;
      assert.equal(v.status, 'not-found');
      assert.equal(v.cause?.code, 'AUTH_REJECTED');
      assert.match(v.cause!.title, /Credentials rejected by autodiscover\.fabrikam\.com \(NTLM as FABRIKAM\\carol, target FABRIKAM/);
      assert.equal(v.cause!.evidence?.targetName, 'FABRIKAM');
      assert.equal(v.cause!.evidence?.sameConnection, true);
      const last = autodiscoverSteps(run).at(-1)!;
      assert.equal(last.status, 'fail');
      assert.equal(exchangeOf(last).auth, 'ntlm');
      // The lab answered the failed AUTHENTICATE with the challenges again, on the same connection.
      assert.deepEqual(exchangeOf(last).responseHeaders.filter(([n]) => n === 'www-authenticate').map(([, v2]) => v2), ['Negotiate', 'NTLM']);
      assert.equal(new Set(adRequests(run).map((r) => r.connection)).size, 1);
    } finally {
      await run.close();
    }
  });

  it('a connection closed after the challenge (load balancer without persistence): refused on the new connection, and said so', async () => {
    const run = await runAgainstLab(variant('ntlm-close-after-challenge', { closeAfterChallenge: true }), NTLM_ADDRESS, { username: NTLM_USERNAME, password: NTLM_PASSWORD });
    try {
      const v = run.report.verdict;
      assert.equal(v.status, 'not-found');
      assert.equal(v.cause?.code, 'NTLM_CONNECTION_NOT_KEPT');
      assert.equal(v.cause!.evidence?.sameConnection, false);
      assert.match(v.cause!.title, /connection was closed after the challenge/);
      assert.match(v.cause!.explanation, /not a wrong password/);
      const seen = adRequests(run);
      assert.equal(seen.length, 3);
      assert.equal(seen[0]!.connection, seen[1]!.connection);
      assert.notEqual(seen[1]!.connection, seen[2]!.connection, 'the AUTHENTICATE went on a new connection');
      assert.deepEqual(autodiscoverSteps(run).map((s) => (s.data as { connections: number }).connections), [1, 1, 2]);
    } finally {
      await run.close();
    }
  });

  it('only Negotiate offered: raw NTLM tokens under Negotiate, as IIS accepts', async () => {
    const run = await runAgainstLab(variant('ntlm-negotiate-only', { challenges: ['Negotiate'] }), NTLM_ADDRESS, { username: NTLM_USERNAME, password: NTLM_PASSWORD });
    try {
      assert.equal(run.report.verdict.status, 'found', run.report.verdict.headline);
      assert.deepEqual(adRequests(run).map((r) => authOf(r).split(' ')[0]), ['', 'Negotiate', 'Negotiate']);
      assert.match(autodiscoverSteps(run)[1]!.title, /with Negotiate \(NTLM\): negotiate/);
      assert.equal(exchangeOf(autodiscoverSteps(run)[2]!).requestHeaders.Authorization, 'Negotiate ********');
    } finally {
      await run.close();
    }
  });

  it('Basic offered too: Basic is used (one self-contained request), no NTLM message is sent', async () => {
    const run = await runAgainstLab(
      variant('ntlm-and-basic', { challenges: ['Negotiate', 'NTLM', 'Basic realm="autodiscover.fabrikam.com"'], basic: [{ username: NTLM_ADDRESS, password: NTLM_PASSWORD }] }),
      NTLM_ADDRESS, { password: NTLM_PASSWORD },
    );
    try {
      assert.equal(run.report.verdict.status, 'found', run.report.verdict.headline);
      assert.deepEqual(autodiscoverSteps(run).map((s) => exchangeOf(s).auth), ['none', 'basic']);
      assert.ok(run.lab.requests.every((r) => !/^(ntlm|negotiate) /i.test(authOf(r))));
    } finally {
      await run.close();
    }
  });

  it('certificate failure: no NTLM message is sent at all (AUTH_WITHHELD_CERT)', async () => {
    const run = await runAgainstLab(
      variant('ntlm-untrusted-cert', { tls: { dnsNames: ['autodiscover.fabrikam.com', 'mail.fabrikam.com'], issuer: 'untrusted-root' } }),
      NTLM_ADDRESS, { username: NTLM_USERNAME, password: NTLM_PASSWORD },
    );
    try {
      assert.equal(run.report.verdict.status, 'not-found');
      const steps = run.phases.flatMap((p: PhaseTrace) => p.candidates.flatMap((c) => c.steps));
      assert.ok(steps.some((s) => s.findings.some((f) => f.code === 'AUTH_WITHHELD_CERT')));
      assert.deepEqual(run.lab.requests.filter((r) => authOf(r) !== '').map((r) => `${r.host} ${authOf(r).slice(0, 10)}`), []);
    } finally {
      await run.close();
    }
  });

  it('no password: the sign-in is skipped (AUTH_NO_CREDENTIALS), nothing NTLM goes out', async () => {
    const run = await runAgainstLab('ntlm-only', NTLM_ADDRESS, undefined);
    try {
      assert.equal(run.report.verdict.status, 'not-found');
      assert.ok(autodiscoverSteps(run).some((s) => s.findings.some((f) => f.code === 'AUTH_NO_CREDENTIALS')));
      assert.deepEqual(run.lab.requests.filter((r) => authOf(r) !== ''), []);
    } finally {
      await run.close();
    }
  });
});
