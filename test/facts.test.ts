/**
 * Runs reduced to facts and compared (the domain history's "what changed", region groups side by
 * side): a change names the field that changed and says why in the run's own words, and damaged
 * step data never ends a comparison. The domain history compares runs of one address and schema.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { storeFromConfig, type TraceStore } from '@discotrace/core';
import { getScenario, probeTarget, seed } from '@discotrace/lab';
import { chooseBaseline, chooseBaselines, compareRuns, DETAIL_LIMIT, factTable, FULL_DETAIL_LIMIT, runFacts, type ComparableRun, type FactChange, type RunTraces } from '../packages/core/src/trace/facts.ts';
import { runLabScenario } from '../packages/cli/src/lab-run.ts';
import type { LocalRunResult } from '../packages/cli/src/pipeline.ts';
import { runAgainstLab, tempDir } from './utils/lab-run.ts';

type Leaf = { subject: string; issuer: string; dnsNames: string[]; notBefore: string; notAfter: string; serialNumber: string; fingerprint256: string };

function run(leaf: Leaf, extra: Record<string, unknown>[] = []): RunTraces {
  const steps = [
    { seq: 0, kind: 'tls:handshake', title: 'TLS', status: 'pass', expected: false, summary: '', startedAt: '', durationMs: 1, findings: [], data: { host: 'autodiscover.contoso.com', chain: [leaf] } },
    ...extra.map((data, i) => ({ seq: i + 1, kind: data.kind, title: `step ${i}`, status: 'info', expected: false, summary: '', startedAt: '', durationMs: 1, findings: [], data })),
  ];
  return {
    report: { verdict: { status: 'found', headline: '', others: [] }, chain: [], clients: [], phases: [] },
    phases: [{ index: 0, findings: [], candidates: [{ index: 0, source: 'autodiscover-https', url: 'https://autodiscover.contoso.com', title: 'Autodiscover host', status: 'settings', expected: false, steps }] }],
  } as unknown as RunTraces;
}

const LEAF: Leaf = { subject: 'CN=autodiscover.contoso.com', issuer: 'CN=Contoso CA 1', dnsNames: ['autodiscover.contoso.com', 'mail.contoso.com'], notBefore: '2026-03-04T00:00:00.000Z', notAfter: '2027-03-04T00:00:00.000Z', serialNumber: '01AB', fingerprint256: 'AA:BB' };

describe('facts: certificates', () => {
  it('a renewal by another CA is said field by field: issuer, serial and fingerprint changed, names and subject not', () => {
    const changes = compareRuns(run(LEAF), run({ ...LEAF, issuer: 'CN=Contoso CA 2', serialNumber: '02CD', fingerprint256: 'CC:DD' }));
    assert.deepEqual(changes, [
      { section: 'certificates', subject: 'autodiscover.contoso.com · issuer', kind: 'changed', before: 'CN=Contoso CA 1', after: 'CN=Contoso CA 2' },
      { section: 'certificates', subject: 'autodiscover.contoso.com · serial number', kind: 'changed', before: '01AB', after: '02CD' },
      { section: 'certificates', subject: 'autodiscover.contoso.com · SHA-256', kind: 'changed', before: 'AA:BB', after: 'CC:DD' },
    ]);
  });

  it('the whole fingerprint and the validity day are facts, not a clipped summary', () => {
    const facts = runFacts(run({ ...LEAF, fingerprint256: 'AB:'.repeat(31) + 'CD' }));
    assert.deepEqual(facts.filter((f) => f.section === 'certificates').map((f) => [f.subject, f.value]), [
      ['autodiscover.contoso.com · subject', 'CN=autodiscover.contoso.com'],
      ['autodiscover.contoso.com · issuer', 'CN=Contoso CA 1'],
      ['autodiscover.contoso.com · names (SAN)', 'autodiscover.contoso.com, mail.contoso.com'],
      ['autodiscover.contoso.com · valid from', '2026-03-04'],
      ['autodiscover.contoso.com · valid until', '2027-03-04'],
      ['autodiscover.contoso.com · serial number', '01AB'],
      ['autodiscover.contoso.com · SHA-256', `${'AB:'.repeat(31)}CD`],
    ]);
  });
});

describe('facts: damaged step data (a tampered store) is compared, never thrown on', () => {
  it('SRV records with nulls, outcomes that cannot be printed, a chain of nulls, 130,000 findings', () => {
    const damaged = run(LEAF, [
      { kind: 'dns:srv', name: '_autodiscover._tcp.contoso.com', outcome: 'ok', records: [null, { priority: 'x', weight: {}, port: 443, target: 'mail.contoso.com' }] },
      { kind: 'dns:resolve', host: 'contoso.com', outcome: { toString: 0 } },
    ]);
    (damaged.phases[0]!.candidates[0]!.steps[0]!.data as { chain: unknown[] }).chain = [null];
    damaged.phases[0]!.findings = Array.from({ length: 130_000 }, (_, i) => ({ code: 'X', severity: 'error', title: `t${i}`, explanation: '', fix: '', expected: false }));
    const rows = factTable([run(LEAF), damaged]);
    assert.ok(rows.some((r) => r.subject === 'SRV _autodiscover._tcp.contoso.com' && r.values[1] === 'x ? 443 mail.contoso.com'));
    assert.ok(rows.some((r) => r.subject === 'contoso.com' && r.values[1] === 'info'), 'an unprintable outcome reads as the step status');
    assert.ok(rows.some((r) => r.section === 'findings' && r.values[1] === 'error'));
  });
});

/**
 * The reviewed pair, from the lab: the seed (hybrid, found), then the same user whose on-premises
 * Autodiscover host refuses 443 and 80 (v2-classic-fails: Exchange Online's v2 still knows the
 * mailbox); and the seed asked with the ActiveSync schema.
 */
describe('facts: a good hybrid run, then the on-premises host refusing 443 and 80 (lab runs)', () => {
  let good: LocalRunResult;
  let failed: LocalRunResult;
  let mobilesync: LocalRunResult;
  let store: TraceStore;
  let changes: FactChange[];
  let cleanup: () => Promise<void>;
  before(async () => {
    const temp = await tempDir('discotrace-facts-');
    cleanup = temp.cleanup;
    ({ store } = storeFromConfig({ DISCOTRACE_STORE_DIR: path.join(temp.dir, 'traces') }));
    good = await runLabScenario(seed, { store });
    failed = await runLabScenario(getScenario('v2-classic-fails'), { store });
    const who = probeTarget(seed)!;
    const run = await runAgainstLab(seed, who.address, who.credentials, { options: { schema: 'mobilesync' } });
    mobilesync = run;
    await run.close();
    changes = compareRuns(good, failed);
  });
  after(() => cleanup?.());

  it('the domain index entry carries the schema of its run', async () => {
    const entries = await store.listRuns({ domain: 'contoso.com' });
    assert.deepEqual(new Set(entries.map((e) => e.schema)), new Set(['outlook']));
  });

  const change = (section: string, subject: string) => changes.find((c) => c.section === section && c.subject === subject);

  it('a candidate that stopped answering says why, in its own summary, clipped to one line', () => {
    const host = change('candidates', 'Phase 1 · Autodiscover host https://autodiscover.contoso.com');
    assert.equal(host?.kind, 'changed');
    assert.equal(host.before, 'redirectAddr');
    assert.equal(host.after, 'failed');
    assert.match(host.beforeDetail ?? '', /^redirectAddr → alice@contoso\.mail\.onmicrosoft\.com$/);
    assert.match(host.afterDetail ?? '', /^autodiscover\.contoso\.com:443 connection refused/);
    const step = change('steps', 'Phase 1 · Autodiscover host https://autodiscover.contoso.com · Connect to autodiscover.contoso.com:443');
    assert.equal(step?.after, 'fail');
    assert.match(step.afterDetail ?? '', /^autodiscover\.contoso\.com:443 connection refused/);
    // The outcome names its cause in words too.
    assert.match(change('verdict', 'Outcome')?.afterDetail ?? '', /^autodiscover\.contoso\.com:443: connection refused/);
  });

  it('what only the good run reached is said once: the phase it never reached, the steps after the refusal, the certificate it never saw', () => {
    // The whole Exchange Online phase: one row, its candidates, steps, DNS answers and certificates folded in.
    const phase = change('candidates', 'Phase 2 (Exchange Online, alice@contoso.mail.onmicrosoft.com)');
    assert.equal(phase?.kind, 'removed');
    assert.equal(phase.before, 'settings');
    assert.equal(phase.afterDetail, 'not reached now');
    assert.match(phase.beforeDetail ?? '', /^7 candidates, 4 DNS answers, 7 certificate fields, \d+ step statuses of this phase, not listed one by one$/);
    assert.deepEqual(changes.filter((c) => c.subject.startsWith('Phase 2 · ')), []);
    assert.ok(!changes.some((c) => c.section === 'dns' && c.subject.includes('onmicrosoft')), 'DNS answers of the phase are folded');
    assert.ok(!changes.some((c) => c.section === 'certificates' && c.subject.startsWith('autodiscover-s.outlook.com')), 'so is its certificate');
    // The on-premises host refused the connection: one certificate row, saying so, not seven fields.
    assert.deepEqual(changes.filter((c) => c.section === 'certificates' && c.subject.startsWith('autodiscover.contoso.com')), [{
      section: 'certificates', subject: 'autodiscover.contoso.com', kind: 'removed',
      before: (good.phases[0]!.candidates.flatMap((c) => c.steps).find((s) => s.kind === 'tls:handshake' && s.data.host === 'autodiscover.contoso.com')!.data.chain as { subject: string }[])[0]!.subject,
      beforeDetail: changes.find((c) => c.subject === 'autodiscover.contoso.com')!.beforeDetail, afterDetail: 'no TLS handshake now (connection refused)',
    }]);
    assert.match(change('certificates', 'autodiscover.contoso.com')!.beforeDetail ?? '', /^issued by CN=discotrace lab root CA \w+, O=discotrace lab, valid until \d{4}-\d\d-\d\d$/);
    // The candidate both runs tried: the steps the failure never reached are one row, after the step that failed.
    const name = 'Phase 1 · Autodiscover host https://autodiscover.contoso.com';
    assert.deepEqual(changes.filter((c) => c.section === 'steps' && c.subject.startsWith(name)).map((c) => [c.subject, c.kind]), [
      [`${name} · Connect to autodiscover.contoso.com:443`, 'changed'],
      [`${name} · the steps after Connect to autodiscover.contoso.com:443`, 'removed'],
    ]);
    const later = change('steps', `${name} · the steps after Connect to autodiscover.contoso.com:443`)!;
    assert.match(later.before ?? '', /^9 steps: pass, pass · HTTP 401, pass · HTTP 200$/);
    assert.equal(later.afterDetail, 'not reached now: the candidate stopped after Connect to autodiscover.contoso.com:443 (fail)');
    assert.ok(later.beforeFullDetail?.startsWith('TLS handshake with autodiscover.contoso.com:443; ') && later.beforeFullDetail.endsWith('Restart discovery for alice@contoso.mail.onmicrosoft.com'));
    // What changed in the part both runs walked is still listed, and the whole comparison fits a screen or two.
    assert.ok(change('verdict', 'Outcome') && change('findings', 'TCP_REFUSED at autodiscover.contoso.com:443') && change('settings', 'EWS URL') && change('redirects', 'Hop 1'));
    assert.ok(changes.length <= 35, `${changes.length} rows`);
    assert.ok(compareRuns(good, failed).length < factTable([good, failed]).filter((r) => r.differs).length - 40);
  });

  it('the other way round (fixed again), and a phase whose trace is missing, are said as such', () => {
    const back = compareRuns(failed, good);
    const phase = back.find((c) => c.subject === 'Phase 2 (Exchange Online, alice@contoso.mail.onmicrosoft.com)');
    assert.deepEqual([phase?.kind, phase?.after, phase?.beforeDetail], ['added', 'settings', 'not reached before']);
    assert.equal(back.find((c) => c.subject === 'autodiscover.contoso.com')?.beforeDetail, 'no TLS handshake before (connection refused)');
    // The report lists the phase but its trace could not be read: not "not reached".
    const unread = { report: good.report, phases: good.phases.filter((p) => p.index === 0) } as RunTraces;
    assert.equal(compareRuns(good, unread).find((c) => c.subject.startsWith('Phase 2 ('))?.afterDetail, 'its trace could not be read now');
  });

  it('a finding title clipped to one line keeps its whole text (bounded) for the change list', () => {
    const v2 = change('findings', 'V2_DISAGREES')!;
    assert.ok(v2.afterDetail!.length === DETAIL_LIMIT && v2.afterDetail!.endsWith('…'));
    assert.equal(v2.afterFullDetail, failed.report.verdict.others.find((f) => f.code === 'V2_DISAGREES')!.title.replace(/\s+/g, ' ').trim());
    assert.ok(v2.afterFullDetail!.length > DETAIL_LIMIT);
    // A short detail has no full text; an enormous one is bounded.
    assert.equal(change('findings', 'TCP_REFUSED at autodiscover.contoso.com:443')?.afterFullDetail, undefined);
    const huge = JSON.parse(JSON.stringify(failed)) as RunTraces;
    huge.report.verdict.others.find((f) => f.code === 'V2_DISAGREES')!.title = `Exchange Online knows ${'y'.repeat(1_000_000)}`;
    const fact = runFacts(huge).find((f) => f.subject === 'V2_DISAGREES')!;
    assert.equal(fact.fullDetail!.length, FULL_DETAIL_LIMIT);
    assert.ok(fact.fullDetail!.endsWith('…') && fact.detail!.length === DETAIL_LIMIT);
  });

  it('the reason is shown, never compared, and a long one is clipped', () => {
    // The same failure seen again: the summaries quote other addresses tried (the lab's ports).
    const again = JSON.parse(JSON.stringify(failed).replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:1')) as RunTraces;
    const candidate = again.phases[0]!.candidates.find((c) => c.source === 'autodiscover-https')!;
    assert.notEqual(candidate.summary, failed.phases[0]!.candidates.find((c) => c.source === 'autodiscover-https')!.summary);
    assert.deepEqual(compareRuns(failed, again), []);
    candidate.summary = `refused ${'x'.repeat(500)}`;
    const detail = runFacts(again).find((f) => f.section === 'candidates' && f.subject === 'Phase 1 · Autodiscover host https://autodiscover.contoso.com')?.detail ?? '';
    assert.equal(detail.length, DETAIL_LIMIT);
    assert.ok(detail.startsWith('refused x') && detail.endsWith('…'));
  });

  it('findings are told apart by host and port, with their titles: the :443 and the :80 refusals are two rows', () => {
    const refused = changes.filter((c) => c.section === 'findings' && c.subject.startsWith('TCP_REFUSED'));
    assert.deepEqual(refused.map((c) => [c.subject, c.kind, c.after]), [
      ['TCP_REFUSED at autodiscover.contoso.com:443', 'added', 'error'],
      ['TCP_REFUSED at autodiscover.contoso.com:80', 'added', 'error'],
    ]);
    assert.match(refused[0]!.afterDetail ?? '', /^autodiscover\.contoso\.com:443: connection refused/);
    assert.match(refused[1]!.afterDetail ?? '', /^autodiscover\.contoso\.com:80: connection refused/);
    // A finding of the whole phase names its phase; every finding row carries its title.
    assert.ok(change('findings', 'PHASE_NO_METHOD (phase 1)'));
    for (const c of changes.filter((x) => x.section === 'findings')) assert.ok(c.afterDetail ?? c.beforeDetail, `${c.subject} has its title`);
  });

  it("the report's own findings are compared too: the v2 cross-check's disagreement", () => {
    assert.ok(failed.report.verdict.others.some((f) => f.code === 'V2_DISAGREES'));
    const v2 = change('findings', 'V2_DISAGREES');
    assert.equal(v2?.kind, 'added');
    assert.equal(v2.after, 'warning');
    assert.match(v2.afterDetail ?? '', /^Exchange Online knows alice@contoso\.com/);
    // A finding both a phase and the report hold is one row.
    assert.equal(runFacts(failed).filter((f) => f.subject.startsWith('TCP_REFUSED at autodiscover.contoso.com:443')).length, 1);
  });

  it('settings are named as the terminal names them: the primary SMTP address', () => {
    const settings = runFacts(good).filter((f) => f.section === 'settings');
    assert.deepEqual(settings.find((f) => f.subject === 'Primary SMTP address')?.value, 'alice@contoso.com');
    assert.ok(!settings.some((f) => /AutoDiscoverSMTPAddress/i.test(f.subject)));
    assert.equal(change('settings', 'Primary SMTP address')?.kind, 'removed');
  });

  it('the newest run is compared with the last good run of its address and schema, and a run passed over is named', () => {
    const entry = (run: LocalRunResult, address = run.report.address): ComparableRun => ({ runId: run.runId, address, verdict: run.report.verdict.status, schema: run.phases[0]!.schema });
    assert.equal(mobilesync.phases[0]!.schema, 'mobilesync');
    // Across schemas every client reads as changed: noise, not a change.
    assert.ok(compareRuns(good, mobilesync).filter((c) => c.section === 'clients').length >= 3);
    // Newest first: the Outlook failure after a good ActiveSync run skips to the good Outlook run.
    const failing = chooseBaseline([entry(failed), entry(mobilesync), entry(good)]);
    assert.equal(failing?.since, 'last good');
    assert.equal(failing.baseline?.runId, good.runId);
    assert.equal(failing.passedOver?.runId, mobilesync.runId);
    // The report and its index entry carry the schema, so a domain page needs no phase trace for it.
    assert.equal(mobilesync.report.schema, 'mobilesync');
    assert.equal(good.report.schema, 'outlook');
    // A good ActiveSync run with no ActiveSync run before it has nothing to compare with.
    const alone = chooseBaseline([entry(mobilesync), entry(failed), entry(good)]);
    assert.equal(alone?.since, 'previous');
    assert.equal(alone.baseline, undefined);
    assert.equal(alone.passedOver?.runId, failed.runId);
    // Another user of the domain is not a baseline; the address is matched whatever its case.
    const bob = chooseBaseline([entry(failed), entry(good, 'bob@contoso.com'), entry(good, 'ALICE@contoso.com')]);
    assert.equal(bob?.baseline?.address, 'ALICE@contoso.com');
    assert.equal(bob.passedOver?.address, 'bob@contoso.com');
    // The plain case: nothing passed over.
    assert.deepEqual(chooseBaseline([entry(failed), entry(good)]), { latest: entry(failed), baseline: entry(good), since: 'last good' });
  });

  it('a domain page compares each schema on its own: a good ActiveSync run does not hide the failing Outlook one', () => {
    const entry = (run: LocalRunResult, address = run.report.address): ComparableRun => ({ runId: run.runId, address, verdict: run.report.verdict.status, schema: run.phases[0]!.schema });
    // Newest first: ActiveSync (good), then the Outlook failure and the good Outlook run.
    const both = chooseBaselines([entry(mobilesync), entry(failed), entry(good)]);
    assert.deepEqual(both.map((s) => [s.schema, s.latest.runId, s.baseline?.runId, s.since]), [
      ['outlook', failed.runId, good.runId, 'last good'],
      ['mobilesync', mobilesync.runId, undefined, 'previous'],
    ]);
    assert.ok(both.every((s) => s.passedOver === undefined), 'the other schema has its own comparison: nothing to say it was passed over');
    // Outlook first, whichever ran last; one schema, one comparison.
    assert.deepEqual(chooseBaselines([entry(failed), entry(mobilesync), entry(good)]).map((s) => s.schema), ['outlook', 'mobilesync']);
    assert.deepEqual(chooseBaselines([entry(failed), entry(good)]), [{ schema: 'outlook', latest: entry(failed), baseline: entry(good), since: 'last good' }]);
    // Several users: the newest run's address only; a newer ActiveSync run of bob's is not alice's history.
    const several = chooseBaselines([entry(failed), entry(mobilesync, 'bob@contoso.com'), entry(mobilesync), entry(good)]);
    assert.deepEqual(several.map((s) => [s.schema, s.latest.address, s.latest.runId]), [['outlook', 'alice@contoso.com', failed.runId], ['mobilesync', 'alice@contoso.com', mobilesync.runId]]);
    assert.deepEqual(chooseBaselines([entry(good, 'bob@contoso.com'), entry(mobilesync)]).map((s) => [s.schema, s.latest.address]), [['outlook', 'bob@contoso.com']]);
    assert.deepEqual(chooseBaselines([]), []);
  });
});
