/**
 * Store failures. Callers (CLI, Lambda, site build) match on `code`, never on the message; the
 * message is one line of printable text for a person and always names the path, bucket or key
 * involved.
 */
import { DiscotraceError } from '../errors.ts';
import { MAX_DOCUMENT_BYTES } from './store.ts';

export type StoreErrorCode =
  /** A key or prefix breaks the key rules: a programming error in the caller. */
  | 'STORE_BAD_KEY'
  /** The store configuration (environment, options) is unusable. */
  | 'STORE_CONFIG'
  /** A stored document is not JSON, or not a document of this trace version. */
  | 'STORE_BAD_DOCUMENT'
  /** Local directory: the disk (or quota) is full. */
  | 'STORE_NO_SPACE'
  /** Local directory: permission denied or read-only file system. */
  | 'STORE_PERMISSION'
  /** S3: the bucket does not exist. */
  | 'STORE_NOT_FOUND_BUCKET'
  /** S3: credentials missing, wrong, or not allowed. */
  | 'STORE_ACCESS_DENIED'
  /** S3: the endpoint could not be reached (refused, DNS, timeout). */
  | 'STORE_UNREACHABLE'
  /** Anything else that went wrong reading or writing. */
  | 'STORE_IO';

// Control characters (C0, DEL, C1), invisible format characters (bidi overrides, zero-width, BOM),
// line and paragraph separators, and lone surrogates: whatever could move a terminal's cursor,
// retitle its window, reorder the text or break the line.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` as one line of printable characters: the others shown as \n, \x1b, \u202e or \u{e0001}. */
export function printableLine(text: string): string {
  return text.replace(UNPRINTABLE, (char) => {
    const point = char.codePointAt(0) as number;
    const hex = point.toString(16);
    return SHORT[char] ?? (point < 0x100 ? `\\x${hex.padStart(2, '0')}` : point < 0x10000 ? `\\u${hex.padStart(4, '0')}` : `\\u{${hex}}`);
  });
}

/** Part of the DiscotraceError family, so a CLI or handler can treat every failure alike. */
export class StoreError extends DiscotraceError {
  // `declare`: narrows the base's field without a class field that would reset it after super().
  declare readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    // Messages quote stored text (a parser's snippet, a key, a path), which may be hostile.
    super(code, printableLine(message), options);
    this.name = 'StoreError';
  }
}

/** STORE_BAD_DOCUMENT in the one form every layer uses: "<key> in <location> <problem>". */
export function badDocument(location: string, key: string, problem: string, cause?: unknown): StoreError {
  return new StoreError('STORE_BAD_DOCUMENT', `${key} in ${location} ${problem}`, { cause });
}

/**
 * A document over the limit (MAX_DOCUMENT_BYTES, or a reader's smaller one): `bytes` is its size,
 * or undefined when it grew while read.
 */
export function tooLarge(location: string, key: string, bytes: number | undefined, operation: 'read' | 'write' = 'read', maxBytes = MAX_DOCUMENT_BYTES, purpose = 'a document'): StoreError {
  const mib = maxBytes / 1024 / 1024;
  const limit = `the ${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB limit for ${purpose}`;
  const size = bytes === undefined ? undefined : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (operation === 'write') return badDocument(location, key, `cannot be written: ${size} is over ${limit}`);
  return badDocument(location, key, size ? `is ${size}, over ${limit}; it is not read` : `grew past ${limit} while it was read; it is not read`);
}

/** True for a StoreError, also across module copies (matches on name and code, not the class). */
export function isStoreError(error: unknown, code?: StoreErrorCode): error is StoreError {
  if (!(error instanceof Error) || error.name !== 'StoreError') return false;
  return code === undefined || (error as StoreError).code === code;
}
