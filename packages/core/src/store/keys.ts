/**
 * The syntax of a store key (the layout lives in trace-store.ts). Keys are '/'-separated segments
 * of [A-Za-z0-9._@+=-], so the same key is a safe relative path on disk and a plain S3 key: no
 * '..', no absolute paths, no backslashes, nothing a URL or a shell would reinterpret.
 */
import { StoreError } from './errors.ts';

const SEGMENT = /^[A-Za-z0-9._@+=-]+$/;

/** Why a key is invalid, or undefined when it is fine. */
function keyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string') return 'a key must be a string';
  if (key === '') return 'a key must not be empty';
  if (key.includes('\\')) return 'backslashes are not allowed';
  if (key.startsWith('/')) return 'absolute keys are not allowed';
  for (const segment of key.split('/')) {
    if (segment === '') return 'empty segments ("//" or a trailing "/") are not allowed';
    if (segment === '.' || segment === '..') return `"${segment}" segments are not allowed`;
    if (!SEGMENT.test(segment)) return `segment "${segment}" has characters outside [A-Za-z0-9._@+=-]`;
  }
  return undefined;
}

export function isValidKey(key: unknown): key is string {
  return keyProblem(key) === undefined;
}

export function isValidSegment(segment: string): boolean {
  return segment !== '.' && segment !== '..' && SEGMENT.test(segment);
}

export function assertValidKey(key: string): void {
  const problem = keyProblem(key);
  if (problem) throw new StoreError('STORE_BAD_KEY', `invalid store key ${JSON.stringify(key)}: ${problem}`);
}

/**
 * A list prefix is '' (everything), or a key, or a key followed by '/'. It may end in the middle
 * of a segment ("runs/2026"), like an S3 prefix.
 */
export function assertValidPrefix(prefix: string): void {
  if (prefix === '') return;
  const problem = keyProblem(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
  if (problem) throw new StoreError('STORE_BAD_KEY', `invalid store prefix ${JSON.stringify(prefix)}: ${problem}`);
}

/** Ascending key order: code-unit order, which for key characters is S3's (UTF-8 binary) order. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
