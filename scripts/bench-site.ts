/**
 * `npm run bench:site [-- --runs N] [--keep] [--profile]`: the report site at scale (issue 4, item 5).
 * Records a few real lab runs as templates, clones them into N runs (default 10,000) with varied
 * domains, regions, dates and region groups, builds the site in a child process, and prints the
 * build's time, peak memory and per-run cost against the target (under 60 s and 1 GiB on 2 cores).
 * Figures only: a missed target is printed, not failed; a failed build or missing pages exit 1.
 */
import { fork } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, statfs } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { newRunId, storeFromConfig, type PhaseTrace, type RunReport, type TraceStore, type VerdictStatus } from '@discotrace/core';
import { getScenario } from '@discotrace/lab';
import type { LocalRunInput } from '../packages/cli/src/pipeline.ts';
import { runLabScenario } from '../packages/cli/src/lab-run.ts';
import type { SiteBuildFigures } from './bench-site-build.ts';

const TARGET_MS = 60_000;
const TARGET_BYTES = 1024 ** 3;
const REGIONS = ['eu-west-1', 'us-east-1', 'ap-southeast-2'];
const DOMAIN_COUNT = 400;
const DAYS = 90;
/** Share of runs started as a region group (2 or 3 regions at once, like the trigger's ?regions=). */
const GROUPED_SHARE = 0.05;
/** Runs written at once: enough to hide each file's fsync, few enough for the open-file limit. */
const WRITE_CONCURRENCY = 32;

/**
 * The templates: real runs through the local pipeline, chosen for their verdict and size. Weights
 * give roughly 60% found, 30% not-found, 10% incomplete. Timeouts are avoided (slow to record).
 */
interface TemplateSpec {
  scenario: string;
  weight: number;
  /** Crash this task after it ran, as a Lambda killed for memory would (how the pipeline tests get an "incomplete" run). */
  crash?: 'CloudProbe';
}
const TEMPLATE_SPECS: TemplateSpec[] = [
  { scenario: 'seed', weight: 30 }, // hybrid journey: two phases, about 100 KB as stored
  { scenario: 'onprem-only', weight: 15 },
  { scenario: 'bug-21-content-type-text-xml', weight: 15 },
  { scenario: 'dns-servfail', weight: 8 }, // stops early: a small trace
  { scenario: 'cert-expired-leaf', weight: 8 },
  { scenario: 'bug-09-errorcode-600', weight: 7 },
  { scenario: 'bug-23-wrong-password', weight: 7 },
  { scenario: 'seed', weight: 10, crash: 'CloudProbe' },
];

interface Template {
  name: string;
  weight: number;
  status: VerdictStatus;
  domain: string;
  runId: string;
  startedAt: number;
  /** Compact JSON of the report and of each phase: cloned by string replacement, far cheaper than a deep walk. */
  report: string;
  phases: string[];
  bytes: number;
}

interface Options {
  runs: number;
  keep: boolean;
  profile: boolean;
}

class BenchError extends Error {}

function parseArgs(argv: string[]): Options {
  const options: Options = { runs: 10_000, keep: false, profile: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = arg.startsWith('--runs=') ? arg.slice(7) : arg === '--runs' ? argv[++i] : undefined;
    if (value !== undefined) {
      options.runs = Number(value);
      if (!Number.isSafeInteger(options.runs) || options.runs < 1) throw new BenchError(`--runs must be a positive integer, got "${value}"`);
    } else if (arg === '--keep') options.keep = true;
    else if (arg === '--profile') options.profile = true;
    else throw new BenchError(`unknown argument "${arg}" (options: --runs N, --keep, --profile)`);
  }
  return options;
}

/** A small seeded generator (mulberry32): the same mix of domains, dates and templates every time. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 400 valid lower-case DNS names in a few tenant naming styles. */
function domains(): string[] {
  const styles = [
    (i: number) => `tenant${String(i).padStart(4, '0')}.example`,
    (i: number) => `fabrikam-${i}.example`,
    (i: number) => `contoso-eu-${i}.example`,
    (i: number) => `branch${i}.woodgrove.example`,
  ];
  return Array.from({ length: DOMAIN_COUNT }, (_, i) => styles[i % styles.length]!(i + 1));
}

async function recordTemplate(spec: TemplateSpec): Promise<Template> {
  const dir = await mkdtemp(path.join(tmpdir(), 'discotrace-bench-template-'));
  try {
    const { store } = storeFromConfig({ DISCOTRACE_STORE_DIR: dir });
    const wrap: LocalRunInput['wrap'] = spec.crash && {
      [spec.crash]: async (input: unknown, run: (input: unknown) => Promise<unknown>) => {
        await run(input);
        throw new Error('simulated crash: Runtime.OutOfMemory');
      },
    };
    const { report, phases } = await runLabScenario(getScenario(spec.scenario), { store, wrap });
    if (!report.domain) throw new BenchError(`scenario ${spec.scenario}: the report has no domain to rewrite`);
    const texts = phases.map((phase) => JSON.stringify(phase));
    const reportText = JSON.stringify(report);
    return {
      name: spec.crash ? `${spec.scenario} (${spec.crash} crashed)` : spec.scenario,
      weight: spec.weight,
      status: report.verdict.status,
      domain: report.domain,
      runId: report.runId,
      startedAt: Date.parse(report.startedAt),
      report: reportText,
      phases: texts,
      bytes: [reportText, ...texts].reduce((sum, text) => sum + Buffer.byteLength(text), 0),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** One run to generate: which template, and what makes this copy its own. */
interface RunPlan {
  template: Template;
  runId: string;
  domain: string;
  region: string;
  startedAt: Date;
  group?: string;
}

function plan(templates: Template[], count: number): RunPlan[] {
  const rnd = random(4);
  const names = domains();
  const totalWeight = templates.reduce((sum, t) => sum + t.weight, 0);
  const pickTemplate = (): Template => {
    let x = rnd() * totalWeight;
    for (const t of templates) if ((x -= t.weight) < 0) return t;
    return templates[templates.length - 1]!;
  };
  const now = Date.now();
  const plans: RunPlan[] = [];
  while (plans.length < count) {
    // Skewed towards the first domains: a few tenants with long histories, many with a handful.
    const domain = names[Math.floor(rnd() ** 2 * names.length)]!;
    const startedAt = new Date(now - Math.floor(rnd() * DAYS * 86_400_000));
    const template = pickTemplate();
    const size = rnd() < GROUPED_SHARE / 2.5 ? Math.min(count - plans.length, rnd() < 0.5 ? 2 : 3) : 1;
    if (size > 1) {
      // A region group: same address and start, one run per region, one shared group id.
      const group = newRunId(startedAt);
      for (const region of REGIONS.slice(0, size)) plans.push({ template, runId: newRunId(startedAt), domain, region, startedAt, group });
    } else {
      plans.push({ template, runId: newRunId(startedAt), domain, region: REGIONS[Math.floor(rnd() * REGIONS.length)]!, startedAt });
    }
  }
  return plans;
}

const TIMESTAMP = /"(startedAt|finishedAt)":"([^"]+)"/g;

/** The template's JSON with this run's id, domain and times (every timestamp shifted alike, so durations hold). */
function rewrite(text: string, t: Template, p: RunPlan): Record<string, unknown> {
  const shift = p.startedAt.getTime() - t.startedAt;
  const replaced = text
    .replaceAll(t.runId, p.runId)
    .replaceAll(t.domain, p.domain)
    .replace(TIMESTAMP, (_, key: string, time: string) => `"${key}":"${new Date(Date.parse(time) + shift).toISOString()}"`);
  const doc = JSON.parse(replaced) as Record<string, unknown>;
  doc.region = p.region;
  return doc;
}

async function writeRun(store: TraceStore, p: RunPlan): Promise<void> {
  const t = p.template;
  await Promise.all(t.phases.map((text) => store.putPhase(rewrite(text, t, p) as unknown as PhaseTrace)));
  const report = rewrite(t.report, t, p) as unknown as RunReport;
  if (p.group) report.group = p.group;
  // Like the pipeline: the report (and its domain index entry) last.
  await store.putReport(report);
}

async function forEachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Bytes of file contents and bytes of disk blocks under a directory. */
async function diskUsage(dir: string): Promise<{ files: number; bytes: number; onDisk: number }> {
  const usage = { files: 0, bytes: 0, onDisk: 0 };
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  await forEachLimit(entries.filter((e) => e.isFile()), 64, async (entry) => {
    const s = await stat(path.join(entry.parentPath, entry.name));
    usage.files++;
    usage.bytes += s.size;
    usage.onDisk += s.blocks * 512;
  });
  return usage;
}

/** Builds the site in a child process; its figures come back over IPC. */
function buildInChild(storeDir: string, outDir: string, profileDir: string | undefined): Promise<SiteBuildFigures & { wallMs: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = fork(path.join(import.meta.dirname, 'bench-site-build.ts'), [storeDir, outDir], {
      execPath: process.execPath,
      execArgv: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', SST_TELEMETRY_DISABLED: '1' },
    });
    let figures: SiteBuildFigures | undefined;
    child.on('message', (message) => { figures = message as SiteBuildFigures; });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (figures && code === 0) resolve({ ...figures, wallMs: performance.now() - started });
      else reject(new BenchError(`the site build failed (${signal ? `killed by ${signal}` : `exit code ${code}`}; its error is above; --keep keeps the store)`));
    });
  });
}

/** Every generated run has its page, and the build saw exactly the runs generated. */
async function checkPages(outDir: string, plans: RunPlan[], figures: SiteBuildFigures): Promise<{ domainPages: number; groupPages: number }> {
  if (figures.result.runs !== plans.length) throw new BenchError(`the build listed ${figures.result.runs} runs, ${plans.length} were generated`);
  const pagesIn = async (sub: string) => new Set((await readdir(path.join(outDir, sub)).catch(() => [] as string[])).filter((name) => name.endsWith('.html')));
  const runPages = await pagesIn('run');
  const missing = plans.filter((p) => !runPages.has(`${p.runId}.html`));
  if (missing.length > 0) throw new BenchError(`${missing.length} of ${plans.length} runs have no page (e.g. run/${missing[0]!.runId}.html)`);
  return { domainPages: (await pagesIn('domain')).size, groupPages: (await pagesIn('group')).size };
}

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
const size = (bytes: number) => (bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GiB` : mib(bytes));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const scratch = await mkdtemp(path.join(tmpdir(), 'discotrace-bench-site-'));
  const storeDir = path.join(scratch, 'traces');
  const outDir = path.join(scratch, 'site');
  try {
    let t0 = performance.now();
    const templates: Template[] = [];
    for (const spec of TEMPLATE_SPECS) templates.push(await recordTemplate(spec));
    out(`templates: ${templates.length} real lab runs recorded in ${seconds(performance.now() - t0)}`);
    for (const t of templates) out(`  ${t.name.padEnd(40)} ${t.status.padEnd(10)} ${String(t.phases.length)} phase(s), ${(t.bytes / 1024).toFixed(0)} KiB`);

    // The store holds pretty-printed JSON (about 1.5 × compact, in 4 KiB blocks); the built site
    // took about 2.5 × the store at 300 runs. Ask for four times the store, for margin.
    const perRun = templates.reduce((sum, t) => sum + t.weight * Math.max(t.bytes * 1.5, (t.phases.length + 2) * 4096), 0) / templates.reduce((sum, t) => sum + t.weight, 0);
    const needed = 4 * perRun * options.runs;
    const fs = await statfs(scratch);
    const free = fs.bavail * fs.bsize;
    if (free < needed) throw new BenchError(`not enough free space in ${tmpdir()}: ${size(free)} free, about ${size(needed)} needed for ${options.runs} runs (try --runs ${Math.floor(options.runs * free / needed)})`);

    t0 = performance.now();
    const plans = plan(templates, options.runs);
    const { store } = storeFromConfig({ DISCOTRACE_STORE_DIR: storeDir });
    await forEachLimit(plans, WRITE_CONCURRENCY, (p) => writeRun(store, p));
    const generateMs = performance.now() - t0;
    const traces = await diskUsage(storeDir);
    const mix = new Map<VerdictStatus, number>([['found', 0], ['not-found', 0], ['incomplete', 0]]);
    for (const p of plans) mix.set(p.template.status, (mix.get(p.template.status) ?? 0) + 1);
    const groups = new Set(plans.map((p) => p.group).filter((g) => g !== undefined));
    const usedDomains = new Set(plans.map((p) => p.domain));
    out(`generated: ${plans.length} runs in ${seconds(generateMs)} (${[...mix].map(([status, n]) => `${n} ${status}`).join(', ')}; ${usedDomains.size} domains, ${REGIONS.length} regions, ${groups.size} region groups)`);
    out(`  store: ${traces.files} files, ${size(traces.bytes)} (${size(traces.onDisk)} on disk) in ${storeDir}`);

    // Outside the scratch directory: the profile outlives the traces.
    const profileDir = options.profile ? await mkdtemp(path.join(tmpdir(), 'discotrace-bench-profile-')) : undefined;
    // The load average says whether something else shared the cores (the figures are then high).
    out(`building the site in a child process (${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)})…`);
    const figures = await buildInChild(storeDir, outDir, profileDir);
    const site = await diskUsage(outDir);
    const pages = await checkPages(outDir, plans, figures);
    const rss = figures.maxRssKiB * 1024;
    const ms = figures.result.ms;
    out(`build: ${seconds(ms)} (${seconds(figures.wallMs)} with process start), CPU ${seconds((figures.userCpuUs + figures.systemCpuUs) / 1000)}, peak RSS ${mib(rss)}`);
    out(`  site: ${figures.result.pages} pages (${plans.length} runs, ${pages.domainPages} of ${usedDomains.size} domains, ${pages.groupPages} of ${groups.size} groups), ${size(site.bytes)} (${size(site.onDisk)} on disk)`);
    out(`  per run: ${(ms / plans.length).toFixed(2)} ms of build, ${(site.bytes / 1024 / plans.length).toFixed(1)} KiB of output (from ${(traces.bytes / 1024 / plans.length).toFixed(1)} KiB of traces)`);
    const missed = [ms >= TARGET_MS && `time ${seconds(ms)} ≥ 60 s`, rss >= TARGET_BYTES && `peak RSS ${mib(rss)} ≥ 1 GiB`].filter(Boolean);
    const scaled = plans.length === 10_000 ? '' : ` (measured at ${plans.length} runs; the target is for 10,000)`;
    out(missed.length === 0 ? `target met: under 60 s and 1 GiB${scaled}` : `target missed: ${missed.join(', ')}${scaled}`);
    if (profileDir) out(`CPU profile of the build: ${profileDir} (open in Chrome DevTools › Performance)`);
  } finally {
    if (options.keep) out(`kept ${scratch}`);
    else await rm(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:site: ${error instanceof BenchError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
