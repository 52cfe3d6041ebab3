/**
 * Runs a catalogue scenario (packages/lab/src/scenarios/catalogue.ts) through the whole local
 * pipeline (state machine + handlers) with the address, credentials and probe options its entry
 * gives, plus shared assertion helpers for test/scenarios-*.test.ts. The lab stays up for
 * assertions on what it saw until close().
 */
import assert from 'node:assert/strict';
import { resolveOptions, storeFromConfig, type Finding, type PhaseTrace, type Step } from '@discotrace/core';
import { headerValue, startLab, type LabRequest } from '@discotrace/lab';
import { CATALOGUE, type CatalogueEntry, type CatalogueOptions } from '../../packages/lab/src/scenarios/catalogue.ts';
import { runLocal } from '../../packages/cli/src/pipeline.ts';
import { tempDir, type LabRun } from './lab-run.ts';

export type CatalogueRun = LabRun & { ms: number; close: () => Promise<void> };

export function catalogueEntry(name: string): CatalogueEntry {
  const entry = CATALOGUE[name];
  assert.ok(entry, `no catalogue scenario "${name}"`);
  return entry;
}

/** Runs the entry (options merged with `override`); the caller closes the run. */
export async function runEntry(entry: CatalogueEntry, override: CatalogueOptions = {}): Promise<CatalogueRun> {
  const lab = await startLab(entry.scenario);
  const { dir, cleanup } = await tempDir('discotrace-catalogue-');
  const { store } = storeFromConfig({ DISCOTRACE_STORE_DIR: dir });
  const events: LabRun['events'] = [];
  const o = { ...entry.options, ...override };
  try {
    const options = resolveOptions({
      dnsServers: [lab.dnsServer],
      connectTo: lab.connectTo,
      trustedCaCertificates: lab.caCertificates,
      ...(o.credentialHosts ? { credentialHosts: o.credentialHosts } : {}),
      ...(o.timeouts ? { timeouts: o.timeouts as never } : {}),
      ...(o.bodyLimitBytes ? { bodyLimitBytes: o.bodyLimitBytes } : {}),
    });
    const t0 = performance.now();
    const result = await runLocal({ address: entry.address, credentials: entry.credentials, options, store, observe: (e) => events.push(e) });
    const ms = performance.now() - t0;
    return { ...result, ms, lab, store, storeDir: dir, events, close: async () => { await lab.close(); await cleanup(); } };
  } catch (err) {
    await lab.close();
    await cleanup();
    throw err;
  }
}

/** Runs a catalogue scenario by name; always closes the lab. */
export async function withEntry(name: string, check: (run: CatalogueRun, entry: CatalogueEntry) => Promise<void> | void, override: CatalogueOptions = {}): Promise<void> {
  const entry = catalogueEntry(name);
  const run = await runEntry(entry, override);
  try {
    await check(run, entry);
  } finally {
    await run.close();
  }
}

export function steps(phases: PhaseTrace[]): Step[] {
  return phases.flatMap((p) => p.candidates.flatMap((c) => c.steps));
}

export function findings(phases: PhaseTrace[]): Finding[] {
  return [...steps(phases).flatMap((s) => s.findings), ...phases.flatMap((p) => p.findings)];
}

export function codes(list: Finding[]): string[] {
  return list.map((f) => f.code);
}

/** The (first) candidate of a phase with this source. */
export function candidate(run: LabRun, source: string, phase = 0) {
  const c = run.phases[phase]!.candidates.find((x) => x.source === source);
  assert.ok(c, `phase ${phase} has no ${source} candidate\n${story(run)}`);
  return c;
}

/** The step of a kind on a candidate (the first, or the one `pick` selects). */
export function step(run: LabRun, source: string, kind: string, pick: (s: Step) => boolean = () => true, phase = 0): Step {
  const s = candidate(run, source, phase).steps.find((x) => x.kind === kind && pick(x));
  assert.ok(s, `${source} has no ${kind} step\n${story(run)}`);
  return s;
}

/** RESPONSE_NOTE codes on the steps. */
export function notes(phases: PhaseTrace[]): string[] {
  return findings(phases).filter((f) => f.code === 'RESPONSE_NOTE').map((f) => String(f.evidence?.note));
}

/** One line per step for assertion messages: what the engine did. */
export function story(run: LabRun): string {
  const v = run.report.verdict;
  const lines = [`verdict ${v.status}, cause ${v.cause?.code ?? '-'}: ${v.headline}`, `others: ${codes(v.others).join(', ')}`];
  for (const p of run.phases) {
    for (const c of p.candidates) {
      lines.push(`[${p.index}] ${c.title} → ${c.status}`);
      for (const s of c.steps) lines.push(`    ${s.status} ${s.kind} ${s.title} — ${s.summary} ${codes(s.findings).join(',')}`);
    }
  }
  return lines.join('\n');
}

export function assertVerdict(run: LabRun, status: 'found' | 'not-found' | 'incomplete', cause?: string): void {
  const v = run.report.verdict;
  assert.equal(v.status, status, story(run));
  assert.equal(v.cause?.code, cause, story(run));
}

export const authorized = (r: LabRequest) => headerValue(r, 'authorization') !== undefined;

/** The lab never saw an Authorization header (optionally: on this host). */
export function assertNoCredentials(run: LabRun, host?: string): void {
  const sent = run.lab.requests.filter((r) => authorized(r) && (host === undefined || r.host === host));
  assert.deepEqual(sent.map((r) => `${r.method} ${r.host}:${r.port}${r.path}`), [], `credentials were sent${host ? ` to ${host}` : ''}`);
}

/** Credentials only ever went over TLS. */
export function assertCredentialsOnlyOverTls(run: LabRun): void {
  const leaked = run.lab.requests.filter((r) => authorized(r) && !r.tls);
  assert.deepEqual(leaked.map((r) => `${r.method} ${r.host}:${r.port}${r.path}`), [], 'credentials sent without TLS');
}
