/**
 * A BlobStore in a local directory: the embedded default of the CLI and the local pipeline.
 * A key maps to a relative path under the root. Writes go to a temp file beside the target and are
 * renamed over it, so a reader (or a crash) sees the old document or the new one, never half.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { StoreError } from './errors.ts';
import type { StoreErrorCode } from './errors.ts';
import { assertValidKey, assertValidPrefix, compareKeys, isValidSegment } from './keys.ts';
import type { BlobStore } from './store.ts';

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

  async get(key: string): Promise<string | undefined> {
    const file = this.pathFor(key);
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      // Like S3: a key that is only a prefix of others (a directory here) does not exist.
      if (isMissing(error) || errnoCode(error) === 'EISDIR') return undefined;
      throw fsError('read', file, error);
    }
  }

  async list(prefix: string): Promise<string[]> {
    assertValidPrefix(prefix);
    // Walk from the deepest directory the prefix names; the rest filters the first level only.
    const cut = prefix.lastIndexOf('/') + 1;
    const dirKey = prefix.slice(0, cut);
    const keys: string[] = [];
    await this.walk(dirKey, prefix.slice(cut), keys);
    return keys.sort(compareKeys);
  }

  private async walk(dirKey: string, namePrefix: string, into: string[]): Promise<void> {
    const dir = path.join(this.root, ...dirKey.split('/').filter(Boolean));
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw fsError('list', dir, error);
    }
    for (const entry of entries) {
      if (!entry.name.startsWith(namePrefix) || !isValidSegment(entry.name)) continue;
      const key = dirKey + entry.name;
      if (entry.isDirectory()) await this.walk(`${key}/`, '', into);
      else if (entry.isFile()) into.push(key);
    }
  }
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
