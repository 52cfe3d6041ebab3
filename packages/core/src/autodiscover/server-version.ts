/**
 * ServerVersion, the hex word in an EXCH Protocol block. Layout (reference §3.2, derived from
 * samples and checked against them): bits 31–28 = 0x7 (marker), 27–22 major, 21–16 minor,
 * 15 a flag, 14–0 build. 73C18E3A → 15.1.3642, 73D49F70 → 15.20.8048, 72008287 → 8.0.647.
 */

export interface ServerVersion {
  major: number;
  minor: number;
  build: number;
  /** Bit 15; meaning undocumented, kept for the trace. */
  flag: boolean;
  /** "15.1.3642" */
  text: string;
  /** Best-effort product name ("Exchange 2016", "Exchange Online"). */
  product?: string;
}

const MARKER = 0x7;

/** Decode an 8-hex-digit ServerVersion; undefined when it isn't one (wrong length, non-hex, no 0x7 marker). */
export function decodeServerVersion(hex: string): ServerVersion | undefined {
  const h = String(hex).trim();
  if (!/^[0-9a-fA-F]{8}$/.test(h)) return undefined;
  const word = Number.parseInt(h, 16);
  if (word >>> 28 !== MARKER) return undefined;
  const major = (word >>> 22) & 0x3f;
  const minor = (word >>> 16) & 0x3f;
  const build = word & 0x7fff;
  const flag = (word & 0x8000) !== 0;
  const version: ServerVersion = { major, minor, build, flag, text: `${major}.${minor}.${build}` };
  const product = productName(major, minor);
  if (product) version.product = product;
  return version;
}

// Exchange Online builds run 15.20 and up; on-premises 15.x minors are 0/1/2.
function productName(major: number, minor: number): string | undefined {
  if (major === 8) return 'Exchange 2007';
  if (major === 14) return 'Exchange 2010';
  if (major === 15) {
    if (minor >= 20) return 'Exchange Online';
    return ({ 0: 'Exchange 2013', 1: 'Exchange 2016', 2: 'Exchange 2019 or Subscription Edition' } as Record<number, string>)[minor];
  }
  return undefined;
}
