/**
 * Builds the report site from a trace store, in this process (Astro's JS API), so the demo, the
 * `npm run site` script, the tests and the benchmark share one way of doing it. The pages read the
 * store through process.env (src/lib/data.ts): the store chosen here is put there for the build.
 */
import { randomBytes } from 'node:crypto';
import { cp, lstat, mkdir, readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'astro';
import { storeFromConfig } from '@discotrace/core/store/config';
import { fsError, LocalDirectoryStore } from '@discotrace/core/store/local-directory';
import type { StoreEnv } from '@discotrace/core';

export const SITE_DIR = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT_DIR = path.join(SITE_DIR, 'dist');

export interface SiteBuildOptions {
  /** Where the store configuration comes from (DISCOTRACE_STORE, DISCOTRACE_STORE_DIR…); default process.env. */
  env?: StoreEnv;
  /** Base for the default store directory and relative paths; default process.cwd(). */
  cwd?: string;
  /** Where the site goes; default DISCOTRACE_SITE_OUT, else site/dist. */
  outDir?: string;
  /** Only warnings and errors from Astro. */
  quiet?: boolean;
}

export interface SiteBuildResult {
  outDir: string;
  /** The runs page, to open in a browser (works from file:// too). */
  index: string;
  store: string;
  runs: number;
  pages: number;
  ms: number;
}

const STORE_VARIABLES = ['DISCOTRACE_STORE', 'DISCOTRACE_STORE_DIR', 'DISCOTRACE_S3_ENDPOINT', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];

export async function buildSite(options: SiteBuildOptions = {}): Promise<SiteBuildResult> {
  const started = performance.now();
  const env = options.env ?? process.env;
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const outDir = path.resolve(cwd, options.outDir ?? (env.DISCOTRACE_SITE_OUT || DEFAULT_OUT_DIR));
  // Fails here, with the store's own one-line message, before Astro starts.
  const { store, location } = storeFromConfig(env, { cwd });
  const local = store.blobs instanceof LocalDirectoryStore ? store.blobs.root : undefined;
  if (local) await checkLocalStore(local, outDir);
  await refuseForeignDirectory(outDir);
  await checkWritable(outDir);
  const runs = (await store.listRuns({ onBadDocument: () => {} })).length;

  const saved = new Map(STORE_VARIABLES.map((name) => [name, process.env[name]]));
  const savedRoot = process.env.DISCOTRACE_SITE_ROOT;
  for (const name of STORE_VARIABLES) {
    if (env[name] === undefined) delete process.env[name];
    else process.env[name] = env[name];
  }
  // The pages read exactly the store checked here: a local one by its absolute path (the pages
  // must not resolve or trim the configuration again and land elsewhere).
  if (local) {
    process.env.DISCOTRACE_STORE = pathToFileURL(local).href;
    delete process.env.DISCOTRACE_STORE_DIR;
  }
  process.env.DISCOTRACE_SITE_ROOT = cwd;
  process.env.ASTRO_TELEMETRY_DISABLED ??= '1';
  // Astro stages its prerender bundle in outDir only when outDir lies inside the working directory
  // (else in <cwd>/.astro, shared by every build), and that bundle must resolve the site's
  // node_modules. So: build from the site directory into a private folder inside it, and only a
  // complete build replaces the previous site (a failed or interrupted one leaves it as it was).
  await removeAbandoned(STAGES, /^build-(\d+)-[0-9a-f]{8}$/);
  const stage = path.join(STAGES, `build-${process.pid}-${randomBytes(4).toString('hex')}`);
  const workingDir = process.cwd();
  process.chdir(SITE_DIR);
  try {
    await build({ root: SITE_DIR, outDir: stage, logLevel: options.quiet ? 'warn' : 'info', mode: 'production' });
    await rm(path.join(stage, '.prerender'), { recursive: true, force: true });
    await writeFile(path.join(stage, SITE_MARKER), `${JSON.stringify({ builtBy: 'discotrace', entries: [...(await readdir(stage)), SITE_MARKER].sort() }, null, 2)}\n`);
    await replaceDirectory(stage, outDir);
  } finally {
    process.chdir(workingDir);
    // Best effort: a failed clean-up must not hide why the build failed (the next build retries it).
    await rm(stage, { recursive: true, force: true }).catch(() => {});
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    if (savedRoot === undefined) delete process.env.DISCOTRACE_SITE_ROOT;
    else process.env.DISCOTRACE_SITE_ROOT = savedRoot;
  }
  return { outDir, index: path.join(outDir, 'index.html'), store: location, runs, pages: await countPages(outDir), ms: performance.now() - started };
}

/** The address to open the built site at without a server. */
export function fileUrl(file: string): string {
  return pathToFileURL(file).href;
}

/** Staging folders of builds in progress, one per build (see buildSite). */
const STAGES = path.join(SITE_DIR, '.astro');

/** A store folder that does not exist is a typo, not an empty archive; the site must not overwrite it. */
async function checkLocalStore(root: string, outDir: string): Promise<void> {
  const info = await stat(root).catch(() => undefined);
  if (!info) throw new SiteError(`no trace store at ${root}: run a diagnosis first (npm run demo), or set DISCOTRACE_STORE_DIR / DISCOTRACE_STORE`);
  if (!info.isDirectory()) throw new SiteError(`the trace store ${root} is not a folder`);
  // Real paths: a symlinked alias of either must not slip past the comparison.
  const [store, out] = [await realPath(root), await realPath(outDir)];
  if (within(out, store) || within(store, out)) {
    throw new SiteError(`the site folder ${outDir} and the trace store ${root} overlap: building would replace the traces; choose another folder`);
  }
}

/** Whether `a` is `b` or inside it (for b = '/' too). */
function within(a: string, b: string): boolean {
  const relative = path.relative(b, a);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The real path of `p`, resolving the part that exists (the rest may be created by the build). */
async function realPath(p: string): Promise<string> {
  let existing = p;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(await realpath(existing), ...rest);
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return p;
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}

/** Written into every build: which top-level entries are the site's (see refuseForeignDirectory). */
const SITE_MARKER = '.discotrace-site.json';
/** What builds made before the marker existed. */
const LEGACY_ENTRIES = new Set(['index.html', 'runs-index.js', 'discotrace.css', 'favicon.svg', 'run', 'runs', 'domain', 'group']);

/**
 * The build replaces outDir whole: refuse a file, a mount point (it cannot be swapped), any folder
 * of the site's own sources, and a folder holding anything an earlier build did not make (a
 * gh-pages checkout's .git and CNAME, someone's notes): those would be deleted.
 */
async function refuseForeignDirectory(dir: string): Promise<void> {
  const real = await realPath(dir);
  if (within(real, SITE_DIR) && !within(real, DEFAULT_OUT_DIR)) {
    throw new SiteError(`${dir} is inside the site's sources: choose a folder outside ${SITE_DIR} (or the default, site/dist)`);
  }
  const info = await lstat(dir).catch(() => undefined);
  if (!info) return; // absent: it will be created
  if (!info.isDirectory()) throw new SiteError(`${dir} exists and is not a folder: choose a new or empty folder for the site`);
  const parent = await stat(path.dirname(real)).catch(() => undefined);
  if (parent && parent.dev !== info.dev) {
    throw new SiteError(`${dir} is a mount point, which the build cannot swap for the new site: build into a folder inside it (--out ${path.join(dir, 'site')})`);
  }
  const entries = await readdir(dir);
  if (entries.length === 0) return;
  const made = await siteEntries(dir, entries);
  if (!made) throw new SiteError(`${dir} is not empty and is not a discotrace site: choose an empty or new folder (the build replaces its contents)`);
  const foreign = entries.filter((name) => !made.has(name)).sort();
  if (foreign.length > 0) {
    const named = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? ` and ${foreign.length - 5} more` : '');
    throw new SiteError(`${dir} holds files an earlier build did not make (${named}): the build replaces the whole folder, so choose another one or move them out`);
  }
}

/** The top-level entries an earlier build made there, or undefined when it is no site of ours. */
async function siteEntries(dir: string, entries: string[]): Promise<Set<string> | undefined> {
  if (entries.includes(SITE_MARKER)) {
    try {
      const marker = JSON.parse(await readFile(path.join(dir, SITE_MARKER), 'utf8')) as { builtBy?: unknown; entries?: unknown };
      if (marker.builtBy === 'discotrace' && Array.isArray(marker.entries)) return new Set(marker.entries.filter((e): e is string => typeof e === 'string'));
    } catch {
      // An unreadable marker proves nothing: judged as an unmarked folder below.
    }
  }
  return entries.includes('runs-index.js') && entries.includes('index.html') ? LEGACY_ENTRIES : undefined;
}

/**
 * Before the build: the output's parent (where the new site is staged beside the old one) takes
 * a file, so a read-only or full disk is said now, in a line, not after a long build.
 */
async function checkWritable(outDir: string): Promise<void> {
  const parent = path.dirname(outDir);
  const probe = path.join(parent, `.discotrace-write-test-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(parent, { recursive: true });
    await writeFile(probe, 'discotrace');
  } catch (error) {
    throw new SiteError(`${fsError('write', parent, error).message}: the site cannot be written to ${outDir}`);
  } finally {
    await rm(probe, { force: true }).catch(() => {});
  }
}

/**
 * Puts the finished build at `to`: first beside it (a copy when it lives on another file
 * system), then swapped in by two renames, so `to` holds a whole site, old or new, except for the
 * instant between the renames; never a partial one.
 */
async function replaceDirectory(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true });
  // `<to>.new-<pid>-*` / `<to>.old-<pid>-*` of a build killed while swapping.
  const escaped = path.basename(to).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await removeAbandoned(path.dirname(to), new RegExp(`^${escaped}\\.(?:new|old)-(\\d+)-[0-9a-f]{8}$`));
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const ready = `${to}.new-${suffix}`;
  const old = `${to}.old-${suffix}`;
  let hadOld = false;
  try {
    await rename(from, ready).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EXDEV') throw error;
      await cp(from, ready, { recursive: true }); // another file system (e.g. /tmp)
    });
    hadOld = await rename(to, old).then(() => true, (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    });
    await rename(ready, to);
  } catch (error) {
    if (hadOld) await rename(old, to).catch(() => {});
    await rm(ready, { recursive: true, force: true }).catch(() => {});
    throw new SiteError(`${fsError('write', to, error).message}; the previous site is unchanged`);
  }
  // The new site is in place; an old copy that cannot be removed now goes with the next build.
  if (hadOld) await rm(old, { recursive: true, force: true }).catch(() => {});
}

/**
 * Folders in `dir` that builds name after their process (`pid` is the first capture of `pattern`)
 * and that a killed build left behind: removed once that process is gone.
 */
async function removeAbandoned(dir: string, pattern: RegExp): Promise<void> {
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

/** A problem with what the user asked for (the folder, the store): one line, no stack. */
export class SiteError extends Error {
  override name = 'SiteError';
}

async function countPages(dir: string): Promise<number> {
  let count = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.html')) count++;
  }
  return count;
}
