import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DiscotraceError } from '../packages/core/src/errors.ts';
import { StoreError, isStoreError } from '../packages/core/src/store/errors.ts';
import { LocalDirectoryStore, fsError } from '../packages/core/src/store/local-directory.ts';
import { TraceStore, isRunId, newRunId } from '../packages/core/src/store/trace-store.ts';
import { makePhase, makeReport, rejectsWithStoreError, storeContract } from './utils/store-contract.ts';

const scratch = await mkdtemp(path.join(tmpdir(), 'discotrace-store-local-'));
after(() => rm(scratch, { recursive: true, force: true }));

let stores = 0;
/** A store rooted at a directory that does not exist yet (it is created on the first write). */
function freshRoot(): string {
  return path.join(scratch, `store-${++stores}`, 'traces');
}

/** Every file under `dir`, relative, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

storeContract('LocalDirectoryStore', async () => new LocalDirectoryStore(freshRoot()));

describe('LocalDirectoryStore on disk', () => {
  it('creates its root on demand and stores a key at the matching relative path', async () => {
    const root = freshRoot();
    const blobs = new LocalDirectoryStore(root);
    assert.equal(blobs.location, `directory ${root}`);
    await assert.rejects(stat(root), { code: 'ENOENT' });
    const runId = newRunId();
    await new TraceStore(blobs).putReport(makeReport(runId, '2026-12-03T17:05:12.000Z'));
    assert.deepEqual(await filesUnder(root), [
      path.join('domains', 'contoso.com', `20261203T170512.000Z-${runId}.json`),
      path.join('runs', runId, 'report.json'),
    ]);
    const onDisk = JSON.parse(await readFile(path.join(root, 'runs', runId, 'report.json'), 'utf8'));
    assert.equal(onDisk.runId, runId);
  });

  it('writes through a temp file in the same directory, renamed over the target, none left behind', async () => {
    const root = freshRoot();
    const blobs = new LocalDirectoryStore(root);
    await blobs.put('runs/r/report.json', '{"n":0}');
    const dir = path.join(root, 'runs', 'r');
    const seen: string[] = [];
    const watcher = watch(dir, (_event, name) => {
      if (name) seen.push(name);
    });
    try {
      await blobs.put('runs/r/report.json', '{"n":1}');
      // inotify events arrive asynchronously; wait (briefly) until the rename onto the target is seen.
      for (let i = 0; i < 100 && !seen.includes('report.json'); i++) await new Promise((r) => setTimeout(r, 10));
    } finally {
      watcher.close();
    }
    const temps = seen.filter((name) => name !== 'report.json');
    assert.ok(temps.length > 0, `a temp file should appear beside the target (saw ${seen.join(', ')})`);
    for (const name of temps) assert.match(name, /^report\.json~[0-9a-f]{12}\.tmp$/);
    assert.ok(seen.includes('report.json'), 'the target appears by rename');
    assert.deepEqual(await readdir(dir), ['report.json']);
    assert.equal(await readFile(path.join(dir, 'report.json'), 'utf8'), '{"n":1}');
  });

  it('a reader never sees a partial document while large documents are rewritten', async () => {
    const blobs = new LocalDirectoryStore(freshRoot());
    // 4 MB bodies take several write() calls, so an in-place write would be caught half done.
    const bodies = ['a', 'b'].map((c) => JSON.stringify({ fill: c.repeat(4 * 1024 * 1024) }));
    await blobs.put('runs/big.json', bodies[0]!);
    let writing = true;
    const writer = (async () => {
      try {
        for (let i = 1; i <= 8; i++) await blobs.put('runs/big.json', bodies[i % 2]!);
      } finally {
        writing = false;
      }
    })();
    let reads = 0;
    while (writing) {
      const text = await blobs.get('runs/big.json');
      assert.ok(text === bodies[0] || text === bodies[1], `read ${text?.length} bytes that are neither document`);
      reads++;
    }
    await writer;
    assert.ok(reads > 0);
    assert.deepEqual(await blobs.list(''), ['runs/big.json']);
  });

  it('removes its temp file when the rename fails (a non-empty directory is in the way)', async () => {
    const root = freshRoot();
    const blobs = new LocalDirectoryStore(root);
    await blobs.put('a/b/c.json', '{}');
    await rejectsWithStoreError(blobs.put('a/b', '{}'), 'STORE_IO', path.join(root, 'a', 'b'));
    assert.deepEqual(await readdir(path.join(root, 'a')), ['b'], 'no temp file left in a/');
  });

  // Tests run as root, where chmod 0555 does not stop a write. Two real failures instead:
  // the store's parent is a regular file (ENOTDIR, for any user), and a write into a 0555
  // directory by an unprivileged process (as root: a child process running as "nobody").
  it('a store whose parent is a regular file fails with STORE_IO naming the path, not a stack', async () => {
    const blocker = path.join(scratch, `blocker-${++stores}`);
    await writeFile(blocker, 'not a directory');
    const root = path.join(blocker, 'traces');
    const store = new TraceStore(new LocalDirectoryStore(root));
    const error = await rejectsWithStoreError(
      store.putPhase(makePhase(newRunId(), 0)),
      'STORE_IO',
      root,
    );
    assert.match(error.message, /^cannot write .*: a parent of this path is not a directory \(ENOTDIR\)$/);
    assert.equal((error.cause as { code?: string }).code, 'ENOTDIR', 'the system error is kept as the cause');
  });

  it('a read-only directory fails with STORE_PERMISSION naming the path, and leaves nothing behind', async () => {
    const base = path.join(scratch, `readonly-${++stores}`);
    const root = path.join(base, 'traces');
    await mkdir(path.join(root, 'runs'), { recursive: true });
    await chmod(scratch, 0o755);
    await chmod(base, 0o755);
    await chmod(root, 0o555);
    await chmod(path.join(root, 'runs'), 0o555);
    const result = await putAsUnprivileged(root, 'runs/report.json');
    assert.equal(result.name, 'StoreError');
    assert.equal(result.code, 'STORE_PERMISSION');
    assert.equal(result.message, `cannot write ${path.join(root, 'runs', 'report.json')}: permission denied (EACCES)`);
    assert.deepEqual(await filesUnder(root), []);
  });

  it('maps disk full, quota, read-only and permission errors to stable codes', () => {
    const cases: [string, string, string][] = [
      ['ENOSPC', 'STORE_NO_SPACE', 'no space left on device'],
      ['EDQUOT', 'STORE_NO_SPACE', 'disk quota exceeded'],
      ['EROFS', 'STORE_PERMISSION', 'read-only file system'],
      ['EACCES', 'STORE_PERMISSION', 'permission denied'],
      ['EPERM', 'STORE_PERMISSION', 'operation not permitted'],
      ['EIO', 'STORE_IO', 'input/output error'],
      ['EMFILE', 'STORE_IO', 'file system error'],
    ];
    for (const [errno, code, text] of cases) {
      const cause = Object.assign(new Error(`${errno}: something, open '/x/y.json'`), { code: errno });
      const error = fsError('write', '/x/y.json', cause);
      assert.equal(error.name, 'StoreError');
      assert.equal(error.code, code, errno);
      assert.equal(error.message, `cannot write /x/y.json: ${text} (${errno})`);
      assert.equal(error.cause, cause);
    }
  });

  it('ignores files that are not keys (temp files, names outside the key alphabet)', async () => {
    const root = freshRoot();
    const blobs = new LocalDirectoryStore(root);
    await blobs.put('runs/a.json', '{}');
    await writeFile(path.join(root, 'runs', 'a.json~0123456789ab.tmp'), '{"half');
    await writeFile(path.join(root, 'runs', 'notes with spaces.txt'), '');
    assert.deepEqual(await blobs.list('runs/'), ['runs/a.json']);
  });

  it('validates its root where it enters', () => {
    assert.throws(() => new LocalDirectoryStore(''), { name: 'StoreError', code: 'STORE_CONFIG' });
  });
});

describe('run ids', () => {
  it('newRunId is <UTC second>-<8 base32 chars>, sortable by time, unique', () => {
    const at = new Date('2026-12-03T17:05:12.987Z');
    const id = newRunId(at);
    assert.match(id, /^20261203T170512Z-[A-Z2-7]{8}$/);
    assert.ok(isRunId(id));
    const ids = new Set(Array.from({ length: 2000 }, () => newRunId(at)));
    assert.equal(ids.size, 2000);
    assert.ok(newRunId(new Date('2026-12-03T17:05:13Z')) > [...ids].sort().at(-1)!);
    assert.throws(() => newRunId(new Date('nope')), TypeError);
  });

  it('isRunId accepts only that form', () => {
    for (const bad of ['', 'run-1', '20261203T170512Z', '20261203T170512Z-ABCDEFG1', '20261203T170512Z-abcdefgh', '../x', 42]) {
      assert.equal(isRunId(bad), false, String(bad));
    }
  });
});

/**
 * Runs one put in a child process without privileges (uid/gid 65534 when we are root) and returns
 * the error it got, as { name, code, message }.
 */
async function putAsUnprivileged(root: string, key: string): Promise<{ name: string; code: string; message: string }> {
  const moduleUrl = new URL('../packages/core/src/store/local-directory.ts', import.meta.url).href;
  const script = `
    const { LocalDirectoryStore } = await import(${JSON.stringify(moduleUrl)});
    try {
      await new LocalDirectoryStore(process.argv[1]).put(process.argv[2], '{}');
      console.log(JSON.stringify({ name: 'none', code: 'none', message: 'the write succeeded' }));
    } catch (e) {
      console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message }));
    }`;
  const asRoot = process.getuid?.() === 0;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, root, key], {
    cwd: path.dirname(fileURLToPath(import.meta.url)),
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (err += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, `the unprivileged child failed: ${err}`);
  return JSON.parse(out);
}

describe('StoreError', () => {
  it('is a DiscotraceError with a stable name and code, and keeps its cause', () => {
    const cause = new Error('disk on fire');
    const error = new StoreError('STORE_IO', 'cannot write /x: input/output error (EIO)', { cause });
    assert.ok(error instanceof DiscotraceError);
    assert.equal(error.name, 'StoreError');
    assert.equal(error.code, 'STORE_IO');
    assert.equal(error.cause, cause);
    assert.ok(isStoreError(error, 'STORE_IO'));
    assert.ok(!isStoreError(error, 'STORE_NO_SPACE'));
    assert.ok(!isStoreError(cause));
  });
});
