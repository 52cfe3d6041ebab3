/**
 * A local store that someone tampered with, or that holds odd things: symbolic links, FIFOs,
 * devices, huge files, folders where documents should be, documents nobody may read. A listing
 * (the site build) reports each such document and lists the rest; a direct read refuses it with a
 * StoreError; nothing is followed out of the store, nothing hangs, nothing fills the memory.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { StoreError } from '../packages/core/src/store/errors.ts';
import { LocalDirectoryStore } from '../packages/core/src/store/local-directory.ts';
import { TraceStore, keyForDomainIndex, keyForPhase, keyForReport, newRunId } from '../packages/core/src/store/trace-store.ts';
import { makePhase, makeReport, rejectsWithStoreError } from './utils/store-contract.ts';

const scratch = await mkdtemp(path.join(tmpdir(), 'discotrace-store-hostile-'));
// The permission tests read the store as an unprivileged user, who must be able to reach it.
await chmod(scratch, 0o755);
after(async () => {
  // chmod 000 folders cannot be removed by their contents otherwise (as a non-root user).
  execFileSync('chmod', ['-R', 'u+rwX', scratch]);
  await rm(scratch, { recursive: true, force: true });
});

let stores = 0;

/** Two complete runs, `good` (contoso.com) and `victim` (fabrikam.com), in a fresh store. */
async function fixture() {
  const base = path.join(scratch, `store-${++stores}`);
  const root = path.join(base, 'traces');
  const store = new TraceStore(new LocalDirectoryStore(root));
  const good = newRunId(new Date(Date.UTC(2026, 11, 3, 17, 1, 12)));
  const victim = newRunId(new Date(Date.UTC(2026, 11, 3, 17, 2, 12)));
  await store.putReport(makeReport(good, '2026-12-03T17:01:12.000Z'));
  await store.putPhase(makePhase(good, 0));
  await store.putReport(makeReport(victim, '2026-12-03T17:02:12.000Z', 'bob@fabrikam.com'));
  await store.putPhase(makePhase(victim, 0));
  /** The file a key is stored in. */
  const file = (key: string) => path.join(root, ...key.split('/'));
  /** Somewhere outside the store (a link target). */
  const outside = path.join(base, 'outside');
  await mkdir(outside, { recursive: true });
  return { base, root, store, good, victim, file, outside };
}

/** listRuns with onBadDocument: the run ids listed and the problems reported. */
async function listTolerant(store: TraceStore, domain?: string): Promise<{ ids: string[]; problems: StoreError[] }> {
  const problems: StoreError[] = [];
  const runs = await store.listRuns({ domain, onBadDocument: (error) => problems.push(error) });
  return { ids: runs.map((run) => run.runId), problems };
}

/** Asserts one reported problem: a one-line StoreError of `code` naming `key` and matching `reason`. */
function assertOneProblem(problems: StoreError[], code: string, key: string, reason: RegExp): void {
  assert.equal(problems.length, 1, `expected one problem, got: ${problems.map((p) => p.message).join(' | ')}`);
  const [problem] = problems as [StoreError];
  assert.equal(problem.name, 'StoreError');
  assert.equal(problem.code, code, problem.message);
  assert.ok(problem.message.includes(key), `"${problem.message}" should name ${key}`);
  assert.match(problem.message, reason);
  assert.doesNotMatch(problem.message, /[\n\r]/);
}

describe('symbolic links inside the store are never followed, and what is skipped is said', () => {
  it('a symlinked report.json: listRuns reports it and lists the others; getReport refuses it', async () => {
    const { store, good, victim, file, outside } = await fixture();
    const key = keyForReport(victim);
    await rename(file(key), path.join(outside, 'report.json'));
    await symlink(path.join(outside, 'report.json'), file(key));

    const { ids, problems } = await listTolerant(store);
    assert.deepEqual(ids, [good]);
    assertOneProblem(problems, 'STORE_BAD_DOCUMENT', key, /symbolic link/);
    await rejectsWithStoreError(() => store.getReport(victim), 'STORE_BAD_DOCUMENT', key);
    // Without onBadDocument the listing fails, as for any other bad document.
    await rejectsWithStoreError(() => store.listRuns(), 'STORE_BAD_DOCUMENT', key);
  });

  it('a symlinked run folder: listRuns reports it; getReport, getPhase and listPhases refuse it', async () => {
    const { store, good, victim, file, outside } = await fixture();
    const folder = file(`runs/${victim}`);
    await rename(folder, path.join(outside, victim));
    await symlink(path.join(outside, victim), folder);

    const { ids, problems } = await listTolerant(store);
    assert.deepEqual(ids, [good]);
    assertOneProblem(problems, 'STORE_BAD_DOCUMENT', `runs/${victim}`, /symbolic link/);
    const error = await rejectsWithStoreError(() => store.getReport(victim), 'STORE_BAD_DOCUMENT', `runs/${victim}`);
    assert.match(error.message, /symbolic link/);
    await rejectsWithStoreError(() => store.getPhase(victim, 0), 'STORE_BAD_DOCUMENT', `runs/${victim}`);
    await rejectsWithStoreError(() => store.listPhases(victim), 'STORE_BAD_DOCUMENT', `runs/${victim}`);
  });

  it('a phase-N.json linked outside the store (think /etc/shadow) is refused, not read', async () => {
    const { store, victim, file, outside } = await fixture();
    const key = keyForPhase(victim, 1);
    // A perfectly valid phase outside the store: were the link followed, it would be returned.
    const secret = path.join(outside, 'shadow');
    await writeFile(secret, JSON.stringify(makePhase(victim, 1)));
    await symlink(secret, file(key));

    const error = await rejectsWithStoreError(() => store.getPhase(victim, 1), 'STORE_BAD_DOCUMENT', key);
    assert.match(error.message, /symbolic link/);
    assert.ok(!error.message.includes(secret), 'the message does not reveal where the link points');
    await rejectsWithStoreError(() => store.listPhases(victim), 'STORE_BAD_DOCUMENT', key);
  });

  it('a phase-N.json linked to /dev/zero is refused at once (no endless read)', { timeout: 10_000 }, async () => {
    const { store, victim, file } = await fixture();
    const key = keyForPhase(victim, 0);
    await rm(file(key));
    await symlink('/dev/zero', file(key));
    const before = process.memoryUsage().rss;
    await rejectsWithStoreError(() => store.getPhase(victim, 0), 'STORE_BAD_DOCUMENT', key);
    assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, 'memory stays flat');
  });

  it('a symlinked domain index entry is reported by listRuns({ domain })', async () => {
    const { store, victim, file, outside } = await fixture();
    const key = keyForDomainIndex('fabrikam.com', '2026-12-03T17:02:12.000Z', victim);
    await rename(file(key), path.join(outside, 'entry.json'));
    await symlink(path.join(outside, 'entry.json'), file(key));
    const { ids, problems } = await listTolerant(store, 'fabrikam.com');
    assert.deepEqual(ids, []);
    assertOneProblem(problems, 'STORE_BAD_DOCUMENT', key, /symbolic link/);
  });

  it('a symlinked runs/ folder fails the listing with a StoreError naming it (nothing is listed through it)', async () => {
    const { store, root, outside } = await fixture();
    await rename(path.join(root, 'runs'), path.join(outside, 'runs'));
    await symlink(path.join(outside, 'runs'), path.join(root, 'runs'));
    const error = await rejectsWithStoreError(() => store.listRuns({ onBadDocument: () => {} }), 'STORE_BAD_DOCUMENT', 'runs');
    assert.match(error.message, /symbolic link/);
  });

  it('nothing is written through a linked folder (it could never be read back)', async () => {
    const { store, victim, file, outside } = await fixture();
    const folder = file(`runs/${victim}`);
    await rename(folder, path.join(outside, victim));
    await symlink(path.join(outside, victim), folder);
    const error = await rejectsWithStoreError(() => store.putPhase(makePhase(victim, 1)), 'STORE_IO', `runs/${victim}`);
    assert.match(error.message, /^cannot write .*phase-1\.json: runs\/\S+ is a symbolic link/);
    await assert.rejects(readFile(path.join(outside, victim, 'phase-1.json')), { code: 'ENOENT' });
  });

  it('the store root itself may be a symlink (.discotrace -> /data)', async () => {
    const { base, root, good, victim } = await fixture();
    const alias = path.join(base, 'alias');
    await symlink(root, alias);
    const store = new TraceStore(new LocalDirectoryStore(alias));
    const { ids, problems } = await listTolerant(store);
    assert.deepEqual(ids, [victim, good]);
    assert.deepEqual(problems, []);
    assert.equal((await store.getPhase(victim, 0))?.runId, victim);
    assert.equal((await store.listPhases(good)).length, 1);
  });
});

describe('only regular files of a bounded size are read', () => {
  it('a FIFO in place of phase-N.json is refused at once instead of hanging the reader', { timeout: 20_000 }, async () => {
    const { store, victim, file } = await fixture();
    const key = keyForPhase(victim, 0);
    await rm(file(key));
    execFileSync('mkfifo', [file(key)]);
    const read = store.getPhase(victim, 0).then(
      () => 'resolved',
      (error: Error) => error,
    );
    const outcome = await Promise.race([read, new Promise((resolve) => setTimeout(resolve, 3000, 'hung'))]);
    if (outcome === 'hung') {
      // Unblock the reader (it waits for a writer), so the failure is reported instead of a hang.
      const writer = await open(file(key), constants.O_WRONLY | constants.O_NONBLOCK);
      await writer.close();
      await read;
      assert.fail('reading a FIFO hung for 3 s');
    }
    await rejectsWithStoreError(() => store.getPhase(victim, 0), 'STORE_BAD_DOCUMENT', key);
    assert.match((outcome as Error).message, /FIFO/);
    await rejectsWithStoreError(() => store.listPhases(victim), 'STORE_BAD_DOCUMENT', key);
  });

  it('a FIFO in place of report.json is reported by listRuns, the other runs are listed', { timeout: 20_000 }, async () => {
    const { store, good, victim, file } = await fixture();
    const key = keyForReport(victim);
    await rm(file(key));
    execFileSync('mkfifo', [file(key)]);
    const { ids, problems } = await listTolerant(store);
    assert.deepEqual(ids, [good]);
    assertOneProblem(problems, 'STORE_BAD_DOCUMENT', key, /FIFO/);
  });

  it('a document over the 32 MiB limit is refused with the limit in the message', async () => {
    const { store, good, victim, file } = await fixture();
    const key = keyForReport(victim);
    // Valid JSON (padded with spaces), so only the size can be the reason.
    const text = JSON.stringify(makeReport(victim, '2026-12-03T17:02:12.000Z', 'bob@fabrikam.com'));
    await writeFile(file(key), text + ' '.repeat(33 * 1024 * 1024));
    const error = await rejectsWithStoreError(() => store.getReport(victim), 'STORE_BAD_DOCUMENT', key);
    assert.match(error.message, /32 MiB/);
    const { ids, problems } = await listTolerant(store);
    assert.deepEqual(ids, [good]);
    assertOneProblem(problems, 'STORE_BAD_DOCUMENT', key, /32 MiB/);
  });

  it('the limit is exact: a 32 MiB document is read and written, one byte more is neither', async () => {
    const { store, victim, file } = await fixture();
    const blobs = store.blobs as LocalDirectoryStore;
    const limit = 32 * 1024 * 1024;
    await blobs.put(keyForPhase(victim, 3), ' '.repeat(limit));
    assert.equal((await blobs.get(keyForPhase(victim, 3)))?.length, limit);
    await writeFile(file(keyForPhase(victim, 4)), ' '.repeat(limit + 1));
    await rejectsWithStoreError(() => blobs.get(keyForPhase(victim, 4)), 'STORE_BAD_DOCUMENT', '32 MiB');
    const error = await rejectsWithStoreError(() => blobs.put(keyForPhase(victim, 5), ' '.repeat(limit + 1)), 'STORE_BAD_DOCUMENT', '32 MiB');
    assert.match(error.message, /cannot be written/);
    await assert.rejects(readFile(file(keyForPhase(victim, 5))), { code: 'ENOENT' });
  });

  it('a folder where report.json should be (empty, or holding a document) is reported', async () => {
    const { store, good, victim, file } = await fixture();
    const key = keyForReport(victim);
    await rm(file(key));
    await mkdir(file(key));
    let listed = await listTolerant(store);
    assert.deepEqual(listed.ids, [good]);
    assertOneProblem(listed.problems, 'STORE_BAD_DOCUMENT', key, /folder/);

    await writeFile(path.join(file(key), 'inner.json'), '{}');
    listed = await listTolerant(store);
    assert.deepEqual(listed.ids, [good]);
    assertOneProblem(listed.problems, 'STORE_BAD_DOCUMENT', key, /folder/);
  });

  it('no false alarms: an unfinished run, an empty run folder and foreign names are not problems', async () => {
    const { store, root, good, victim } = await fixture();
    await store.putPhase(makePhase(newRunId(new Date(Date.UTC(2026, 11, 3, 17, 3, 12))), 0));
    await mkdir(path.join(root, 'runs', newRunId(new Date(Date.UTC(2026, 11, 3, 17, 4, 12)))));
    await writeFile(path.join(root, 'runs', 'notes with spaces.txt'), 'x');
    await writeFile(path.join(root, 'runs', victim, 'report.json~0123456789ab.tmp'), '{"half');
    const { ids, problems } = await listTolerant(store);
    assert.deepEqual(ids, [victim, good]);
    assert.deepEqual(problems.map((p) => p.message), []);
  });
});

describe('documents nobody may read (as an unprivileged user; tests run as root)', () => {
  it('an unreadable report.json is reported as STORE_PERMISSION; the other runs are listed', async (t) => {
    const { root, good, victim, file } = await fixture();
    const key = keyForReport(victim);
    await chmod(file(key), 0o000);
    const result = await listAsUnprivileged(t, root);
    if (!result) return;
    assert.deepEqual(result.ids, [good]);
    assert.equal(result.problems.length, 1, JSON.stringify(result.problems));
    assert.equal(result.problems[0]!.code, 'STORE_PERMISSION');
    assert.ok(result.problems[0]!.message.includes(key), result.problems[0]!.message);
    assert.match(result.problems[0]!.message, /permission denied \(EACCES\)/);
  });

  it('an unreadable run folder is reported as STORE_PERMISSION naming it; the other runs are listed', async (t) => {
    const { root, good, victim } = await fixture();
    await chmod(path.join(root, 'runs', victim), 0o000);
    const result = await listAsUnprivileged(t, root);
    if (!result) return;
    assert.deepEqual(result.ids, [good]);
    assert.equal(result.problems.length, 1, JSON.stringify(result.problems));
    assert.equal(result.problems[0]!.code, 'STORE_PERMISSION');
    assert.ok(result.problems[0]!.message.includes(`runs/${victim}`), result.problems[0]!.message);
  });

  it('a store that cannot be listed at all still fails the listing', async (t) => {
    const { root } = await fixture();
    await chmod(root, 0o000);
    const result = await listAsUnprivileged(t, root);
    if (!result) return;
    assert.equal(result.error?.code, 'STORE_PERMISSION', JSON.stringify(result));
    assert.ok(result.error.message.includes(root), result.error.message);
  });
});

interface ChildListing {
  ids: string[];
  problems: { code: string; message: string }[];
  error?: { name: string; code: string; message: string };
}

/**
 * listRuns({ onBadDocument }) in a child process without privileges (uid/gid 65534 and no
 * supplementary groups when we are root), so that file modes are enforced. Skips the test (and
 * returns undefined) where privileges cannot be dropped.
 */
async function listAsUnprivileged(t: TestContext, root: string): Promise<ChildListing | undefined> {
  const url = (file: string) => new URL(`../packages/core/src/store/${file}`, import.meta.url).href;
  const script = `
    const { LocalDirectoryStore } = await import(${JSON.stringify(url('local-directory.ts'))});
    const { TraceStore } = await import(${JSON.stringify(url('trace-store.ts'))});
    const problems = [];
    try {
      const runs = await new TraceStore(new LocalDirectoryStore(process.argv[1]))
        .listRuns({ onBadDocument: (e) => problems.push({ code: e.code, message: e.message }) });
      console.log(JSON.stringify({ ids: runs.map((run) => run.runId), problems }));
    } catch (e) {
      console.log(JSON.stringify({ ids: [], problems, error: { name: e.name, code: e.code, message: e.message } }));
    }`;
  const asRoot = process.getuid?.() === 0;
  const setpriv = '/usr/bin/setpriv';
  if (asRoot) {
    try {
      execFileSync(setpriv, ['--version'], { stdio: 'ignore' });
    } catch {
      t.skip(`${setpriv} is not available: cannot drop root privileges to test file permissions`);
      return undefined;
    }
  }
  const node = [process.execPath, '--input-type=module', '-e', script, root];
  const [command, ...args] = asRoot ? [setpriv, '--reuid=65534', '--regid=65534', '--clear-groups', ...node] : node;
  const child = spawn(command!, args, { cwd: path.dirname(fileURLToPath(import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (err += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0 && /setpriv: .*(Operation not permitted|setresuid|setgroups)/i.test(err)) {
    t.skip(`cannot drop privileges here: ${err.trim()}`);
    return undefined;
  }
  assert.equal(code, 0, `the unprivileged child failed: ${err}`);
  return JSON.parse(out) as ChildListing;
}

describe('StoreError messages', () => {
  it('are one line of printable text: control characters are shown escaped', () => {
    const error = new StoreError('STORE_IO', 'cannot read /x\n/y: \x1b]0;PWNED\x07 \u009b2J \u2028 \u202e \ud800 é ok');
    assert.equal(error.message, 'cannot read /x\\n/y: \\x1b]0;PWNED\\x07 \\x9b2J \\u2028 \\u202e \\ud800 é ok');
  });

  it('a damaged document starting with terminal escapes, or with a BOM before garbage, gives a printable one-line message', async () => {
    const { store, victim, file } = await fixture();
    const key = keyForReport(victim);
    await writeFile(file(key), '\x1b]0;PWNED\x07\x1b[2J{"version": 1,\n "runId": "x"\n}\n');
    const error = await rejectsWithStoreError(() => store.getReport(victim), 'STORE_BAD_DOCUMENT', key);
    assert.doesNotMatch(error.message, /[\p{Cc}\p{Cf}\u2028\u2029]/u);
    assert.ok(error.message.includes('\\x1b'), error.message);
    await writeFile(file(key), '\uFEFF{\n  "version": 1,\n  oops\n}\n');
    const bom = await rejectsWithStoreError(() => store.getReport(victim), 'STORE_BAD_DOCUMENT', key);
    assert.doesNotMatch(bom.message, /[\p{Cc}\p{Cf}\u2028\u2029]/u);
    assert.equal(await readFile(file(key), 'utf8').then((text) => text.startsWith('\uFEFF')), true);
  });
});

describe('hostile store, round 2: nesting, sizes a reader chooses, half-saved runs', () => {
  it('a version nested 200,000 deep is a bad document, not a stack overflow that ends the listing', async () => {
    const { store, good, victim, file } = await fixture();
    await writeFile(file(keyForReport(victim)), `{"version":${'['.repeat(200_000)}${']'.repeat(200_000)}}`);
    const { ids, problems } = await listTolerant(store);
    assert.deepEqual(ids, [good]);
    assertOneProblem(problems, 'STORE_BAD_DOCUMENT', keyForReport(victim), /has trace version a list/);
    // A phase that claims a run id nested that deep: that phase is the problem, one line.
    await writeFile(file(keyForPhase(good, 0)), `{"version":1,"index":0,"candidates":[],"runId":${'['.repeat(200_000)}${']'.repeat(200_000)}}`);
    assert.match((await rejectsWithStoreError(store.getPhase(good, 0), 'STORE_BAD_DOCUMENT')).message, /phase-0\.json .*holds run a list/);
  });

  it('a reader may ask for a smaller limit: a larger document is refused by its size, the limit and its purpose named', async () => {
    const { store, good, file } = await fixture();
    const phase = JSON.parse(await readFile(file(keyForPhase(good, 0)), 'utf8'));
    phase.padding = 'x'.repeat(3 * 1024 * 1024);
    await writeFile(file(keyForPhase(good, 0)), JSON.stringify(phase));
    assert.match((await rejectsWithStoreError(store.getPhase(good, 0, { maxBytes: 2 * 1024 * 1024, purpose: 'a page' }), 'STORE_BAD_DOCUMENT')).message, /is 3\.0 MiB, over the 2 MiB limit for a page; it is not read/);
    assert.ok(await store.getPhase(good, 0), 'without the smaller limit it is read');
    const problems: StoreError[] = [];
    await store.listRuns({ maxBytes: 100, purpose: 'a tiny reader', onBadDocument: (e) => problems.push(e) });
    assert.equal(problems.length, 2);
    assert.ok(problems.every((p) => p.code === 'STORE_BAD_DOCUMENT' && /limit for a tiny reader; it is not read/.test(p.message)), problems.map((p) => p.message).join('\n'));
  });

  it('a report saved without its domain index entry says both', async () => {
    const { store, root, outside } = await fixture();
    // domains/contoso.com as a link: the entry cannot be written (links are never followed).
    await rm(path.join(root, 'domains', 'contoso.com'), { recursive: true });
    await symlink(outside, path.join(root, 'domains', 'contoso.com'));
    const runId = newRunId(new Date(Date.UTC(2026, 11, 3, 18, 0, 0)));
    const error = await rejectsWithStoreError(store.putReport(makeReport(runId, '2026-12-03T18:00:00.000Z')), 'STORE_IO');
    assert.match(error.message, new RegExp(`^the report runs/${runId}/report\\.json is saved, but the domain index entry is not: `));
    assert.ok(await store.getReport(runId), 'the report itself is there');
  });
});
