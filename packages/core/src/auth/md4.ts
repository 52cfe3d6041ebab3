/**
 * MD4 (RFC 1320), for the NT hash of NTLM. Node 24's OpenSSL 3 leaves MD4 in the legacy provider,
 * so `createHash('md4')` throws; this is the whole algorithm, small and only ever fed passwords.
 */

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

// Round functions (RFC 1320 §3.4).
const F = (x: number, y: number, z: number): number => (x & y) | (~x & z);
const G = (x: number, y: number, z: number): number => (x & y) | (x & z) | (y & z);
const H = (x: number, y: number, z: number): number => x ^ y ^ z;

/** Shift amounts and word order of the three rounds. */
const R1_SHIFTS = [3, 7, 11, 19];
const R2_SHIFTS = [3, 5, 9, 13];
const R3_SHIFTS = [3, 9, 11, 15];
const R2_ORDER = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15];
const R3_ORDER = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15];

export function md4(input: Uint8Array): Buffer {
  // Padding: 0x80, zeros to 56 mod 64, then the bit length as a 64-bit little-endian number.
  const length = input.length;
  const padded = Buffer.alloc((((length + 8) >>> 6) + 1) << 6);
  padded.set(input);
  padded[length] = 0x80;
  const bits = BigInt(length) * 8n;
  padded.writeUInt32LE(Number(bits & 0xffffffffn), padded.length - 8);
  padded.writeUInt32LE(Number((bits >> 32n) & 0xffffffffn), padded.length - 4);

  let a = 0x67452301;
  let b = 0xefcdab89;
  let c = 0x98badcfe;
  let d = 0x10325476;
  const x = new Array<number>(16);
  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i++) x[i] = padded.readInt32LE(block + i * 4);
    const [aa, bb, cc, dd] = [a, b, c, d];
    for (let i = 0; i < 16; i++) {
      const s = R1_SHIFTS[i % 4]!;
      const k = i;
      if (i % 4 === 0) a = rotl((a + F(b, c, d) + x[k]!) | 0, s);
      else if (i % 4 === 1) d = rotl((d + F(a, b, c) + x[k]!) | 0, s);
      else if (i % 4 === 2) c = rotl((c + F(d, a, b) + x[k]!) | 0, s);
      else b = rotl((b + F(c, d, a) + x[k]!) | 0, s);
    }
    for (let i = 0; i < 16; i++) {
      const s = R2_SHIFTS[i % 4]!;
      const k = R2_ORDER[i]!;
      const add = 0x5a827999;
      if (i % 4 === 0) a = rotl((a + G(b, c, d) + x[k]! + add) | 0, s);
      else if (i % 4 === 1) d = rotl((d + G(a, b, c) + x[k]! + add) | 0, s);
      else if (i % 4 === 2) c = rotl((c + G(d, a, b) + x[k]! + add) | 0, s);
      else b = rotl((b + G(c, d, a) + x[k]! + add) | 0, s);
    }
    for (let i = 0; i < 16; i++) {
      const s = R3_SHIFTS[i % 4]!;
      const k = R3_ORDER[i]!;
      const add = 0x6ed9eba1;
      if (i % 4 === 0) a = rotl((a + H(b, c, d) + x[k]! + add) | 0, s);
      else if (i % 4 === 1) d = rotl((d + H(a, b, c) + x[k]! + add) | 0, s);
      else if (i % 4 === 2) c = rotl((c + H(d, a, b) + x[k]! + add) | 0, s);
      else b = rotl((b + H(c, d, a) + x[k]! + add) | 0, s);
    }
    a = (a + aa) | 0;
    b = (b + bb) | 0;
    c = (c + cc) | 0;
    d = (d + dd) | 0;
  }
  const out = Buffer.alloc(16);
  out.writeInt32LE(a, 0);
  out.writeInt32LE(b, 4);
  out.writeInt32LE(c, 8);
  out.writeInt32LE(d, 12);
  return out;
}
