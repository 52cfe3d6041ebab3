/**
 * Builds the report site from a trace store, in this process (Astro's JS API), so the demo, the
 * `npm run site` script, the tests and the benchmark share one way of doing it. The pages read the
 * store through process.env (src/lib/data.ts): the store chosen here is put there for the build.
 */
import { randomBytes } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'astro';
import { storeFromConfig } from '@discotrace/core/store/config';
import { LocalDirectoryStore } from '@discotrace/core/store/local-directory';
import type { StoreEnv } from '@discotrace/core';
import { realPathOfNearest } from '@discotrace/core/store/kernel-paths';
import { checkSiteFolder, checkWritable, removeAbandoned, replaceSite, SiteError, within, writeMarker } from './site-folder.ts';

export { SiteError } from './site-folder.ts';

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
  const outDir = path.resolve(cwd, options.outDir ?? siteOutDir(env));
  // Fails here, with the store's own one-line message, before Astro starts.
  const { store, location } = storeFromConfig(env, { cwd });
  const local = store.blobs instanceof LocalDirectoryStore ? store.blobs.root : undefined;
  if (local) await checkLocalStore(local, outDir);
  await checkSiteFolder(outDir, { siteDir: SITE_DIR, defaultOut: DEFAULT_OUT_DIR });
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
    // Quiet builds (the CLI, the demo, the tests) let Astro print nothing: it logs a failure with
    // its stack before throwing, and the caller says it in one line (DISCOTRACE_DEBUG for the rest).
    await build({ root: SITE_DIR, outDir: stage, logLevel: options.quiet ? (process.env.DISCOTRACE_DEBUG ? 'error' : 'silent') : 'info', mode: 'production' });
    await rm(path.join(stage, '.prerender'), { recursive: true, force: true });
    await writeMarker(stage);
    await replaceSite(stage, outDir);
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

/** Where the site goes without --out: DISCOTRACE_SITE_OUT (blank is unset), else site/dist. */
export function siteOutDir(env: StoreEnv): string {
  return env.DISCOTRACE_SITE_OUT?.trim() || DEFAULT_OUT_DIR;
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
  const [store, out] = [realPathOfNearest(root), realPathOfNearest(outDir)];
  if (within(out, store) || within(store, out)) {
    throw new SiteError(`the site folder ${outDir} and the trace store ${root} overlap: building would replace the traces; choose another folder`);
  }
}

async function countPages(dir: string): Promise<number> {
  let count = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.html')) count++;
  }
  return count;
}
