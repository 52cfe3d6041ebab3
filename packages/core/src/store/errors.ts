/**
 * Store failures. Callers (CLI, Lambda, site build) match on `code`, never on the message; the
 * message is one line for a person and always names the path, bucket or key involved.
 */
import { DiscotraceError } from '../errors.ts';

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

/** Part of the DiscotraceError family, so a CLI or handler can treat every failure alike. */
export class StoreError extends DiscotraceError {
  // `declare`: narrows the base's field without a class field that would reset it after super().
  declare readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'StoreError';
  }
}

/** True for a StoreError, also across module copies (matches on name and code, not the class). */
export function isStoreError(error: unknown, code?: StoreErrorCode): error is StoreError {
  if (!(error instanceof Error) || error.name !== 'StoreError') return false;
  return code === undefined || (error as StoreError).code === code;
}
