/**
 * The folder a site is built into. A build replaces it whole, so before it does, and again just
 * before the swap, the folder must hold nothing a build did not make: every build writes a marker
 * listing its files, and anything else in the folder (a gh-pages checkout's .git and CNAME,
 * someone's notes, a file dropped in during the build) stops it. Kernel file systems and mount
 * points are refused (a mount point cannot be swapped), and a full or read-only disk is said in
 * one line, before the build where it can be.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { cp, lstat, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fsError } from '@discotrace/core/store/local-directory';
import { isKernelFilesystem, realPathOfNearest } from '@discotrace/core/store/kernel-paths';

/** A problem with what the user asked for (the folder, the store): one line, no stack. */
export class SiteError extends Error {
  override name = 'SiteError';
}

/** Written into every build: the files it made (see foreignFiles). */
export const SITE_MARKER = '.discotrace-site.json';
/** A marker is a list of paths: a few MB at most, even for a very large site. */
const MARKER_LIMIT = 64 * 1024 * 1024;
/** More entries than this is no site of ours (a home folder given as --out): not walked further. */
const MAX_ENTRIES = 500_000;
/** What builds made before the marker existed: a few files at the top, pages one or two levels down. */
const LEGACY_FILE = /^(index\.html|runs-index\.js|discotrace\.css|favicon\.svg|(run|domain|group)\/[^/]+\.html|runs\/[^/]+\/\d+\.html)$/;

/** Whether `a` is `b` or inside it (for b = '/' too). */
export function within(a: string, b: string): boolean {
  const relative = path.relative(b, a);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Before the build: `dir` may be replaced. Refuses a kernel file system, a folder of the site's
 * own sources, anything but a folder, a mount point or a folder with mounts inside, and a folder
 * holding files a build did not make.
 */
export async function checkSiteFolder(dir: string, sources: { siteDir: string; defaultOut: string }): Promise<void> {
  if (isKernelFilesystem(dir)) throw new SiteError(`${dir} is on a kernel file system (/proc, /sys, /dev): choose a folder on a disk for the site`);
  const real = realPathOfNearest(dir);
  if (within(real, sources.siteDir) && !within(real, sources.defaultOut)) {
    throw new SiteError(`${dir} is inside the site's sources: choose a folder outside ${sources.siteDir} (or the default, site/dist)`);
  }
  const info = await lstat(dir).catch(() => undefined);
  if (!info) return; // absent: it will be created
  if (info.isSymbolicLink()) throw new SiteError(`${dir} is a symbolic link: give the folder it points to (${real}), which the build can replace`);
  if (!info.isDirectory()) throw new SiteError(`${dir} exists and is not a folder: choose a new or empty folder for the site`);
  const mounted = await mountsAt(real, info.dev);
  if (mounted === real) throw new SiteError(`${dir} is a mount point, which the build cannot swap for the new site: build into a folder inside it (--out ${path.join(dir, 'site')})`);
  if (mounted) throw new SiteError(`${dir} has a file system mounted inside it (${mounted}): the build replaces the whole folder, so choose another one`);
  await refuseForeignFiles(dir);
}

/** Says which files in `dir` a build did not make; the folder is refused when there are any. */
async function refuseForeignFiles(dir: string): Promise<void> {
  const foreign = await foreignFiles(dir);
  if (foreign === undefined) throw new SiteError(`${dir} is not empty and is not a discotrace site: choose an empty or new folder (the build replaces its contents)`);
  if (foreign.length > 0) {
    const named = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? ` and ${foreign.length - 5} more` : '');
    throw new SiteError(`${dir} holds files an earlier build did not make (${named}): the build replaces the whole folder, so choose another one or move them out`);
  }
}

/**
 * The files in `dir` (any depth) that no build made, sorted; [] for an empty folder or a clean
 * site; undefined for a folder that is no site at all (nothing is walked then).
 */
async function foreignFiles(dir: string): Promise<string[] | undefined> {
  const top = await readdir(dir);
  if (top.length === 0) return [];
  const marked = await readMarker(dir, top);
  if (!marked && !(top.includes('index.html') && top.includes('runs-index.js'))) return undefined;
  const made = marked ? (file: string) => marked.has(file) : (file: string) => LEGACY_FILE.test(file);
  const foreign: string[] = [];
  let seen = 0;
  // lstat, not stat: a link is a file the build did not make, never a way into another folder.
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(path.join(dir, relative), { withFileTypes: true })) {
      if (++seen > MAX_ENTRIES) throw new SiteError(`${dir} holds more than ${MAX_ENTRIES} entries: that is no site to replace; choose another folder`);
      const file = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(file);
      else if (file !== SITE_MARKER && !made(file)) foreign.push(file);
    }
  };
  await walk('');
  return foreign.sort();
}

/**
 * The files an earlier build listed, or undefined when there is no usable marker. Read like a
 * store document: a regular file only (a FIFO would hang the build), of bounded size, and only
 * paths a build can make (no dot-folders, no way up): a forged list cannot claim a .git.
 */
async function readMarker(dir: string, top: string[]): Promise<Set<string> | undefined> {
  if (!top.includes(SITE_MARKER)) return undefined;
  const file = path.join(dir, SITE_MARKER);
  let text: string;
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW).catch(() => undefined);
  if (!handle) return undefined;
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > MARKER_LIMIT) return undefined;
    text = await handle.readFile('utf8');
  } catch {
    return undefined;
  } finally {
    await handle.close().catch(() => {});
  }
  try {
    const marker = JSON.parse(text) as { builtBy?: unknown; files?: unknown };
    if (marker.builtBy !== 'discotrace' || !Array.isArray(marker.files)) return undefined;
    const files = marker.files.filter((f): f is string => typeof f === 'string' && f.length < 1000 && f.split('/').every((s) => /^[^.\\/\0][^\\/\0]*$/.test(s)));
    return new Set(files);
  } catch {
    return undefined;
  }
}

/** The marker of a finished build in `stage`: every file it made, relative, '/'-separated. */
export async function writeMarker(stage: string): Promise<void> {
  const files: string[] = [];
  for (const entry of await readdir(stage, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) files.push(path.relative(stage, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
  }
  await writeFile(path.join(stage, SITE_MARKER), `${JSON.stringify({ builtBy: 'discotrace', files: files.sort() })}\n`);
}

/**
 * A mount point at `real` or below it: the folder itself when it is one, else the first mount
 * found inside it; undefined when there is none. From /proc/self/mountinfo (bind mounts on the
 * same disk included); without it, a device change from the parent folder is all that can be seen.
 */
async function mountsAt(real: string, dev: number): Promise<string | undefined> {
  const table = await readFile('/proc/self/mountinfo', 'utf8').catch(() => undefined);
  if (table === undefined) {
    const parent = await stat(path.dirname(real)).catch(() => undefined);
    return parent && parent.dev !== dev ? real : undefined;
  }
  // Field 5 is the mount point, with space, tab, newline and backslash written as octal escapes.
  const points = table.split('\n').map((line) => line.split(' ')[4]).filter((p): p is string => Boolean(p)).map((p) => p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
  if (points.includes(real)) return real;
  return points.find((p) => p !== real && within(p, real));
}

/**
 * Before the build: the output's parent (where the new site is staged beside the old one) takes
 * a file, so a read-only or full disk is said now, in a line, not after a long build.
 */
export async function checkWritable(outDir: string): Promise<void> {
  const parent = path.dirname(outDir);
  const probe = path.join(parent, `.discotrace-write-test-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(parent, { recursive: true });
    await writeFile(probe, 'discotrace');
  } catch (error) {
    // A folder that cannot be made on a read-only disk comes back as ENOENT: say what it means.
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `cannot create ${parent} (a read-only file system, or a part of the path that cannot be made)` : fsError('write', parent, error).message;
    throw new SiteError(`${why}: the site cannot be written to ${outDir}`);
  } finally {
    await rm(probe, { force: true }).catch(() => {});
  }
}

/**
 * Puts the finished build at `to`: first beside it (a copy when it lives on another file
 * system), then swapped in by two renames, so `to` holds a whole site, old or new, except for the
 * instant between the renames; never a partial one. Just before, the folder is checked again:
 * a file put there during the build is kept, and the build fails saying so.
 */
export async function replaceSite(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true });
  // `<to>.new-<pid>-*` / `<to>.old-<pid>-*` of a build killed while swapping.
  const escaped = path.basename(to).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await removeAbandoned(path.dirname(to), new RegExp(`^${escaped}\\.(?:new|old)-(\\d+)-[0-9a-f]{8}$`));
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const ready = `${to}.new-${suffix}`;
  const old = `${to}.old-${suffix}`;
  const existed = await lstat(to).then(() => true, () => false);
  let hadOld = false;
  try {
    await rename(from, ready).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EXDEV') throw error;
      await cp(from, ready, { recursive: true }); // another file system (e.g. /tmp)
    });
    if (existed) await refuseForeignFiles(to);
    hadOld = await rename(to, old).then(() => true, (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    });
    await rename(ready, to);
  } catch (error) {
    if (hadOld) await rename(old, to).catch(() => {});
    await rm(ready, { recursive: true, force: true }).catch(() => {});
    if (error instanceof SiteError) throw error;
    throw new SiteError(`${fsError('write', to, error).message}; ${existed ? 'the previous site is unchanged' : 'no site was written'}`);
  }
  // The new site is in place; an old copy that cannot be removed now goes with the next build.
  if (hadOld) await rm(old, { recursive: true, force: true }).catch(() => {});
}

/**
 * Folders in `dir` that builds name after their process (`pid` is the first capture of `pattern`)
 * and that a killed build left behind: removed once that process is gone.
 */
export async function removeAbandoned(dir: string, pattern: RegExp): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (pid && !processAlive(pid)) await rm(path.join(dir, name), { recursive: true, force: true }).catch(() => {});
  }
}

/** Whether a process id is running (a build of another process may still be using its folders). */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
