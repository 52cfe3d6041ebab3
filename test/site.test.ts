/**
 * The report site, built from real runs (test/utils/site-fixture.ts): the pages' content read from
 * the built HTML, then the same pages driven in Debian's Chromium (playwright-core), with and
 * without JavaScript. Screenshots land in test-results/screenshots (gitignored).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { HttpExchange, PhaseTrace } from '@discotrace/core';
import { buildSiteFixture, HOSTILE, type SiteFixture } from './utils/site-fixture.ts';
import { buildSite } from '../site/build.ts';
import { replaceSite } from '../site/site-folder.ts';
import { serveSite } from '../site/serve.ts';
import { startS3rver } from './utils/s3rver.ts';
import { S3Store, TraceStore, isStoreError, newRunId, storeFromConfig } from '@discotrace/core';
import { createRequire } from 'node:module';
import { probeTarget, seed } from '@discotrace/lab';
import { runAgainstLab } from './utils/lab-run.ts';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.resolve('test-results', 'screenshots');

let fx: SiteFixture;
before(async () => {
  fx = await buildSiteFixture();
});
after(async () => {
  await fx?.cleanup();
});

/** Text content of an HTML page, tags dropped and the common entities decoded (for "does it say X"). */
function text(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/**
 * The fixture's runs and, newest, the seed user asked with the ActiveSync (mobilesync) schema: a
 * domain whose runs asked for two schemas, its newest Outlook run failing. Built once, on first use.
 */
let twoSchemas: Promise<string> | undefined;
function siteWithActiveSync(): Promise<string> {
  twoSchemas ??= (async () => {
    const dir = path.join(fx.dir, 'two-schemas');
    await cp(path.join(fx.dir, 'traces'), path.join(dir, 'traces'), { recursive: true });
    const { store } = storeFromConfig({ DISCOTRACE_STORE_DIR: path.join(dir, 'traces') });
    const who = probeTarget(seed)!;
    const run = await runAgainstLab(seed, who.address, who.credentials, { options: { schema: 'mobilesync' } });
    try {
      for (const phase of run.phases) await store.putPhase(phase);
      await store.putReport(run.report);
    } finally {
      await run.close();
    }
    return (await buildSite({ env: { DISCOTRACE_STORE_DIR: path.join(dir, 'traces') }, outDir: path.join(dir, 'site'), quiet: true })).outDir;
  })();
  return twoSchemas;
}

const steps = (phases: PhaseTrace[]) => phases.flatMap((p) => p.candidates.flatMap((c) => c.steps.map((s) => ({ p, c, s }))));

describe('site build: pages from the store', () => {
  it('builds a page per run, per domain, per group and the listings', async () => {
    const runs = await readdir(path.join(fx.site.outDir, 'run'));
    // 5 readable runs (the damaged one is left out).
    assert.equal(fx.site.runs, 5);
    assert.equal(runs.length, 5);
    assert.ok(runs.includes(`${fx.seedRun.runId}.html`));
    assert.ok(existsSync(path.join(fx.site.outDir, 'domain', 'contoso.com.html')));
    assert.ok(existsSync(path.join(fx.site.outDir, 'group', `${fx.group}.html`)));
    assert.ok(existsSync(path.join(fx.site.outDir, 'runs', 'verdict-found', '1.html')));
    assert.ok(existsSync(path.join(fx.site.outDir, 'runs', 'region-eu-west-1', '1.html')));
  });

  it('the runs page lists every run newest first, and names the damaged document', async () => {
    const html = await fx.page('index.html');
    const order = [fx.failedRun, fx.seedRun, ...[...fx.groupRuns].reverse()].map((r) => html.indexOf(`run/${r.runId}.html`));
    assert.ok(order.every((i) => i > 0), 'every run is linked');
    assert.deepEqual([...order].sort((a, b) => a - b), order, 'newest first');
    assert.match(text(html), /5 runs, newest first/);
    assert.match(text(html), new RegExp(`runs/${fx.damagedRunId}/report\\.json is not valid JSON`));
    assert.ok(!html.includes(fx.dir), "the store's local path is not published");
    // The per-verdict listing holds only that verdict.
    const found = await fx.page('runs/verdict-found/1.html');
    assert.ok(found.includes(fx.seedRun.runId));
    assert.ok(!found.includes(fx.failedRun.runId));
  });

  it('the seed run page shows the whole journey: verdict, every step, every POST, certificates, findings', async () => {
    const html = await fx.page(`run/${fx.seedRun.runId}.html`);
    const page = text(html);
    const { report, phases } = fx.seedRun;
    assert.ok(page.includes(report.verdict.headline), 'verdict headline');
    assert.ok(page.includes('Settings found'));
    assert.ok(page.includes(report.verdict.settings!.ewsUrl!), 'EWS URL in the banner');
    for (const { s } of steps(phases)) {
      assert.ok(page.includes(s.title), `step "${s.title}"`);
      assert.ok(page.includes(s.summary), `summary of "${s.title}"`);
    }
    // Every request and response, as recorded (masked credentials), with its status line.
    const posts = steps(phases).filter(({ s }) => s.kind === 'http:post').map(({ s }) => (s.data as { exchange: HttpExchange }).exchange);
    assert.ok(posts.length >= 4);
    for (const exchange of posts) {
      assert.ok(page.includes(`${exchange.method} ${exchange.url}`));
      if (exchange.status) assert.ok(page.includes(`HTTP ${exchange.status}`));
    }
    assert.ok(page.includes('Authorization: Basic ********'), 'the masked Authorization header is shown');
    // Certificates per host, findings with explanation and fix, expected failures marked.
    for (const host of ['autodiscover.contoso.com', 'autodiscover-s.outlook.com', 'contoso.com']) assert.ok(html.includes(`id="cert-${host.replace(/[^A-Za-z0-9-]+/g, '_')}-`), `certificate of ${host}`);
    assert.ok(page.includes('CERT_NAME_MISMATCH'));
    assert.ok(page.includes('Issue a certificate whose Subject Alternative Names include this host name'));
    assert.match(page, /failed · expected/);
    // An expected failure says why there is nothing to fix, in its own words.
    assert.ok(page.includes('Fix: nothing to fix: the tenant routing domain has no HTTPS Autodiscover endpoint.'));
    assert.ok(page.includes('Fix: nothing to fix: another method answered.'));
    assert.ok(!page.includes('(e.g. the tenant routing name in hybrid)'));
    // The diagram: one node per candidate of each phase, the hand-off labelled.
    const svg = /<svg[^>]*data-journey="wide"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    for (const phase of phases) for (const c of phase.candidates) assert.ok(svg.includes(`data-node="p${phase.index}c${c.index}"`), `diagram node p${phase.index}c${c.index}`);
    assert.match(svg, /redirectAddr/);
    assert.match(svg, /HTTP redirect/);
    assert.match(svg, /class="node node-ok" data-node="end"/);
    // The waterfall has a row per candidate that ran steps.
    const rows = phases.flatMap((p) => p.candidates).filter((c) => c.steps.length > 0).length;
    assert.equal((html.match(/class="track track-/g) ?? []).length, rows);
  });

  it('a failed run leads with its cause and fix', async () => {
    const page = text(await fx.page(`run/${fx.failedRun.runId}.html`));
    const { verdict } = fx.failedRun.report;
    assert.equal(verdict.status, 'not-found');
    assert.ok(verdict.cause && verdict.fix);
    assert.ok(page.includes('Not found'));
    assert.ok(page.includes(`Cause ${verdict.cause.code} : ${verdict.cause.title}`));
    assert.ok(page.includes(`Fix ${verdict.fix}`));
  });

  it('the domain page shows the timeline and what changed since the last good run', async () => {
    const html = await fx.page('domain/contoso.com.html');
    const page = text(html);
    // The group's two runs, the seed, the failure, and the hostile copy of the seed.
    assert.match(page, /5 runs · 3 with settings found/);
    // The newest run's state, never just "last good run": it failed.
    assert.match(page, /5 runs · 3 with settings found newest run: Not found ; last good run \S+ \S+ UTC Verdict timeline/i);
    // Each run of the timeline is a link to it, readable without colour: a sign and the time shown,
    // the verdict in words (and the region) for screen readers and on hover.
    const marks = [...html.matchAll(/<a href="([^"]+)" class="tone tone-(\w+)" data-run="([^"]+)" title="([^"]+)">([\s\S]*?)<\/a>/g)];
    assert.equal(marks.length, 5);
    for (const [, href, tone, runId, title, inside] of marks) {
      assert.equal(href, `../run/${runId}.html`);
      const said = text(inside!);
      assert.match(said, /^ ?[✓✗!] \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, \S+: (Settings found|Not found|Incomplete)/, said);
      assert.ok(title!.includes(said.match(/: (Settings found|Not found|Incomplete)/)![1]!), title);
      assert.equal(tone === 'ok', said.includes('Settings found'));
    }
    assert.match(page, /✓ settings found · ✗ not found · ! incomplete/);
    // The two runs compared are marked in the timeline and named in words.
    assert.match(page, /Settings found · baseline .*Not found · compared/);
    assert.match(page, /What changed since the last good run/);
    // Baseline: the seed run (last good); compared: the failed run (newest).
    const changes = page.slice(page.indexOf('What changed'), page.indexOf('Runs', page.indexOf('What changed')));
    assert.match(changes, /The newest run, \S+ \S+ UTC \(not found, region local\), compared with the last good run, \S+ \S+ UTC \(settings found, region local\)/);
    const compared = html.slice(html.indexOf('id="changes"'));
    assert.ok(compared.indexOf(`run/${fx.failedRun.runId}.html`) < compared.indexOf(`run/${fx.seedRun.runId}.html`));
    assert.match(changes, /Verdict \(1\) .*Outcome changed settings found not found: TCP_REFUSED autodiscover\.contoso\.com:443: connection refused/);
    assert.match(changes, /Candidates \(\d+\)/);
    // A candidate's change says why, in its own summary.
    assert.match(changes, /Autodiscover host https:\/\/autodiscover\.contoso\.com changed redirectAddr redirectAddr → alice@contoso\.mail\.onmicrosoft\.com failed autodiscover\.contoso\.com:443 connection refused/);
    // Findings by host and port, with their titles; the report's own (the v2 cross-check) too.
    assert.match(changes, /TCP_REFUSED at autodiscover\.contoso\.com:443 only now – error autodiscover\.contoso\.com:443: connection refused/);
    assert.match(changes, /TCP_REFUSED at autodiscover\.contoso\.com:80 only now – error autodiscover\.contoso\.com:80: connection refused/);
    assert.match(changes, /V2_DISAGREES only now – warning Exchange Online knows alice@contoso\.com/);
    assert.match(changes, /Settings \(\d+\) .*EWS URL only before/);
    assert.match(changes, /Primary SMTP address only before alice@contoso\.com/);
    // The Exchange Online phase the failure never reached: one row, not its ~30 candidates and steps.
    assert.match(changes, /Phase 2 \(Exchange Online, alice@contoso\.mail\.onmicrosoft\.com\) only before settings 7 candidates, [^–]* not listed one by one – not reached now/);
    assert.ok(!changes.includes('Phase 2 · '), 'no row of a phase reached on one side only');
    // A host the failure never handshook with: one certificate row, saying why, not seven fields.
    assert.match(changes, /autodiscover\.contoso\.com only before CN=autodiscover\.contoso\.com, O=discotrace lab issued by [^–]*– no TLS handshake now \(connection refused\)/);
    assert.ok(!changes.includes('autodiscover.contoso.com · SHA-256'));
    assert.match(changes, /the steps after Connect to autodiscover\.contoso\.com:443 only before 9 steps: /);
    // A finding's title clipped to a line keeps its whole text, in a fold readable without JavaScript.
    const v2 = fx.failedRun.report.verdict.others.find((f) => f.code === 'V2_DISAGREES')!.title;
    assert.ok(v2.length > 160 && !changes.includes(`V2_DISAGREES only now – warning ${v2}`));
    assert.ok(changes.includes(`Full text now, V2_DISAGREES ${v2}`), 'the whole title, after its one-line form');
    assert.match(html, /<details class="full-text"[^>]*><summary[^>]*>Full text<span class="visually-hidden"[^>]*> now, V2_DISAGREES<\/span><\/summary>/);
    // One schema among the runs: no schema column.
    assert.ok(!/<th[^>]*>Schema<\/th>/.test(html));
  });

  it('a domain whose runs asked for two schemas: the state and comparison of each, the schema on the timeline', async () => {
    const outDir = await siteWithActiveSync();
    const html = await readFile(path.join(outDir, 'domain', 'contoso.com.html'), 'utf8');
    const page = text(html);
    // The header says the Outlook runs fail, though the newest run (ActiveSync) found settings.
    assert.match(page, /6 runs · 4 with settings found newest Outlook run: Not found ; last good Outlook run \S+ \S+ UTC ; newest ActiveSync run: Settings found Verdict timeline/i);
    assert.ok(!/last good run \S+ \S+ UTC/.test(page.slice(0, page.indexOf('Verdict timeline'))));
    // Each chip says its schema in words; the Outlook pair compared is marked.
    const chips = [...html.matchAll(/<a href="[^"]+" class="tone tone-\w+" data-run="([^"]+)" title="([^"]+)">([\s\S]*?)<\/a>/g)].map(([, runId, title, inside]) => ({ runId, title, said: text(inside!) }));
    assert.equal(chips.length, 6);
    const newest = chips[chips.length - 1]!;
    assert.match(newest.said, /Settings found · ActiveSync $/);
    assert.match(newest.title!, / · ActiveSync · Settings found$/);
    for (const chip of chips.slice(0, -1)) assert.match(chip.said, /: (Settings found|Not found) · Outlook( · baseline| · compared)? $/, chip.said);
    assert.match(chips.find((c) => c.runId === fx.failedRun.runId)!.said, /Not found · Outlook · compared $/);
    assert.match(chips.find((c) => c.runId === fx.seedRun.runId)!.said, /Settings found · Outlook · baseline $/);
    // One section per schema, Outlook first: its failure compared with its last good run, in full.
    const outlook = page.slice(page.indexOf('Outlook: what changed'), page.indexOf('ActiveSync (mobilesync): the newest run'));
    assert.match(outlook, /^Outlook: what changed since the last good run The newest Outlook run, \S+ \S+ UTC \(not found, region local\), compared with the last good Outlook run, \S+ \S+ UTC \(settings found, region local\)/);
    assert.match(outlook, /Outcome changed settings found not found: TCP_REFUSED/);
    assert.match(outlook, /Phase 2 \(Exchange Online, [^)]+\) only before settings/);
    const activesync = page.slice(page.indexOf('ActiveSync (mobilesync): the newest run'), page.indexOf('Runs of contoso.com'));
    assert.match(activesync, /^ActiveSync \(mobilesync\): the newest run The newest ActiveSync run, \S+ \S+ UTC \(settings found, region local\), is the only ActiveSync run so far: nothing to compare it with\. Runs $/);
    assert.ok(!page.includes('No earlier run'));
    const sections = html.slice(html.indexOf('id="changes"'));
    assert.ok(sections.indexOf('id="changes-outlook"') < sections.indexOf('id="changes-mobilesync"'));
    assert.ok(/<th[^>]*>Schema<\/th>/.test(html));
  });

  it('the region group page puts the regions side by side and marks what differs', async () => {
    const html = await fx.page(`group/${fx.group}.html`);
    const page = text(html);
    assert.match(page, /alice@contoso\.com from 2 regions/);
    assert.ok(html.indexOf('eu-west-1') > 0 && html.indexOf('us-east-1') > html.indexOf('eu-west-1'));
    assert.match(page, /differs Outcome settings found not found/);
    assert.match(page, /\d+ of \d+ facts differ/);
    // The run pages link back to the comparison.
    assert.ok((await fx.page(`run/${fx.groupRuns[0]!.runId}.html`)).includes(`group/${fx.group}.html`));
  });

  it('hostile text from a server is shown as text, never as markup', async () => {
    const html = await fx.page(`run/${fx.hostileRunId}.html`);
    // Inside a quoted attribute value '<' is inert (Astro escapes the quotes); everywhere else it must be escaped.
    const outsideAttributes = html.replace(/="[^"]*"/g, '=""');
    assert.ok(!outsideAttributes.includes(HOSTILE), 'the raw markup never appears as markup');
    assert.ok(!/<img src=x/i.test(outsideAttributes));
    assert.ok(!/<script>alert/i.test(outsideAttributes));
    assert.ok(text(html).includes(HOSTILE), 'it is shown escaped');
    const index = await readFile(path.join(fx.site.outDir, 'runs-index.js'), 'utf8');
    assert.ok(!index.includes('</script>'), 'the filter index cannot close a script element');
  });

  it('every link of every page leads somewhere: files exist, in-page anchors have their element', async () => {
    const broken: string[] = [];
    const pages = (await readdir(fx.site.outDir, { recursive: true })).filter((f) => f.endsWith('.html'));
    for (const relative of pages) {
      // Scripts hold link templates, not links.
      const html = (await readFile(path.join(fx.site.outDir, relative), 'utf8')).replace(/<script[\s\S]*?<\/script>/g, '');
      const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
      for (const [, href] of html.matchAll(/\shref="([^"]+)"/g)) {
        const decoded = href!.replace(/&amp;/g, '&');
        if (decoded.startsWith('#')) {
          if (!ids.has(decoded.slice(1))) broken.push(`${relative}: ${decoded}`);
        } else if (!existsSync(path.join(fx.site.outDir, path.dirname(relative), decoded.split(/[?#]/)[0]!))) {
          broken.push(`${relative}: ${decoded}`);
        }
      }
    }
    assert.equal(pages.length, fx.site.pages);
    assert.deepEqual(broken, []);
  });

  it('no password or token reaches any page', async () => {
    assert.ok(fx.secrets.length > 0);
    for (const entry of await readdir(fx.site.outDir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const body = await readFile(path.join(entry.parentPath, entry.name), 'utf8');
      for (const secret of fx.secrets) assert.ok(!body.includes(secret), `${entry.name} contains a secret`);
    }
  });
});

/** Mutations of a real run, each as its own run: every field a tampered or foreign store could break. */
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const MUTATIONS: [string, (report: Doc, phases: Doc[]) => void][] = [
  ['no verdict.others', (r) => delete r.verdict.others],
  ['null in verdict.others', (r) => (r.verdict.others = [null])],
  ['no failures', (r) => delete r.failures],
  ['empty verdict', (r) => (r.verdict = {})],
  ['no headline', (r) => delete r.verdict.headline],
  ['no address', (r) => delete r.address],
  ['null client', (r) => (r.clients = [null])],
  ['no region', (r) => delete r.region],
  ['numeric region', (r) => (r.region = 42)],
  ['region in another script', (r) => (r.region = '東京')],
  ['another region in another script', (r) => (r.region = '大阪')],
  ['very long region', (r) => (r.region = 'r'.repeat(3000))],
  ['domain in capitals', (r) => (r.domain = 'Contoso.COM')],
  ['domain with a slash', (r) => (r.domain = 'a/b')],
  ['domain with ? and #', (r) => (r.domain = 'x?y#z')],
  ['script URL as group', (r) => (r.group = 'javascript:alert(1)')],
  ['numeric startedAt', (r) => (r.startedAt = 42)],
  ['no phase findings', (_, [p]) => delete p!.findings],
  ['null phase finding', (_, [p]) => (p!.findings = [null])],
  ['null candidate', (_, [p]) => p!.candidates.unshift(null)],
  ['candidate without steps or url', (_, [p]) => { delete p!.candidates[1].steps; delete p!.candidates[1].url; }],
  ['null step', (_, [p]) => p!.candidates[2].steps.unshift(null)],
  ['step without data, findings or kind', (_, [p]) => { const s = p!.candidates[2].steps[0]; s.data = null; s.findings = [null]; delete s.kind; }],
  ['response headers as an object', (_, [p]) => { for (const s of p!.candidates[2].steps) if (s.data?.exchange) s.data.exchange.responseHeaders = { a: 'b' }; }],
  ['null certificate, certificate without names', (_, [p]) => { const s = p!.candidates[2].steps.find((x: Doc) => x.kind === 'tls:handshake'); s.data.chain = [{ subject: 'CN=x' }, null]; }],
  ['a 300 kB body and a 100 kB header', (_, [p]) => { const s = p!.candidates[2].steps.find((x: Doc) => x.data?.exchange); s.data.exchange.bodyExcerpt = 'A'.repeat(300_000); s.data.exchange.responseHeaders.push(['x-long', 'B'.repeat(100_000)]); }],
  ['duplicate candidate indexes and step numbers', (_, [p]) => { for (const c of p!.candidates) { c.index = 0; for (const s of c.steps) s.seq = 0; } }],
  ['the same phase listed twice', (r) => r.phases.push(r.phases[0])],
  // DEEP is replaced by 20,000 nested arrays in the stored text (JSON.stringify could not write them).
  ['deep data dressed as an exchange', (_, [p]) => { p!.candidates[2].steps[0].data.x = { method: 'GET', responseHeaders: [], deep: 'DEEP', big: 'C'.repeat(2_000_000) }; }],
  ['a thousand steps', (_, [p]) => { const c = p!.candidates[2]; c.steps = Array.from({ length: 1000 }, (_, i) => ({ ...c.steps[i % c.steps.length], seq: i })); }],
  // Far beyond any real trace: not read at all (pages render several at a time; memory stays bounded).
  ['a 4 MiB phase', (_, [p]) => { p!.candidates[2].summary = 'D'.repeat(4 * 1024 * 1024); }],
  ['bidi overrides in stored text', (r) => { r.verdict.headline = 'ok \u202Eevil\u202C'; r.address = 'alice@\u202Emoc.livE\u202C.con\u200Btoso.com'; r.region = 'eu\u061Cwest'; }],
  // Found by a break-it review: each of these once failed the whole build.
  ['numeric host of a handshake', (_, [p]) => { stepOf(p!, 'tls:handshake').data.host = 123; }],
  ['boolean EWS URL', (r) => (r.verdict.settings.ewsUrl = true)],
  ['objects that cannot be printed', (r, [p]) => {
    r.group = COMPARED_GROUP;
    stepOf(p!, 'dns:resolve').data.outcome = { toString: 0 };
    Object.assign(stepOf(p!, 'tls:handshake').data, { protocol: { toString: 'x' }, cipher: { toString: 'x' } });
  }],
  ['SRV records with a null', (r, [p]) => { r.group = COMPARED_GROUP; Object.assign(stepOf(p!, 'dns:srv').data, { outcome: 'ok', records: [null, { priority: 'x', target: {} }] }); }],
  ['130,000 findings', (r, [p]) => { r.group = COMPARED_GROUP; p!.findings = Array.from({ length: 130_000 }, () => ({})); }],
  ['candidate indexes 0, 10002, 0 and step numbers 10001, 0, 0', (_, [p]) => {
    p!.candidates.slice(0, 3).forEach((c: Doc, i: number) => { c.index = [0, 10_002, 0][i]; c.steps.slice(0, 3).forEach((st: Doc, j: number) => (st.seq = [10_001, 0, 0][j])); });
  }],
  ['a start time at +14:00', (r) => (r.startedAt = '2026-12-05T09:30:00+14:00')],
  ['a domain of 253 characters', (r) => { r.domain = LONG_DOMAIN; r.address = `alice@${LONG_DOMAIN}`; }],
  // A page named "intranet.html.html" once stopped every build (Astro routes it as "intranet.html").
  ['a domain ending in .html', (r) => { r.domain = 'intranet.html'; r.address = 'u@intranet.html'; }],
  ['phase 2 not JSON', () => {}],
  ['phase 2 missing', () => {}],
  ['phase 2 a loop of links', () => {}],
];

const stepOf = (phase: Doc, kind: string): Doc => phase.candidates.flatMap((c: Doc) => c.steps).find((st: Doc) => st.kind === kind);
/** The runs a region group compares fact by fact (core's factTable reads their step data). */
const COMPARED_GROUP = newRunId(new Date('2026-01-01T00:00:00Z'));
/** A valid DNS name as long as DNS allows: its page name must still fit a file system. */
const LONG_DOMAIN = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)].join('.');

describe('site build: damaged and hostile stores', () => {
  it('every mutated run still gets its page; nothing breaks the build, nothing collides', async () => {
    const dir = path.join(fx.dir, 'mutated');
    const { store } = storeFromConfig({ DISCOTRACE_STORE_DIR: path.join(dir, 'traces') });
    const ids: Record<string, string> = {};
    let t = Date.parse(fx.seedRun.report.startedAt) - 86_400_000;
    for (const [name, mutate] of MUTATIONS) {
      const runId = newRunId(new Date((t -= 60_000)));
      ids[name] = runId;
      const swap = (doc: unknown) => JSON.parse(JSON.stringify(doc).replaceAll(fx.seedRun.runId, runId)) as Doc;
      const report = swap(fx.seedRun.report);
      report.startedAt = new Date(t).toISOString();
      const phases = fx.seedRun.phases.map(swap);
      mutate(report, phases);
      await store.blobs.put(`runs/${runId}/report.json`, JSON.stringify(report));
      for (const [i, phase] of phases.entries()) {
        if (i === 1 && name === 'phase 2 missing') continue;
        if (i === 1 && name === 'phase 2 a loop of links') {
          await symlink('phase-1.json', path.join(dir, 'traces', 'runs', runId, 'phase-1.json'));
          continue;
        }
        const body = i === 1 && name === 'phase 2 not JSON' ? '{"version":1,' : JSON.stringify(phase).replace('"DEEP"', `${'['.repeat(20_000)}0${']'.repeat(20_000)}`);
        await store.blobs.put(`runs/${runId}/phase-${i}.json`, body);
      }
    }
    const site = await buildSite({ env: { DISCOTRACE_STORE_DIR: path.join(dir, 'traces') }, outDir: path.join(dir, 'site'), quiet: true });
    assert.equal(site.runs, MUTATIONS.length);
    const page = (name: string) => readFile(path.join(site.outDir, 'run', `${ids[name]}.html`), 'utf8');
    for (const [name] of MUTATIONS) assert.ok(existsSync(path.join(site.outDir, 'run', `${ids[name]}.html`)), `page of "${name}"`);
    // Ids stay unique in every page whatever the stored indexes (anchors and links rely on them).
    for (const [name] of MUTATIONS) {
      const ids = [...(await page(name)).matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
      assert.equal(new Set(ids).size, ids.length, `duplicate ids in the page of "${name}"`);
    }
    assert.match(text(await page('a thousand steps')), /recorded 1000 steps; the first 200 are shown/);
    assert.match(text(await page('a 4 MiB phase')), /Phase 1: runs\/\S+\/phase-0\.json is 4\.0 MiB, over the 2 MiB limit for a document shown on the report site/);
    const bidi = await page('bidi overrides in stored text');
    assert.ok(!bidi.includes('\u202E'), 'no override reaches the page');
    assert.ok(text(bidi).includes('ok [U+202E]evil[U+202C]'));
    // Zero-width and Arabic letter marks too: an address must not hide a character.
    assert.ok(text(bidi).includes('con[U+200B]toso.com') && !bidi.includes('\u200B'), 'a zero-width space is shown');
    assert.ok(text(bidi).includes('eu[U+61C]west'));
    assert.match(text(await page('phase 2 a loop of links')), /Phase 2: .*phase-1\.json/);
    assert.ok(!(await page('phase 2 a loop of links')).includes(dir), 'no local path on a published page');
    // Unreadable or missing phase traces are said on the run page, without the store's local path.
    const notJson = text(await page('phase 2 not JSON'));
    assert.match(notJson, /Traces missing or unreadable .*Phase 2: runs\/\S+\/phase-1\.json is not valid JSON/);
    assert.ok(!notJson.includes(dir), 'no local path on a published page');
    assert.match(text(await page('phase 2 missing')), /Phase 2: its trace runs\/\S+\/phase-1\.json is missing from the store/);
    // A damaged part does not hide the rest: the steps that are there are shown.
    assert.ok(text(await page('null candidate')).includes('Resolve autodiscover.contoso.com'));
    assert.ok(text(await page('empty verdict')).includes('No verdict recorded'));
    // Bodies and headers are clipped; the page stays readable.
    const big = await page('a 300 kB body and a 100 kB header');
    assert.ok(big.length < 600_000, `page of ${big.length} bytes`);
    assert.match(big, /more characters not shown/);
    // Domains and regions become file names only when safe, and never collide.
    assert.ok(existsSync(path.join(site.outDir, 'domain', 'contoso.com.html')));
    assert.ok((await page('domain in capitals')).includes('../domain/contoso.com.html'));
    assert.ok(!(await readdir(path.join(site.outDir, 'domain'))).some((f) => /[?#/]|^a$/.test(f)));
    const regionPages = await readdir(path.join(site.outDir, 'runs'));
    const tokyo = regionPages.filter((f) => f.startsWith('region-_'));
    assert.equal(tokyo.length, 4, `東京, 大阪, the long label and the one with a hidden mark each get their own page: ${tokyo.join(', ')}`);
    assert.ok(!(await page('script URL as group')).includes('javascript:'));
    // Step data of the wrong type is shown as text; the comparison of the group reads it too.
    assert.ok(text(await page('numeric host of a handshake')).includes('Certificates'));
    assert.ok(existsSync(path.join(site.outDir, 'group', `${COMPARED_GROUP}.html`)));
    assert.match(text(await page('130,000 findings')), /Phase 1: the phase recorded 130000 findings; the first 100 are shown/);
    assert.match(text(await page('a start time at +14:00')), /2026-12-04 19:30:00 UTC/);
    const long = (await readdir(path.join(site.outDir, 'domain'))).find((f) => f.startsWith('aaaa'));
    assert.ok(long && Buffer.byteLength(long) <= 255, `the long domain's page: ${long}`);
    assert.ok((await page('a domain of 253 characters')).includes(`../domain/${long}`));
    assert.ok(text(await readFile(path.join(site.outDir, 'domain', long!), 'utf8')).includes(`History of ${LONG_DOMAIN}`));
    assert.ok((await page('a domain ending in .html')).includes('../domain/intranet.html_.html'));
    assert.ok(text(await readFile(path.join(site.outDir, 'domain', 'intranet.html_.html'), 'utf8')).includes('History of intranet.html'));
  });
});

describe('site folder safety: a build never destroys what it was not asked to replace', () => {
  const env = () => ({ DISCOTRACE_STORE_DIR: path.join(fx.dir, 'traces') });

  it('refuses a file, a foreign folder, the store itself, and a store that does not exist', async () => {
    const file = path.join(fx.dir, 'precious.txt');
    await writeFile(file, 'precious');
    await assert.rejects(buildSite({ env: env(), outDir: file, quiet: true }), /exists and is not a folder/);
    assert.equal(await readFile(file, 'utf8'), 'precious');
    const foreign = path.join(fx.dir, 'foreign');
    await mkdir(foreign);
    await writeFile(path.join(foreign, 'keep.txt'), 'keep');
    await assert.rejects(buildSite({ env: env(), outDir: foreign, quiet: true }), /is not empty and is not a discotrace site/);
    await assert.rejects(buildSite({ env: env(), outDir: path.join(fx.dir, 'traces'), quiet: true }), /overlap: building would replace the traces/);
    await assert.rejects(buildSite({ env: env(), outDir: path.join(fx.dir, 'traces', 'site'), quiet: true }), /overlap/);
    await assert.rejects(buildSite({ env: { DISCOTRACE_STORE_DIR: path.join(fx.dir, 'tracse') }, outDir: path.join(fx.dir, 'typo'), quiet: true }), /no trace store at .*tracse/);
    // The same folder under another name (a symlink) is still the store.
    await symlink(fx.dir, path.join(fx.dir, 'alias'));
    await assert.rejects(buildSite({ env: { DISCOTRACE_STORE_DIR: path.join(fx.dir, 'alias', 'traces') }, outDir: path.join(fx.dir, 'traces', 'x'), quiet: true }), /overlap/);
    await assert.rejects(buildSite({ env: env(), outDir: path.resolve('site', 'src', 'pages', 'x'), quiet: true }), /inside the site's sources/);
    assert.equal((await fx.store.listRuns({ onBadDocument: () => {} })).length, 5, 'the traces are all there');
  });

  it('the CLI says it in one line and exits 3', async () => {
    const result = spawnSync(process.execPath, ['packages/cli/src/site.ts', 'build', '--out', path.join(fx.dir, 'precious.txt')], { env: { ...process.env, ...env() }, encoding: 'utf8' });
    assert.equal(result.status, 3);
    assert.match(result.stderr, /^discotrace: .*precious\.txt exists and is not a folder/);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    const usage = spawnSync(process.execPath, ['packages/cli/src/site.ts', 'serve', '--port', '0x50'], { encoding: 'utf8' });
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--port needs a port number/);
    // A forgotten folder, a pasted newline and a file URL of another host are usage errors, never folders.
    // A file URL is checked once decoded; relative file URLs would land at the root (file:x is /x).
    for (const [out, said] of [
      ['--port', /--out needs a folder/],
      ['a\nb', /control or invisible character \(U\+000A\)/],
      ['file:///tmp/a%0Ab', /control or invisible character \(U\+000A\)/],
      ['/tmp/a\u202Eb', /\(U\+202E\)/],
      ['file://elsewhere/x', /a file URL must be absolute/],
      ['file:relx', /a file URL must be absolute/],
      ['file:///tmp/x?y=1', /query/],
    ] as const) {
      const bad = spawnSync(process.execPath, ['packages/cli/src/site.ts', 'build', '--out', out], { env: { ...process.env, ...env() }, encoding: 'utf8' });
      assert.equal(bad.status, 2, `${out}: ${bad.stderr}`);
      assert.match(bad.stderr, said);
      assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
      assert.ok(!bad.stderr.includes('\u202E'), 'the message shows no hidden character raw');
    }
    const badEnv = spawnSync(process.execPath, ['packages/cli/src/site.ts', 'build'], { env: { ...process.env, ...env(), DISCOTRACE_SITE_OUT: '/tmp/p\nq' }, encoding: 'utf8' });
    assert.equal(badEnv.status, 2, badEnv.stderr);
    assert.match(badEnv.stderr, /DISCOTRACE_SITE_OUT: a path with a control or invisible character/);
  });

  it('--out takes a file:// URL as its path (the site prints its folder that way)', async () => {
    const outDir = path.join(fx.dir, 'by-url');
    const result = spawnSync(process.execPath, ['packages/cli/src/site.ts', 'build', '--out', pathToFileURL(outDir).href], { env: { ...process.env, ...env() }, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.ok(existsSync(path.join(outDir, 'index.html')));
  });

  it('a killed build leaves the previous site whole, and the next build clears its leftovers', async () => {
    const outDir = path.join(fx.dir, 'kept');
    await buildSite({ env: env(), outDir, quiet: true });
    const before = await readFile(path.join(outDir, 'index.html'), 'utf8');
    const child = spawn(process.execPath, ['packages/cli/src/site.ts', 'build', '--out', outDir], { env: { ...process.env, ...env() }, stdio: 'ignore' });
    const stages = path.resolve('site', '.astro');
    const prefix = `build-${child.pid}-`;
    // Kill it once Astro is writing into its staging folder.
    let staging = false;
    for (let i = 0; i < 500 && !(staging = (await readdir(stages).catch(() => [])).some((n) => n.startsWith(prefix))); i++) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    assert.ok(staging, 'the build was killed while staging');
    await new Promise((r) => child.once('exit', r));
    assert.equal(await readFile(path.join(outDir, 'index.html'), 'utf8'), before, 'the old site is untouched');
    assert.ok(existsSync(path.join(outDir, 'runs-index.js')));
    await buildSite({ env: env(), outDir, quiet: true });
    assert.ok(!(await readdir(stages)).some((n) => n.startsWith(prefix)), 'the killed build\'s staging folder is gone');
  });
});

describe('site folder safety, round 3 (break-it review)', () => {
  it('a file put into the site folder while a build runs is kept: the swap checks the folder again', async () => {
    const to = path.join(fx.dir, 'racing');
    await cp(fx.site.outDir, to, { recursive: true });
    const stage = path.join(fx.dir, 'racing-stage');
    await cp(fx.site.outDir, stage, { recursive: true });
    await writeFile(path.join(to, 'CNAME'), 'reports.example.com');
    await assert.rejects(replaceSite(stage, to), /holds files an earlier build did not make \(CNAME\)/);
    assert.equal(await readFile(path.join(to, 'CNAME'), 'utf8'), 'reports.example.com');
    assert.deepEqual((await readdir(fx.dir)).filter((n) => n.startsWith('racing.')), [], 'no half-swapped copy is left');
  });

  it('a site folder on a kernel file system is refused at once (a mkdir under /proc never returns)', async () => {
    await assert.rejects(buildSite({ env: env(), outDir: '/proc/discotrace-test/site', quiet: true }), /kernel file system/);
    await assert.rejects(buildSite({ env: env(), outDir: '/dev/discotrace-test', quiet: true }), /kernel file system/);
  });

  it('a bind mount at the folder or inside it is refused before the build (root)', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to bind-mount');
    const out = path.join(fx.dir, 'bound');
    const other = path.join(fx.dir, 'elsewhere');
    await mkdir(path.join(out, 'run'), { recursive: true });
    await mkdir(other);
    const at = spawnSync('mount', ['--bind', other, out]);
    if (at.status !== 0) return t.skip('cannot bind-mount here');
    try {
      await assert.rejects(buildSite({ env: env(), outDir: out, quiet: true }), /is a mount point/);
    } finally {
      spawnSync('umount', [out]);
    }
    assert.equal(spawnSync('mount', ['--bind', other, path.join(out, 'run')]).status, 0);
    try {
      await assert.rejects(buildSite({ env: env(), outDir: out, quiet: true }), /has a file system mounted inside it/);
    } finally {
      spawnSync('umount', [path.join(out, 'run')]);
    }
  });

  const env = () => ({ DISCOTRACE_STORE_DIR: path.join(fx.dir, 'traces') });
});

describe('site folder safety, round 2 (break-it review)', () => {
  const env = () => ({ DISCOTRACE_STORE_DIR: path.join(fx.dir, 'traces') });

  it('a store setting with spaces around it reads the same store as it was checked against', async () => {
    const site = await buildSite({ env: { DISCOTRACE_STORE_DIR: ` ${path.join(fx.dir, 'traces')} ` }, outDir: path.join(fx.dir, 'spaced'), quiet: true });
    assert.equal(site.runs, 5);
    assert.equal(site.pages, fx.site.pages, 'the pages read the store the build checked, not another one');
  });

  it('refuses a site folder holding files a build did not make (a gh-pages checkout), and keeps them', async () => {
    const ghp = path.join(fx.dir, 'gh-pages');
    await cp(fx.site.outDir, ghp, { recursive: true });
    await mkdir(path.join(ghp, '.git'));
    await writeFile(path.join(ghp, '.git', 'HEAD'), 'ref: refs/heads/gh-pages\n');
    await writeFile(path.join(ghp, 'CNAME'), 'reports.example.com\n');
    await assert.rejects(buildSite({ env: env(), outDir: ghp, quiet: true }), /holds files an earlier build did not make \(\.git\/HEAD, CNAME\)/);
    assert.ok(existsSync(path.join(ghp, '.git', 'HEAD')) && existsSync(path.join(ghp, 'CNAME')));
    // A hand-made folder that merely has a file of the same name is no site either.
    const thesis = path.join(fx.dir, 'thesis');
    await mkdir(thesis);
    for (const name of ['thesis.tex', 'runs-index.js', 'index.html']) await writeFile(path.join(thesis, name), 'mine');
    await assert.rejects(buildSite({ env: env(), outDir: thesis, quiet: true }), /thesis\.tex/);
    assert.equal(await readFile(path.join(thesis, 'thesis.tex'), 'utf8'), 'mine');
    // Below the top level too: a note in run/, a dot-folder in domain/.
    const nested = path.join(fx.dir, 'nested');
    await cp(fx.site.outDir, nested, { recursive: true });
    await writeFile(path.join(nested, 'run', 'NOTES.txt'), 'mine');
    await mkdir(path.join(nested, 'domain', '.git'));
    await writeFile(path.join(nested, 'domain', '.git', 'HEAD'), 'ref');
    await assert.rejects(buildSite({ env: env(), outDir: nested, quiet: true }), /holds files an earlier build did not make \(domain\/\.git\/HEAD, run\/NOTES\.txt\)/);
    assert.ok(existsSync(path.join(nested, 'run', 'NOTES.txt')));
    // A marker that claims a dot-folder is not believed; one that is a FIFO is not read (no hang).
    const forged = path.join(fx.dir, 'forged');
    await cp(fx.site.outDir, forged, { recursive: true });
    await mkdir(path.join(forged, '.git'));
    await writeFile(path.join(forged, '.git', 'HEAD'), 'ref');
    const marker = JSON.parse(await readFile(path.join(forged, '.discotrace-site.json'), 'utf8')) as { files: string[] };
    marker.files.push('.git/HEAD');
    await writeFile(path.join(forged, '.discotrace-site.json'), JSON.stringify(marker));
    await assert.rejects(buildSite({ env: env(), outDir: forged, quiet: true }), /\.git\/HEAD/);
    assert.ok(existsSync(path.join(forged, '.git', 'HEAD')));
    const fifo = path.join(fx.dir, 'fifo-marker');
    await cp(fx.site.outDir, fifo, { recursive: true });
    await rm(path.join(fifo, '.discotrace-site.json'));
    assert.equal(spawnSync('mkfifo', [path.join(fifo, '.discotrace-site.json')]).status, 0);
    assert.equal((await buildSite({ env: env(), outDir: fifo, quiet: true })).pages, fx.site.pages);
    // A site built before the marker existed is still replaced.
    const legacy = path.join(fx.dir, 'legacy');
    await cp(fx.site.outDir, legacy, { recursive: true });
    await rm(path.join(legacy, '.discotrace-site.json'));
    assert.equal((await buildSite({ env: env(), outDir: legacy, quiet: true })).pages, fx.site.pages);
  });

  it('a mount point is refused up front; a full disk fails in one line, keeps the old site and leaves nothing behind', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to mount a tmpfs');
    const mnt = path.join(fx.dir, 'mnt');
    await mkdir(mnt);
    const size = (await du(fx.site.outDir)) * 3 / 2;
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${Math.ceil(size / 4096) * 4096}`, 'tmpfs', mnt], { encoding: 'utf8' });
    if (mounted.status !== 0) return t.skip(`cannot mount a tmpfs here: ${mounted.stderr.trim()}`);
    try {
      await assert.rejects(buildSite({ env: env(), outDir: mnt, quiet: true }), /is a mount point, which the build cannot swap/);
      const outDir = path.join(mnt, 'site');
      await buildSite({ env: env(), outDir, quiet: true });
      const before = await readFile(path.join(outDir, 'index.html'), 'utf8');
      // Room for one site, not for the new one beside the old.
      await assert.rejects(buildSite({ env: env(), outDir, quiet: true }), (error: Error) => {
        assert.match(error.message, /^cannot write .*\/mnt\/site: no space left on device \(ENOSPC\); the previous site is unchanged$/);
        return true;
      });
      assert.equal(await readFile(path.join(outDir, 'index.html'), 'utf8'), before);
      assert.deepEqual((await readdir(mnt)).sort(), ['site'], 'no half-copied site is left beside it');
      assert.deepEqual((await readdir(fx.dir)).filter((n) => /^mnt\.(new|old)-/.test(n)), []);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });
});

/** Bytes of the files under a folder. */
async function du(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  return total;
}

describe('site build from S3 (s3rver)', () => {
  it('builds the same runs from a bucket and prefix as from the directory', async () => {
    const dir = path.join(fx.dir, 's3');
    await mkdir(dir);
    const s3rver = await startS3rver(dir, ['traces']);
    const credentials = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'eu-west-1' };
    const s3 = new S3Store({ bucket: 'traces', prefix: 'archive', endpoint: s3rver.endpoint, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    try {
      // Copy every stored document, key for key.
      for (const key of await fx.store.blobs.list('')) await s3.put(key, (await fx.store.blobs.get(key))!);
      const site = await buildSite({ env: { DISCOTRACE_STORE: 's3://traces/archive', DISCOTRACE_S3_ENDPOINT: s3rver.endpoint, ...credentials }, outDir: path.join(dir, 'site'), quiet: true });
      assert.equal(site.store, 's3://traces/archive');
      assert.equal(site.runs, 5);
      assert.equal(site.pages, fx.site.pages);
      const page = await readFile(path.join(site.outDir, 'run', `${fx.seedRun.runId}.html`), 'utf8');
      assert.ok(page.includes(fx.seedRun.report.verdict.headline));
      assert.ok((await new TraceStore(s3).listRuns({ onBadDocument: () => {} })).length === 5);
    } finally {
      s3.close();
      await s3rver.stop();
    }
  });

  it('an unreachable store fails before the build, with the store\'s one-line reason', async () => {
    await assert.rejects(
      buildSite({ env: { DISCOTRACE_STORE: 's3://traces', DISCOTRACE_S3_ENDPOINT: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y', AWS_REGION: 'eu-west-1' }, outDir: path.join(fx.dir, 'nowhere'), quiet: true }),
      (error: unknown) => isStoreError(error) && error.code === 'STORE_UNREACHABLE' && /127\.0\.0\.1:9/.test(error.message),
    );
    assert.ok(!existsSync(path.join(fx.dir, 'nowhere', 'index.html')));
  });
});

describe('site in Chromium', () => {
  let browser: Browser;
  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium (CI does this in .ci/run)`);
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  after(async () => {
    await browser?.close();
  });
  const url = (relative: string) => pathToFileURL(path.join(fx.site.outDir, relative)).href;
  const open = async (relative: string, options: Parameters<Browser['newPage']>[0] = {}): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, ...options });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(url(relative));
    (page as Page & { errors?: string[] }).errors = errors;
    return page;
  };

  it('opens the runs page, follows the seed run, expands a step, and sees the verdict and the diagram', async () => {
    const page = await open('index.html');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'runs.png'), fullPage: true });
    await page.locator(`a[href="run/${fx.seedRun.runId}.html"]`).first().click();
    await page.waitForURL(/\/run\//);
    const banner = page.locator('#verdict');
    assert.match(await banner.innerText(), /Settings found/);
    assert.match(await banner.innerText(), /EWS\s+https:\/\/outlook\.office365\.com\/EWS\/Exchange\.asmx/);
    const diagram = page.locator('svg[data-journey="wide"]');
    assert.ok(await diagram.isVisible());
    assert.ok(!(await page.locator('svg[data-journey="tall"]').isVisible()), 'a screen shows the side-by-side drawing only');
    assert.ok((await diagram.locator('[data-node]').count()) >= 10);
    // A passed step starts folded; clicking its summary shows its data.
    const step = page.locator('#p0c2s0');
    assert.equal(await step.getAttribute('open'), null);
    await step.locator('summary').click();
    assert.notEqual(await step.getAttribute('open'), null);
    assert.ok(await step.locator('dl.data').isVisible());
    // A diagram node jumps to its candidate in the tree.
    await diagram.locator('a[data-node="p1c4"]').click();
    assert.match(page.url(), /#p1c4$/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'seed-run.png'), fullPage: true });
    assert.deepEqual((page as Page & { errors?: string[] }).errors, []);
    await page.close();
  });

  it('expand all opens every step; collapse all folds them', async () => {
    const page = await open(`run/${fx.seedRun.runId}.html`);
    const all = page.locator('[data-tree] details');
    const total = await all.count();
    await page.getByRole('button', { name: 'Expand all' }).click();
    assert.equal(await page.locator('[data-tree] details[open]').count(), total);
    await page.getByRole('button', { name: 'Collapse all' }).click();
    assert.equal(await page.locator('[data-tree] details[open]').count(), 0);
    await page.close();
  });

  it('reads without JavaScript: the tree still folds, the filter form stays hidden', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(url(`run/${fx.failedRun.runId}.html`));
    assert.match(await page.locator('#verdict').innerText(), /Not found/);
    const step = page.locator('#p0c2s0');
    await step.locator('summary').click();
    assert.notEqual(await step.getAttribute('open'), null, 'details open natively');
    assert.equal(await page.getByRole('button', { name: 'Expand all' }).count(), 0, 'no dead buttons without JavaScript');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'failed-run-no-js.png'), fullPage: true });
    await page.goto(url('index.html'));
    assert.equal(await page.locator('form[data-filter]').isVisible(), false);
    assert.ok(await page.getByRole('navigation', { name: 'Listings' }).isVisible());
    await context.close();
  });

  it('a link may carry the query (index.html?q=… or ?domain=…), and a domain typed in Unicode is matched by its ASCII form', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // ?domain= is that domain exactly: "toso.com" is in contoso.com but is not it.
    await page.goto(`${url('index.html')}?domain=toso.com`);
    await page.waitForFunction("/^0 of 5 runs match/.test(document.querySelector('[data-filter-status]')?.textContent ?? '')");
    await page.goto(`${url('index.html')}?q=toso.com`);
    await page.waitForFunction("/^5 of 5 runs match/.test(document.querySelector('[data-filter-status]')?.textContent ?? '')");
    await page.goto(`${url('index.html')}?domain=${encodeURIComponent(fx.seedRun.report.domain)}`);
    await page.waitForFunction("/^5 of 5 runs match/.test(document.querySelector('[data-filter-status]')?.textContent ?? '')");
    assert.equal(await page.locator('[data-listing]').isVisible(), false);
    // Fullwidth letters are not ASCII; a browser's URL parser maps them as it maps an IDN to xn--.
    await page.fill('input[name="q"]', '\uFF43\uFF4F\uFF4E\uFF54\uFF4F\uFF53\uFF4F.com');
    await page.click('button[type="submit"]');
    await page.waitForFunction("/^5 of 5 runs match/.test(document.querySelector('[data-filter-status]')?.textContent ?? '')");
    await page.close();
  });

  it('the filter finds runs by address, verdict and region (from file:// too)', async () => {
    const page = await open('index.html');
    await page.selectOption('select[name="verdict"]', 'not-found');
    await page.locator('[data-filter-results] tbody tr').first().waitFor();
    assert.equal(await page.locator('[data-filter-results] tbody tr').count(), 2);
    assert.equal(await page.locator('[data-listing]').isVisible(), false, 'the unfiltered list gives way to the results');
    await page.selectOption('select[name="region"]', 'us-east-1');
    await page.waitForFunction("document.querySelectorAll('[data-filter-results] tbody tr').length === 1");
    assert.match(await page.locator('[data-filter-status]').innerText(), /^1 of 5 runs match/);
    await page.click('button[type="reset"]');
    await page.fill('input[name="q"]', 'nobody@nowhere.example');
    await page.click('button[type="submit"]');
    await page.waitForFunction("/^0 of 5/.test(document.querySelector('[data-filter-status]')?.textContent ?? '')");
    await page.close();
  });

  it('hostile text runs no script and adds no element in the browser', async () => {
    const page = await open(`run/${fx.hostileRunId}.html`);
    let dialogs = 0;
    page.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
    await page.getByRole('button', { name: 'Expand all' }).click();
    assert.equal(await page.locator('img').count(), 0);
    assert.equal(dialogs, 0);
    assert.ok((await page.locator('main').innerText()).includes('<script>alert("x")</script>'));
    await page.close();
  });

  // axe-core's WCAG 2.1 A/AA rules (contrast, landmarks, names, headings), in both colour schemes.
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`pages pass the axe accessibility checks (${colorScheme})`, async () => {
      const pages = ['index.html', `run/${fx.seedRun.runId}.html`, `run/${fx.failedRun.runId}.html`, 'domain/contoso.com.html', `group/${fx.group}.html`];
      const problems: string[] = [];
      for (const relative of pages) {
        const page = await open(relative, { colorScheme });
        // Open every fold so the checks see all content.
        await page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })");
        await page.addScriptTag({ path: AXE });
        const result = (await page.evaluate("axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })")) as { violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] };
        for (const v of result.violations) problems.push(`${relative}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
        await page.close();
      }
      assert.deepEqual(problems, []);
    });
  }

  it('on a phone (375 px) no page is wider than the screen: tables wrap or scroll inside themselves', async () => {
    const pages = (await readdir(fx.site.outDir, { recursive: true })).filter((f) => f.endsWith('.html'));
    const wide: string[] = [];
    for (const relative of pages) {
      const page = await open(relative, { viewport: { width: 375, height: 800 } });
      await page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })");
      const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
      if (width > 375) wide.push(`${relative}: ${width} px`);
      if (relative === `run/${fx.seedRun.runId}.html`) {
        // The journey top to bottom: every node readable without a sideways scroll.
        const tall = page.locator('svg[data-journey="tall"]');
        assert.ok(await tall.isVisible() && !(await page.locator('svg[data-journey="wide"]').isVisible()));
        const box = (await tall.boundingBox())!;
        assert.ok(box.width <= 375 && box.width / Number(await tall.getAttribute('width')) > 0.8, `drawn at ${box.width} px`);
        await tall.scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(SCREENSHOTS, 'run-phone-journey.png') });
        await tall.locator('a[data-node="p1c4"]').click();
        assert.match(page.url(), /#p1c4$/);
        await page.evaluate('window.scrollTo(0, 0)');
        await page.screenshot({ path: path.join(SCREENSHOTS, 'run-phone.png'), fullPage: false });
      }
      await page.close();
    }
    assert.deepEqual(wide, []);
  });

  it('the domain page of two schemas passes the axe checks and fits a phone, and reads without JavaScript', async () => {
    const outDir = await siteWithActiveSync();
    const href = pathToFileURL(path.join(outDir, 'domain', 'contoso.com.html')).href;
    const problems: string[] = [];
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ viewport: { width: 375, height: 800 }, colorScheme });
      await page.goto(href);
      await page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })");
      const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
      if (width > 375) problems.push(`${colorScheme}: ${width} px wide`);
      await page.addScriptTag({ path: AXE });
      const result = (await page.evaluate("axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })")) as { violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] };
      for (const v of result.violations) problems.push(`${colorScheme}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      if (colorScheme === 'light') await page.screenshot({ path: path.join(SCREENSHOTS, 'domain-two-schemas-phone.png'), fullPage: true });
      await page.close();
    }
    assert.deepEqual(problems, []);
    // Without JavaScript: a finding's full text opens from its summary.
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.goto(href);
    const fold = page.locator('#changes-outlook ~ * details.full-text', { hasText: 'V2_DISAGREES' }).first();
    const full = fold.locator(':scope > span');
    assert.ok(!(await full.isVisible()));
    await fold.locator('summary').click();
    assert.match(await full.innerText(), /the classic walk does not$/);
    await page.close();
  });

  it('the domain page and dark mode render, and the site serves over HTTP', async () => {
    const page = await open('domain/contoso.com.html', { colorScheme: 'dark' });
    assert.match(await page.locator('#changes').innerText(), /What changed since the last good run/);
    const background = await page.evaluate('getComputedStyle(document.documentElement).backgroundColor');
    assert.equal(background, 'rgb(20, 23, 27)');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'domain-dark.png'), fullPage: true });
    await page.close();

    const server = await serveSite({ outDir: fx.site.outDir, port: 0 });
    try {
      const served = await browser.newPage();
      const response = await served.goto(`${server.url}group/${fx.group}.html`);
      assert.equal(response?.status(), 200);
      assert.ok(await served.locator('tr.differs').first().isVisible());
      await served.close();
    } finally {
      await server.close();
    }
  });
});
