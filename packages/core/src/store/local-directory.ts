/**
 * A BlobStore in a local directory: the embedded default of the CLI and the local pipeline.
 * A key maps to a relative path under the root. Writes go to a temp file beside the target and are
 * renamed over it, so a reader (or a crash) sees the old document or the new one, never half.
 *
 * Reads trust nothing on disk: symbolic links below the root are never followed (the root itself
 * may be one, e.g. .discotrace -> /data), only regular files are read, never more than
 * MAX_DOCUMENT_BYTES. Anything else is a StoreError from get() and a SkippedEntry for list().
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import { lstat, mkdir, open, readdir, readlink, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { StoreError, badDocument, isStoreError, tooLarge } from './errors.ts';
import type { StoreErrorCode } from './errors.ts';
import { assertValidKey, assertValidPrefix, compareKeys, isValidSegment } from './keys.ts';
import { MAX_DOCUMENT_BYTES, readLimit } from './store.ts';
import type { BlobStore, ListOptions, ReadOptions, SkippedEntry } from './store.ts';

// O_NOFOLLOW: the document itself must not be a link (its folders are checked with lstat).
// O_NONBLOCK: opening a FIFO or device returns at once, and fstat refuses it before any read.
// O_NOCTTY: opening a terminal device must never make it ours.
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;
/** Bytes asked for beyond the size fstat reported (to see the end, or that the file grew). */
const READ_CHUNK = 64 * 1024;
const NOT_FOLLOWED = 'is a symbolic link; links inside a store are never followed';

export class LocalDirectoryStore implements BlobStore {
  /** Absolute path of the root directory (created on the first write). */
  readonly root: string;
  readonly location: string;

  constructor(root: string) {
    if (typeof root !== 'string' || root.trim() === '') {
      throw new StoreError('STORE_CONFIG', 'a local trace store needs a directory path');
    }
    this.root = path.resolve(root);
    this.location = `directory ${this.root}`;
  }

  /** The file a key is stored in. */
  pathFor(key: string): string {
    assertValidKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  async put(key: string, body: string): Promise<void> {
    const file = this.pathFor(key);
    // Never write what get() would refuse to read back.
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes > MAX_DOCUMENT_BYTES) throw tooLarge(this.location, key, bytes, 'write');
    // Nor through a linked folder, where it could be written but never read. (The document itself
    // may be a link: rename() replaces the link, it does not write through it.)
    await this.foldersUsable(key.split('/').slice(0, -1), key, 'write', file);
    const dir = path.dirname(file);
    // '~' cannot occur in a key, so a temp file is never mistaken for a document by list().
    const temp = path.join(dir, `${path.basename(file)}~${randomBytes(6).toString('hex')}.tmp`);
    let handle: FileHandle | undefined;
    try {
      await mkdir(dir, { recursive: true });
      handle = await open(temp, 'wx', 0o644);
      await handle.writeFile(body, 'utf8');
      await handle.sync();
      await handle.close();
      handle = undefined;
      await rename(temp, file);
    } catch (error) {
      await handle?.close().catch(() => {});
      await rm(temp, { force: true }).catch(() => {});
      throw fsError('write', file, error);
    }
    await syncDirectory(dir);
  }

  async get(key: string, options: ReadOptions = {}): Promise<string | undefined> {
    const limit = readLimit(options);
    const file = this.pathFor(key);
    const segments = key.split('/');
    if (!(await this.foldersUsable(segments.slice(0, -1), key, 'read', file))) return undefined;
    let handle: FileHandle;
    try {
      handle = await open(file, READ_FLAGS);
    } catch (error) {
      if (isMissing(error)) return undefined;
      // With O_NOFOLLOW, ELOOP is the document being a link itself.
      if (errnoCode(error) === 'ELOOP') throw badDocument(this.location, key, NOT_FOLLOWED, error);
      throw fsError('read', file, error);
    }
    try {
      const stats = await handle.stat();
      // Like S3: a key that is only a prefix of others (a directory here) does not exist.
      if (stats.isDirectory()) return undefined;
      if (!stats.isFile()) throw badDocument(this.location, key, `is ${specialKind(stats)}, not a regular file`);
      if (stats.size > limit) throw tooLarge(this.location, key, stats.size, 'read', limit, options.purpose);
      return await readCapped(handle, stats.size, limit, () => tooLarge(this.location, key, undefined, 'read', limit, options.purpose));
    } catch (error) {
      throw isStoreError(error) ? error : fsError('read', file, error);
    } finally {
      await handle.close().catch(() => {});
    }
  }

  /**
   * Creates the root and writes and removes a file there: a store that cannot take a trace is said
   * before a probe runs (and sends credentials), not after. The same one-line error as a put.
   */
  async checkWritable(): Promise<void> {
    const probe = path.join(this.root, `.write-test-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      const link = await lstat(this.root).catch(() => undefined);
      if (link?.isSymbolicLink() && !(await stat(this.root).catch(() => undefined))) {
        throw new StoreError('STORE_IO', `cannot write ${this.root}: it is a symbolic link to ${await readlink(this.root)}, which does not exist`);
      }
      await mkdir(this.root, { recursive: true });
      const handle = await open(probe, 'wx', 0o644);
      await handle.close();
    } catch (error) {
      throw isStoreError(error) ? error : fsError('write', this.root, error);
    } finally {
      await rm(probe, { force: true }).catch(() => {});
    }
  }

  async list(prefix: string, options: ListOptions = {}): Promise<string[]> {
    assertValidPrefix(prefix);
    // Walk from the deepest directory the prefix names; the rest filters the first level only.
    const cut = prefix.lastIndexOf('/') + 1;
    const dirKey = prefix.slice(0, cut);
    const dir = path.join(this.root, ...dirKey.split('/').filter(Boolean));
    // That directory and those above it are the listing itself: a link among them fails it.
    if (!(await this.foldersUsable(dirKey.split('/').filter(Boolean), undefined, 'list', dir))) return [];
    const keys: string[] = [];
    await this.walk(dirKey, prefix.slice(cut), keys, options.onSkipped, true);
    return keys.sort(compareKeys);
  }

  /**
   * Adds the keys under `dirKey` to `into` and reports what it leaves out; returns how many
   * entries were listed or reported, so that a caller can tell a folder with no documents.
   */
  private async walk(
    dirKey: string,
    namePrefix: string,
    into: string[],
    onSkipped: ((entry: SkippedEntry) => void) | undefined,
    top: boolean,
  ): Promise<number> {
    const dir = path.join(this.root, ...dirKey.split('/').filter(Boolean));
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return 0;
      const failure = fsError('list', dir, error);
      // Below the listed directory, one unreadable folder (one run, say) is that folder's problem.
      if (top || !onSkipped) throw failure;
      onSkipped({ key: dirKey.slice(0, -1), kind: 'unreadable', error: failure });
      return 1;
    }
    let found = 0;
    for (const entry of entries) {
      // Names outside the key alphabet (temp files, foreign files) are not documents of any store.
      if (!entry.name.startsWith(namePrefix) || !isValidSegment(entry.name)) continue;
      const key = dirKey + entry.name;
      found++;
      if (entry.isFile()) {
        into.push(key);
      } else if (entry.isDirectory()) {
        if ((await this.walk(`${key}/`, '', into, onSkipped, false)) === 0) {
          onSkipped?.({ key, kind: 'empty-folder', error: badDocument(this.location, key, 'is a folder with no documents in it') });
        }
      } else if (entry.isSymbolicLink()) {
        onSkipped?.({ key, kind: 'link', error: badDocument(this.location, key, NOT_FOLLOWED) });
      } else {
        onSkipped?.({ key, kind: 'special', error: badDocument(this.location, key, `is ${specialKind(entry)}, not a regular file`) });
      }
    }
    return found;
  }

  /**
   * Whether the folders `segments` (below the root, outermost first) lead somewhere: false when
   * one is missing or not a folder (nothing is stored there, as in S3); a StoreError naming it
   * when one is a link. `forKey` is the document read or written, for the message. A folder
   * swapped for a link after this check is not caught (Node has no openat2/RESOLVE_NO_SYMLINKS):
   * this guards against a tampered store, not against a writer racing the reader.
   */
  private async foldersUsable(segments: string[], forKey: string | undefined, operation: 'read' | 'write' | 'list', target: string): Promise<boolean> {
    let dir = this.root;
    for (let i = 0; i < segments.length; i++) {
      dir = path.join(dir, segments[i] as string);
      let stats: Stats;
      try {
        stats = await lstat(dir);
      } catch (error) {
        if (isMissing(error)) return false;
        throw fsError(operation, target, error);
      }
      if (stats.isSymbolicLink()) {
        const linkKey = segments.slice(0, i + 1).join('/');
        if (operation === 'write') throw new StoreError('STORE_IO', `cannot write ${target}: ${linkKey} ${NOT_FOLLOWED}`);
        throw forKey === undefined
          ? badDocument(this.location, linkKey, NOT_FOLLOWED)
          : badDocument(this.location, forKey, `cannot be read: ${linkKey} ${NOT_FOLLOWED}`);
      }
      if (!stats.isDirectory()) return false;
    }
    return true;
  }
}

/**
 * The text of an open regular file of `size` bytes (per fstat), read in full but never more than
 * `limit`: a file that grows past it while read fails with `grew()`.
 */
async function readCapped(handle: FileHandle, size: number, limit: number, grew: () => StoreError): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    // At most one byte past the limit is ever asked for: that byte is enough to refuse.
    const length = Math.min(Math.max(size - total, READ_CHUNK), limit + 1 - total);
    const buffer = Buffer.allocUnsafe(length);
    const { bytesRead } = await handle.read(buffer, 0, length, null);
    if (bytesRead === 0) break;
    total += bytesRead;
    if (total > limit) throw grew();
    chunks.push(buffer.subarray(0, bytesRead));
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/** What a non-regular, non-directory file is, for messages. */
function specialKind(stats: Stats | Dirent): string {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'an unknown kind of file';
}

const FS_CODES: Record<string, { code: StoreErrorCode; text: string }> = {
  ENOSPC: { code: 'STORE_NO_SPACE', text: 'no space left on device' },
  EDQUOT: { code: 'STORE_NO_SPACE', text: 'disk quota exceeded' },
  EACCES: { code: 'STORE_PERMISSION', text: 'permission denied' },
  EPERM: { code: 'STORE_PERMISSION', text: 'operation not permitted' },
  EROFS: { code: 'STORE_PERMISSION', text: 'read-only file system' },
  ENOTDIR: { code: 'STORE_IO', text: 'a parent of this path is not a directory' },
  EISDIR: { code: 'STORE_IO', text: 'a directory is in the way' },
  ENOTEMPTY: { code: 'STORE_IO', text: 'a directory is in the way' },
  EEXIST: { code: 'STORE_IO', text: 'a file is in the way' },
  EIO: { code: 'STORE_IO', text: 'input/output error' },
};

/** One line naming the operation, the path and the errno: "cannot write /x/y.json: permission denied (EACCES)". */
export function fsError(operation: 'read' | 'write' | 'list', file: string, error: unknown): StoreError {
  const errno = errnoCode(error);
  const known = errno ? FS_CODES[errno] : undefined;
  const text = known?.text ?? (errno ? 'file system error' : error instanceof Error ? error.message : String(error));
  const suffix = errno ? ` (${errno})` : '';
  return new StoreError(known?.code ?? 'STORE_IO', `cannot ${operation} ${file}: ${text}${suffix}`, { cause: error });
}

function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isMissing(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Make the rename itself durable. Best effort: some file systems cannot fsync a directory. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // The document is complete either way; only its durability across a power cut is at stake.
  } finally {
    await handle?.close().catch(() => {});
  }
}
